// vigie-server: the JSON API over HTTP (docs/api.md, docs/openapi.yaml) and
// the HTML pages.
//   vigie-server [--config FILE] [--db DIR] [--bind ADDR] [--port N] [--workers N]
//                [--static DIR] [--quiet]
// Prints "listening on http://ADDR:PORT" as its first stdout line (with the
// real port when --port 0), serves until SIGINT/SIGTERM, then stops
// gracefully: requests in progress finish, idle connections close.
// Exit codes: 0 stopped on request; 1 cannot listen; 2 usage or config error.
#include <Poco/Exception.h>
#include <signal.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "http_server.h"
#include "vigie/config.h"
#include "vigie/index_setup.h"
#include "vigie/searcher.h"

namespace {

constexpr const char* kUsage =
    "usage: vigie-server [--config FILE] [--db DIR] [--bind ADDR] [--port N] [--workers N] "
    "[--static DIR] [--quiet]\n"
    "\n"
    "Serves the Vigie JSON API (docs/api.md).\n"
    "  --config FILE        configuration (default: config/vigie.json when present)\n"
    "  --db DIR             index directory (default: index.path from the config)\n"
    "  --bind ADDR          address to listen on (default: server.bind)\n"
    "  --port N             port (default: server.port); 0 picks a free port\n"
    "  --workers N          requests doing CPU work at once; others wait (server.queue,\n"
    "                       server.queue_timeout_ms), then 503 (default: server.workers)\n"
    "                       (--max-in-flight N: former name)\n"
    "  --static DIR         the web pages' stylesheet and icons (default: $VIGIE_STATIC_DIR,\n"
    "                       else share/vigie/static next to the program, else server/static)\n"
    "  --quiet              no per-request log lines on stderr\n"
    "Environment: VIGIE_ADMIN_TOKEN (admin API token), VIGIE_INDEX_PROGRAM (vigie-index to run for "
    "reindex), VIGIE_STATIC_DIR.\n";

int usage_error(const std::string& message) {
  std::cerr << "vigie-server: " << message << "\n\n" << kUsage;
  return 2;
}

bool parse_int(const char* text, int min, int max, int* out) {
  if (!text) return false;
  const char* end = text + std::char_traits<char>::length(text);
  auto [ptr, ec] = std::from_chars(text, end, *out);
  return ec == std::errc() && ptr == end && *out >= min && *out <= max;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, db, bind, static_dir;
  int port = -1, workers = 0;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--config") {
      const char* v = value();
      if (!v) return usage_error("--config needs a file");
      config_path = v;
    } else if (arg == "--db") {
      const char* v = value();
      if (!v) return usage_error("--db needs a directory");
      db = v;
    } else if (arg == "--bind") {
      const char* v = value();
      if (!v) return usage_error("--bind needs an address");
      bind = v;
    } else if (arg == "--port") {
      if (!parse_int(value(), 0, 65535, &port))
        return usage_error("--port needs a number between 0 and 65535");
    } else if (arg == "--workers" || arg == "--max-in-flight") {
      if (!parse_int(value(), 1, 1024, &workers))
        return usage_error(arg + " needs a number between 1 and 1024");
    } else if (arg == "--static") {
      const char* v = value();
      if (!v) return usage_error("--static needs a folder");
      static_dir = v;
    } else if (arg == "--quiet" || arg == "-q") {
      quiet = true;
    } else {
      return usage_error("unknown argument " + arg);
    }
  }

  if (!static_dir.empty()) {
    std::error_code error;
    if (!std::filesystem::is_directory(static_dir, error))
      return usage_error("--static: " + static_dir + " is not a folder");
    // The web pages find their assets through this variable (web_static.h);
    // set before any thread starts.
    ::setenv("VIGIE_STATIC_DIR", static_dir.c_str(), 1);
  }

  vigie::http::ServerOptions options;
  try {
    if (config_path.empty() && std::filesystem::exists("config/vigie.json"))
      config_path = "config/vigie.json";
    if (!config_path.empty()) {
      options.config = vigie::load_config(config_path);
    } else if (const char* token = std::getenv("VIGIE_ADMIN_TOKEN"); token && *token) {
      options.config.server.admin_token = token;  // load_config does this when there is a file
    }
  } catch (const vigie::ConfigError& e) {
    std::cerr << "vigie-server: " << e.what() << "\n";
    return 2;
  }
  options.index_dir = db.empty() ? options.config.index.path : std::filesystem::path(db);
  // Without a config file, the search settings the index was built with
  // (index_setup.h): the same rankings as the CLI's on the same index.
  if (config_path.empty()) vigie::adopt_recorded_search(options.config.search, options.index_dir);
  try {
    // A stub of shards that cannot all be opened (a wrong line, a shard down
    // or of another layout): refuse to start, naming it (docs/admin-guide.md).
    vigie::Searcher(options.index_dir, options.config).check_shards();
  } catch (const vigie::IndexUnavailable& e) {
    std::cerr << "vigie-server: cannot serve the index " << options.index_dir.string() << ": "
              << e.what() << "\n";
    return 2;
  }
  options.bind = bind.empty() ? options.config.server.bind : bind;
  options.port = port >= 0 ? port : options.config.server.port;
  options.quiet = quiet;
  options.workers = workers;

  // Block the stop signals before any thread starts, so every Poco thread
  // inherits the mask and only sigwait() below sees them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  // A client that disconnects mid-answer must not kill the server.
  signal(SIGPIPE, SIG_IGN);

  vigie::http::HttpServer server(options);
  std::uint16_t bound = 0;
  try {
    bound = server.start();
  } catch (const Poco::Exception& e) {
    std::cerr << "vigie-server: cannot listen on " << options.bind << ":" << options.port << ": "
              << e.displayText() << "\n";
    return 1;
  }
  const bool ipv6 = options.bind.find(':') != std::string::npos;
  std::cout << "listening on http://" << (ipv6 ? "[" + options.bind + "]" : options.bind) << ":"
            << bound << std::endl;  // flushed: tests and supervisors wait for this line
  if (!quiet)
    std::cerr << "vigie-server: index " << options.index_dir.string() << ", "
              << options.config.server.max_connections << " connections, "
              << (options.config.server.max_connections_per_client > 0
                      ? "at most " +
                            std::to_string(options.config.server.max_connections_per_client) +
                            " connections per client address"
                      : std::string("no per-client connection cap"))
              << "\n";

  int received = 0;
  sigwait(&stop_signals, &received);
  if (!quiet)
    std::cerr << "vigie-server: " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", stopping\n";
  server.stop();
  return 0;
}
