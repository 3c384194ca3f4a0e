// cocoon-log serve --dir D --listen 127.0.0.1:PORT: the log's HTTP server (docs/log.md, "HTTP").
// Runs until SIGINT or SIGTERM; queued entries are committed before it exits.
#include <csignal>
#include <cstdio>

#include "cocoon-log/commands.hpp"
#include "cocoon-log/log_config.hpp"
#include "cocoon-log/output.hpp"
#include "common/exit_codes.hpp"
#include "common/renamed_option.hpp"
#include "core/escape.hpp"
#include "tlog/log_server.hpp"

namespace cocoon::tools::log {

void add_serve_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::string dir, listen = "127.0.0.1:8080";
    SecretOption key = signing_key_option("log key");
    std::size_t max_entry = 1 << 20, batch = 1024;
    double batch_wait = 0.05, timeout = 10;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("serve", "serve a log over HTTP: POST /add, GET /checkpoint, GET /tile/...");
  cmd->add_option("--dir", args->dir, "log directory")->required();
  add_secret_option(cmd, args->key, "log signing key (default: the one recorded by init)");
  cmd->add_option("--listen", args->listen, "IPv4 address and port")->capture_default_str();
  cmd->add_option("--max-entry", args->max_entry, "largest accepted entry in bytes (capped at 65535)")
      ->capture_default_str();
  cmd->add_option("--batch", args->batch, "largest number of entries per append")->capture_default_str();
  cmd->add_option("--batch-wait", args->batch_wait, "longest wait for a batch to fill, in seconds")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  cmd->add_option("--timeout", args->timeout, "seconds allowed for receiving one request")
      ->check(CLI::Range(0.001, 3600.0))
      ->capture_default_str();
  add_renamed_option(cmd, "--batch-ms", "--batch-wait SECONDS (e.g. --batch-wait 0.05)");
  add_renamed_option(cmd, "--timeout-ms", "--timeout SECONDS (e.g. --timeout 10)");
  cmd->add_flag("--json", args->json, "print the listening URL as one JSON line");
  cmd->callback([args, &exit_code] {
    auto fail = [&](const Error& e) { exit_code = report(kTool, e); };
    // Block the stop signals before any thread starts, so only sigwait below receives them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    auto writer = open_log_for_writing(args->dir, args->key);
    if (!writer) return fail(writer.error());
    auto seq = tlog::Sequencer::start(std::move(*writer), {args->batch, to_milliseconds(args->batch_wait)});
    if (!seq) return fail(seq.error());
    tlog::HttpServerOptions opts;
    opts.listen = args->listen;
    opts.max_body_bytes = args->max_entry;
    opts.request_timeout = to_milliseconds(args->timeout);
    auto server = tlog::HttpServer::start(opts, tlog::make_log_handler(args->dir, **seq, {args->max_entry}));
    if (!server) return fail(server.error());
    std::string host = args->listen.substr(0, args->listen.rfind(':'));
    std::string url = "http://" + host + ":" + std::to_string((*server)->port()) + "/";
    if (args->json) {
      std::printf("%s\n", compact_json({{"url", url}}).c_str());
    } else {
      std::printf("listening on %s\n", printable(url).c_str());
    }
    std::fflush(stdout);
    int sig = 0;
    sigwait(&stop_signals, &sig);
    (*server)->stop();
  });
}

}  // namespace cocoon::tools::log
