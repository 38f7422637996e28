// Shards (docs/admin-guide.md "Shards", docs/architecture.md "Shards"): an
// index of two shards — local, then served by two real xapian-tcpsrv on
// loopback — answers a table of queries of every kind as one index of the
// same files does (totals, facets, the first page: ids, order and scores);
// a shard killed mid-test gives the others' answer flagged partial, and
// joins again when it is back; all down is IndexUnavailable (503 over
// HTTP); a wrong stub is an error at start naming the line or the shard.
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "index/schema.h"
#include "index/shard_stub.h"
#include "matcher/posting_cache.h"
#include "matcher/slot_reader.h"
#include "pipeline/index_run.h"
#include "server_test_support.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/index_directory.h"
#include "vigie/searcher.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

constexpr const char* kTcpServer = "/usr/bin/xapian-tcpsrv";

vigie::Config test_config() {
  vigie::Config config = vigie::load_config(vigie::test::shipped_config());
  // ASan and two shared cores: a slow answer is not a dead shard here.
  config.search.shard_timeout_ms = 20000;
  return config;
}

// The council minutes (JSON and HTML: families across the two shards) and
// the press releases; the PDFs take minutes under ASan.
std::vector<vigie::IndexRoot> corpus_roots() {
  const fs::path corpus = vigie::test::shared_corpus();
  return {{"pv", corpus / "chemere" / "pv-json"},
          {"html", corpus / "chemere" / "html"},
          {"com", corpus / "communiques"}};
}

void build(const fs::path& db, std::size_t shards) {
  vigie::IndexOptions options;
  options.db = db;
  options.roots = corpus_roots();
  options.threads = 2;
  options.shards = shards;
  vigie::run_index(test_config(), options);
}

struct Indexes {
  ScratchDir dir{"vigie-shards"};
  fs::path one = dir.path() / "one";
  fs::path sharded = dir.path() / "sharded";
  Indexes() {
    build(one, 1);
    build(sharded, 2);
  }
  std::vector<fs::path> shards() const {
    return vigie::IndexDirectory::shards_of(*vigie::IndexDirectory(sharded).live_generation());
  }
  fs::path shard(std::size_t i) const { return shards().at(i); }
};

const Indexes& indexes() {
  static Indexes built;
  return built;
}

// A free loopback port (bound then released: the server binds it next).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

// xapian-tcpsrv over one database, for the life of this object.
class TcpServer {
 public:
  TcpServer(fs::path database, int port, fs::path log)
      : database_(std::move(database)), port_(port), log_(std::move(log)) {
    start();
  }
  ~TcpServer() { stop(); }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;

