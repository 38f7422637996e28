// Disk full during a commit (issue #6): the real vigie-index program runs out
// of room while writing, incrementally and with --full. It must exit non-zero
// saying what happened; the index must still open and the running
// vigie-server must keep answering with the old state; a failed --full must
// leave `current` on the old generation and remove the half-built one; once
// there is room again, a rerun gives the index of an uninterrupted run.
//
// Two ways to fill the disk, one per row:
// - a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored): writes past it fail
//   with EFBIG. Needs no privilege, so it always runs.
// - a small tmpfs holding the index: writes fail with ENOSPC, as on a real
//   full disk. Mounting needs root (CAP_SYS_ADMIN); without it the rows are
//   skipped with a message.
#include <doctest/doctest.h>
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "index_state_support.h"
#include "vigie/index_directory.h"

namespace fs = std::filesystem;
using namespace vigie::test;

namespace {

enum class Filler { FileSizeLimit, SmallTmpfs };

// An environment variable set for the scope (children inherit it), then restored.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

struct DiskFullRow {
  const char* name;
  Filler filler;
  bool full;                 // the run that fails is --full
  const char* system_error;  // what the OS says, in the message
};

const std::array<DiskFullRow, 4> kRows = {{
    {"file size limit, incremental run", Filler::FileSizeLimit, false, "File too large"},
    {"file size limit, --full run", Filler::FileSizeLimit, true, "File too large"},
    {"full tmpfs, incremental run", Filler::SmallTmpfs, false, "No space left on device"},
    {"full tmpfs, --full run", Filler::SmallTmpfs, true, "No space left on device"},
}};

// A tmpfs mounted for the life of this object (detached on destruction, so
// the scratch directory can be removed even if a process still holds it).
class TmpfsMount {
 public:
  explicit TmpfsMount(const fs::path& where) : where_(where) {
    fs::create_directories(where_);
    mounted_ = ::mount("tmpfs", where_.c_str(), "tmpfs", 0, "size=64m,mode=0755") == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~TmpfsMount() {
    if (mounted_) ::umount2(where_.c_str(), MNT_DETACH);
  }
  TmpfsMount(const TmpfsMount&) = delete;
  TmpfsMount& operator=(const TmpfsMount&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  std::uint64_t used_bytes() const {
    struct statvfs s {};
    ::statvfs(where_.c_str(), &s);
    return (s.f_blocks - s.f_bfree) * s.f_frsize;
  }
  // Changes the size (the contents stay); false if the kernel refuses.
  bool resize(std::uint64_t bytes) {
    const std::string options = "size=" + std::to_string(bytes);
    return ::mount("tmpfs", where_.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
  }

 private:
  fs::path where_;
  bool mounted_ = false;
  std::string error_;
};

std::uint64_t largest_file(const fs::path& dir) {
  std::uint64_t largest = 0;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file()) largest = std::max<std::uint64_t>(largest, entry.file_size());
  return largest;
}

// The Vigie ids of a server view ("id\ttitle\tdate" lines).
std::set<std::string> view_ids(const std::string& view) {
  std::set<std::string> ids;
  std::istringstream lines(view);
  std::string line;
  while (std::getline(lines, line)) ids.insert(line.substr(0, line.find('\t')));
  return ids;
}

std::set<std::string> snapshot_ids(const IndexSnapshot& snapshot) {
  std::set<std::string> ids;
  for (const auto& [id_term, doc] : snapshot)
    ids.insert(id_term.substr(vigie::schema::kIdPrefix.size()));
  return ids;
}

// A search answer without its timing: status, total and the ids in rank order.
std::string search_answer(int port, const std::string& target) {
  const HttpReply reply = get(port, target);
  if (reply.status != 200)
    return "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300);
  const rapidjson::Document json = parse_json(reply.body);
  std::string answer = "total " + std::to_string(json["total"].GetUint64()) + ":";
  for (const auto& hit : json["hits"].GetArray())
    answer += std::string(" ") + hit["id"].GetString();
  return answer;
}

}  // namespace

TEST_CASE(
    "disk full during a commit: reported, the old state keeps serving, and a rerun with room "
    "recovers") {
  // State A: 4 sessions; state B: A and 8 more, so B's index outgrows A's.
  const auto sessions = corpus_sessions(12, 9);
  std::map<std::string, fs::path> state_a, state_b;
  for (std::size_t i = 0; i < sessions.size(); ++i) {
    (i < 4 ? state_a : state_b)[sessions[i].filename().string()] = sessions[i];
  }
  state_b.insert(state_a.begin(), state_a.end());

  ScratchDir reference_dir("vigie-disk-full-ref");
  make_folder(reference_dir.path() / "sessions", state_b);
  const fs::path reference_db = reference_dir.path() / "index";
  REQUIRE(run_program(index_command(reference_db, reference_dir.path() / "sessions", true),
                      reference_dir.path() / "indexer.log")
              .exit_code == 0);
  const IndexSnapshot reference_b = index_snapshot(reference_db);

  for (const DiskFullRow& row : kRows) {
    const std::string row_name = row.name;  // a string: CAPTURE prints a char pointer as an address
    CAPTURE(row_name);
    ScratchDir dir("vigie-disk-full");
    const fs::path root = dir.path() / "sessions";
    const fs::path log = dir.path() / "indexer.log";
    std::optional<TmpfsMount> tmpfs;
    fs::path db = dir.path() / "index";
    if (row.filler == Filler::SmallTmpfs) {
      tmpfs.emplace(dir.path() / "small-disk");
      if (!tmpfs->mounted()) {
        MESSAGE("skipped \"" << row.name << "\": cannot mount a tmpfs (" << tmpfs->error()
                             << "; needs root) — the file size limit rows cover the same paths");
        continue;
      }
      db = dir.path() / "small-disk" / "index";
    }

    // The old state, committed, served.
    make_folder(root, state_a);
    const ProgramEnd first = run_program(index_command(db, root, true), log);
    REQUIRE_MESSAGE(first.exit_code == 0, first.log);
    const IndexSnapshot before = index_snapshot(db);
    const vigie::IndexDirectory directory(db);
    const fs::path live = *directory.live_generation();
    ServerProcess server({"--config", shipped_config().string(), "--db", db.string(), "--quiet"},
                         dir.path() / "server.log");
    const std::string served_before = server_view(server.port());
    REQUIRE(served_before.rfind("error", 0) != 0);
    const std::string search = "/api/search?q=conseil+municipal&limit=5&facets=0&extracts=0";
    const std::string search_before = search_answer(server.port(), search);
    REQUIRE(search_before.rfind("total", 0) == 0);

    // The disk fills up during the run that indexes B.
    make_folder(root, state_b);
    rlim_t file_size_limit = 0;
    if (row.filler == Filler::FileSizeLimit) {
      // Incremental: no table may grow past the largest one of A; --full:
      // the new generation gets half of that.
      file_size_limit = static_cast<rlim_t>(largest_file(live) / (row.full ? 2 : 1));
    } else {
      REQUIRE(tmpfs->resize(tmpfs->used_bytes() + (256u << 10)));
    }
    const ProgramEnd failed = [&] {
      // Xapian's own leak on this error path, and only on this run
      // (tests/lsan-xapian-write-failure.supp says which).
      const ScopedEnv lsan(
          "LSAN_OPTIONS",
          "suppressions=" + (source_dir() / "tests" / "lsan-xapian-write-failure.supp").string());
      return run_program(index_command(db, root, row.full), log, file_size_limit);
    }();
    INFO("vigie-index said: " << failed.log);
    CHECK(failed.exit_code == 1);
    CHECK(failed.log.find(row.system_error) != std::string::npos);
    CHECK(failed.log.find("the disk is full or a file size limit was reached") !=
          std::string::npos);
    CHECK(failed.log.find("AddressSanitizer") == std::string::npos);

    // The old state is intact and still served; a failed --full switched
    // nothing and left no half-built generation behind.
    CHECK(directory.live_generation() == live);
    CHECK(directory.generations() == std::vector<fs::path>{live});
    CHECK(!fs::exists(db / "current.tmp"));
    CHECK(index_snapshot(db) == before);
    CHECK(get(server.port(), "/health").status == 200);
    CHECK(server_view(server.port()) == served_before);
    CHECK(search_answer(server.port(), search) == search_before);

    // Room again: the same run completes and gives the uninterrupted index.
    if (tmpfs) REQUIRE(tmpfs->resize(64u << 20));
    const ProgramEnd rerun = run_program(index_command(db, root, row.full), log);
    CHECK_MESSAGE(rerun.exit_code == 0, rerun.log);
    const IndexSnapshot after = index_snapshot(db);
    CHECK_MESSAGE(after == reference_b, first_difference(after, reference_b));
    const std::string served_after = server_view(server.port());
    CHECK(view_ids(served_after) == snapshot_ids(reference_b));
    const std::string server_log = server.log();
    CHECK_MESSAGE(server_log.find(" ERROR ") == std::string::npos, server_log);
    CHECK(server_log.find("AddressSanitizer") == std::string::npos);
  }
}
