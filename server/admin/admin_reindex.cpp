#include "admin/admin_reindex.h"

#include <Poco/Exception.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace vigie::http {
namespace {

constexpr std::size_t kOutputTail = 8 * 1024;

std::string now_iso() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

bool executable(const std::filesystem::path& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// The report if it is a JSON document; empty otherwise (missing after a
// failed run, or cut short).
std::string read_report(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  return doc.HasParseError() ? std::string() : text.str();
}

}  // namespace

ReindexRunner::ReindexRunner(std::filesystem::path program, std::vector<std::string> args,
                             std::filesystem::path report_file)
    : program_(std::move(program)), args_(std::move(args)), report_file_(std::move(report_file)) {}

ReindexRunner::~ReindexRunner() {
  {
    std::lock_guard lock(mutex_);
    if (status_.running && pid_ > 0) {
      try {
        Poco::Process::requestTermination(static_cast<Poco::Process::PID>(pid_));
      } catch (const Poco::Exception&) {
        // Already gone: the watcher is about to notice.
      }
    }
  }
  if (watcher_.joinable()) watcher_.join();
}

bool ReindexRunner::start(bool full) {
  std::lock_guard lock(mutex_);
  if (status_.running) return false;
  if (watcher_.joinable()) watcher_.join();  // the previous run is over (running == false)

  std::vector<std::string> args = args_;
  if (full) args.insert(args.begin(), "--full");
  std::error_code ignored;
  std::filesystem::remove(report_file_, ignored);  // a stale report must not pass for this run's

  const unsigned runs = status_.runs;
  status_ = ReindexStatus{};
  status_.runs = runs + 1;
  status_.full = full;
  status_.started_at = now_iso();
  if (program_.has_parent_path() && !executable(program_)) {
    status_.error = "the indexer program " + program_.string() + " is missing or not executable";
    status_.finished_at = status_.started_at;
    throw std::runtime_error(status_.error);
  }

  Poco::Pipe output;
  std::optional<Poco::ProcessHandle> launched;
  try {
    // The same pipe for stdout and stderr: one reader, output in order.
    launched.emplace(Poco::Process::launch(program_.string(), args, nullptr, &output, &output));
  } catch (const Poco::Exception& e) {
    status_.error = "cannot start " + program_.string() + ": " + e.displayText();
    status_.finished_at = status_.started_at;
    throw std::runtime_error(status_.error);
  }
  status_.running = true;
  Poco::ProcessHandle handle = *launched;
  pid_ = handle.id();
  watcher_ = std::thread([this, handle, output]() mutable {
    std::string tail;
    {
      Poco::PipeInputStream in(output);
      char buffer[4096];
      while (true) {
        in.read(buffer, sizeof buffer);
        if (in.gcount() > 0) tail.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (tail.size() > kOutputTail) tail.erase(0, tail.size() - kOutputTail);
        if (!in) break;
      }
    }
    int code = -1;
    try {
      code = Poco::Process::wait(handle);
    } catch (const Poco::Exception& e) {
      tail += "\n(wait failed: " + e.displayText() + ")";
    }
    std::string report = read_report(report_file_);
    std::lock_guard lock(mutex_);
    status_.exit_code = code;
    status_.finished_at = now_iso();
    status_.report_json = std::move(report);
    status_.output_tail = std::move(tail);
    pid_ = 0;
    status_.running = false;  // last: start() joins this thread once it reads false
  });
  return true;
}

ReindexStatus ReindexRunner::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::filesystem::path ReindexRunner::find_program() {
  if (const char* env = std::getenv("VIGIE_INDEX_PROGRAM"); env && *env) return env;
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (const auto& candidate : {self.parent_path() / ".." / "indexer" / "vigie-index",
                                  self.parent_path() / "vigie-index"})
      if (executable(candidate)) return std::filesystem::weakly_canonical(candidate, ec);
  }
  if (const char* path = std::getenv("PATH")) {
    std::string_view dirs = path;
    while (!dirs.empty()) {
      const auto colon = dirs.find(':');
      const std::string dir(dirs.substr(0, colon));
      if (!dir.empty() && executable(std::filesystem::path(dir) / "vigie-index"))
        return std::filesystem::path(dir) / "vigie-index";
      if (colon == std::string_view::npos) break;
      dirs.remove_prefix(colon + 1);
    }
  }
  return "vigie-index";
}

}  // namespace vigie::http
