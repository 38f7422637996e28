// Crash safety of the indexer (issue #6): the real vigie-index program is
// killed with SIGKILL at 24 seeded random moments of incremental and --full
// runs, while a real vigie-server serves the same index directory. After
// each kill the index opens and holds exactly the previous or the new state,
// the server answered every request during the run and after the kill with
// one of those two states (never an error, never a mix), and an
// uninterrupted rerun gives exactly the index of a run that was never killed.
//
// Moments: a time drawn within the measured length of an uninterrupted run
// (early ones land in the crawl and the first extractions), or a file-system
// event watched with inotify — the commit's first write to postlist.glass,
// the commit's new version file (v.tmp, before it is renamed to iamglass),
// the stub switch of --full (current.tmp) — plus a short random delay.
// The seed is printed; VIGIE_CRASH_SEED=N replays a run's moments.
#include <doctest/doctest.h>
#include <sys/inotify.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "index_state_support.h"
#include "vigie/index_directory.h"

namespace fs = std::filesystem;
using namespace vigie::test;
using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

namespace {

enum class Moment {
  Time,         // `delay` after the program starts
  Postings,     // `delay` after the commit first writes postlist.glass
  VersionFile,  // `delay` after the commit creates v.tmp (its tables are being synced)
  StubSwitch,   // `delay` after --full creates current.tmp (the generation switch)
};

const char* moment_name(Moment m) {
  switch (m) {
    case Moment::Time:
      return "time";
    case Moment::Postings:
      return "commit: postings";
    case Moment::VersionFile:
      return "commit: version file";
    case Moment::StubSwitch:
      return "generation switch";
  }
  return "?";
}

struct KillPlan {
  bool full = false;  // the killed run is --full
  Moment moment = Moment::Time;
  microseconds delay{0};
  bool full_rerun = false;  // the rerun after the kill
  std::string describe() const {
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f ms", static_cast<double>(delay.count()) / 1000.0);
    return std::string(full ? "--full" : "incremental") + ", " + moment_name(moment) + " + " + ms +
           ", rerun " + (full_rerun ? "--full" : "incremental");
  }
};

// Watches an index directory with inotify for the events a Moment waits for.
class IndexWatch {
 public:
  IndexWatch(const fs::path& db, const std::optional<fs::path>& live)
      : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    if (fd_ < 0) throw std::runtime_error("inotify_init1 failed");
    root_ = ::inotify_add_watch(fd_, db.c_str(), IN_CREATE | IN_MOVED_TO);
    if (live) ::inotify_add_watch(fd_, live->c_str(), IN_MODIFY | IN_CREATE);
  }
  ~IndexWatch() { ::close(fd_); }
  IndexWatch(const IndexWatch&) = delete;
  IndexWatch& operator=(const IndexWatch&) = delete;

  int fd() const { return fd_; }

  // Reads pending events; true when the one `moment` waits for has happened.
  bool happened(Moment moment, const fs::path& db) {
    alignas(inotify_event) char buffer[8192];
    bool hit = false;
    while (true) {
      const ssize_t n = ::read(fd_, buffer, sizeof buffer);
      if (n <= 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        const std::string name = event->len ? event->name : "";
        if (event->wd == root_) {
          // A --full run's new generation: watch inside it too.
          if ((event->mask & IN_ISDIR) && name.starts_with("gen-"))
            ::inotify_add_watch(fd_, (db / name).c_str(), IN_MODIFY | IN_CREATE);
          if (name == "current.tmp" && moment == Moment::StubSwitch) hit = true;
          continue;
        }
        if (name == "postlist.glass" && (event->mask & IN_MODIFY)) {
          postings_written_ = true;
          if (moment == Moment::Postings) hit = true;
        }
        // Glass also writes a version file when it creates a database: only
        // the one after postings were written belongs to the commit.
        if (name == "v.tmp" && (event->mask & IN_CREATE) && postings_written_ &&
            moment == Moment::VersionFile)
          hit = true;
      }
    }
    return hit;
  }

 private:
  int fd_;
  int root_ = -1;
  bool postings_written_ = false;
};