  void start() {
    pid_ = vigie::test::spawn_program({kTcpServer, "--port", std::to_string(port_),
                                       "--idle-timeout", "600000", database_.string()},
                                      -1, log_);
    // Listening once a connection is accepted.
    for (int i = 0; i < 200; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<std::uint16_t>(port_));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      const bool up = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
      ::close(fd);
      if (up) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL("xapian-tcpsrv did not listen on port " << port_);
  }
  // The server and the children it forked per connection: a dead machine.
  void stop() {
    if (pid_ <= 0) return;
    const std::vector<pid_t> children = forked();
    ::kill(pid_, SIGKILL);
    vigie::test::wait_exit(pid_);
    for (pid_t child : children) ::kill(child, SIGKILL);
    pid_ = -1;
  }
  // Stopped (SIGSTOP) or going on (SIGCONT), children included: a machine
  // that accepts connections (the kernel does) and answers nothing.
  void signal_all(int signal) {
    for (pid_t child : forked()) ::kill(child, signal);
    ::kill(pid_, signal);
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::vector<pid_t> forked() const {
    std::vector<pid_t> children;
    try {
      std::istringstream ids(vigie::test::read_file("/proc/" + std::to_string(pid_) + "/task/" +
                                                    std::to_string(pid_) + "/children"));
      for (pid_t child; ids >> child;) children.push_back(child);
    } catch (const std::exception&) {
      // Gone already: no children to signal.
    }
    return children;
  }

  fs::path database_;
  int port_;
  fs::path log_;
  pid_t pid_ = -1;
};

struct Case {
  const char* query;
  vigie::SortOrder sort = vigie::SortOrder::Relevance;
};

// One row per kind of query the language has (docs/query-language.md).
const std::vector<Case> kCases = {
    {"conseil municipal"},
    {"cantine"},
    {"eau potable"},
    {"\"ordre du jour\""},
    {"budget PROCHE eau"},
    {"assain*"},
    {"titre:budget"},
    {"type:deliberation voirie"},
    {"date:2014..2016 école"},
    {"=communes"},
    {"école", vigie::SortOrder::Newest},
    {"voirie", vigie::SortOrder::Oldest},
    {"\"conseil municipal\" école", vigie::SortOrder::Newest},
    {"salle -sport"},
    {"conseil -\"ordre du jour\""},
    {"combien coûte la cantine ?"},
    // What deliberations decide (issue 20): terms, the amount column, sort.
    {"vote:contre"},
    {"montant:>10000 subvention"},
    {"article:L2122-22"},
    {"voirie", vigie::SortOrder::Amount},
    {""},  // browsing: every document, by the filters alone
};

vigie::SearchResponse search(vigie::Searcher& searcher, const Case& c) {
  vigie::SearchRequest request;
  request.query = c.query;
  request.sort = c.sort;
  try {
    return searcher.search(request);
  } catch (const Xapian::Error& e) {  // the Searcher must turn them into its own errors
    FAIL("Xapian error out of the Searcher: " << e.get_description());
    throw;
  }
}

// Hits by rank key (date, in date order, and score), in order: documents
// of equal rank may come in another order from shards (Xapian ranks ties by
// document id, and ids interleave).
using RankGroups = std::vector<std::pair<std::string, std::set<std::string>>>;
RankGroups by_rank(const vigie::SearchResponse& r, bool by_date) {
  RankGroups out;
  for (const auto& hit : r.hits) {
    const std::string key = (by_date ? hit.date + " " : "") + std::to_string(hit.score);
    if (out.empty() || out.back().first != key) out.push_back({key, {}});
    out.back().second.insert(hit.id + (hit.all_words ? "" : " (some words)"));
  }
  return out;
}

std::string listed(const vigie::SearchResponse& r) {
  std::string out;
  for (const auto& hit : r.hits)
    out += hit.id + " " + hit.date + " " + std::to_string(hit.score) + "\n";
  return out;
}

void check_same(const vigie::SearchResponse& one, const vigie::SearchResponse& sharded,
                bool by_date) {
  INFO("one index:\n" << listed(one) << "shards:\n" << listed(sharded));
  CHECK(sharded.total == one.total);
  CHECK(sharded.total_exact == one.total_exact);
  CHECK(sharded.partial_total == one.partial_total);
  CHECK_FALSE(sharded.partial);
  REQUIRE(sharded.hits.size() == one.hits.size());
  auto a = by_rank(one, by_date), b = by_rank(sharded, by_date);
  REQUIRE(a.size() == b.size());
  // The last group may be cut by the page's end at different members.
  for (std::size_t i = 0; i + 1 < a.size(); ++i) CHECK(a[i] == b[i]);
  if (!a.empty()) CHECK(a.back().first == b.back().first);
  // The same hit shows the same: extract, PDF page, copies, merged records.
  for (const auto& b : sharded.hits)
    for (const auto& a : one.hits)
      if (a.id == b.id) {
        CAPTURE(a.id);
        CHECK(b.extract_html == a.extract_html);
        CHECK(b.page == a.page);
        CHECK(b.title == a.title);
        CHECK(b.duplicates == a.duplicates);
        CHECK(b.merged.size() == a.merged.size());
        CHECK(b.all_words == a.all_words);
      }
  REQUIRE(sharded.facets.size() == one.facets.size());
  for (std::size_t f = 0; f < one.facets.size(); ++f) {
    CAPTURE(one.facets[f].name);
    CHECK(sharded.facets[f].exact == one.facets[f].exact);
    REQUIRE(sharded.facets[f].values.size() == one.facets[f].values.size());
    for (std::size_t v = 0; v < one.facets[f].values.size(); ++v) {
      CHECK(sharded.facets[f].values[v].key == one.facets[f].values[v].key);
      CHECK(sharded.facets[f].values[v].count == one.facets[f].values[v].count);
    }
  }
}

void check_all_cases(const fs::path& sharded_dir) {
  vigie::Searcher one(indexes().one, test_config());
  vigie::Searcher sharded(sharded_dir, test_config());
  sharded.check_shards();
  for (const Case& c : kCases) {
    const std::string query = c.query;
    CAPTURE(query);
    CAPTURE(static_cast<int>(c.sort));
    check_same(search(one, c), search(sharded, c), c.sort != vigie::SortOrder::Relevance);
  }
}

// What check_shards() says (IndexUnavailable), or "(no error)".
std::string refusal(vigie::Searcher& searcher) {
  try {
    searcher.check_shards();
  } catch (const vigie::IndexUnavailable& e) {
    return e.what();
  }
  return "(no error)";
}

fs::path stub_dir(const ScratchDir& scratch, const std::string& name, const std::string& stub) {
  const fs::path dir = scratch.path() / name;
  vigie::test::write_file(dir / "current", stub);
  return dir;
}

// The two shards served by two xapian-tcpsrv, and the searchers' index
// directory: a stub of two remote lines, the shards' word tables (stem
// families, spelling) from their local copies (shard_set.h).
struct RemoteShards {
  explicit RemoteShards(const ScratchDir& scratch)
      : first(indexes().shard(0), free_port(), scratch.path() / "tcpsrv-0.log"),
        second(indexes().shard(1), free_port(), scratch.path() / "tcpsrv-1.log"),
        dir(stub_dir(scratch, "search",
                     "# vigie-copies " + indexes().sharded.string() + "\nremote " +
                         first.address() + "\nremote " + second.address() + "\n")) {}
  TcpServer first, second;
  fs::path dir;
};

}  // namespace

