#include "common/cli_docs.hpp"

#include <cstdio>
#include <cstring>
#include <vector>

#include "common/build_info.hpp"
#include "common/exit_codes.hpp"
#include "core/json.hpp"

namespace cocoon::tools {
namespace {

const char* const kAllTools[] = {"cocoon-build", "cocoon-sign", "cocoon-log", "cocoon-verify"};

// Subcommands shown in --help, in definition order. Nameless ones are CLI11 option groups, whose
// options belong to their parent; an empty group means hidden.
std::vector<const CLI::App*> commands_of(const CLI::App& app) {
  return app.get_subcommands(
      [](const CLI::App* s) { return !s->get_name().empty() && !s->get_group().empty(); });
}

std::vector<const CLI::Option*> options_of(const CLI::App& app) {
  std::vector<const CLI::Option*> out =
      app.get_options([](const CLI::Option* o) { return !o->get_group().empty(); });
  for (const CLI::App* group : app.get_subcommands([](const CLI::App* s) { return s->get_name().empty(); })) {
    auto more = options_of(*group);
    out.insert(out.end(), more.begin(), more.end());
  }
  return out;
}

bool is_named(const CLI::Option& o) {
  return !o.get_lnames().empty() || !o.get_snames().empty();
}
bool takes_value(const CLI::Option& o) {
  return o.get_expected_max() > 0 && o.get_type_size_max() > 0;
}

// Names a completion script may contain unquoted; anything else is left out of it.
bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_' || c == '.' || c == '+';
    if (!ok) return false;
  }
  return true;
}

std::vector<std::string> option_spellings(const CLI::Option& o) {
  std::vector<std::string> out;
  for (const auto& s : o.get_snames()) out.push_back("-" + s);
  for (const auto& l : o.get_lnames()) out.push_back("--" + l);
  return out;
}

// One UTF-8 sequence starting at s[i] as a code point, advancing i; a malformed byte yields U+FFFD.
char32_t next_code_point(std::string_view s, std::size_t& i) {
  auto b = static_cast<unsigned char>(s[i++]);
  int extra = b >= 0xF0 && b < 0xF5 ? 3 : b >= 0xE0 ? 2 : b >= 0xC2 && b < 0xE0 ? 1 : -1;
  if (b < 0x80) return b;
  if (extra < 0 || b >= 0xF5) return 0xFFFD;
  char32_t cp = b & (0x3F >> extra);
  for (int k = 0; k < extra; ++k) {
    if (i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) return 0xFFFD;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  }
  return cp;
}

// Text for a roff input line: backslashes and hyphens escaped (options must render as typed), every
// non-ASCII character as a named glyph \[uXXXX] so the page renders the same in any locale, control
// characters dropped, and a leading '.' or '\'' neutralised so text cannot become a request.
std::string roff(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (static_cast<unsigned char>(c) >= 0x80) {
      char32_t cp = next_code_point(text, i);
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(cp));
      out += buf;
      continue;
    }
    ++i;
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '\n' || c == '\t') {
      out += ' ';
    } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7F) {
      if (out.empty() && (c == '.' || c == '\'')) out += "\\&";
      out += c;
    }
  }
  return out;
}

std::string bold(std::string_view s) {
  return "\\fB" + roff(s) + "\\fR";
}
std::string italic(std::string_view s) {
  return "\\fI" + roff(s) + "\\fR";
}

// Paragraph text: one roff line per line of the description, empty lines skipped (groff would print
// them as blank lines inside a .TP item).
std::string roff_paragraph(std::string_view text) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = std::min(text.find('\n', start), text.size());
    std::string_view line = text.substr(start, end - start);
    if (line.find_first_not_of(" \t") != std::string_view::npos) {
      if (!out.empty()) out += ".br\n";
      out += roff(line) + "\n";
    }
    start = end + 1;
  }
  return out;
}

// The description without the "<tool>: " CLI11 top-level help starts with.
std::string summary(const CLI::App& app) {
  std::string d = app.get_description();
  std::string prefix = app.get_name() + ": ";
  if (d.starts_with(prefix)) d.erase(0, prefix.size());
  return d;
}

std::string positional_usage(const CLI::Option& o) {
  std::string name = o.get_name();
  bool many = o.get_items_expected_max() > 1;
  std::string s = italic(name) + (many ? "\\&..." : "");
  return o.get_required() ? s : "[" + s + "]";
}