struct RunEnd {
  bool killed = false;  // SIGKILL landed while the program ran
  int exit_code = 0;    // when it ended by itself
  double seconds = 0;
};

// Runs vigie-index and, unless `plan` is empty, kills it with SIGKILL at the
// planned moment. Fails the test if the program does not end within 120 s.
RunEnd run_index(const std::vector<std::string>& args, const fs::path& db,
                 const std::optional<KillPlan>& plan, const fs::path& log) {
  IndexWatch watch(db, vigie::IndexDirectory(db).live_generation());
  std::error_code ignored;
  fs::remove(log, ignored);  // the log of this run only
  const auto started = Clock::now();
  const pid_t child = spawn_program(args, -1, log);
  std::optional<Clock::time_point> kill_at;
  if (plan && plan->moment == Moment::Time) kill_at = started + plan->delay;
  RunEnd end;
  int status = 0;
  while (true) {
    if (::waitpid(child, &status, WNOHANG) == child) break;
    const auto now = Clock::now();
    if (kill_at && now >= *kill_at) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      break;
    }
    if (now - started > std::chrono::seconds(120)) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      FAIL("vigie-index did not end within 120 s: " << read_file(log));
    }
    if (kill_at) {
      std::this_thread::sleep_until(std::min(*kill_at, now + std::chrono::milliseconds(2)));
      continue;
    }
    pollfd p{watch.fd(), POLLIN, 0};
    ::poll(&p, 1, 2);
    if (plan && watch.happened(plan->moment, db)) kill_at = Clock::now() + plan->delay;
  }
  end.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  end.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  end.exit_code =
      WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  return end;
}

// Asks the server for its view of the index, again and again, while a run
// goes on; keeps every distinct answer.
class ServerPoller {
 public:
  explicit ServerPoller(int port)
      : thread_([this, port] {
          while (!stop_) {
            std::string view = server_view(port);
            std::lock_guard lock(mutex_);
            ++requests_;
            seen_.insert(std::move(view));
          }
        }) {}
  ~ServerPoller() { finish(); }
  ServerPoller(const ServerPoller&) = delete;
  ServerPoller& operator=(const ServerPoller&) = delete;

  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  const std::set<std::string>& seen() const { return seen_; }
  std::size_t requests() const { return requests_; }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::set<std::string> seen_;
  std::size_t requests_ = 0;
  std::thread thread_;
};

std::uint64_t crash_seed() {
  if (const char* s = std::getenv("VIGIE_CRASH_SEED"); s && *s) return std::stoull(s);
  return std::random_device{}();
}

// The kill moments, balanced between incremental and --full runs and across
// the phases of a run, then shuffled.
std::vector<KillPlan> plan_kills(std::mt19937_64& random, double incremental_seconds,
                                 double full_seconds) {
  struct Kind {
    bool full;
    Moment moment;
    double from, to;  // fractions of the run (Time) or milliseconds after the event
    int count;
  };
  const std::array<Kind, 9> kinds = {{
      {false, Moment::Time, 0.0, 0.15, 3},     // start-up, crawl, first extractions
      {false, Moment::Time, 0.15, 1.0, 5},     // extraction and writing
      {false, Moment::Postings, 0, 3, 2},      // the commit writing postings
      {false, Moment::VersionFile, 0, 40, 2},  // the commit syncing tables, renaming its version
      {true, Moment::Time, 0.0, 0.15, 2},
      {true, Moment::Time, 0.15, 1.0, 3},
      {true, Moment::Postings, 0, 3, 2},
      {true, Moment::VersionFile, 0, 40, 2},
      {true, Moment::StubSwitch, 0, 4, 3},  // around the rename of current.tmp over current
  }};
  std::vector<KillPlan> plans;
  for (const Kind& kind : kinds) {
    for (int i = 0; i < kind.count; ++i) {
      KillPlan plan;
      plan.full = kind.full;
      plan.moment = kind.moment;
      const double x = std::uniform_real_distribution<double>(kind.from, kind.to)(random);
      const double run = kind.full ? full_seconds : incremental_seconds;
      plan.delay =
          microseconds(static_cast<long>(kind.moment == Moment::Time ? x * run * 1e6 : x * 1000));
      plan.full_rerun = random() % 2 == 0;
      plans.push_back(plan);
    }
  }
  std::shuffle(plans.begin(), plans.end(), random);
  return plans;
}

}  // namespace

