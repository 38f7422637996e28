#include "http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "admin/admin_routes.h"
#include "api/api_context.h"
#include "api/api_export.h"
#include "api/api_search.h"
#include "api/api_status.h"
#include "api/searcher_pool.h"
#include "http/admission_gate.h"
#include "http/http_connections.h"
#include "http/http_limits.h"
#include "http/http_response.h"
#include "http/metrics.h"
#include "web/web_routes.h"

namespace vigie::http {
namespace {

std::vector<std::string> indexer_args(const ServerOptions& options) {
  std::vector<std::string> args;
  if (!options.config.source.empty())
    args.insert(args.end(), {"--config", options.config.source.string()});
  args.insert(args.end(), {"--db", options.index_dir.string(), "--quiet", "--report",
                           (options.index_dir / "reindex-report.json").string()});
  for (const auto& root : options.config.indexer.roots) args.push_back(root.string());
  return args;
}

// What goes in the log for a request target: printable, bounded.
std::string loggable(const std::string& target) {
  std::string out;
  for (char c : target.substr(0, 300))
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
  if (target.size() > 300) out += "…";
  return out;
}

std::string elapsed_ms(double seconds) {
  char ms[32];
  std::snprintf(ms, sizeof ms, "%.1fms", seconds * 1000);
  return ms;
}

int resolve_workers(const ServerOptions& options) {
  int workers = options.workers > 0 ? options.workers : options.config.server.workers;
  if (workers <= 0) workers = static_cast<int>(std::thread::hardware_concurrency());
  return std::max(1, workers);
}

// Each connection holds a file descriptor: make sure max_connections of
// them fit (the soft limit is often 1024), or say what to change.
void raise_file_limit(int connections, const std::function<void(const std::string&)>& warn) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) return;
  const rlim_t wanted = static_cast<rlim_t>(connections) + 256;  // index files, logs, queue
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted)
    warn("vigie-server: warning: the open files limit (" + std::to_string(limit.rlim_cur) +
         ") is below server.max_connections + 256 (" + std::to_string(wanted) +
         "): raise it (ulimit -n, LimitNOFILE=) or lower server.max_connections");
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace

struct ServerState {
  explicit ServerState(ServerOptions o)
      : options(std::move(o)),
        connections(std::max(1, options.config.server.max_connections)),
        workers(resolve_workers(options)),
        gate(workers, options.config.server.queue,
             std::chrono::milliseconds(options.config.server.queue_timeout_ms)),
        limits{8 * 1024, options.config.server.max_header_bytes,
               options.config.server.max_body_bytes},
        // A Searcher per worker, plus two for /health and /metrics, which
        // bypass the gate and must not wait behind a full house.
        pool(options.index_dir, options.config, static_cast<std::size_t>(workers) + 2),
        api{pool, metrics, pool.config()},
        runner(
            options.index_program.empty() ? ReindexRunner::find_program() : options.index_program,
            indexer_args(options), options.index_dir / "reindex-report.json"),
        admin{pool.config(), runner, options.config.server.admin_token},
        per_client(options.config.server.max_connections_per_client) {
    register_search_routes(router, api);
    register_export_routes(router, api);
    register_status_routes(router, api, [this] { return server_gauges(); });
    register_admin_routes(router, admin);
    web::register_web_routes(router, api, options.config);  // HTML pages; catch-all 404 last
  }

  ScrapeGauges server_gauges() const {
    ScrapeGauges g;
    if (server) {
      g.refused_connections = server->refusedConnections() + (filter ? filter->queue_full() : 0);
      g.queued_connections = server->queuedConnections();
      g.current_threads = server->currentThreads();
    }
    const auto gc = gate.counts();
    g.workers = gc.workers;
    g.workers_busy = gc.busy;
    g.requests_waiting = gc.waiting;
    g.requests_waited = gc.waited;
    return g;
  }

  void log(const std::string& line) {
    if (options.quiet) return;
    std::lock_guard lock(log_mutex);
    std::cerr << line << '\n';  // one write per line: lines from threads never interleave
  }

  ServerOptions options;
  const int connections;  // connection threads
  // Accepted connections waiting for a connection thread: during a burst,
  // while threads start, and when all max_connections are taken (beyond
  // it Poco closes them). Not the gate's queue: a connection waits for a
  // thread, a request for a worker.
  const int accept_queue = std::clamp(connections / 4, 16, 256);
  const int workers;  // the gate's slots
  AdmissionGate gate;
  const RequestLimits limits;
  Metrics metrics;
  SearcherPool pool;
  ApiContext api;
  ReindexRunner runner;
  AdminContext admin;
  ConnectionsPerClient per_client;
  Router router;
  std::mutex log_mutex;
  std::unique_ptr<Poco::ThreadPool> thread_pool;
  Poco::AutoPtr<PerClientFilter> filter;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers;  // fires serverStopped at stop()
  std::unique_ptr<Poco::Net::TCPServer> server;
  bool stopped = false;
};

