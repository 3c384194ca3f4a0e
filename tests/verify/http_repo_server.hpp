#pragma once
// Serves a test repository directory on 127.0.0.1 (lib/tlog's HttpServer), with hooks that make one
// path misbehave: an answer longer than any metadata allows, or a stall until the test lets it go.
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "core/file_io.hpp"
#include "tlog/http_server.hpp"

namespace cocoon::verify::testing {

class RepoServer {
 public:
  explicit RepoServer(std::filesystem::path root) : shared_(std::make_shared<Shared>()) {
    shared_->root = std::move(root);
    auto shared = shared_;
    auto server =
        tlog::HttpServer::start({}, [shared](const tlog::HttpRequest& req) { return shared->serve(req); });
    REQUIRE(server.ok());
    server_ = std::move(server.value());
  }
  ~RepoServer() {
    release_stalls();
    server_->stop();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()) + "/"; }
  void pad(const std::string& path, std::size_t extra) {
    std::lock_guard lock(shared_->mu);
    shared_->padded[path] = extra;
  }
  void stall(const std::string& path) {
    std::lock_guard lock(shared_->mu);
    shared_->stalled.insert(path);
  }
  void release_stalls() {
    std::lock_guard lock(shared_->mu);
    shared_->released = true;
    shared_->cv.notify_all();
  }

 private:
  struct Shared {
    std::filesystem::path root;
    std::mutex mu;
    std::condition_variable cv;
    std::map<std::string, std::size_t> padded;
    std::set<std::string> stalled;
    bool released = false;

    tlog::HttpReply serve(const tlog::HttpRequest& req) {
      std::string path = req.target.substr(1);
      std::size_t extra = 0;
      {
        std::unique_lock lock(mu);
        if (stalled.count(path)) {
          // Never answers until the test is over (bounded so a broken test cannot hang forever).
          cv.wait_for(lock, std::chrono::seconds(20), [&] { return released; });
          return tlog::text_reply(503, "stalled");
        }
        if (auto it = padded.find(path); it != padded.end()) extra = it->second;
      }
      if (path.find("..") != std::string::npos) return tlog::text_reply(400, "bad path");
      auto data = read_file(root / path);
      if (!data.ok()) return tlog::text_reply(404, "not found");
      tlog::HttpReply reply;
      reply.content_type = "application/octet-stream";
      reply.body = to_string(*data) + std::string(extra, 'A');
      return reply;
    }
  };
  std::shared_ptr<Shared> shared_;
  std::unique_ptr<tlog::HttpServer> server_;
};

}  // namespace cocoon::verify::testing
