#include "attest/statement.hpp"

#include <algorithm>
#include <set>

namespace cocoon::attest {
namespace {

Error invalid(const std::string& msg) {
  return make_error(Errc::invalid_input, "in-toto statement: " + msg);
}

bool is_lower_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

Json statement_json(const Statement& statement) {
  Json subjects = Json::array();
  for (const auto& s : statement.subjects)
    subjects.push_back(Json{{"name", s.name}, {"digest", Json{{"sha256", s.sha256}}}});
  return Json{{"_type", kStatementType},
              {"subject", subjects},
              {"predicateType", statement.predicate_type},
              {"predicate", statement.predicate.is_null() ? Json::object() : statement.predicate}};
}

std::string statement_payload(const Statement& statement) {
  return statement_json(statement).dump();
}

Result<Statement> parse_statement(ByteView payload) {
  auto doc = parse_json(std::string_view(reinterpret_cast<const char*>(payload.data()), payload.size()),
                        "in-toto statement");
  if (!doc.ok()) return std::move(doc).error();
  if (!doc->is_object()) return invalid("not a JSON object");
  auto type = doc->find("_type");
  if (type == doc->end() || !type->is_string() || *type != kStatementType)
    return invalid(std::string("\"_type\" must be \"") + kStatementType + "\"");
  Statement st;
  auto ptype = doc->find("predicateType");
  if (ptype == doc->end() || !ptype->is_string()) return invalid("missing string \"predicateType\"");
  st.predicate_type = ptype->get<std::string>();
  if (auto pred = doc->find("predicate"); pred != doc->end()) {
    if (!pred->is_object()) return invalid("\"predicate\" must be an object");
    st.predicate = *pred;
  }
  auto subjects = doc->find("subject");
  if (subjects == doc->end() || !subjects->is_array() || subjects->empty())
    return invalid("\"subject\" must be a non-empty array");
  std::set<std::string> names;
  for (size_t i = 0; i < subjects->size(); ++i) {
    const Json& s = (*subjects)[i];
    const std::string where = "subject " + std::to_string(i) + ": ";
    if (!s.is_object()) return invalid(where + "not an object");
    auto name = s.find("name");
    if (name == s.end() || !name->is_string() || name->get<std::string>().empty())
      return invalid(where + "missing non-empty \"name\"");
    auto digest = s.find("digest");
    if (digest == s.end() || !digest->is_object()) return invalid(where + "missing \"digest\" object");
    auto sha = digest->find("sha256");
    if (sha == digest->end() || !sha->is_string()) return invalid(where + "missing \"sha256\" digest");
    std::string hex = sha->get<std::string>();
    if (hex.size() != 64 || !is_lower_hex(hex))
      return invalid(where + "sha256 must be 64 lower-case hex digits");
    if (!names.insert(name->get<std::string>()).second)
      return invalid("subject \"" + name->get<std::string>() + "\" appears twice");
    st.subjects.push_back(Subject{name->get<std::string>(), hex});
  }
  return st;
}

BuilderClaim builder_claim(const Statement& statement) {
  BuilderClaim claim;
  if (!statement.predicate.is_object()) return claim;
  auto run = statement.predicate.find("runDetails");
  if (run == statement.predicate.end() || !run->is_object()) return claim;
  auto builder = run->find("builder");
  if (builder == run->end() || !builder->is_object()) return claim;
  if (auto id = builder->find("id"); id != builder->end() && id->is_string())
    claim.id = id->get<std::string>();
  if (auto name = builder->find("name"); name != builder->end() && name->is_string())
    claim.name = name->get<std::string>();
  return claim;
}

std::string builder_id_for_keyid(const std::string& keyid) {
  return kBuilderIdPrefix + keyid;
}

DsseEnvelope sign_statement(const Statement& statement, const crypto::SecretKey& key) {
  DsseEnvelope env;
  env.payload_type = kInTotoPayloadType;
  env.payload = to_bytes(statement_payload(statement));
  dsse_sign(env, key);
  return env;
}

}  // namespace cocoon::attest
