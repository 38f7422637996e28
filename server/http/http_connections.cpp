#include "http/http_connections.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/ServerSocketImpl.h>
#include <Poco/Net/SocketImpl.h>
#include <Poco/Net/StreamSocket.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "vigie/search_json.h"

namespace vigie::http {
namespace {

// HTTPServerConnection that gives its slot back when the connection ends.
// The release happens in the destructor, before the socket (and so its fd
// number) is closed: the fd cannot be reused by a new connection first.
class CountedConnection : public Poco::Net::HTTPServerConnection {
 public:
  CountedConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, ConnectionsPerClient& limit)
      : HTTPServerConnection(socket, std::move(params), std::move(handlers)),
        limit_(limit),
        fd_(static_cast<int>(socket.impl()->sockfd())) {}
  ~CountedConnection() override { limit_.release(fd_); }
  CountedConnection(const CountedConnection&) = delete;
  CountedConnection& operator=(const CountedConnection&) = delete;

 private:
  ConnectionsPerClient& limit_;
  const int fd_;
};

// Poco's ServerSocketImpl accepts into plain StreamSocketImpls; this one
// accepts into RequestDeadlineSocketImpls (as SocketImpl::acceptConnection
// does, plus close-on-exec: the server spawns vigie-index for reindexing).
class RequestDeadlineServerSocketImpl : public Poco::Net::ServerSocketImpl {
 public:
  RequestDeadlineServerSocketImpl(std::chrono::milliseconds per_request,
                                  std::chrono::milliseconds per_recv)
      : per_request_(per_request), per_recv_(per_recv) {}

  Poco::Net::SocketImpl* acceptConnection(Poco::Net::SocketAddress& client) override {
    if (sockfd() == POCO_INVALID_SOCKET) throw Poco::Net::InvalidSocketException();
    sockaddr_storage address{};
    poco_socklen_t length = sizeof address;
    int fd = -1;
    do {
      length = sizeof address;
      fd = ::accept4(sockfd(), reinterpret_cast<sockaddr*>(&address), &length, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) error();  // throws the Poco exception for errno (EMFILE, ...)
    client = Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&address), length);
    return new RequestDeadlineSocketImpl(fd, per_request_, per_recv_);
  }

 private:
  const std::chrono::milliseconds per_request_;
  const std::chrono::milliseconds per_recv_;
};

}  // namespace

int RequestDeadlineSocketImpl::receiveBytes(void* buffer, int length, int flags) {
  if (per_request_.count() > 0 && !(flags & MSG_DONTWAIT)) {
    const auto now = std::chrono::steady_clock::now();
    if (!started_) {
      started_ = true;
      deadline_ = now + per_request_;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - now);
    if (per_recv_.count() > 0) wait = std::min(wait, per_recv_);
    pollfd p{sockfd(), POLLIN, 0};
    int ready = 0;
    do {
      ready = ::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, wait.count())));
    } while (ready < 0 && errno == EINTR);
    // Nothing within the time left: the same exception a per-recv timeout
    // raises, so Poco ends the connection the same way.
    if (ready == 0) throw Poco::TimeoutException("request not received in time");
  }
  return StreamSocketImpl::receiveBytes(buffer, length, flags);
}

RequestDeadlineSocketImpl* RequestDeadlineSocketImpl::of(Poco::Net::HTTPServerRequest& request) {
  auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
  if (!impl) return nullptr;
  return dynamic_cast<RequestDeadlineSocketImpl*>(impl->socket().impl());
}

RequestDeadlineServerSocket::RequestDeadlineServerSocket(std::chrono::milliseconds per_request,
                                                         std::chrono::milliseconds per_recv)
    : ServerSocket(new RequestDeadlineServerSocketImpl(per_request, per_recv), true) {}

void ConnectionsPerClient::forget_locked(int fd) {
  auto it = by_fd_.find(fd);
  if (it == by_fd_.end()) return;
  auto count = by_address_.find(it->second);
  if (count != by_address_.end() && --count->second <= 0) by_address_.erase(count);
  by_fd_.erase(it);
}

bool ConnectionsPerClient::admit(int fd, const std::string& address) {
  std::lock_guard lock(mutex_);
  // An fd still on record belongs to a connection that ended without being
  // released (Poco dropped it between the filter and the queue): the
  // kernel reuses an fd number only once it is closed, so forget it now.
  forget_locked(fd);
  int& count = by_address_[address];
  if (cap_ > 0 && count >= cap_) {
    if (count == 0) by_address_.erase(address);
    return false;
  }
  ++count;
  by_fd_[fd] = address;
  return true;
}

void ConnectionsPerClient::release(int fd) {
  std::lock_guard lock(mutex_);
  forget_locked(fd);
}

int ConnectionsPerClient::open(const std::string& address) const {
  std::lock_guard lock(mutex_);
  auto it = by_address_.find(address);
  return it == by_address_.end() ? 0 : it->second;
}

std::string too_many_connections_answer(int cap) {
  const std::string body =
      error_json(429, "Trop de connexions ouvertes depuis votre adresse (au plus " +
                          std::to_string(cap) + ") ; fermez-en ou réessayez dans un instant.");
  return "HTTP/1.1 429 Too Many Requests\r\n"
         "Content-Type: application/json; charset=utf-8\r\n"
         "Content-Length: " +
         std::to_string(body.size()) +
         "\r\n"
         "Retry-After: 1\r\n"
         "Connection: close\r\n"
         "X-Content-Type-Options: nosniff\r\n"
         "Referrer-Policy: same-origin\r\n"
         "X-Frame-Options: DENY\r\n"
         "Content-Security-Policy: default-src 'none'\r\n"
         "\r\n" +
         body;
}

bool PerClientFilter::accept(const Poco::Net::StreamSocket& socket) {
  std::string address;
  try {
    address = socket.peerAddress().host().toString();
  } catch (const Poco::Exception&) {
    return false;  // already reset by the peer: nobody to serve
  }
  // Poco closes a connection it cannot queue; refuse it here instead so
  // that every counted connection reaches a CountedConnection. Only this
  // (acceptor) thread adds to the queue, so the length cannot grow between
  // this check and Poco's.
  if (server_ && server_->queuedConnections() >= max_queued_) {
    ++queue_full_;
    return false;
  }
  const int fd = static_cast<int>(socket.impl()->sockfd());
  if (limit_.admit(fd, address)) return true;

  // Runs in the acceptor thread: never block on this client. A fresh
  // socket's send buffer takes a few hundred bytes at once; if not, the
  // client just sees the connection close.
  // Unread request bytes at close() make the kernel send RST, which can
  // destroy the answer before the client reads it: drain what has arrived.
  char scratch[4096];
  for (int i = 0; i < 16 && ::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0; ++i) {
  }
  const std::string answer = too_many_connections_answer(limit_.cap());
  const ssize_t sent = ::send(fd, answer.data(), answer.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);  // FIN after the answer, before Poco closes
  if (on_refusal_) on_refusal_(address, sent > 0 ? static_cast<std::size_t>(sent) : 0);
  return false;
}

Poco::Net::TCPServerConnection* CountedConnectionFactory::createConnection(
    const Poco::Net::StreamSocket& socket) {
  return new CountedConnection(socket, params_, handlers_, limit_);
}

}  // namespace vigie::http
