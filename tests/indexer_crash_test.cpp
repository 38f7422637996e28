// Crash safety of the indexer: the vigie-index program is killed with SIGKILL
// at random moments of incremental and --full runs; what is live must open
// and answer, and a rerun must give the index of an uninterrupted run.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "index_run.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/document_data.h"
#include "vigie/index_directory.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

vigie::IndexReport index(const fs::path& db, std::vector<vigie::IndexRoot> roots, bool full = false) {
  vigie::IndexOptions options;
  options.db = db;
  options.roots = std::move(roots);
  options.full = full;
  options.threads = 2;
  return vigie::run_index(shipped_config(), options);
}

Xapian::Database open(const fs::path& db) { return Xapian::Database((db / "current").string()); }

// Every document's id and text: equal snapshots, equal indexes.
std::map<std::string, std::string> snapshot(const Xapian::Database& db) {
  std::map<std::string, std::string> out;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    auto data = vigie::decode_document_data(db.get_document(*it).get_data());
    out[data.id] = data.title + "\n" + data.date.iso() + "\n" + data.body;
  }
  return out;
}

fs::path vigie_index_program() { return vigie::test::binary_dir() / "indexer" / "vigie-index"; }

}  // namespace

TEST_CASE("kill -9 at random moments, then a rerun, gives the index of an uninterrupted run") {
  ScratchDir dir;
  // 40 real session files: long enough to be killed mid-run, short enough
  // for 6 rounds under the sanitizers.
  const fs::path root = dir.path() / "sessions";
  fs::create_directories(root);
  std::vector<fs::path> sessions;
  for (const auto& entry : fs::directory_iterator(vigie::test::shared_corpus() / "chemere" / "pv-json"))
    if (entry.path().extension() == ".json") sessions.push_back(entry.path());
  std::sort(sessions.begin(), sessions.end());
  sessions.resize(std::min<std::size_t>(sessions.size(), 40));
  for (const auto& s : sessions) fs::copy_file(s, root / s.filename());
  const fs::path reference = dir.path() / "reference";
  index(reference, {{"", root}}, true);
  const auto expected = snapshot(open(reference));

  const std::string program = vigie_index_program().string();
  std::mt19937 random(20261128);
  for (int round = 0; round < 6; ++round) {
    CAPTURE(round);
    const fs::path db = dir.path() / ("killed-" + std::to_string(round));
    const bool full_rerun = round % 2 == 1;
    // A first complete run for the --full rounds, so that the kill hits a rebuild.
    if (full_rerun) index(db, {{"", root}}, true);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      if (full_rerun) {
        ::execl(program.c_str(), program.c_str(), "--quiet", "--full", "--threads", "2", "--db", db.c_str(),
                root.c_str(), nullptr);
      } else {
        ::execl(program.c_str(), program.c_str(), "--quiet", "--threads", "2", "--db", db.c_str(), root.c_str(),
                nullptr);
      }
      ::_exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(30 + random() % 800));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);

    // Whatever the moment, what is live opens and answers.
    if (vigie::IndexDirectory(db).exists()) {
      auto db_after_kill = open(db);
      CHECK_NOTHROW(snapshot(db_after_kill));
      if (full_rerun) CHECK(snapshot(db_after_kill) == expected);  // the old generation still serves
    }
    index(db, {{"", root}});
    CHECK(snapshot(open(db)) == expected);
  }
}
