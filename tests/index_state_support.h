// What a reader sees of an index, for the crash-safety and disk-full tests
// (header-only, like server_test_support.h: each *_test.cpp is built with
// test_support.cpp only).
// - index_snapshot(): every document of the live generation, by Vigie id,
//   with its data, terms and values — two equal snapshots are the same
//   index, whatever Xapian docids the documents got. The data is compared as
//   JSON: an incremental run compresses with the dictionary of the --full run
//   before it, a --full run trains its own (data_dictionary.h); so are the
//   position streams, read back as (position, word) with their vocabulary
//   (position_stream.h).
// - server_view(): what a running vigie-server answers about every document
//   (one export request: one Searcher, one state).
// - make_folder(): puts a folder of real session minutes into a given state,
//   so each indexer run has something to add, change, touch and delete.
// - run_program(): vigie-index as a child, optionally under a file size
//   limit (RLIMIT_FSIZE) — a disk that fills up, without root.
#pragma once

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "index/data_dictionary.h"
#include "index/position_stream.h"
#include "index/schema.h"
#include "index/stream_store.h"
#include "server_test_support.h"
#include "test_support.h"
#include "vigie/index_directory.h"

namespace vigie::test {

// Vigie id → the document's data, terms (with wdf) and values. The
// fingerprint value holds the file's mtime, which differs from one copy of
// the corpus to the next, so it is left out.
using IndexSnapshot = std::map<std::string, std::string>;

inline IndexSnapshot index_snapshot(const std::filesystem::path& db) {
  Xapian::Database database((db / "current").string());
  IndexSnapshot out;
  const auto dictionary = DataDictionary::load(database);
  const auto vocabulary = StreamVocabulary::load(database);
  const auto generation = IndexDirectory(db).live_generation();
  const auto store = generation ? StreamStore::open_generation(database, *generation) : nullptr;
  DocumentStreams streams(database, store.get());
  for (auto it = database.postlist_begin(""); it != database.postlist_end(""); ++it) {
    const Xapian::Document doc = database.get_document(*it);
    const std::string data = stored_data_json(stored_data_of(doc), dictionary.get());
    if (data.empty()) throw std::runtime_error("a document whose data cannot be read");
    std::string id, seen = data + "\n--terms\n";
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      const std::string term = *t;
      if (term.starts_with(schema::kIdPrefix)) id = term;
      seen += term + " " + std::to_string(t.get_wdf()) + "\n";
    }
    seen += "--values\n";
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v) {
      // The data is compared above as JSON: its stored bytes depend on the
      // generation's dictionary.
      if (v.get_valueno() == schema::kSlotFingerprint || v.get_valueno() == schema::kSlotData)
        continue;
      if (v.get_valueno() == schema::kSlotPositions) continue;  // below, as searches read it
      seen += std::to_string(v.get_valueno()) + " " + *v + "\n";
    }
    // The value, else the generation's stream file (stream_store.h).
    const std::string_view bytes = streams.stream(*it);
    if (!bytes.empty()) {
      const auto stream = read_position_stream(bytes, vocabulary);
      if (!stream) throw std::runtime_error("a document whose position stream cannot be read");
      seen += "positions title_end " + std::to_string(stream->title_end);
      for (const auto& [position, word] : stream->tokens)
        seen += " " + std::to_string(position) + ":" + word;
      seen += "\n";
    }
    if (id.empty()) throw std::runtime_error("a document without an id term");
    if (!out.emplace(id, std::move(seen)).second)
      throw std::runtime_error("two documents with the id term " + id);
  }
  if (out.size() != database.get_doccount())
    throw std::runtime_error("doccount disagrees with the postlist");
  return out;
}

// Where two snapshots first differ, for failure messages ("" when equal).
inline std::string first_difference(const IndexSnapshot& a, const IndexSnapshot& b) {
  for (const auto& [id, doc] : a) {
    auto other = b.find(id);
    if (other == b.end())
      return id + " only in the first (" + std::to_string(a.size()) + " vs " +
             std::to_string(b.size()) + " documents)";
    if (other->second == doc) continue;
    std::istringstream x(doc), y(other->second);
    std::string line_x, line_y;
    while (std::getline(x, line_x) && std::getline(y, line_y))
      if (line_x != line_y) break;
    return id + " differs: «" + line_x.substr(0, 200) + "» vs «" + line_y.substr(0, 200) + "»";
  }
  for (const auto& [id, doc] : b)
    if (!a.count(id)) return id + " only in the second";
  return "";
}

// "previous", "new", or what is wrong with `seen`.
inline std::string which_state(const IndexSnapshot& seen, const IndexSnapshot& previous,
                               const IndexSnapshot& next) {
  if (seen == previous) return "previous";
  if (seen == next) return "new";
  std::size_t from_previous = 0, from_next = 0;
  for (const auto& [id, doc] : seen) {
    auto p = previous.find(id);
    auto n = next.find(id);
    from_previous += p != previous.end() && p->second == doc;
    from_next += n != next.end() && n->second == doc;
  }
  return "a mix: " + std::to_string(seen.size()) + " documents, " + std::to_string(from_previous) +
         " as in the previous state (" + std::to_string(previous.size()) + "), " +
         std::to_string(from_next) + " as in the new one (" + std::to_string(next.size()) + ")";
}