std::string usage_line(const CLI::App& cmd, const std::string& path) {
  std::string line = bold(path);
  if (!commands_of(cmd).empty()) line += " " + italic("COMMAND");
  bool has_options = false;
  for (const CLI::Option* o : options_of(cmd)) has_options = has_options || is_named(*o);
  if (has_options) line += " [" + italic("OPTIONS") + "]";
  for (const CLI::Option* o : options_of(cmd))
    if (!is_named(*o) && o->get_positional()) line += " " + positional_usage(*o);
  return line + "\n";
}

std::string option_item(const CLI::Option& o) {
  std::string head;
  if (is_named(o)) {
    for (const std::string& name : option_spellings(o)) head += (head.empty() ? "" : ", ") + bold(name);
    if (takes_value(o)) head += " " + italic(o.get_type_name().empty() ? "VALUE" : o.get_type_name());
  } else {
    head = italic(o.get_name());
  }
  std::string text = o.get_description();
  std::vector<std::string> notes;
  if (o.get_required()) notes.push_back("required");
  if (o.get_items_expected_max() > 1 && takes_value(o)) notes.push_back("may be repeated");
  if (!o.get_default_str().empty()) notes.push_back("default: " + o.get_default_str());
  if (!o.get_envname().empty()) notes.push_back("environment: " + o.get_envname());
  if (!notes.empty()) {
    text += text.empty() ? "(" : " (";
    for (std::size_t i = 0; i < notes.size(); ++i) text += (i ? "; " : "") + notes[i];
    text += ")";
  }
  return ".TP\n" + head + "\n" + roff_paragraph(text);
}

void man_command_sections(const CLI::App& cmd, const std::string& path, std::string& out) {
  for (const CLI::App* sub : commands_of(cmd)) {
    std::string sub_path = path + " " + sub->get_name();
    out += ".SS \"" + roff(sub_path) + "\"\n";
    out += usage_line(*sub, sub_path);
    out += ".PP\n" + roff_paragraph(sub->get_description());
    if (!sub->get_aliases().empty()) {
      std::string aliases;
      for (const auto& a : sub->get_aliases()) aliases += (aliases.empty() ? "" : ", ") + a;
      out += ".PP\nAlso spelt " + roff(aliases) + ".\n";
    }
    for (const CLI::Option* o : options_of(*sub)) out += option_item(*o);
    auto nested = commands_of(*sub);
    if (!nested.empty()) {
      std::string names;
      for (const CLI::App* n : nested) names += (names.empty() ? "" : ", ") + bold(n->get_name());
      out += ".PP\nCommands: " + names + " (below).\n";
    }
    man_command_sections(*sub, sub_path, out);
  }
}

std::string completion_tables(const CLI::App& cmd, const std::string& path) {
  std::string subs, opts, vopts;
  auto add = [](std::string& list, const std::string& word) {
    if (is_word(word)) list += (list.empty() ? "" : " ") + word;
  };
  for (const CLI::App* sub : commands_of(cmd)) {
    add(subs, sub->get_name());
    for (const auto& a : sub->get_aliases()) add(subs, a);
  }
  for (const CLI::Option* o : options_of(cmd)) {
    for (const auto& l : o->get_lnames()) add(opts, "--" + l);
    if (takes_value(*o))
      for (const std::string& name : option_spellings(*o)) add(vopts, name);
  }
  std::string out =
      "    \"" + path + "\") subs=\"" + subs + "\" opts=\"" + opts + "\" vopts=\"" + vopts + "\" ;;\n";
  for (const CLI::App* sub : commands_of(cmd))
    if (is_word(sub->get_name()))
      out += completion_tables(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name());
  return out;
}

}  // namespace

std::string version_text(const CLI::App& app, bool json) {
  const BuildInfo b = build_info();
  if (json) {
    Json j = {{"tool", app.get_name()},
              {"version", std::string(b.version)},
              {"commit", std::string(b.commit)},
              {"build_type", std::string(b.build_type)},
              {"compiler", std::string(b.compiler)}};
    return compact_json(j);
  }
  // One line: buildinfo.json records the first line of every program's --version.
  return app.get_name() + " " + std::string(b.version) + " (commit " + std::string(b.commit) + ", " +
         std::string(b.build_type) + ", " + std::string(b.compiler) + ")";
}

void add_version_flag(CLI::App& app) {
  CLI::Option* json = app.add_flag("--json")->description("With --version: print it as one JSON object");
  CLI::Option* version = app.set_version_flag(
      "--version", [&app, json] { return version_text(app, json->count() > 0); },
      "Print the version, git commit, build type and compiler, and exit");
  json->needs(version);
}