TEST_CASE("--shards 2 writes a generation of two shards and a stub listing them") {
  const auto shards = indexes().shards();
  REQUIRE(shards.size() == 2);
  const std::string stub = vigie::test::read_file(indexes().sharded / "current");
  CHECK(stub.find("auto gen-000001/shard-00\n") != std::string::npos);
  CHECK(stub.find("auto gen-000001/shard-01\n") != std::string::npos);
  Xapian::Database one((indexes().one / "gen-000001").string());
  Xapian::Database a(shards[0].string()), b(shards[1].string());
  CHECK(a.get_doccount() > 0);
  CHECK(b.get_doccount() > 0);
  CHECK(a.get_doccount() + b.get_doccount() == one.get_doccount());
}

TEST_CASE("two local shards answer as one index") { check_all_cases(indexes().sharded); }

TEST_CASE(
    "phrases past search.phrase_checks: a sample's estimate, and one index's page, over shards") {
  ScratchDir scratch("vigie-shards-sample");
  RemoteShards remote(scratch);
  vigie::Config config = test_config();
  config.search.phrase_checks = 100;  // the least allowed: the corpus' common phrases pass it
  vigie::Searcher one(indexes().one, config);
  for (const fs::path& dir : {indexes().sharded, remote.dir}) {
    vigie::Searcher sharded(dir, config);
    for (const char* query :
         {"\"conseil municipal\"", "\"du conseil\" école", "\"de la commune\""}) {
      CAPTURE(dir);
      CAPTURE(query);
      const auto a = search(one, {query}), b = search(sharded, {query});
      vigie::SearchRequest all;
      all.query = query;
      all.exact_total = true;
      const auto exact = one.search(all);
      REQUIRE(exact.total > 100);  // more candidates than checks
      CHECK_FALSE(b.total_exact);
      CHECK_FALSE(a.total_exact);
      CHECK(b.total_upper == a.total_upper);
      CHECK(std::abs(static_cast<double>(b.total) - exact.total) < 0.35 * exact.total);
      REQUIRE(b.hits.size() == a.hits.size());
      const auto ra = by_rank(a, false), rb = by_rank(b, false);
      REQUIRE(ra.size() == rb.size());
      for (std::size_t i = 0; i + 1 < ra.size(); ++i) CHECK(ra[i] == rb[i]);
    }
  }
}

