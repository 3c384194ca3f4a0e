#pragma once
// File-based FROST ceremonies: what each `cocoon-sign frost` command does (docs/frost.md).
//
// A participant's local state directory (mode 0700, never shared) holds passphrase-encrypted files
// (secret_file.hpp):
//   dkg.json              DKG secret between `dkg start` and `dkg finish` (deleted by finish)
//   key.json              the key package: identifier, signing share, public group description
//   nonces/<cid>.json     the nonces behind one published commitment (cid = first 16 bytes of
//                         SHA-256(D || E), hex); deleted when used
//   nonces/<cid>.used     tombstone left when those nonces were consumed, so reuse is refused by name
// Everything else (round-1/round-2 packages, group.json, commitments, shares, the signature) is public.
#include <filesystem>
#include <string>
#include <vector>

#include "frost/dealer.hpp"
#include "frost/dkg.hpp"
#include "frost/formats.hpp"
#include "frost/signing.hpp"

namespace cocoon::frost {

struct ParticipantState {
  std::filesystem::path dir;
  std::string passphrase;
};

// Each path names a file, or a directory whose *.json files are taken (sorted by name).
Result<std::vector<std::filesystem::path>> expand_inputs(const std::vector<std::filesystem::path>& paths);

// `dkg start`: creates the state directory's DKG secret and writes the public round-1 package.
Result<DkgRound1Package> ceremony_dkg_start(const ParticipantState& state, std::string_view session,
                                            const GroupParams& params, Identifier id,
                                            const std::filesystem::path& round1_out);
// `dkg shares`: verifies every round-1 package and writes round2-<from>-to-<to>.json into out_dir.
Result<DkgRound2Output> ceremony_dkg_shares(const ParticipantState& state,
                                            const std::vector<std::filesystem::path>& round1_inputs,
                                            const std::filesystem::path& out_dir);
// `dkg finish`: derives and stores the key package, writes the public group file, deletes dkg.json.
Result<DkgResult> ceremony_dkg_finish(const ParticipantState& state,
                                      const std::vector<std::filesystem::path>& round1_inputs,
                                      const std::vector<std::filesystem::path>& round2_inputs,
                                      const std::filesystem::path& group_out);
// `keygen --dealer`: out_dir/group.json and out_dir/participant-<i>/key.json (all under one passphrase;
// for tests and demonstrations only — the dealer knows the group secret).
Result<PublicKeyPackage> ceremony_dealer_keygen(const GroupParams& params,
                                                const std::filesystem::path& out_dir,
                                                std::string_view passphrase);

Result<KeyPackage> load_key_package(const ParticipantState& state);

// `commit`: fresh nonces bound to the message; the nonces go to the state, the commitment to `out`.
Result<CommitmentFile> ceremony_commit(const ParticipantState& state, const std::filesystem::path& message,
                                       const std::filesystem::path& out);
// `sign`: the signature share over `message` for the given commitment set; consumes our nonces first.
Result<ShareFile> ceremony_sign(const ParticipantState& state, const std::filesystem::path& message,
                                const std::vector<std::filesystem::path>& commitment_inputs,
                                const std::filesystem::path& out);
// A signature and the participants whose shares it combines (sorted by id).
// Example: shares of participants 1, 3 and 5 of a 3-of-5 group -> {R || z, [1, 3, 5]}.
struct Aggregated {
  Signature signature{};
  std::vector<Identifier> signers;
};
// Loads the commitments and shares for `message`, verifies every share (naming an invalid one) and
// combines them. Errc::mismatch when a file belongs to another group, message or commitment set.
Result<Aggregated> aggregate_files(const PublicKeyPackage& group, const Bytes& message,
                                   const std::vector<std::filesystem::path>& commitment_inputs,
                                   const std::vector<std::filesystem::path>& share_inputs);
// `aggregate`: verifies every share (naming an invalid one) and writes the 64-byte signature to `out`.
Result<Signature> ceremony_aggregate(const std::filesystem::path& group_file,
                                     const std::filesystem::path& message,
                                     const std::vector<std::filesystem::path>& commitment_inputs,
                                     const std::vector<std::filesystem::path>& share_inputs,
                                     const std::filesystem::path& out);

// Loads a public group file.
Result<GroupFile> load_group_file(const std::filesystem::path& path);

}  // namespace cocoon::frost
