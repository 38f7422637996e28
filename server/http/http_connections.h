// Connections per client: the cap on the connections one client address may
// hold open (queued or being served), so that one client — slow, idle or
// hostile — cannot occupy every worker thread (Poco holds a thread per
// connection for the connection's whole life).
//
// The cap is enforced at accept time by a Poco TCPServerConnectionFilter,
// before the connection is queued or takes a thread: beyond it the client
// gets "429 Too Many Requests" + Retry-After (written without blocking) and
// the connection is closed. A connection counts from its accept until its
// HTTPServerConnection is destroyed (CountedConnectionFactory).
//
// Also here, the request deadline: Poco's socket timeout is per recv, so a
// client sending its request head a byte a second never times out and holds
// its connection thread for as long as it likes (slowloris). Connections
// are accepted as RequestDeadlineSocketImpl, whose receives enforce a total
// time for each request (head and body): server.request_timeout_ms from the
// request's first byte. Waiting for that first byte stays bounded by
// Poco's keep-alive / socket timeout (server.timeout_ms).
//
// Thread-safety: ConnectionsPerClient is shared by the acceptor thread and
// every worker thread (one mutex, a few map operations per connection). A
// RequestDeadlineSocketImpl is used by its connection's thread only.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vigie::http {

class ConnectionsPerClient {
 public:
  explicit ConnectionsPerClient(int cap) : cap_(cap) {}  // cap 0 = no cap

  // Counts the connection on socket `fd` from `address` and returns true,
  // or returns false (nothing counted) when the address is at the cap.
  bool admit(int fd, const std::string& address);
  // The connection on `fd` is over. Unknown fds are ignored.
  void release(int fd);
  int open(const std::string& address) const;
  int cap() const { return cap_; }

 private:
  void forget_locked(int fd);

  const int cap_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, int> by_address_;
  std::unordered_map<int, std::string> by_fd_;
};

// What happens to a connection refused at accept, for metrics and the log:
// (client address, bytes of the 429 answer written).
using RefusalObserver = std::function<void(const std::string& address, std::size_t bytes)>;

// The accept-time filter. `server` is read for its queue length: a
// connection is counted only when Poco will queue it (Poco silently closes
// connections beyond server.queue, and a counted connection must reach a
// CountedConnection to be released).
class PerClientFilter : public Poco::Net::TCPServerConnectionFilter {
 public:
  PerClientFilter(ConnectionsPerClient& limit, int max_queued, RefusalObserver on_refusal)
      : limit_(limit), max_queued_(max_queued), on_refusal_(std::move(on_refusal)) {}
  void set_server(const Poco::Net::TCPServer* server) { server_ = server; }
  bool accept(const Poco::Net::StreamSocket& socket) override;
  // Connections closed at accept because the queue was full.
  int queue_full() const { return queue_full_; }

 private:
  std::atomic<int> queue_full_{0};
  ConnectionsPerClient& limit_;
  const int max_queued_;
  RefusalObserver on_refusal_;
  const Poco::Net::TCPServer* server_ = nullptr;
};

// Poco's HTTPServerConnectionFactory, plus the release of the connection's
// slot in ConnectionsPerClient when the connection ends.
class CountedConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  CountedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                           Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                           ConnectionsPerClient& limit)
      : params_(std::move(params)), handlers_(std::move(handlers)), limit_(limit) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

 private:
  Poco::Net::HTTPServerParams::Ptr params_;
  Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
  ConnectionsPerClient& limit_;
};

// A connection's socket with a deadline per request: the first receive of
// a request starts its clock; a receive that would go past the deadline (or
// wait longer than the per-recv timeout) throws Poco::TimeoutException, and
// Poco closes the connection. next_request() restarts the clock for the
// following request on a keep-alive connection.
class RequestDeadlineSocketImpl : public Poco::Net::StreamSocketImpl {
 public:
  RequestDeadlineSocketImpl(poco_socket_t fd, std::chrono::milliseconds per_request,
                            std::chrono::milliseconds per_recv)
      : StreamSocketImpl(fd), per_request_(per_request), per_recv_(per_recv) {}

  using StreamSocketImpl::receiveBytes;
  int receiveBytes(void* buffer, int length, int flags = 0) override;
  void next_request() { started_ = false; }

  // The socket of the connection a request arrived on, if it is one of ours.
  static RequestDeadlineSocketImpl* of(Poco::Net::HTTPServerRequest& request);

 private:
  const std::chrono::milliseconds per_request_;  // 0 = no deadline
  const std::chrono::milliseconds per_recv_;
  bool started_ = false;
  std::chrono::steady_clock::time_point deadline_;
};

// A listening socket whose accepted connections are RequestDeadlineSocketImpls.
class RequestDeadlineServerSocket : public Poco::Net::ServerSocket {
 public:
  RequestDeadlineServerSocket(std::chrono::milliseconds per_request,
                              std::chrono::milliseconds per_recv);
};

// The raw "429 Too Many Requests" answer (JSON error body, Retry-After,
// Connection: close, security headers).
std::string too_many_connections_answer(int cap);

}  // namespace vigie::http
