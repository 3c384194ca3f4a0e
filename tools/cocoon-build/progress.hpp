#pragma once
// How a running build is shown: a live status line on a terminal, plain lines otherwise. Output goes
// to stderr so stdout stays clean for --json.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "build/run.hpp"
#include "core/escape.hpp"

namespace cocoon::tools::build {

class ProgressPrinter {
 public:
  explicit ProgressPrinter(std::string label, bool quiet = false)
      : label_(std::move(label)),
        tty_(::isatty(2)),
        quiet_(quiet),
        start_(std::chrono::steady_clock::now()) {}

  void operator()(const cocoon::build::ProgressEvent& e) {
    using K = cocoon::build::ProgressEvent::Kind;
    double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    switch (e.kind) {
      case K::fetch:
        line("fetching source");
        break;
      case K::step_start:
        if (tty_ && !quiet_) {
          std::fprintf(stderr, "\r\033[K%s: [%6.1fs] step %s ...", label_.c_str(), total,
                       printable(e.step).c_str());
          std::fflush(stderr);
        }
        break;
      case K::step_done:
        line("step " + e.step + " done in " + fixed(e.elapsed_seconds) + "s");
        break;
      case K::step_failed:
        line("step " + e.step + " FAILED (exit " + std::to_string(e.exit_code) + ") after " +
             fixed(e.elapsed_seconds) + "s");
        // A failure is always shown, even when quiet: it is what the user needs to act.
        for (const auto& l : e.log_tail) std::fprintf(stderr, "  | %s\n", printable(l).c_str());
        std::fprintf(stderr, "  full log: %s\n", printable(e.log).c_str());
        break;
      case K::artifacts:
        line("packing and hashing artifacts");
        break;
      case K::done:
        line("done in " + fixed(total) + "s");
        break;
      case K::warning:
        // Shown even when quiet: it says where files went that the user may be looking for.
        std::fprintf(stderr, "%s%s: warning: %s\n", tty_ ? "\r\033[K" : "", label_.c_str(),
                     printable(e.message).c_str());
        break;
    }
  }

 private:
  static std::string fixed(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", s);
    return buf;
  }
  void line(const std::string& text) {
    if (quiet_) return;
    std::fprintf(stderr, "%s%s: %s\n", tty_ ? "\r\033[K" : "", label_.c_str(), printable(text).c_str());
  }
  std::string label_;
  bool tty_;
  bool quiet_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace cocoon::tools::build
