// StreamStore: the position streams' file of a generation (stream_store.h),
// written by vigie-index, the only copy of a --full build's streams, read by
// the searcher's phrase checks — on a real index of the demo corpus and the
// Chémeré minutes, and on files damaged or left behind by another revision.
#include "index/stream_store.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <thread>

#include "index/position_stream.h"
#include "index/schema.h"
#include "pipeline/index_run.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/index_directory.h"
#include "vigie/searcher.h"

namespace fs = std::filesystem;

namespace {

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

// A --full index of the demo corpus, the minutes (JSON) and a folder the
// test edits, in a scratch directory of its own.
class Index {
 public:
  Index() {
    options_.db = dir_.path() / "index";
    options_.roots = {{"demo", vigie::test::source_dir() / "corpus"},
                      {"pv", vigie::test::shared_corpus() / "chemere" / "pv-json"},
                      {"edits", dir_.path() / "edits"}};
    options_.threads = 2;
    vigie::test::write_file(dir_.path() / "edits" / "note.txt",
                            "Le conseil municipal a voté la salle des sports.");
  }
  vigie::IndexReport run(bool full) {
    options_.full = full;
    return vigie::run_index(config_, options_);
  }
  fs::path generation() const { return *vigie::IndexDirectory(options_.db).live_generation(); }
  fs::path store_file() const { return generation() / vigie::StreamStore::kFileName; }
  const fs::path& db() const { return options_.db; }
  const fs::path& scratch() const { return dir_.path(); }
  const vigie::Config& config() const { return config_; }

 private:
  vigie::test::ScratchDir dir_{"vigie-stream-store"};
  vigie::IndexOptions options_;
  vigie::Config config_ = shipped_config();
};

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void write_bytes(const fs::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// Every document's stream as the store gives it holds exactly its words:
// the words of the stream are the document's exact terms (every word it
// was indexed under has positions, and only those).
void check_store_holds_terms(const Xapian::Database& db, const vigie::StreamStore& store) {
  REQUIRE(store.last_docid() == db.get_lastdocid());
  const vigie::StreamVocabulary vocabulary = vigie::StreamVocabulary::load(db);
  std::size_t with_stream = 0;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    std::set<std::string> terms, words;
    for (auto t = db.termlist_begin(*it); t != db.termlist_end(*it); ++t)
      if (!(*t).empty() && !((*t)[0] >= 'A' && (*t)[0] <= 'Z')) terms.insert(*t);
    const auto stream = vigie::read_position_stream(store.stream(*it), vocabulary);
    if (stream)
      for (const auto& token : stream->tokens) words.insert(token.second);
    CAPTURE(*it);
    CHECK(words == terms);
    with_stream += words.empty() ? 0 : 1;
  }
  CHECK(with_stream > 1000);
  CHECK(store.stream(db.get_lastdocid() + 1).empty());
}

// Every document's stream as the store gives it is its value when it has
// one, else the one `previous` gave.
void check_store_merges(const Xapian::Database& db, const vigie::StreamStore& store,
                        const std::map<Xapian::docid, std::string>& previous) {
  REQUIRE(store.last_docid() == db.get_lastdocid());
  std::size_t values = 0;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    const std::string value = db.get_document(*it).get_value(vigie::schema::kSlotPositions);
    values += value.empty() ? 0 : 1;
    const auto before = previous.find(*it);
    CHECK(store.stream(*it) ==
          (!value.empty() || before == previous.end() ? value : before->second));
  }
  CHECK(values > 0);
}

// What a search answers, in a comparable form.
std::string answer(vigie::Searcher& searcher, const std::string& query, std::size_t offset = 0) {
  vigie::SearchRequest request;
  request.query = query;
  request.offset = offset;
  request.extracts = false;
  const vigie::SearchResponse response = searcher.search(request);
  std::string out =
      std::to_string(response.total) + (response.total_exact ? " exact:" : " estimated:");
  for (const auto& hit : response.hits) out += " " + hit.id + "=" + std::to_string(hit.score);
  for (const auto& facet : response.facets)
    for (const auto& value : facet.values)
      out += " " + facet.name + "/" + value.key + "=" + std::to_string(value.count);
  return out;
}

const std::vector<std::string> kPhrases = {"\"conseil municipal\"",
                                           "\"après en avoir délibéré\"",
                                           "\"salle des sports\"",
                                           "\"à l'unanimité\"",
                                           "\"budget primitif\" commune",
                                           "conseil NEAR/3 municipal",
                                           "\"conseil municipal\" OR \"salle des fêtes\"",
                                           "titre:\"conseil municipal\"",
                                           "\"le maire\" -\"conseil municipal\""};

}  // namespace