namespace {

// Every request goes through here: nothing escapes as an exception (Poco
// would answer a bare 500 and drop the connection) and every answer is
// counted, timed and logged.
class RequestBoundary : public Poco::Net::HTTPRequestHandler {
 public:
  RequestBoundary(ServerState& state, std::optional<HttpError> early)
      : state_(state), early_(std::move(early)) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    const auto start = std::chrono::steady_clock::now();
    state_.metrics.enter();
    apply_security_headers(response);
    body_pending_ = (request.hasContentLength() && request.getContentLength64() > 0) ||
                    request.getChunkedTransferEncoding();
    std::string route_name = "unmatched";
    try {
      dispatch(request, response, route_name);
    } catch (const HttpError& e) {
      answer_error(response, e.status(), e.what(), e.headers(), e.close_connection());
    } catch (const QuerySyntaxError& e) {
      answer_error(response, 400, e.what(), {}, false);
    } catch (const IndexUnavailable& e) {
      answer_error(response, 503, std::string("Index indisponible : ") + e.what(),
                   {{"Retry-After", "5"}}, false);
    } catch (const std::exception& e) {
      state_.log(utc_now() + " ERROR " + request.getMethod() + " " + loggable(request.getURI()) +
                 ": " + e.what());
      answer_error(response, 500, "Erreur interne du serveur ; elle a été journalisée.", {}, true);
    } catch (...) {
      state_.log(utc_now() + " ERROR " + request.getMethod() + " " + loggable(request.getURI()) +
                 ": unknown exception");
      answer_error(response, 500, "Erreur interne du serveur ; elle a été journalisée.", {}, true);
    }
    state_.metrics.leave();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int status = static_cast<int>(response.getStatus());
    state_.metrics.observe(route_name, status, seconds);
    // Body bytes: what a streaming handler counted, else the Content-Length.
    std::uint64_t bytes = streamed_bytes_;
    if (bytes == 0 && response.hasContentLength() && response.getContentLength64() > 0)
      bytes = static_cast<std::uint64_t>(response.getContentLength64());
    state_.log(utc_now() + " " + request.clientAddress().host().toString() + " " +
               loggable(request.getMethod()) + " " + loggable(request.getURI()) + " " +
               std::to_string(status) + " " + std::to_string(bytes) + " " + elapsed_ms(seconds));
    // The next request on this keep-alive connection gets a time budget of its own.
    if (auto* socket = RequestDeadlineSocketImpl::of(request)) socket->next_request();
  }

 private:
  void dispatch(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                std::string& route_name) {
    if (early_) throw *early_;
    const std::string& target = request.getURI();
    if (target.empty() || target.front() != '/')
      throw HttpError(400, "Adresse de requête invalide : elle doit commencer par « / ».");
    auto [path, query] = split_target(target);
    auto match = state_.router.match(request.getMethod(), path);
    if (match.status == 405)
      throw HttpError(405,
                      "Méthode " + loggable(request.getMethod()).substr(0, 32) +
                          " non autorisée ici ; permises : " + match.allow + ".",
                      {{"Allow", match.allow}});
    if (!match.route)
      throw HttpError(404, "Aucune ressource à cette adresse : " + loggable(path).substr(0, 200));
    const Route& route = *match.route;
    route_name = route.name;

    HttpExchange exchange{request, response, path, std::move(match.tail), QueryParams::parse(query),
                          {}};
    exchange.body = read_body(request, state_.limits);
    body_pending_ = false;

    // CPU work waits for a worker — boundedly — only once the whole request
    // is here: a slow sender holds its connection thread, never a worker.
    auto outcome = AdmissionGate::Outcome::admitted;
    const AdmissionGate::Ticket ticket =
        route.limited ? state_.gate.enter(&outcome) : AdmissionGate::Ticket();
    if (outcome != AdmissionGate::Outcome::admitted) {
      state_.metrics.count_rejected(
          outcome == AdmissionGate::Outcome::queue_full ? "queue_full" : "queue_timeout");
      throw HttpError(503, "Le serveur est saturé ; réessayez dans un instant.",
                      {{"Retry-After", "1"}});
    }
    struct StreamedBytes {  // also when the handler throws mid-stream
      const HttpExchange& ex;
      std::uint64_t& out;
      ~StreamedBytes() { out = ex.streamed_bytes; }
    } streamed{exchange, streamed_bytes_};
    route.handler(exchange);
  }

