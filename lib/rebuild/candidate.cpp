// The release-candidate payload (entries.hpp): its canonical JSON and its strict parser, which also
// checks the embedded recipe against the labels, so a candidate cannot name one recipe and carry
// another.
#include "build/recipe.hpp"
#include "core/escape.hpp"
#include "crypto/hash.hpp"
#include "rebuild/entries.hpp"
#include "rebuild/entry_envelope.hpp"
#include "rebuild/payload_fields.hpp"

namespace cocoon::rebuild {
namespace {

constexpr std::string_view kWhat = "release candidate";
constexpr const char* kCandidateType = "cocoon.release-candidate/v1";
constexpr std::size_t kMaxUrlBytes = 2048;

Json candidate_json(const Candidate& c) {
  return Json{{"_type", kCandidateType},
              {"product", c.labels.product},
              {"version", c.labels.version},
              {"recipe_sha256", c.labels.recipe_sha256},
              {"source", Json{{"url", c.source_url}, {"commit", c.labels.source_commit}}},
              {"recipe", base64_encode(c.recipe)},
              {"created", c.created}};
}

Error recipe_disagrees(const std::string& member, const std::string& in_payload,
                       const std::string& in_recipe) {
  return detail::invalid(kWhat, "\"" + member + "\" is \"" + printable(in_payload, 80) +
                                    "\" but the recipe says \"" + printable(in_recipe, 80) + "\"");
}

// The candidate a document describes, every member checked. Shared by the parser (on the bytes it was
// given) and by sign_candidate (on what it is about to sign, for messages that name the member).
Result<Candidate> candidate_from_json(const Json& doc) {
  using namespace detail;
  // The type first: a payload of the other kind is named as such, not by its first unknown member.
  if (!doc.is_object()) return invalid(kWhat, "the payload is not a JSON object");
  COCOON_ASSIGN(std::string type, string_member(doc, kWhat, "_type"));
  if (type != kCandidateType)
    return invalid(kWhat,
                   "\"_type\" is \"" + printable(type, 80) + "\", expected \"" + kCandidateType + "\"");
  COCOON_TRY(check_members(doc, kWhat, "the payload",
                           {"_type", "product", "version", "recipe_sha256", "source", "recipe", "created"},
                           {"_type", "product", "version", "recipe_sha256", "source", "recipe", "created"}));
  Candidate c;
  COCOON_ASSIGN(c.labels.product, name_member(doc, kWhat, "product"));
  COCOON_ASSIGN(c.labels.version, name_member(doc, kWhat, "version"));
  COCOON_ASSIGN(c.labels.recipe_sha256, hex_member(doc, kWhat, "recipe_sha256", 64));
  const Json& source = doc["source"];
  COCOON_TRY(check_members(source, kWhat, "\"source\"", {"url", "commit"}, {"url", "commit"}));
  COCOON_ASSIGN(c.source_url, line_member(source, kWhat, "url", kMaxUrlBytes));
  COCOON_ASSIGN(c.labels.source_commit, hex_member(source, kWhat, "commit", 40));
  COCOON_ASSIGN(std::string recipe_b64, string_member(doc, kWhat, "recipe"));
  auto recipe = base64_decode(recipe_b64);
  if (!recipe.ok()) return invalid(kWhat, "\"recipe\" is not standard padded base64");
  c.recipe = std::move(recipe).value();
  COCOON_ASSIGN(c.created, time_member(doc, kWhat, "created"));

  // The recipe is what builders will run: its digest and its own labels must be the candidate's.
  std::string digest = crypto::sha256_hex(ByteView(c.recipe));
  if (digest != c.labels.recipe_sha256)
    return invalid(kWhat, "the embedded recipe hashes to " + digest + ", not to \"recipe_sha256\" " +
                              c.labels.recipe_sha256);
  auto parsed = build::parse_recipe(to_string(c.recipe));
  if (!parsed.ok()) return invalid(kWhat, "the embedded recipe: " + parsed.error().message);
  if (parsed->name != c.labels.product) return recipe_disagrees("product", c.labels.product, parsed->name);
  if (parsed->version != c.labels.version)
    return recipe_disagrees("version", c.labels.version, parsed->version);
  if (parsed->source_url != c.source_url)
    return recipe_disagrees("source.url", c.source_url, parsed->source_url);
  if (parsed->source_commit != c.labels.source_commit)
    return recipe_disagrees("source.commit", c.labels.source_commit, parsed->source_commit);
  return c;
}

}  // namespace

Bytes candidate_payload(const Candidate& candidate) {
  return detail::canonical_or_compact(candidate_json(candidate));
}

Result<Candidate> parse_candidate_payload(ByteView payload) {
  COCOON_ASSIGN(Json doc, detail::parse_canonical(payload, kWhat));
  return candidate_from_json(doc);
}

Result<Bytes> sign_candidate(const Candidate& candidate, const crypto::SecretKey& key) {
  Json doc = candidate_json(candidate);
  // Never sign what our own parser would refuse; checking the document names the bad member.
  COCOON_TRY(candidate_from_json(doc));
  return detail::sign_entry(kCandidatePayloadType, detail::canonical_or_compact(doc), key, kWhat);
}

Result<Signed<Candidate>> open_candidate(ByteView entry, const std::vector<crypto::PublicKey>& trusted) {
  COCOON_ASSIGN(auto opened, detail::open_entry(entry, kCandidatePayloadType, trusted, kWhat));
  COCOON_ASSIGN(Candidate candidate, parse_candidate_payload(opened.payload));
  return Signed<Candidate>{std::move(candidate), std::move(opened.signer)};
}

}  // namespace cocoon::rebuild
