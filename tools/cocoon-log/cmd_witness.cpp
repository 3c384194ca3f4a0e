// cocoon-log witness serve  --key K --state DB --logs FILE --listen 127.0.0.1:PORT
// cocoon-log witness cosign --key K --state DB --logs FILE --checkpoint CP --old N [--proof P]
// A C2SP tlog-witness: online (POST /add-checkpoint) or offline from files; cosign prints the
// checkpoint with the witness's cosignature line appended.
#include <csignal>
#include <cstdio>
#include <ctime>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/keys.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "core/escape.hpp"
#include "core/file_io.hpp"
#include "tlog/log_client.hpp"
#include "tlog/witness.hpp"

namespace cocoon::tools::log {

namespace {

struct WitnessArgs {
  std::string name, state, logs;
  SecretOption key = signing_key_option("witness key");
  bool json = false;
};

void add_common(CLI::App* cmd, WitnessArgs& a) {
  add_secret_option(cmd, a.key, "witness signing key (cocoon secret key file or C2SP signer key)")
      ->required();
  cmd->add_option("--name", a.name, "witness key name (default: the key file's name)");
  cmd->add_option("--state", a.state, "SQLite file holding the last cosigned checkpoint per log")->required();
  cmd->add_option("--logs", a.logs, "file of log verifier keys, one per line")->required();
  cmd->add_flag("--json", a.json, "print the result as JSON");
}

Result<std::unique_ptr<tlog::Witness>> open_witness(const WitnessArgs& a) {
  COCOON_ASSIGN(tlog::NoteSigner key, load_note_signer(a.key, a.name));
  COCOON_ASSIGN(auto logs, tlog::load_witness_logs(a.logs));
  return tlog::Witness::open(a.state, std::move(key), std::move(logs));
}

}  // namespace

void add_witness_command(CLI::App& app, int& exit_code) {
  auto* witness =
      app.add_subcommand("witness", "cosign checkpoints that are consistent with what was seen before");
  witness->require_subcommand(1);

  struct ServeArgs {
    WitnessArgs w;
    std::string listen = "127.0.0.1:8081";
  };
  auto serve_args = std::make_shared<ServeArgs>();
  auto* serve = witness->add_subcommand("serve", "answer POST /add-checkpoint over HTTP");
  add_common(serve, serve_args->w);
  serve->add_option("--listen", serve_args->listen, "IPv4 address and port")->capture_default_str();
  serve->callback([serve_args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    auto w = open_witness(serve_args->w);
    if (!w) return fail(w.error());
    tlog::HttpServerOptions opts;
    opts.listen = serve_args->listen;
    opts.max_body_bytes = 64 * 1024;
    auto server = tlog::HttpServer::start(opts, tlog::make_witness_handler(**w));
    if (!server) return fail(server.error());
    std::string host = serve_args->listen.substr(0, serve_args->listen.rfind(':'));
    std::string url = "http://" + host + ":" + std::to_string((*server)->port()) + "/";
    if (serve_args->w.json) {
      // One line, so that a script can read it while the server runs.
      std::printf("%s\n", compact_json({{"vkey", (*w)->cosignature_verifier_key()}, {"url", url}}).c_str());
    } else {
      std::printf("witness %s\nlistening on %s\n", printable((*w)->cosignature_verifier_key()).c_str(),
                  printable(url).c_str());
    }
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    (*server)->stop();
  });

  struct CosignArgs {
    WitnessArgs w;
    std::string checkpoint, proof;
    std::uint64_t old_size = 0;
  };
  auto cosign_args = std::make_shared<CosignArgs>();
  auto* cosign = witness->add_subcommand("cosign", "the add-checkpoint decision offline, from files");
  add_common(cosign, cosign_args->w);
  cosign->add_option("--checkpoint", cosign_args->checkpoint, "signed checkpoint to cosign")->required();
  cosign->add_option("--old", cosign_args->old_size, "tree size the witness last cosigned for this log")
      ->required();
  cosign->add_option("--proof", cosign_args->proof, "consistency proof old -> new (base64 lines)");
  cosign->callback([cosign_args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    auto w = open_witness(cosign_args->w);
    if (!w) return fail(w.error());
    auto cp = read_text_file(cosign_args->checkpoint, 1 << 16);
    if (!cp) return fail(cp.error());
    tlog::WitnessRequest req{cosign_args->old_size, {}, *cp};
    if (!cosign_args->proof.empty()) {
      auto text = read_text_file(cosign_args->proof, 1 << 16);
      if (!text) return fail(text.error());
      auto proof = tlog::parse_proof(*text);
      if (!proof) return fail(proof.error());
      req.proof = *proof;
    }
    auto a = (*w)->add_checkpoint(tlog::format_witness_request(req),
                                  static_cast<std::uint64_t>(std::time(nullptr)));
    if (a.status != 200) {
      std::string why = a.status == 409 ? "witness holds size " + a.body.substr(0, a.body.size() - 1) +
                                              ", not " + std::to_string(cosign_args->old_size)
                                        : a.body.substr(0, a.body.size() - 1);
      return fail(make_error(a.code, "refused (" + std::to_string(a.status) + "): " + why));
    }
    if (cosign_args->w.json) {
      print_json({{"vkey", (*w)->cosignature_verifier_key()}, {"checkpoint", a.cosigned_note}});
      return;
    }
    std::printf("%s", a.cosigned_note.c_str());
  });
}

}  // namespace cocoon::tools::log