TEST_CASE(
    "kill -9 at 24 random moments of incremental and --full runs: the server always answers the "
    "previous "
    "or the new state, and a rerun gives the index of an uninterrupted run") {
  const auto test_started = Clock::now();
  const std::uint64_t seed = crash_seed();
  std::mt19937_64 random(seed);
  MESSAGE("VIGIE_CRASH_SEED=" << seed << " reproduces these kill moments");
  std::cout << "indexer_crash_test: VIGIE_CRASH_SEED=" << seed << "\n";

  // Two states of one folder of real session minutes: B drops a file of A,
  // changes one, touches one and adds two. Small, so that 24 rounds of
  // two runs each fit in a minute or two under the sanitizers.
  const auto sessions = corpus_sessions(9, 13);
  auto name = [&](int i) { return sessions[static_cast<std::size_t>(i)].filename().string(); };
  std::map<std::string, fs::path> state_a, state_b;
  for (int i = 0; i < 6; ++i) state_a[name(i)] = sessions[static_cast<std::size_t>(i)];
  state_b = state_a;
  state_b.erase(name(0));
  state_b[name(1)] = sessions[6];
  state_b[name(7)] = sessions[7];
  state_b[name(8)] = sessions[8];
  const std::array<std::map<std::string, fs::path>, 2> states = {state_a, state_b};
  const std::set<std::string> touched_in_b = {name(2)};

  ScratchDir dir("vigie-crash");
  const fs::path root = dir.path() / "sessions";
  const fs::path db = dir.path() / "index";
  const fs::path log = dir.path() / "indexer.log";
  auto set_state = [&](int s) {
    make_folder(root, states[static_cast<std::size_t>(s)],
                s == 1 ? touched_in_b : std::set<std::string>{});
  };

  // Uninterrupted runs give the references: A (--full), B (incremental from
  // A, and --full elsewhere: the two must agree), then back to A (--full).
  set_state(0);
  REQUIRE(run_index(index_command(db, root, true), db, std::nullopt, log).exit_code == 0);
  std::array<IndexSnapshot, 2> reference;
  reference[0] = index_snapshot(db);
  REQUIRE(reference[0].size() > 20);

  ServerProcess server({"--config", shipped_config().string(), "--db", db.string(), "--quiet"},
                       dir.path() / "server.log");
  std::array<std::string, 2> view;
  view[0] = server_view(server.port());
  REQUIRE(view[0].rfind("error", 0) != 0);

  set_state(1);
  const fs::path reference_b = dir.path() / "reference-b";
  REQUIRE(
      run_index(index_command(reference_b, root, true), reference_b, std::nullopt, log).exit_code ==
      0);
  double incremental_seconds = 0, full_seconds = 0;
  {
    ServerPoller poller(server.port());  // measured as the rounds run: with the server busy
    const RunEnd end = run_index(index_command(db, root, false), db, std::nullopt, log);
    REQUIRE(end.exit_code == 0);
    incremental_seconds = end.seconds;
  }
  reference[1] = index_snapshot(db);
  REQUIRE(reference[1] == index_snapshot(reference_b));  // incremental A→B == --full B
  REQUIRE(reference[1] != reference[0]);
  view[1] = server_view(server.port());
  REQUIRE(view[1].rfind("error", 0) != 0);
  REQUIRE(view[1] != view[0]);
  set_state(0);
  {
    ServerPoller poller(server.port());
    const RunEnd end = run_index(index_command(db, root, true), db, std::nullopt, log);
    REQUIRE(end.exit_code == 0);
    full_seconds = end.seconds;
  }
  REQUIRE(index_snapshot(db) == reference[0]);
  REQUIRE(server_view(server.port()) == view[0]);
  std::cout << "indexer_crash_test: " << reference[0].size() << " and " << reference[1].size()
            << " documents; uninterrupted runs: incremental " << incremental_seconds
            << " s, --full " << full_seconds << " s\n";

  int state = 0, kills = 0, kept_previous = 0, requests = 0;
  auto plans = plan_kills(random, incremental_seconds, full_seconds);
  const std::size_t planned = plans.size();
  for (std::size_t round = 0; round < plans.size(); ++round) {
    const KillPlan plan = plans[round];
    const int next = 1 - state;
    INFO("round " << round << " (VIGIE_CRASH_SEED=" << seed << "): " << plan.describe()
                  << ", state " << (state ? "B" : "A") << " → " << (next ? "B" : "A"));
    set_state(next);

    ServerPoller poller(server.port());
    const RunEnd end = run_index(index_command(db, root, plan.full), db, plan, log);
    const std::string after_kill_view = server_view(server.port());
    poller.finish();
    requests += static_cast<int>(poller.requests()) + 1;
    if (!end.killed) CHECK_MESSAGE(end.exit_code == 0, read_file(log));
    kills += end.killed;
    // The run ended before the kill (runs vary with the machine's load): try
    // the same kind of run again, within the length this one just took.
    if (!end.killed && plans.size() < planned + 8) {
      KillPlan again = plan;
      again.moment = Moment::Time;
      again.delay = microseconds(static_cast<long>(
          std::uniform_real_distribution<double>(0.1, 0.9)(random) * end.seconds * 1e6));
      plans.push_back(again);
    }

    // Whatever the moment, what is live opens and is one of the two states.
    REQUIRE(vigie::IndexDirectory(db).exists());
    std::string after_kill;
    try {
      after_kill = which_state(index_snapshot(db), reference[state], reference[next]);
    } catch (const std::exception& e) {
      after_kill = std::string("unreadable: ") + e.what();
    }
    CHECK_MESSAGE((after_kill == "previous" || after_kill == "new"),
                  "after the kill the index holds " << after_kill);
    if (end.killed) kept_previous += after_kill == "previous";
    if (!end.killed) CHECK(after_kill == "new");
    CHECK(get(server.port(), "/health").status == 200);
    CHECK_MESSAGE(after_kill_view == (after_kill == "new" ? view[next] : view[state]),
                  "the server, after the kill: " << after_kill_view.substr(0, 300));
    for (const auto& seen : poller.seen())
      CHECK_MESSAGE((seen == view[state] || seen == view[next]),
                    "the server, during the run: " << seen.substr(0, 300));

    // An uninterrupted rerun gives the index of a run that was never killed.
    const RunEnd rerun = run_index(index_command(db, root, plan.full_rerun), db, std::nullopt, log);
    REQUIRE_MESSAGE(rerun.exit_code == 0, read_file(log));
    CHECK(index_snapshot(db) == reference[next]);
    CHECK(server_view(server.port()) == view[next]);

    std::printf("indexer_crash_test: round %2zu  %-70s  %s after %.3f s: %s\n", round,
                plan.describe().c_str(), end.killed ? "killed" : "ended", end.seconds,
                end.killed ? after_kill.c_str() : "-");
    std::fflush(stdout);
    state = next;
  }

  // A kill that came after the run had ended tested nothing: most must land.
  CHECK(kills >= static_cast<int>(planned) - 2);  // at least 22 of the 24 planned
  const std::string server_log = server.log();
  CHECK_MESSAGE(server_log.find(" ERROR ") == std::string::npos,
                "the server logged an internal error");
  CHECK(server_log.find("AddressSanitizer") == std::string::npos);
  CHECK(server_log.find("runtime error") == std::string::npos);
  const double seconds = std::chrono::duration<double>(Clock::now() - test_started).count();
  std::cout << "indexer_crash_test: " << kills << " kills in " << plans.size() << " rounds ("
            << kept_previous << " left the previous state, " << kills - kept_previous
            << " the new one); " << requests << " server answers checked; " << seconds << " s\n";
}
