// WriteFailureGuard (indexer/pipeline/write_failure_guard.h): a Xapian write failure
// that reaches std::terminate() — as one thrown by Xapian 1.4's value-chunk
// writer from its destructor does when the disk is full — is reported like
// any write failure (message, exit status 1, a --full run's unfinished
// generation removed); anything else still aborts. Each case runs in a
// forked child, since the process ends. (indexer_disk_full_test drives the
// real thing: a --full run under a file size limit.)
#include "pipeline/write_failure_guard.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <functional>
#include <stdexcept>

#include "test_support.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

struct ChildEnd {
  int exit_code = -1;  // -1 when killed by a signal
  int signal = 0;
  std::string stderr_text;
};

// Runs `body` in a child whose stderr goes to a file.
ChildEnd run_child(const fs::path& stderr_file, const std::function<void()>& body) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (!std::freopen(stderr_file.c_str(), "w", stderr)) _exit(99);
    std::signal(SIGABRT,
                SIG_DFL);  // not doctest's handler: it would report the child's abort as a crash
    body();
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  ChildEnd end;
  if (WIFEXITED(status)) end.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) end.signal = WTERMSIG(status);
  end.stderr_text = vigie::test::read_file(stderr_file);
  return end;
}

// An index folder with a live gen-000001 and an unfinished gen-000002.
vigie::IndexDirectory make_index(const fs::path& root) {
  fs::create_directories(root);
  for (const char* gen : {"gen-000001", "gen-000002"}) {
    Xapian::WritableDatabase db((root / gen).string(), Xapian::DB_CREATE);
    db.commit();
  }
  vigie::IndexDirectory directory(root);
  directory.switch_to(root / "gen-000001");
  return directory;
}

[[noreturn]] void throw_through_noexcept(const std::function<void()>& thrower) {
  // What a destructor that throws amounts to: the exception meets noexcept.
  [&]() noexcept { thrower(); }();
  std::abort();
}

// What glass's cleanup code does when a second write fails while the
// first failure unwinds: std::terminate() called directly from a destructor,
// errno as the failed write left it, no exception the handler could look at.
struct TerminatesWhileUnwinding {
  int write_errno;
  ~TerminatesWhileUnwinding() {
    errno = write_errno;
    std::terminate();
  }
};

[[noreturn]] void fail_twice(int write_errno) {
  TerminatesWhileUnwinding second{write_errno};
  throw Xapian::DatabaseError("Error writing block 7", write_errno);
}

}  // namespace

TEST_CASE(
    "a second write failure while the first unwinds is reported from errno, and the unfinished "
    "generation removed") {
  ScratchDir dir("vigie-write-guard");
  const auto directory = make_index(dir.path() / "index");
  const ChildEnd end = run_child(dir.path() / "stderr", [&] {
    vigie::WriteFailureGuard guard(directory, dir.path() / "index" / "gen-000002", true);
    fail_twice(ENOSPC);
  });
  CHECK(end.exit_code == 1);
  CHECK(end.stderr_text.find(
            "a write failed (No space left on device) while Xapian was undoing an earlier one") !=
        std::string::npos);
  CHECK(end.stderr_text.find("the disk is full or a file size limit was reached") !=
        std::string::npos);
  CHECK(
      end.stderr_text.find("gen-000001 still serves, and the unfinished gen-000002 was removed") !=
      std::string::npos);
  CHECK(directory.generations() == std::vector<fs::path>{dir.path() / "index" / "gen-000001"});
}

TEST_CASE("a terminate() while unwinding with no write error in errno still aborts") {
  ScratchDir dir("vigie-write-guard");
  const auto directory = make_index(dir.path() / "index");
  const ChildEnd end = run_child(dir.path() / "stderr", [&] {
    vigie::WriteFailureGuard guard(directory, dir.path() / "index" / "gen-000002", true);
    fail_twice(ENOENT);
  });
  CHECK(end.signal == SIGABRT);
  CHECK(directory.generations().size() == 2);
}

TEST_CASE(
    "a Xapian write failure that terminates a --full run is reported, and its unfinished "
    "generation removed") {
  ScratchDir dir("vigie-write-guard");
  const auto directory = make_index(dir.path() / "index");
  const ChildEnd end = run_child(dir.path() / "stderr", [&] {
    vigie::WriteFailureGuard guard(directory, dir.path() / "index" / "gen-000002", true);
    throw_through_noexcept([] { throw Xapian::DatabaseError("Error writing block 12", ENOSPC); });
  });
  CHECK(end.exit_code == 1);
  CHECK(end.stderr_text.find("the disk is full or a file size limit was reached") !=
        std::string::npos);
  CHECK(
      end.stderr_text.find("gen-000001 still serves, and the unfinished gen-000002 was removed") !=
      std::string::npos);
  CHECK(directory.generations() == std::vector<fs::path>{dir.path() / "index" / "gen-000001"});
}

TEST_CASE("an incremental run's terminating write failure says the last commit still serves") {
  ScratchDir dir("vigie-write-guard");
  const auto directory = make_index(dir.path() / "index");
  const ChildEnd end = run_child(dir.path() / "stderr", [&] {
    vigie::WriteFailureGuard guard(directory, dir.path() / "index" / "gen-000001", false);
    throw_through_noexcept([] { throw Xapian::DatabaseError("Error writing block 3", EFBIG); });
  });
  CHECK(end.exit_code == 1);
  CHECK(end.stderr_text.find("The last committed state of gen-000001 is intact") !=
        std::string::npos);
  CHECK(directory.generations().size() == 2);  // nothing removed
}

TEST_CASE("other terminations still abort, guarded or not") {
  ScratchDir dir("vigie-write-guard");
  const auto directory = make_index(dir.path() / "index");
  const ChildEnd guarded = run_child(dir.path() / "stderr", [&] {
    vigie::WriteFailureGuard guard(directory, dir.path() / "index" / "gen-000002", true);
    throw_through_noexcept([] { throw std::logic_error("a bug"); });
  });
  CHECK(guarded.signal == SIGABRT);
  CHECK(directory.generations().size() == 2);
  const ChildEnd after = run_child(dir.path() / "stderr", [&] {
    { vigie::WriteFailureGuard guard(directory, dir.path() / "index" / "gen-000002", true); }
    throw_through_noexcept([] { throw Xapian::DatabaseError("Error writing block 1", ENOSPC); });
  });
  CHECK(after.signal == SIGABRT);  // the guard is gone: the runtime's handler
  CHECK(directory.generations().size() == 2);
}
