// `cocoon-sign merge A B … --out M`: joins the signatures of copies of one draft signed on separate
// machines. Refuses copies whose signed content differs.
#include <cstdio>
#include <memory>

#include "commands.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "release/draft.hpp"
#include "release_common.hpp"

namespace cocoon::tools::sign {

void add_merge_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::vector<std::string> drafts;
    std::string out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("merge", "join signatures from copies of one draft");
  cmd->add_option("drafts", args->drafts, "signed copies of the same draft")->required()->expected(2, -1);
  cmd->add_option("--out", args->out, "the merged draft")->required();
  cmd->callback([args, &exit_code] {
    auto run = [&]() -> Result<release::Envelope> {
      std::vector<release::Envelope> copies;
      for (const auto& d : args->drafts) {
        COCOON_ASSIGN(release::Envelope env, load_envelope_file(d));
        copies.push_back(std::move(env));
      }
      COCOON_ASSIGN(release::Envelope merged, release::merge_envelopes(copies));
      COCOON_TRY(save_envelope_file(args->out, merged));
      return merged;
    };
    auto r = run();
    if (!r.ok()) {
      exit_code = report("cocoon-sign", r.error());
      return;
    }
    std::printf("merged %zu drafts into %s: %zu signature entries (run `cocoon-sign status` to count them)\n",
                args->drafts.size(), printable(args->out).c_str(), r->signatures.size());
    exit_code = kExitOk;
  });
}

}  // namespace cocoon::tools::sign