TEST_CASE("a --full run keeps its streams in the store only, each with its document's words") {
  Index index;
  index.run(true);
  REQUIRE(fs::exists(index.store_file()));
  const Xapian::Database db(index.generation().string());
  // Not also in Xapian's values (index layout 8: stream_store.h).
  CHECK(db.valuestream_begin(vigie::schema::kSlotPositions) ==
        db.valuestream_end(vigie::schema::kSlotPositions));
  const auto store = vigie::StreamStore::open(db, index.generation());
  REQUIRE(store);
  CHECK(store->complete());
  check_store_holds_terms(db, *store);
  CHECK_FALSE(fs::exists(index.store_file().string() + ".tmp"));
  CHECK_FALSE(fs::exists(index.generation() / "shards"));  // the spilled streams are gone
}

TEST_CASE("phrases that Xapian's matcher checks (date order, negated) read the store too") {
  Index index;
  index.run(true);
  vigie::Config config = index.config();
  config.search.exact_facets_under = 100000000;  // the matcher counts every match
  config.search.phrase_checks = 100000000;       // every candidate checked
  vigie::Searcher searcher(index.db(), config);
  auto total = [&](const std::string& query, vigie::SortOrder sort) {
    vigie::SearchRequest request;
    request.query = query;
    request.sort = sort;
    request.collapse_duplicates = false;
    const vigie::SearchResponse response = searcher.search(request);
    CHECK(response.total_exact);
    return response.total;
  };
  const auto phrase = total("\"conseil municipal\"", vigie::SortOrder::Relevance);
  CHECK(phrase > 10);
  CHECK(total("\"conseil municipal\"", vigie::SortOrder::Newest) == phrase);
  const auto maire = total("maire", vigie::SortOrder::Relevance);
  const auto both = total("maire \"conseil municipal\"", vigie::SortOrder::Relevance);
  CHECK(both > 0);
  CHECK(total("maire -\"conseil municipal\"", vigie::SortOrder::Relevance) == maire - both);
}

TEST_CASE(
    "an incremental run merges its streams into the store; until it does, phrases read the "
    "values and the previous store and answer the same") {
  Index index;
  index.run(true);
  const std::string before = read_bytes(index.store_file());
  std::map<Xapian::docid, std::string> previous;
  {
    // A run that changes no document leaves a store of the revision it leaves.
    index.run(false);
    const Xapian::Database db(index.generation().string());
    const auto store = vigie::StreamStore::open(db, index.generation());
    REQUIRE(store);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
      previous[*it] = std::string(store->stream(*it));
  }
  vigie::test::write_file(index.scratch() / "edits" / "note.txt",
                          "La salle des sports sera rénovée en 2024.");
  vigie::test::write_file(index.scratch() / "edits" / "autre.txt",
                          "Le conseil municipal approuve la fresque bleue du préau.");
  index.run(false);
  const Xapian::Database db(index.generation().string());
  {
    const auto store = vigie::StreamStore::open(db, index.generation());
    REQUIRE(store);
    check_store_merges(db, *store, previous);
  }
  std::vector<std::string> phrases = kPhrases;
  phrases.push_back("\"sera rénovée\"");
  phrases.push_back("\"fresque bleue\"");
  phrases.push_back("\"salle des sports\" 2024");
  std::vector<std::string> complete;
  {
    vigie::Searcher searcher(index.db(), index.config());
    for (const auto& q : phrases)
      for (std::size_t offset : {0, 10}) complete.push_back(answer(searcher, q, offset));
  }
  // The previous revision's file, put back as if this run had been killed
  // before writing its own: not complete, read for the documents without a
  // value, and the phrases answer the same, every page.
  write_bytes(index.store_file(), before);
  CHECK_FALSE(vigie::StreamStore::open(db, index.generation()));
  const auto older = vigie::StreamStore::open_generation(db, index.generation());
  REQUIRE(older);
  CHECK_FALSE(older->complete());
  vigie::Searcher searcher(index.db(), index.config());
  std::size_t i = 0;
  for (const auto& q : phrases)
    for (std::size_t offset : {0, 10}) {
      CAPTURE(q);
      CHECK(answer(searcher, q, offset) == complete[i++]);
    }
  CHECK(complete[0].find(" pv/") != std::string::npos);  // they do find something
  vigie::SearchRequest request;
  request.fill_with_some_words = false;  // the phrase's matches only
  request.query = "\"fresque bleue\"";
  CHECK(searcher.search(request).hits.size() == 1);

  // A run that only deletes stamps the store with its revision.
  fs::remove(index.scratch() / "edits" / "autre.txt");
  index.run(false);
  const Xapian::Database after(index.generation().string());
  const auto store = vigie::StreamStore::open(after, index.generation());
  REQUIRE(store);
  vigie::Searcher later(index.db(), index.config());
  CHECK(later.search(request).hits.empty());
  request.query = "\"sera rénovée\"";
  CHECK(later.search(request).hits.size() == 1);

  // A run that changes nothing, documents having values (this run's note):
  // the store is stamped in place, not copied (a copy is a new file).
  struct stat before_run {};
  REQUIRE(::stat(index.store_file().c_str(), &before_run) == 0);
  index.run(false);
  struct stat after_run {};
  REQUIRE(::stat(index.store_file().c_str(), &after_run) == 0);
  CHECK(after_run.st_ino == before_run.st_ino);
  const Xapian::Database unchanged(index.generation().string());
  REQUIRE(vigie::StreamStore::open(unchanged, index.generation()));
  vigie::Searcher latest(index.db(), index.config());
  CHECK(latest.search(request).hits.size() == 1);
}

