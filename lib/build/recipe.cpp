#include "build/recipe.hpp"

#include <set>

#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "core/plain_name.hpp"
#include "crypto/hash.hpp"

namespace cocoon::build {
namespace {

constexpr std::string_view kSchema = "cocoon-recipe/v1";

Error bad(const std::string& msg) {
  return make_error(Errc::invalid_input, "recipe: " + msg);
}

// Only the listed keys may appear in an object: a typo must not silently drop a setting.
Status only_keys(const Json& obj, const std::string& where, std::initializer_list<std::string_view> allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (auto a : allowed) known |= (it.key() == a);
    if (!known) return bad("unknown key \"" + it.key() + "\" in " + where);
  }
  return Ok{};
}

Result<std::string> get_string(const Json& obj, const std::string& where, const std::string& key) {
  auto it = obj.find(key);
  if (it == obj.end()) return bad("missing field \"" + key + "\" in " + where);
  if (!it->is_string()) return bad("field \"" + key + "\" in " + where + " must be a string");
  if (it->get_ref<const std::string&>().empty())
    return bad("field \"" + key + "\" in " + where + " is empty");
  return it->get<std::string>();
}

bool is_lower_hex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// A relative path that stays inside the work tree: no absolute paths, no "..", no empty components.
Status check_tree_path(const std::string& path, const std::string& where) {
  if (path.empty()) return bad(where + " is empty");
  if (path.front() == '/') return bad(where + " \"" + path + "\" is absolute");
  if (path.find('\0') != std::string::npos) return bad(where + " contains a NUL byte");
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string_view part(path.data() + start, end - start);
    if (part == "..") return bad(where + " \"" + path + "\" escapes the work tree");
    if (part.empty() && end != path.size()) return bad(where + " \"" + path + "\" has an empty component");
    start = end + 1;
  }
  return Ok{};
}

// Names become file names in the output directory and start lines of SHA256SUMS and of what `run`
// prints: a newline in one would forge a line.
Status check_name(const std::string& name, const std::string& where) {
  if (auto st = check_plain_name(name, where); !st) return bad(st.error().message);
  return Ok{};
}

Status check_file_name(const std::string& name, const std::string& where) {
  COCOON_TRY(check_name(name, where));
  if (name == "SHA256SUMS" || name == "buildinfo.json" || name == "attestation.dsse.json")
    return bad(where + " \"" + name + "\" collides with a file cocoon-build writes");
  return Ok{};
}

}  // namespace

