// HttpServer: vigie-server's HTTP side — a Poco HTTPServer with bounded
// connections, timeouts and keep-alive, the route table (JSON API, status,
// admin; HTML pages register theirs through router() before start()), and
// the request boundary that every request goes through: limits, routing,
// the admission gate, error → JSON, security headers, metrics, one log line.
//
// Connections and CPU work are separate. Poco holds a thread per connection
// for the connection's whole life (all its keep-alive requests); such a
// thread mostly sits in recv, so there may be many of them
// (server.max_connections, 1024 by default). The work — a search, a page,
// an export — goes through an AdmissionGate sized to the cores
// (server.workers), with a bounded wait (server.queue requests, each at most
// server.queue_timeout_ms); beyond either, 503 + Retry-After: 1. /health,
// /metrics and static files bypass the gate. The gate is entered only once
// the request (head and body) has arrived, so a slow client costs a
// connection thread, never a worker.
// Poco's timeout is per recv; each request must also arrive whole within
// server.request_timeout_ms (http_connections.h), so a client dribbling
// its head a byte a second is cut. One client address may hold at most
// server.max_connections_per_client connections (more get 429 at accept,
// before taking a thread). The access log has one line per request: time,
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

#include "http/http_router.h"
#include "vigie/config.h"

namespace vigie::http {

struct ServerState;  // http_server.cpp

struct ServerOptions {
  Config config;
  std::filesystem::path index_dir;  // holds `current` and gen-NNNNNN/
  std::string bind = "127.0.0.1";
  int port = 8080;                      // 0 = any free port (see start())
  bool quiet = false;                   // no per-request log lines
  int workers = 0;                      // 0 = config.server.workers (0 there = one per core)
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