TEST_CASE("documents, their relations and similar documents over shards are one index's") {
  vigie::Searcher one(indexes().one, test_config());
  vigie::Searcher sharded(indexes().sharded, test_config());
  for (const char* query : {"cantine", "voirie", "conseil municipal"}) {
    for (const auto& hit : search(one, {query}).hits) {
      CAPTURE(hit.id);
      const auto a = one.document(hit.id), b = sharded.document(hit.id);
      REQUIRE(a);
      REQUIRE(b);
      CHECK(b->title == a->title);
      CHECK(b->body == a->body);
      const auto ra = one.relations(hit.id), rb = sharded.relations(hit.id);
      CHECK(rb.family.size() == ra.family.size());
      CHECK(rb.parts.size() == ra.parts.size());
      CHECK(rb.whole.has_value() == ra.whole.has_value());
      // Similar documents: the same, in the same order, at the same
      // percentages (their copies are counted exactly over shards, where one
      // database's collapse count is a lower bound).
      const auto sa = one.similar(hit.id, 10), sb = sharded.similar(hit.id, 10);
      REQUIRE(sb.size() == sa.size());
      for (std::size_t i = 0; i < sa.size(); ++i) {
        CHECK(sb[i].score == sa[i].score);
        CHECK(sb[i].duplicates >= sa[i].duplicates);
      }
      vigie::SearchResponse ra_hits, rb_hits;
      for (const auto& h : sa) ra_hits.hits.push_back(h);
      for (const auto& h : sb) rb_hits.hits.push_back(h);
      CHECK(by_rank(ra_hits, false) == by_rank(rb_hits, false));
    }
  }
}

TEST_CASE("an incremental run updates the shard of the changed file") {
  ScratchDir scratch("vigie-shards-incremental");
  const fs::path folder = scratch.path() / "docs";
  for (int i = 0; i < 6; ++i)
    vigie::test::write_file(folder / ("note-" + std::to_string(i) + ".md"),
                            "# Note " + std::to_string(i) + "\n\nLa cantine scolaire ouvre.\n");
  vigie::IndexOptions options;
  options.db = scratch.path() / "index";
  options.roots = {{"", folder}};
  options.threads = 1;
  options.shards = 2;
  vigie::run_index(test_config(), options);
  options.shards = 0;  // the live generation's
  vigie::test::write_file(folder / "note-3.md", "# Note 3\n\nLe gymnase municipal ferme.\n");
  const vigie::IndexReport report = vigie::run_index(test_config(), options);
  CHECK_FALSE(report.full);
  CHECK(report.updated == 1);
  vigie::Searcher searcher(options.db, test_config());
  vigie::SearchRequest request;
  request.query = "gymnase";
  auto found = searcher.search(request);
  REQUIRE(found.hits.size() == 1);
  CHECK(found.hits[0].id == "note-3.md");
  request.query = "cantine";
  CHECK(searcher.search(request).total == 5);
  // Still two shards, each file where it was.
  CHECK(vigie::IndexDirectory::shards_of(*vigie::IndexDirectory(options.db).live_generation())
            .size() == 2);
}

// What SlotReader read of every document through `reader`: each slot's
// values and the lengths, as one comparable table.
std::vector<std::string> read_all(const vigie::SlotReader& reader) {
  std::vector<std::string> rows;
  namespace s = vigie::schema;
  for (Xapian::valueno slot : {s::kSlotDate, s::kSlotType, s::kSlotOrganisation, s::kSlotYear,
                               s::kSlotFamily, s::kSlotPartOf, s::kSlotAmount})
    reader.for_each_value(slot, [&](Xapian::docid id, std::string&& value) {
      rows.push_back(std::to_string(slot) + ' ' + std::to_string(id) + ' ' + value);
    });
  const auto lengths = reader.lengths();
  for (std::size_t id = 0; id < lengths.size(); ++id)
    rows.push_back("length " + std::to_string(id) + ' ' + std::to_string(lengths[id]));
  return rows;
}

