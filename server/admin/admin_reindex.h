// ReindexRunner: runs the vigie-index program as a child process for
// POST /api/admin/reindex — the server never parses documents itself — one
// run at a time, and remembers the last run (exit code, report JSON, the
// tail of its output) for GET /api/admin/reindex.
//
// The child gets --config/--db, --quiet, --report <index dir>/reindex-report.json,
// [--full] and the configured roots; its stdout+stderr go through a pipe
// read by a watcher thread (so a chatty child never blocks on a full pipe).
// Poco::Process::launch closes the server's other descriptors in the child,
// so the listening socket does not leak into it.
// Thread-safe. On destruction a running child is asked to stop (SIGINT) and
// waited for: the indexer's writes are transactional, an interrupted run
// leaves the live generation as it was.
#pragma once

#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace vigie::http {

struct ReindexStatus {
  bool running = false;
  unsigned runs = 0;  // started since the server started
  bool full = false;
  std::string started_at, finished_at;  // ISO 8601 UTC, empty when not applicable
  std::optional<int> exit_code;         // of the last finished run
  std::string report_json;              // the indexer's --report file, when valid JSON
  std::string output_tail;              // last few kB of the child's output
  std::string error;                    // could not start the program, ...
};

class ReindexRunner {
 public:
  // `args` are everything but --full; `report_file` is where --report points.
  ReindexRunner(std::filesystem::path program, std::vector<std::string> args,
                std::filesystem::path report_file);
  ~ReindexRunner();
  ReindexRunner(const ReindexRunner&) = delete;
  ReindexRunner& operator=(const ReindexRunner&) = delete;

  // False when a run is already going on. Throws std::runtime_error when the
  // program cannot be launched (the error is also kept in the status).
  bool start(bool full);
  ReindexStatus status() const;
  const std::filesystem::path& program() const { return program_; }

  // VIGIE_INDEX_PROGRAM, else vigie-index next to this server in a build
  // tree (../indexer/vigie-index) or an install (same folder), else the
  // first vigie-index on PATH; else plain "vigie-index" (launch will fail
  // with a clear error).
  static std::filesystem::path find_program();

 private:
  const std::filesystem::path program_;
  const std::vector<std::string> args_;
  const std::filesystem::path report_file_;
  mutable std::mutex mutex_;
  ReindexStatus status_;
  long pid_ = 0;
  std::thread watcher_;
};

}  // namespace vigie::http
