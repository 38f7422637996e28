// StreamStore: the position streams' file of a generation (stream_store.h),
// written by vigie-index, read by the searcher's phrase checks instead of
// Xapian's values — on a real index of the demo corpus and the Chémeré
// minutes, and on files damaged or left behind by another revision.
#include "index/stream_store.h"

#include <doctest/doctest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <set>
#include <thread>

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

// Every document's stream as the store gives it equals Xapian's value.
void check_store_equals_values(const Xapian::Database& db, const vigie::StreamStore& store) {
  REQUIRE(store.last_docid() == db.get_lastdocid());
  std::size_t with_stream = 0;
  for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) {
    std::string expected;
    try {
      expected = db.get_document(id).get_value(vigie::schema::kSlotPositions);
    } catch (const Xapian::DocNotFoundError&) {
    }
    CHECK(store.stream(id) == expected);
    with_stream += expected.empty() ? 0 : 1;
  }
  CHECK(with_stream > 1000);
  CHECK(store.stream(db.get_lastdocid() + 1).empty());
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

TEST_CASE("a --full run writes the store of its generation, equal to Xapian's streams") {
  Index index;
  index.run(true);
  REQUIRE(fs::exists(index.store_file()));
  const Xapian::Database db(index.generation().string());
  const auto store = vigie::StreamStore::open(db, index.generation());
  REQUIRE(store);
  check_store_equals_values(db, *store);
  CHECK_FALSE(fs::exists(index.store_file().string() + ".tmp"));
}

TEST_CASE("phrases answer the same with the store and through Xapian, every page") {
  Index index;
  index.run(true);
  std::vector<std::string> with_store;
  {
    vigie::Searcher searcher(index.db(), index.config());
    for (const auto& q : kPhrases)
      for (std::size_t offset : {0, 10}) with_store.push_back(answer(searcher, q, offset));
  }
  fs::remove(index.store_file());
  vigie::Searcher searcher(index.db(), index.config());
  std::size_t i = 0;
  for (const auto& q : kPhrases)
    for (std::size_t offset : {0, 10}) {
      CAPTURE(q);
      CHECK(answer(searcher, q, offset) == with_store[i++]);
    }
  // The phrases do find something, or the comparison proves little.
  CHECK(with_store[0].find(" pv/") != std::string::npos);
}

TEST_CASE("an incremental run rewrites the store; a store of another revision is not used") {
  Index index;
  index.run(true);
  const std::string before = read_bytes(index.store_file());
  {
    // A run that changes no document leaves a store of the revision it leaves.
    index.run(false);
    const Xapian::Database db(index.generation().string());
    CHECK(vigie::StreamStore::open(db, index.generation()));
  }
  vigie::test::write_file(index.scratch() / "edits" / "note.txt",
                          "La salle des sports sera rénovée en 2024.");
  vigie::test::write_file(index.scratch() / "edits" / "autre.txt",
                          "Le conseil municipal approuve la fresque bleue du préau.");
  index.run(false);
  const Xapian::Database db(index.generation().string());
  const auto store = vigie::StreamStore::open(db, index.generation());
  REQUIRE(store);
  check_store_equals_values(db, *store);

  // The previous revision's file, put back as if this run had been killed
  // before writing its own: refused, and the phrases still answer rightly.
  write_bytes(index.store_file(), before);
  CHECK_FALSE(vigie::StreamStore::open(db, index.generation()));
  vigie::Searcher searcher(index.db(), index.config());
  vigie::SearchRequest request;
  request.query = "\"sera rénovée\"";
  CHECK(searcher.search(request).hits.size() == 1);
  request.query = "\"fresque bleue\"";
  CHECK(searcher.search(request).hits.size() == 1);
}

TEST_CASE("a damaged store is refused, never read: the searcher reads Xapian's streams") {
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

  // With the damaged file in place, a searcher answers as with a good one.
  write_bytes(file, bad_offsets);
  vigie::Searcher searcher(index.db(), index.config());
  CHECK(answer(searcher, "\"conseil municipal\"") == expected);

  write_bytes(file, good);
  CHECK(vigie::StreamStore::open(db, index.generation()));
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
  fs::remove(index.store_file());
  const vigie::StreamStoreSlot slot(generation, std::chrono::milliseconds(50));
  CHECK_FALSE(slot.get(db));
  vigie::StreamStore::write(db, generation);  // what the indexer does just after its commit
  CHECK_FALSE(slot.get(db));                  // not looked for again at once
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  const auto found = slot.get(db);
  REQUIRE(found);
  CHECK(slot.get(db) == found);                     // kept
  CHECK_FALSE(vigie::StreamStoreSlot({}).get(db));  // no generation directory: never a store
}