Result<Recipe> parse_recipe(std::string_view text) {
  COCOON_ASSIGN(Json j, parse_json(text, "recipe"));
  if (!j.is_object()) return bad("top level must be an object");
  COCOON_TRY(only_keys(j, "recipe",
                       {"schema", "name", "version", "source", "env", "steps", "artifacts", "measure"}));
  Recipe r;
  COCOON_ASSIGN(std::string schema, get_string(j, "recipe", "schema"));
  if (schema != kSchema)
    return bad("schema is \"" + schema + "\", expected \"" + std::string(kSchema) + "\"");
  COCOON_ASSIGN(r.name, get_string(j, "recipe", "name"));
  COCOON_TRY(check_file_name(r.name, "name"));
  COCOON_ASSIGN(r.version, get_string(j, "recipe", "version"));
  COCOON_TRY(check_name(r.version, "version"));

  auto src = j.find("source");
  if (src == j.end()) return bad("missing field \"source\" in recipe");
  if (!src->is_object()) return bad("field \"source\" must be an object");
  COCOON_TRY(only_keys(*src, "source", {"url", "commit"}));
  COCOON_ASSIGN(r.source_url, get_string(*src, "source", "url"));
  COCOON_ASSIGN(r.source_commit, get_string(*src, "source", "commit"));
  if (r.source_commit.size() != 40 || !is_lower_hex(r.source_commit))
    return bad("source.commit \"" + r.source_commit + "\" is not 40 lower-case hex digits");

  if (auto env = j.find("env"); env != j.end()) {
    if (!env->is_object()) return bad("field \"env\" must be an object");
    for (auto it = env->begin(); it != env->end(); ++it) {
      const std::string& k = it.key();
      if (k.empty() || k.find('=') != std::string::npos || k.find('\0') != std::string::npos)
        return bad("env name \"" + k + "\" is not a valid variable name");
      if (!it->is_string()) return bad("env \"" + k + "\" must be a string");
      // These are what make the build reproducible; a recipe may not override them.
      if (k == "SOURCE_DATE_EPOCH" || k == "TZ" || k == "LC_ALL" || k == "HOME")
        return bad("env \"" + k + "\" is set by cocoon-build and cannot be overridden");
      r.env[k] = it->get<std::string>();
    }
  }

  auto steps = j.find("steps");
  if (steps == j.end()) return bad("missing field \"steps\" in recipe");
  if (!steps->is_array() || steps->empty()) return bad("field \"steps\" must be a non-empty array");
  std::set<std::string> step_names;
  for (size_t i = 0; i < steps->size(); ++i) {
    const Json& s = (*steps)[i];
    std::string where = "steps[" + std::to_string(i) + "]";
    if (!s.is_object()) return bad(where + " must be an object");
    COCOON_TRY(only_keys(s, where, {"name", "run"}));
    RecipeStep step;
    COCOON_ASSIGN(step.name, get_string(s, where, "name"));
    COCOON_TRY(check_name(step.name, where + ".name"));
    if (!step_names.insert(step.name).second) return bad("duplicate step name \"" + step.name + "\"");
    auto run = s.find("run");
    if (run == s.end()) return bad("missing field \"run\" in " + where);
    if (!run->is_array() || run->empty())
      return bad("field \"run\" in " + where + " must be a non-empty array");
    for (const auto& a : *run) {
      if (!a.is_string()) return bad("field \"run\" in " + where + " must hold only strings");
      if (a.get_ref<const std::string&>().find('\0') != std::string::npos)
        return bad("field \"run\" in " + where + " contains a NUL byte");
      step.argv.push_back(a.get<std::string>());
    }
    if (step.argv[0].empty()) return bad("field \"run\" in " + where + " names no program");
    r.steps.push_back(std::move(step));
  }

  auto arts = j.find("artifacts");
  if (arts == j.end()) return bad("missing field \"artifacts\" in recipe");
  if (!arts->is_array() || arts->empty()) return bad("field \"artifacts\" must be a non-empty array");
  std::set<std::string> art_names;
  for (size_t i = 0; i < arts->size(); ++i) {
    const Json& a = (*arts)[i];
    std::string where = "artifacts[" + std::to_string(i) + "]";
    if (!a.is_object()) return bad(where + " must be an object");
    COCOON_TRY(only_keys(a, where, {"name", "dir", "file"}));
    RecipeArtifact art;
    COCOON_ASSIGN(art.name, get_string(a, where, "name"));
    COCOON_TRY(check_file_name(art.name, where + ".name"));
    if (!art_names.insert(art.name).second) return bad("duplicate artifact name \"" + art.name + "\"");
    bool has_dir = a.contains("dir"), has_file = a.contains("file");
    if (has_dir == has_file) return bad(where + " must have exactly one of \"dir\" or \"file\"");
    art.kind = has_dir ? RecipeArtifact::Kind::dir : RecipeArtifact::Kind::file;
    COCOON_ASSIGN(art.path, get_string(a, where, has_dir ? "dir" : "file"));
    COCOON_TRY(check_tree_path(art.path, where + (has_dir ? ".dir" : ".file")));
    r.artifacts.push_back(std::move(art));
  }

  if (auto m = j.find("measure"); m != j.end()) {
    if (!m->is_object()) return bad("field \"measure\" must be an object");
    if (art_names.count("measurement.json"))
      return bad("artifact name \"measurement.json\" is reserved by \"measure\"");
    r.measure = *m;
  }
  r.digest = crypto::sha256_hex(text);
  return r;
}

Result<Recipe> load_recipe(const std::filesystem::path& path) {
  auto text = read_text_file(path, 1 << 20);
  if (!text) {
    Error e = std::move(text).error();
    e.message = "recipe: " + e.message;
    return e;
  }
  return parse_recipe(*text);
}

}  // namespace cocoon::build
