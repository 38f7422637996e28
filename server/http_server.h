// HttpServer: vigie-server's HTTP side — a Poco HTTPServer with bounded
// threads, queue, timeouts and keep-alive, the route table (JSON API,
// status, admin; HTML pages register theirs through router() before
// start()), and the request boundary that every request goes through:
// limits, in-flight cap, routing, error → JSON, security headers, metrics,
// one log line.
//
// Poco quirks that shape it: a worker thread serves one connection for the
// connection's whole life (all its keep-alive requests), and the timeout is
// per recv, not per request — so timeouts are short, keep-alive requests are
// capped, the accept queue is bounded (connections beyond it are closed),
// and one client address may hold at most server.max_connections_per_client
// connections (more get 429 at accept, before taking a thread:
// http_connections.h). The access log has one line per request: time,
// client, method, target, status, body bytes, duration.
// Ownership: owns everything it creates; the Poco server is stopped and its
// threads joined before the shared state goes away.
// Thread-safety: construct, register routes, start() and stop() from one
// thread; requests are served concurrently by Poco's threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "http_router.h"
#include "vigie/config.h"

namespace vigie::http {

struct ServerState;  // http_server.cpp

struct ServerOptions {
  Config config;
  std::filesystem::path index_dir;  // holds `current` and gen-NNNNNN/
  std::string bind = "127.0.0.1";
  int port = 8080;                      // 0 = any free port (see start())
  bool quiet = false;                   // no per-request log lines
  int max_in_flight = 0;                // 0 = config.server.threads
  std::filesystem::path index_program;  // empty = ReindexRunner::find_program()
};

class HttpServer {
 public:
  explicit HttpServer(ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Add routes (e.g. HTML pages) before start().
  Router& router();

  // Binds, listens and starts serving; returns the bound port (the real one
  // when options.port was 0). Throws Poco::Exception when it cannot bind.
  std::uint16_t start();
  // Stops accepting, lets requests in progress finish, closes idle
  // keep-alive connections and joins the threads. Idempotent.
  void stop();

 private:
  std::unique_ptr<ServerState> state_;
};

}  // namespace vigie::http