TEST_CASE("a generation without its store is rebuilt in full by the next run") {
  Index index;
  index.run(true);
  const fs::path first = index.generation();
  std::string expected;
  {
    vigie::Searcher searcher(index.db(), index.config());
    expected = answer(searcher, "\"conseil municipal\"");
  }
  fs::remove(index.store_file());
  const vigie::IndexReport report = index.run(false);
  CHECK(index.generation() != first);
  bool said = false;
  for (const auto& w : report.warnings)
    said = said || w.find("positions.vigie") != std::string::npos;
  CHECK(said);
  vigie::Searcher searcher(index.db(), index.config());
  CHECK(answer(searcher, "\"conseil municipal\"") == expected);
}

TEST_CASE("a damaged store is refused, never read") {
  Index index;
  index.run(true);
  const std::string good = read_bytes(index.store_file());
  REQUIRE(good.size() > 1000);
  const Xapian::Database db(index.generation().string());
  const fs::path file = index.store_file();
  std::string expected;
  {
    vigie::Searcher searcher(index.db(), index.config());
    expected = answer(searcher, "\"conseil municipal\"");
  }

  auto refused = [&](const std::string& bytes) {
    write_bytes(file, bytes);
    return !vigie::StreamStore::open(db, index.generation());
  };
  CHECK(refused(""));                               // empty
  CHECK(refused(good.substr(0, 40)));               // shorter than its header
  CHECK(refused(good.substr(0, good.size() / 2)));  // cut: offsets beyond the end
  CHECK(refused(std::string(good.size(), 'x')));    // not a store
  std::string bad_magic = good;
  bad_magic[0] = 'W';
  CHECK(refused(bad_magic));
  std::string bad_offsets = good;  // the second offset before the first
  for (int i = 0; i < 8; ++i) bad_offsets[56 + 8 + i] = 0;
  CHECK(refused(bad_offsets));
  std::string other_uuid = good;
  other_uuid[16] = other_uuid[16] == 'a' ? 'b' : 'a';
  CHECK(refused(other_uuid));

  CHECK_FALSE(vigie::StreamStore::open_generation(db, index.generation()));

  // Never read: a searcher finds no phrase rather than reading it (the
  // next vigie-index run rebuilds the generation).
  write_bytes(file, bad_offsets);
  {
    vigie::Searcher searcher(index.db(), index.config());
    CHECK(answer(searcher, "\"conseil municipal\"").rfind("0 ", 0) == 0);
  }

  write_bytes(file, good);
  CHECK(vigie::StreamStore::open(db, index.generation()));
  vigie::Searcher searcher(index.db(), index.config());
  CHECK(answer(searcher, "\"conseil municipal\"") == expected);
}

TEST_CASE("writing a store where it cannot be written says why and leaves nothing") {
  vigie::test::ScratchDir dir("vigie-stream-store-write");
  const fs::path generation = dir.path() / "gen";
  {
    Xapian::WritableDatabase db(generation.string(), Xapian::DB_CREATE_OR_OPEN);
    Xapian::Document doc;
    doc.add_value(vigie::schema::kSlotPositions, "stream");
    db.add_document(doc);
    db.commit();
  }
  const Xapian::Database db(generation.string());
  CHECK_THROWS_AS(vigie::StreamStore::write(db, dir.path() / "missing-folder"),
                  vigie::StreamStoreError);
  vigie::StreamStore::write(db, generation);
  const auto store = vigie::StreamStore::open(db, generation);
  REQUIRE(store);
  CHECK(store->stream(1) == "stream");
  CHECK(store->stream(2).empty());
  std::set<std::string> left;
  for (const auto& entry : fs::directory_iterator(generation))
    left.insert(entry.path().filename().string());
  CHECK(left.count(std::string(vigie::StreamStore::kFileName)) == 1);
  CHECK(left.count(std::string(vigie::StreamStore::kFileName) + ".tmp") == 0);
}

TEST_CASE("a revision opened before its store was written finds it at the next look") {
  Index index;
  index.run(true);
  const fs::path generation = index.generation();
  const Xapian::Database db(generation.string());
  const std::string bytes = read_bytes(index.store_file());
  fs::remove(index.store_file());
  const vigie::StreamStoreSlot slot(generation, std::chrono::milliseconds(50));
  CHECK_FALSE(slot.get(db));
  write_bytes(index.store_file(), bytes);  // what the indexer does just after its commit
  CHECK_FALSE(slot.get(db));               // not looked for again at once
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  const auto found = slot.get(db);
  REQUIRE(found);
  CHECK(found->complete());
  CHECK(slot.get(db) == found);                     // kept
  CHECK_FALSE(vigie::StreamStoreSlot({}).get(db));  // no generation directory: never a store
}