// Every document as vigie-server lists it (id, title, date), sorted, from one
// /api/export request; on anything but a 200 with X-Vigie-Total rows, a text
// starting with "error" that names what went wrong (never equal to a view).
inline std::string server_view(int port) {
  HttpReply reply;
  try {
    reply = get(port, "/api/export?format=jsonl");
  } catch (const std::exception& e) {
    return std::string("error: no answer: ") + e.what();
  }
  if (reply.status != 200)
    return "error: HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, 300);
  std::vector<std::string> rows;
  std::istringstream lines(reply.body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    rapidjson::Document hit;
    hit.Parse(line.c_str(), line.size());
    if (hit.HasParseError() || !hit.IsObject() || !hit.HasMember("id") || !hit.HasMember("title"))
      return "error: bad export line: " + line.substr(0, 300);
    rows.push_back(
        std::string(hit["id"].GetString()) + "\t" + hit["title"].GetString() + "\t" +
        (hit.HasMember("date") && hit["date"].IsString() ? hit["date"].GetString() : ""));
  }
  if (reply.header("x-vigie-total") != std::to_string(rows.size()))
    return "error: X-Vigie-Total " + reply.header("x-vigie-total") + " but " +
           std::to_string(rows.size()) + " rows";
  std::sort(rows.begin(), rows.end());
  std::string view;
  for (const auto& r : rows) view += r + "\n";
  return view;
}

// The real session minutes of the shared corpus (JSON), every `stride`-th by
// name, so that short and long sessions mix.
inline std::vector<std::filesystem::path> corpus_sessions(std::size_t count, std::size_t stride) {
  std::vector<std::filesystem::path> all;
  for (const auto& entry :
       std::filesystem::directory_iterator(shared_corpus() / "chemere" / "pv-json"))
    if (entry.path().extension() == ".json") all.push_back(entry.path());
  std::sort(all.begin(), all.end());
  std::vector<std::filesystem::path> out;
  for (std::size_t i = 0; i < all.size() && out.size() < count; i += stride) out.push_back(all[i]);
  if (out.size() < count) throw std::runtime_error("the shared corpus has too few session files");
  return out;
}

// Makes `folder` hold exactly `files` (name → file whose bytes it gets):
// others are removed, a file is rewritten only when its bytes differ, and
// the names in `touch` are rewritten with the same bytes (a new mtime, the
// same content: the indexer's "touched, not changed" path).
inline void make_folder(const std::filesystem::path& folder,
                        const std::map<std::string, std::filesystem::path>& files,
                        const std::set<std::string>& touch = {}) {
  std::filesystem::create_directories(folder);
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (!files.count(entry.path().filename().string())) std::filesystem::remove(entry.path());
  for (const auto& [name, source] : files) {
    const std::filesystem::path target = folder / name;
    const std::string bytes = read_file(source);
    if (touch.count(name) || !std::filesystem::exists(target) || read_file(target) != bytes)
      write_file(target, bytes);
  }
}

struct ProgramEnd {
  int exit_code = -1;  // 128 + signal when killed
  std::string log;     // what it wrote on stderr
};

// Runs `args` (argv[0] a program path) to its end; stdout to /dev/null,
// stderr captured. With `file_size_limit` > 0 the child runs under
// RLIMIT_FSIZE with SIGXFSZ ignored: a write past the limit fails with
// EFBIG, as writes do on a full disk, and nothing else changes.
inline ProgramEnd run_program(const std::vector<std::string>& args,
                              const std::filesystem::path& log, rlim_t file_size_limit = 0) {
  std::vector<std::string> copy = args;
  std::vector<char*> argv;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::error_code ignored;
  std::filesystem::remove(log, ignored);
  const pid_t child = ::fork();
  if (child < 0) throw std::runtime_error("fork failed");
  if (child == 0) {  // only async-signal-safe calls until exec
    const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = ::open("/dev/null", O_WRONLY);
    if (err < 0 || null < 0) ::_exit(126);
    ::dup2(null, 1);
    ::dup2(err, 2);
    if (file_size_limit > 0) {
      ::signal(SIGXFSZ, SIG_IGN);
      const rlimit limit{file_size_limit, file_size_limit};
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) ::_exit(125);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ProgramEnd end;
  end.exit_code = wait_exit(child);
  end.log = std::filesystem::exists(log) ? read_file(log) : std::string();
  return end;
}

inline std::vector<std::string> index_command(const std::filesystem::path& db,
                                              const std::filesystem::path& root, bool full) {
  std::vector<std::string> args = {vigie_index_program().string(),
                                   "--config",
                                   shipped_config().string(),
                                   "--db",
                                   db.string(),
                                   "--quiet",
                                   "--threads",
                                   "2"};
  if (full) args.push_back("--full");
  // A named root: its key (a term of every document) is the name, not the
  // folder's absolute path, so indexes of two copies of a folder compare equal.
  args.push_back("minutes=" + root.string());
  return args;
}

}  // namespace vigie::test