std::string man_page(const CLI::App& app) {
  const BuildInfo b = build_info();
  const std::string name = app.get_name();
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  std::string out;
  out += ".\\\" Generated by `" + roff(name) + " " + roff(kHelpManFlag) +
         "` from its command-line definition.\n";
  // No date in the title line: two builds of one commit must give the same page.
  out +=
      ".TH \"" + roff(upper) + "\" \"1\" \"\" \"cocoon-release " + roff(b.version) + "\" \"User Commands\"\n";
  out += ".SH NAME\n" + roff(name) + " \\- " + roff(summary(app)) + "\n";
  out += ".SH SYNOPSIS\n" + usage_line(app, name);
  out += ".br\n" + bold(name) + " " + bold("--version") + " [" + bold("--json") + "]\n";
  out += ".SH DESCRIPTION\n" + roff_paragraph(summary(app));
  if (!app.get_footer().empty()) out += ".PP\n" + roff_paragraph(app.get_footer());
  out += ".PP\nEach command below lists its own options; " + bold(name + " COMMAND --help") +
         " prints the same text.\n";
  out += ".SH OPTIONS\n";
  for (const CLI::Option* o : options_of(app)) out += option_item(*o);
  out += ".SH COMMANDS\n";
  man_command_sections(app, name, out);
  out += ".SH EXIT STATUS\n";
  out +=
      "0 when the command succeeded; 1 when it ran and its answer is no (a mismatch, a rejection); 2 for "
      "a command\\-line or input error; 70 for an internal error. Every other class of refusal has its "
      "own code, the same in all four tools (docs/exit\\-codes.md).\n";
  out += ".SH SEE ALSO\n";
  std::string see;
  for (const char* other : kAllTools)
    if (name != other) see += (see.empty() ? "" : ",\n") + bold(other) + "(1)";
  out += see + "\n";
  return out;
}

std::string bash_completion(const CLI::App& app) {
  const std::string name = app.get_name();
  std::string fn = "_";
  for (char c : name) fn += is_word(std::string(1, c)) && c != '-' && c != '.' && c != '+' ? c : '_';
  std::string out;
  out += "# bash completion for " + name + ", generated by `" + name + " " +
         std::string(kBashCompletionFlag) + "` from its command-line definition (cocoon-release " +
         std::string(build_info().version) + ").\n";
  out += "# " + fn + "_spec PATH sets subs, opts and vopts (options taking a value) for the command PATH.\n";
  out += fn + "_spec() {\n  case \"$1\" in\n";
  out += completion_tables(app, "");
  out += "    *) subs=\"\" opts=\"\" vopts=\"\" ;;\n  esac\n}\n\n";
  out += fn + "() {\n";
  out += "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" word subs opts vopts i value_next=0\n";
  out += "  COMPREPLY=()\n";
  out += "  " + fn + "_spec \"\"\n";
  out += "  for ((i = 1; i < COMP_CWORD; i++)); do\n";
  out += "    word=\"${COMP_WORDS[i]}\"\n";
  out += "    if ((value_next)); then\n      value_next=0\n";
  out += "    elif [[ \" $vopts \" == *\" $word \"* ]]; then\n      value_next=1\n";
  out += "    elif [[ $word != -* && \" $subs \" == *\" $word \"* ]]; then\n";
  out += "      path=\"${path:+$path }$word\"\n      " + fn + "_spec \"$path\"\n    fi\n";
  out += "  done\n";
  out += "  # An option's value or a positional argument: bash's own file name completion (-o default).\n";
  out += "  if ((value_next)); then return 0; fi\n";
  out += "  if [[ $cur == -* ]]; then\n";
  out += "    mapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n";
  out += "  else\n";
  out += "    mapfile -t COMPREPLY < <(compgen -W \"$subs\" -- \"$cur\")\n";
  out += "  fi\n";
  out += "}\n\n";
  out += "complete -o default -F " + fn + " " + name + "\n";
  return out;
}

std::optional<int> print_generated_docs(const CLI::App& app, int argc, char** argv) {
  if (argc != 2 || argv[1] == nullptr) return std::nullopt;
  std::string text;
  if (argv[1] == kHelpManFlag) {
    text = man_page(app);
  } else if (argv[1] == kBashCompletionFlag) {
    text = bash_completion(app);
  } else {
    return std::nullopt;
  }
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "%s: error: cannot write to standard output: %s\n", app.get_name().c_str(),
                 std::strerror(errno));
    return kExitIo;
  }
  return kExitOk;
}

}  // namespace cocoon::tools