TEST_CASE("a remote shard's columns and postings are read in one pass each and equal Xapian's") {
  ScratchDir scratch("vigie-shards-columns");
  RemoteShards remote(scratch);
  std::vector<Xapian::Database> local, far;
  Xapian::Database local_combined, far_combined;
  for (std::size_t i = 0; i < 2; ++i) {
    local.emplace_back(indexes().shard(i).string());
    local_combined.add_database(local.back());
  }
  for (const TcpServer* server : {&remote.first, &remote.second}) {
    const std::string address = server->address();
    far.push_back(Xapian::Remote::open("127.0.0.1", std::stoi(address.substr(10)), 20000));
    far_combined.add_database(far.back());
  }
  // The reference: Xapian's own value streams and lengths over the local shards.
  const auto expected = read_all(vigie::SlotReader(local_combined));
  REQUIRE(expected.size() > 1000);
  CHECK(std::count_if(expected.begin(), expected.end(), [](const std::string& row) {
          return row.rfind("length ", 0) == 0 && row.back() != '0';
        }) > 100);
  CHECK(read_all(vigie::SlotReader(local_combined, &local)) == expected);
  CHECK(read_all(vigie::SlotReader(far_combined, &far)) == expected);

  // Postings through the matcher (posting_cache.h): ids and wdfs of common
  // and rarer words, a filter term (wdf 0), a word no document has.
  for (const std::string term : {"conseil", "communale", "XTdeliberation", "chemere", "nulpart"}) {
    CAPTURE(term);
    std::vector<std::pair<Xapian::docid, Xapian::termcount>> postings;
    for (auto it = local_combined.postlist_begin(term); it != local_combined.postlist_end(term);
         ++it)
      postings.emplace_back(*it, it.get_wdf());
    CHECK(vigie::read_postings(far_combined, term) == postings);
    CHECK(vigie::read_postings(local_combined, term) == postings);
    if (term != "nulpart") CHECK_FALSE(postings.empty());
  }
}

TEST_CASE("two remote shards: the same answers, partial when one is down, back when it is up") {
  ScratchDir scratch("vigie-shards-remote");
  RemoteShards remote(scratch);
  TcpServer &first = remote.first, &second = remote.second;
  const fs::path dir = remote.dir;
  check_all_cases(dir);

  // The other shard alone, as a local index: what the partial answer must be.
  const fs::path first_only =
      stub_dir(scratch, "first", "auto " + indexes().shard(0).string() + "\n");
  vigie::Searcher searcher(dir, test_config());
  vigie::Searcher reference(first_only, test_config());
  const Case words{"conseil municipal"};
  const auto whole = search(searcher, words);
  CHECK_FALSE(whole.partial);

  second.stop();
  const auto started = std::chrono::steady_clock::now();
  const auto partial = search(searcher, words);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  CHECK(partial.partial);
  CHECK(partial.missing_shards == std::vector<std::string>{second.address()});
  CHECK(partial.total == search(reference, words).total);
  CHECK(partial.total < whole.total);
  // A Searcher opened while the shard is down answers partially too.
  vigie::Searcher late(dir, test_config());
  CHECK(search(late, words).partial);
  // vigie-search checks every shard at start: exit 2 naming the shard.
  vigie::Searcher strict(dir, test_config());
  CHECK(refusal(strict).find(second.address()) != std::string::npos);

  second.start();
  std::this_thread::sleep_for(std::chrono::seconds(6));  // past the Searcher's retry interval
  const auto back = search(searcher, words);
  CHECK_FALSE(back.partial);
  CHECK(back.total == whole.total);

  // A shard that stops answering mid-search (a stopped machine): the others
  // answer within the timeouts, never a hang.
  vigie::Config quick = test_config();
  quick.search.shard_timeout_ms = 1000;
  vigie::Searcher impatient(dir, quick);
  CHECK_FALSE(search(impatient, words).partial);
  second.signal_all(SIGSTOP);
  const auto stalled = std::chrono::steady_clock::now();
  const auto slow = search(impatient, words);
  const auto waited = std::chrono::steady_clock::now() - stalled;
  MESSAGE("partial answer with a stopped shard (timeout 1 s) after "
          << std::chrono::duration_cast<std::chrono::milliseconds>(waited).count() << " ms");
  CHECK(waited < std::chrono::seconds(15));
  CHECK(slow.partial);
  CHECK(slow.total == search(reference, words).total);
  second.signal_all(SIGCONT);

  first.stop();
  second.stop();
  vigie::Searcher none(dir, test_config());
  CHECK_THROWS_AS(search(none, words), vigie::IndexUnavailable);
}