  void answer_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& message,
                    const HeaderList& headers, bool close) {
    if (response.sent()) {
      // Headers (and maybe part of a stream) are out: the only honest thing
      // left is to close, so the client sees a cut rather than a short file.
      response.setKeepAlive(false);
      return;
    }
    response.erase("Content-Disposition");
    response.setChunkedTransferEncoding(false);
    // A request whose body we did not read leaves bytes on the socket that
    // would be parsed as the next request: close instead.
    if (close || body_pending_) response.setKeepAlive(false);
    try {
      send_error(response, status, message, headers);
    } catch (const std::exception&) {
      response.setKeepAlive(false);  // the client is gone
    }
  }

  ServerState& state_;
  std::optional<HttpError> early_;
  bool body_pending_ = false;  // the request has a body nobody has read yet
  std::uint64_t streamed_bytes_ = 0;
};

class BoundaryFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit BoundaryFactory(ServerState& state) : state_(state) {}

  // What Poco's HTTPServer::stopAll does after stopping the acceptor: tell
  // every connection (they subscribed to serverStopped) to finish.
  void stop_connections(bool abort_current) {
    const bool abort = abort_current;
    serverStopped(this, abort);
  }

  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override {
    auto early = check_request_head(request, state_.limits);
    // Poco sends "100 Continue" before the handler runs unless the status is
    // already an error: refuse an oversized upload before the client sends it.
    if (early)
      request.response().setStatus(
          static_cast<Poco::Net::HTTPResponse::HTTPStatus>(early->status()));
    return new RequestBoundary(state_, std::move(early));
  }

 private:
  ServerState& state_;
};

}  // namespace

HttpServer::HttpServer(ServerOptions options)
    : state_(std::make_unique<ServerState>(std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

Router& HttpServer::router() { return state_->router; }

std::uint16_t HttpServer::start() {
  auto& s = *state_;
  const auto& sc = s.options.config.server;
  ServerState* state = &s;
  raise_file_limit(s.connections, [state](const std::string& line) {
    std::lock_guard lock(state->log_mutex);
    std::cerr << line << '\n';
  });
  RequestDeadlineServerSocket socket(std::chrono::milliseconds(sc.request_timeout_ms),
                                     std::chrono::milliseconds(sc.timeout_ms));
  socket.bind(Poco::Net::SocketAddress(s.options.bind, static_cast<Poco::UInt16>(s.options.port)),
              /*reuseAddress=*/true);
  socket.listen(std::max(256, s.accept_queue));

  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(s.connections);
  params->setMaxQueued(s.accept_queue);
  params->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(sc.timeout_ms) * 1000));
  params->setKeepAlive(sc.keepalive_max_requests > 0);
  params->setMaxKeepAliveRequests(std::max(1, sc.keepalive_max_requests));
  // An idle keep-alive connection pins a worker thread: do not wait for the
  // next request longer than for any other recv.
  params->setKeepAliveTimeout(
      Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(sc.timeout_ms) * 1000));
  params->setSoftwareVersion("Vigie");

  // Our own pool: Poco's default pool has 16 threads, fewer than
  // server.max_connections, and is shared with anything else using it.
  // Threads are made on demand and end after 60 s idle; their stacks are
  // the system's default size, committed only as far as they are touched
  // (measured: docs/testing.md, "Server under load and slow clients").
  s.thread_pool = std::make_unique<Poco::ThreadPool>(std::min(2, s.connections), s.connections + 1);
  // Poco's HTTPServer is a TCPServer with an HTTPServerConnectionFactory; we
  // assemble the same from parts so that each connection releases its
  // per-client slot when it ends (http_connections.h).
  s.handlers = new BoundaryFactory(s);
  Poco::Net::HTTPServerParams::Ptr shared_params(params);  // takes ownership
  s.server = std::make_unique<Poco::Net::TCPServer>(
      new CountedConnectionFactory(shared_params, s.handlers, s.per_client), *s.thread_pool, socket,
      shared_params);
  s.filter = new PerClientFilter(
      s.per_client, s.accept_queue, [state](const std::string& address, std::size_t bytes) {
        state->metrics.count_rejected("per_client");
        state->log(utc_now() + " " + address + " - (connection over the per-client cap) 429 " +
                   std::to_string(bytes) + " 0.0ms");
      });
  s.filter->set_server(s.server.get());
  s.server->setConnectionFilter(Poco::Net::TCPServerConnectionFilter::Ptr(s.filter.get(), true));
  s.server->start();
  return socket.address().port();
}

void HttpServer::stop() {
  auto& s = *state_;
  if (s.stopped || !s.server) return;
  s.stopped = true;
  // As HTTPServer::stopAll(false): requests in progress complete (Poco holds
  // a per-connection mutex while handling), then idle keep-alive sockets are
  // shut down.
  s.server->stop();
  static_cast<BoundaryFactory*>(s.handlers.get())->stop_connections(false);
  s.thread_pool->joinAll();
}

}  // namespace vigie::http
