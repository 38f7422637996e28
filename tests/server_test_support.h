// Server test support (header-only: tests/CMakeLists.txt builds each
// *_test.cpp with test_support.cpp only). Runs the real programs — the
// indexer to build an index, vigie-server on a free loopback port — and
// talks HTTP to it, with Poco's client or a raw socket for malformed input.
// ServerProcess owns its child: destruction stops it (SIGTERM, then SIGKILL).
#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"

extern char** environ;

namespace vigie::test {

inline std::filesystem::path vigie_index_program() {
  return binary_dir() / "indexer" / "vigie-index";
}
inline std::filesystem::path vigie_server_program() {
  return binary_dir() / "server" / "vigie-server";
}
inline std::filesystem::path shipped_config() { return source_dir() / "config" / "vigie.json"; }

// Spawns argv with `extra_env` added; stdout to `out_fd` (or /dev/null when
// -1), stderr to `err_path` (or inherited when empty). Returns the pid.
inline pid_t spawn_program(const std::vector<std::string>& args, int out_fd,
                           const std::filesystem::path& err_path,
                           const std::vector<std::string>& extra_env = {}) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (out_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  if (!err_path.empty())
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                     0644);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  for (const auto& e : extra_env) env_strings.push_back(e);
  std::vector<char*> env, argv;
  for (auto& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);
  std::vector<std::string> arg_copy = args;
  for (auto& a : arg_copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot spawn " + args[0]);
  return pid;
}

inline int wait_exit(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs vigie-index over `roots` into `db`; returns its exit code.
inline int run_indexer(const std::filesystem::path& db,
                       const std::vector<std::filesystem::path>& roots, bool full = false,
                       const std::filesystem::path& config = shipped_config()) {
  std::vector<std::string> args = {vigie_index_program().string(),
                                   "--config",
                                   config.string(),
                                   "--db",
                                   db.string(),
                                   "--quiet",
                                   "--threads",
                                   "2"};
  if (full) args.push_back("--full");
  for (const auto& r : roots) args.push_back(r.string());
  return wait_exit(spawn_program(args, -1, db.parent_path() / "indexer.log"));
}

// vigie-server on 127.0.0.1 and a free port, for the life of this object.
class ServerProcess {
 public:
  ServerProcess(std::vector<std::string> args, const std::filesystem::path& log,
                const std::vector<std::string>& extra_env = {})
      : log_(log) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    std::vector<std::string> argv = {vigie_server_program().string(), "--bind", "127.0.0.1",
                                     "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = spawn_program(argv, fds[1], log, extra_env);
    ::close(fds[1]);
    out_ = fds[0];
    port_ = read_port();
  }
  ~ServerProcess() { stop(); }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  std::string log() const {
    return std::filesystem::exists(log_) ? read_file(log_) : std::string();
  }

  // SIGTERM, then SIGKILL after `grace`; returns the exit code (128+signal if killed).
  int stop(std::chrono::seconds grace = std::chrono::seconds(20)) {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    int status = 0;
    while (true) {
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) break;
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    pid_ = -1;
    if (out_ >= 0) ::close(out_);
    out_ = -1;
    return exit_code_;
  }

 private:
  int read_port() {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line.find('\n') == std::string::npos) {
      pollfd p{out_, POLLIN, 0};
      const int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          deadline - std::chrono::steady_clock::now())
                                          .count());
      if (ms <= 0 || ::poll(&p, 1, ms) <= 0) break;
      char c[256];
      const ssize_t n = ::read(out_, c, sizeof c);
      if (n <= 0) break;
      line.append(c, static_cast<std::size_t>(n));
    }
    const std::string prefix = "listening on http://127.0.0.1:";
    if (line.rfind(prefix, 0) != 0) {
      stop(std::chrono::seconds(1));
      throw std::runtime_error("vigie-server did not start; stdout: " + line +
                               "\nstderr: " + log());
    }
    return std::stoi(line.substr(prefix.size()));
  }

  std::filesystem::path log_;
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

// vigie-server with the shipped configuration on the index at `db`, quiet,
// its log in `log` (the set-up most server tests share).
inline std::unique_ptr<ServerProcess> serve_index(const std::filesystem::path& db,
                                                  const std::filesystem::path& log) {
  return std::make_unique<ServerProcess>(
      std::vector<std::string>{"--config", shipped_config().string(), "--db", db.string(),
                               "--quiet"},
      log);
}

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

inline std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

inline HttpReply http_on(Poco::Net::HTTPClientSession& session, const std::string& method,
                         const std::string& target, const std::string& body = {},
                         const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [n, v] : headers) request.set(n, v);
  if (!body.empty() || method == "POST")
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpReply reply;
  reply.status = static_cast<int>(response.getStatus());
  Poco::StreamCopier::copyToString(in, reply.body);
  for (const auto& [n, v] : response) reply.headers[lower(n)] = v;
  return reply;
}

inline HttpReply http(int port, const std::string& method, const std::string& target,
                      const std::string& body = {},
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(60, 0));
  return http_on(session, method, target, body, headers);
}

inline HttpReply get(int port, const std::string& target) { return http(port, "GET", target); }

// Sends raw bytes and returns everything the server answers until it closes
// the connection or stays silent for `quiet` (whichever first). A reset by
// the server counts as a close.
inline std::string raw_exchange(int port, const std::string& bytes,
                                std::chrono::milliseconds quiet = std::chrono::milliseconds(3000)) {
  Poco::Net::StreamSocket socket(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  socket.setReceiveTimeout(Poco::Timespan(static_cast<long>(quiet.count()) * 1000));
  std::string answer;
  try {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
      const int n = socket.sendBytes(
          bytes.data() + sent, static_cast<int>(std::min<std::size_t>(bytes.size() - sent, 65536)));
      if (n <= 0) break;
      sent += static_cast<std::size_t>(n);
    }
  } catch (const Poco::Exception&) {
    // The server may close while we are still sending (e.g. a huge header).
  }
  try {
    char buffer[8192];
    while (true) {
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      answer.append(buffer, static_cast<std::size_t>(n));
    }
  } catch (const Poco::Exception&) {
    // Timeout or reset: what we have is the answer.
  }
  return answer;
}

// A raw TCP connection to 127.0.0.1:port from `source` (any 127.x.y.z: the
// whole 127/8 is loopback on Linux, so tests can play a second client
// address). Returns the connected fd (the caller closes it), -1 on failure.
inline int connect_from(const std::string& source, int port,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in from{};
  from.sin_family = AF_INET;
  ::inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0) {
    ::close(fd);
    return -1;
  }
  if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 && errno != EINPROGRESS) {
    ::close(fd);
    return -1;
  }
  pollfd p{fd, POLLOUT, 0};
  int error = 0;
  socklen_t length = sizeof error;
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1 ||
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// What arrives on `fd` within `wait` (until the peer closes or stays silent).
inline std::string read_available(int fd, std::chrono::milliseconds wait) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) != 1) break;
    char buffer[4096];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    out.append(buffer, static_cast<std::size_t>(n));
  }
  return out;
}

// Status of the first response in a raw answer, 0 if none.
inline int raw_status(const std::string& answer) {
  if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) return 0;
  return std::stoi(answer.substr(9, 3));
}

inline rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) throw std::runtime_error("invalid JSON: " + text.substr(0, 300));
  return doc;
}

// Polls `condition` every 50 ms until true or `timeout`; returns its last value.
template <typename Condition>
bool eventually(Condition condition,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(60000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return condition();
}

}  // namespace vigie::test