TEST_CASE("vigie-server over remote shards: partial JSON, a French notice, 503 when all are down") {
  ScratchDir scratch("vigie-shards-http");
  RemoteShards remote(scratch);
  TcpServer &first = remote.first, &second = remote.second;
  const fs::path dir = remote.dir;
  vigie::test::ServerProcess server(
      {"--config", vigie::test::shipped_config().string(), "--db", dir.string(), "--quiet"},
      scratch.path() / "server.log");
  auto reply = vigie::test::get(server.port(), "/api/search?q=cantine");
  REQUIRE(reply.status == 200);
  CHECK(reply.body.find("\"partial\":false") != std::string::npos);
  second.stop();
  reply = vigie::test::get(server.port(), "/api/search?q=cantine+scolaire");
  REQUIRE(reply.status == 200);
  CHECK(reply.body.find("\"partial\":true") != std::string::npos);
  CHECK(reply.body.find("\"missing_shards\":[\"" + second.address() + "\"]") != std::string::npos);
  reply = vigie::test::get(server.port(), "/recherche?q=cantine+scolaire+municipale");
  REQUIRE(reply.status == 200);
  CHECK(reply.body.find("Résultats partiels") != std::string::npos);
  first.stop();
  reply = vigie::test::get(server.port(), "/api/search?q=voirie");
  CHECK(reply.status == 503);
  CHECK_FALSE(reply.header("retry-after").empty());
}

TEST_CASE("a wrong stub is an error at start that names it, never a hang") {
  ScratchDir scratch("vigie-shards-stubs");
  const std::string shard = indexes().shard(0).string();
  const int closed_port = free_port();  // nothing listens there
  fs::create_directories(scratch.path() / "not-an-index");
  struct Row {
    const char* what;
    std::string stub;
    std::string message;  // a part of the error
  };
  const std::vector<Row> rows = {
      {"a garbage line", "auto " + shard + "\nhello world\n", "current:2"},
      {"a program, not a port", "remote :xapian-progsrv /srv/db\n", "not supported"},
      {"no port", "remote 127.0.0.1\nauto " + shard + "\n", "HOST:PORT"},
      {"port 0", "remote 127.0.0.1:0\n", "1–65535"},
      {"a port too large", "remote 127.0.0.1:70000\n", "1–65535"},
      {"nothing listening", "auto " + shard + "\nremote 127.0.0.1:" + std::to_string(closed_port),
       "127.0.0.1:" + std::to_string(closed_port)},
      {"an unknown host", "remote no-such-host.invalid:7000\nauto " + shard + "\n",
       "no-such-host.invalid"},
      {"a folder that is no index",
       "auto " + shard + "\nauto " + (scratch.path() / "not-an-index").string() + "\n",
       "not a Vigie index"},
      {"a path that does not exist", "auto " + shard + "\nauto /nonexistent/gen-000009\n",
       "/nonexistent/gen-000009"},
      {"comments only", "# nothing\n\n", "lists no database"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.what);
    const fs::path dir = stub_dir(scratch, "stub", row.stub);
    vigie::Config config = test_config();
    config.search.shard_timeout_ms = 500;
    vigie::Searcher searcher(dir, config);
    const auto started = std::chrono::steady_clock::now();
    const std::string error = refusal(searcher);
    CAPTURE(error);
    CHECK(error.find(row.message) != std::string::npos);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  }
}

TEST_CASE("a shard of another layout or set-up is refused, named") {
  ScratchDir scratch("vigie-shards-mismatch");
  const fs::path old = scratch.path() / "old";
  fs::copy(indexes().shard(1), old, fs::copy_options::recursive);
  {
    Xapian::WritableDatabase db(old.string(), Xapian::DB_OPEN);
    db.set_metadata("vigie.schema", "2");
    db.commit();
  }
  const fs::path other = scratch.path() / "other";
  fs::copy(indexes().shard(1), other, fs::copy_options::recursive);
  {
    Xapian::WritableDatabase db(other.string(), Xapian::DB_OPEN);
    db.set_metadata("vigie.setup", "");
    db.commit();
  }
  for (const fs::path& bad : {old, other}) {
    CAPTURE(bad);
    const fs::path dir =
        stub_dir(scratch, "stub-" + bad.filename().string(),
                 "auto " + indexes().shard(0).string() + "\nauto " + bad.string() + "\n");
    vigie::Searcher searcher(dir, test_config());
    const std::string error = refusal(searcher);
    CAPTURE(error);
    CHECK(error.find(bad.string()) != std::string::npos);
  }
}

TEST_CASE("vigie-index: --shards takes 1–64, and a stub of remote shards is not its to write") {
  ScratchDir scratch("vigie-shards-indexer");
  const std::string config = vigie::test::shipped_config().string();
  const fs::path log = scratch.path() / "errors.log";
  auto index = [&](const fs::path& db, const std::string& shards) {
    return vigie::test::wait_exit(vigie::test::spawn_program(
        {vigie::test::vigie_index_program().string(), "--config", config, "--db", db.string(),
         "--quiet", "--shards", shards, (vigie::test::shared_corpus() / "communiques").string()},
        -1, log));
  };
  CHECK(index(scratch.path() / "a", "0") == 2);
  CHECK(index(scratch.path() / "a", "65") == 2);
  CHECK(index(scratch.path() / "a", "two") == 2);
  const fs::path searchers = stub_dir(scratch, "search", "remote 127.0.0.1:7000\n");
  CHECK(index(searchers, "2") != 0);
  const std::string errors = vigie::test::read_file(log);
  CHECK(errors.find("--shards needs a number between 1 and 64") != std::string::npos);
  CHECK(errors.find("lists remote shards") != std::string::npos);
  CHECK(vigie::test::read_file(searchers / "current") == "remote 127.0.0.1:7000\n");
}

TEST_CASE("vigie-search and vigie-server refuse a wrong stub with exit 2") {
  ScratchDir scratch("vigie-shards-programs");
  const fs::path dir = stub_dir(scratch, "bad",
                                "auto " + indexes().shard(0).string() +
                                    "\nremote 127.0.0.1:" + std::to_string(free_port()) + "\n");
  const fs::path log = scratch.path() / "errors.log";
  const std::string config = vigie::test::shipped_config().string();
  CHECK(vigie::test::wait_exit(vigie::test::spawn_program(
            {(vigie::test::binary_dir() / "cli" / "vigie-search").string(), "--config", config,
             "--db", dir.string(), "cantine"},
            -1, log)) == 2);
  CHECK(vigie::test::wait_exit(
            vigie::test::spawn_program({vigie::test::vigie_server_program().string(), "--config",
                                        config, "--db", dir.string(), "--port", "0", "--quiet"},
                                       -1, log)) == 2);
  const std::string errors = vigie::test::read_file(log);
  CHECK(errors.find("vigie-search: shard 127.0.0.1:") != std::string::npos);
  CHECK(errors.find("vigie-server: cannot serve the index") != std::string::npos);
}
