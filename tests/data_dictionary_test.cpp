// DataDictionary (data_dictionary.h): training on document data, the round
// trip through zstd, the index's metadata, and data that cannot be read. The
// indexer and the search side use it end to end in
// indexer_integration_test.cpp ("--full trains ...").
#include "index/data_dictionary.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include "index/document_data.h"
#include "test_support.h"
#include "vigie/document.h"

namespace {

using vigie::DataDictionary;

// Document data like the indexer's: minutes sharing their phrasing, each
// with its own number, date and amounts.
std::string deliberation(unsigned i) {
  static const char* const objects[] = {"la réfection de la voirie communale",
                                        "l'extension de la salle des fêtes",
                                        "le budget primitif de l'assainissement",
                                        "la cantine scolaire",
                                        "les travaux de la mairie",
                                        "la convention avec le syndicat des eaux"};
  vigie::SourceDocument doc;
  doc.id = "pv/" + std::to_string(2000 + i % 20) + "/deliberation-" + std::to_string(i) + ".md";
  doc.title = "Délibération n° " + std::to_string(i) + " : " + objects[i % 6];
  doc.type = vigie::DocType::Deliberation;
  doc.organisation = "Commune de Saint-Aubin";
  doc.source_path = doc.id;
  doc.format = "markdown";
  doc.body =
      "Le Conseil municipal, après en avoir délibéré, décide à l'unanimité des membres présents "
      "d'approuver " +
      std::string(objects[(i * 7) % 6]) + " pour un montant de " + std::to_string(1000 + i * 37) +
      " euros hors taxes. Monsieur le Maire est autorisé à signer toutes les pièces relatives à " +
      objects[(i * 5) % 6] + ". Présents : " + std::to_string(10 + i % 9) + " membres. Séance du " +
      std::to_string(1 + i % 28) + " mars " + std::to_string(2000 + i % 20) + ".";
  return vigie::encode_document_data(doc);
}

std::vector<std::string> samples(unsigned n) {
  std::vector<std::string> out;
  for (unsigned i = 0; i < n; ++i) out.push_back(deliberation(i));
  return out;
}

std::shared_ptr<const DataDictionary> trained() {
  auto dictionary = DataDictionary::train(samples(400));
  REQUIRE(dictionary);
  return dictionary;
}

}  // namespace

TEST_CASE(
    "a dictionary trained on document data compresses unseen documents far below zlib's per-item "
    "ratio") {
  auto dictionary = trained();
  CHECK(dictionary->id() != 0);
  CHECK(dictionary->size() > 0);
  std::size_t raw = 0, compressed = 0;
  for (unsigned i = 1000; i < 1100; ++i) {
    const std::string data = deliberation(i);
    const std::string frame = dictionary->compress(data);
    raw += data.size();
    compressed += frame.size();
    REQUIRE(dictionary->decompress(frame) == data);
    CHECK(vigie::stored_data_json(frame, dictionary.get()) == data);
  }
  // zlib alone keeps such data at ~0.5 of its size.
  CHECK(compressed * 4 < raw);
}

TEST_CASE("training gives no dictionary when the sample is too small to learn from") {
  CHECK_FALSE(DataDictionary::train({}));
  CHECK_FALSE(DataDictionary::train(samples(5)));
  CHECK_FALSE(DataDictionary::train(std::vector<std::string>(100, "{}")));
}

TEST_CASE("training is deterministic: the same sample gives the same dictionary") {
  auto a = DataDictionary::train(samples(300));
  auto b = DataDictionary::train(samples(300));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->id() == b->id());
  CHECK(a->compress(deliberation(5000)) == b->compress(deliberation(5000)));
}

TEST_CASE("stored data: JSON stays JSON without a dictionary and is read back either way") {
  const std::string json = deliberation(1);
  CHECK(vigie::stored_data(json, nullptr) == json);
  CHECK(vigie::stored_data_json(json, nullptr) == json);
  auto dictionary = trained();
  // An index keeps JSON written before its dictionary existed readable.
  CHECK(vigie::stored_data_json(json, dictionary.get()) == json);
  const std::string frame = vigie::stored_data(json, dictionary.get());
  CHECK(frame != json);
  CHECK(vigie::decode_document_data(vigie::stored_data_json(frame, dictionary.get())).title ==
        vigie::decode_document_data(json).title);
}

TEST_CASE("data that cannot be read gives nothing, never a crash") {
  auto dictionary = trained();
  auto other = DataDictionary::train(samples(350));
  REQUIRE(other);
  REQUIRE(other->id() != dictionary->id());
  const std::string frame = dictionary->compress(deliberation(7));
  // A frame without its dictionary, or with another one.
  CHECK(vigie::stored_data_json(frame, nullptr).empty());
  CHECK_FALSE(other->decompress(frame));
  CHECK(vigie::stored_data_json(frame, other.get()).empty());
  // Damaged frames: truncated at every length, and every byte flipped in turn.
  for (std::size_t n = 0; n < frame.size(); ++n)
    CHECK_FALSE(dictionary->decompress(frame.substr(0, n)));
  for (std::size_t i = 0; i < frame.size(); ++i) {
    std::string damaged = frame;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x5A);
    auto out =
        dictionary->decompress(damaged);  // may happen to decode: content bytes are not checked
    if (out) CHECK(out->size() < (1u << 20));
  }
  // Not frames at all.
  for (const std::string& junk :
       {std::string(), std::string("\x28\xB5\x2F"), std::string("\x28\xB5\x2F\xFD"),
        std::string("not json"), std::string(64, '\xFF')})
    CHECK(
        vigie::decode_document_data(vigie::stored_data_json(junk, dictionary.get())).body.empty());
  // A frame header claiming a huge content size is refused before any allocation.
  // (Descriptor: 8-byte content size, single segment, 4-byte dictionary id.)
  std::string huge = frame.substr(0, 4) + '\xE3';
  for (int shift = 0; shift < 32; shift += 8)
    huge += static_cast<char>((dictionary->id() >> shift) & 0xFF);
  for (int shift = 0; shift < 64; shift += 8)
    huge += static_cast<char>(((1ull << 40) >> shift) & 0xFF);
  huge += frame.substr(frame.size() / 2);
  CHECK_FALSE(dictionary->decompress(huge));
}

TEST_CASE("the dictionary is kept in the index's metadata and read back from it") {
  vigie::test::ScratchDir dir;
  const std::string path = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    CHECK_FALSE(DataDictionary::load(db));
    trained()->store(db);
    db.commit();
  }
  Xapian::Database db(path);
  auto loaded = DataDictionary::load(db);
  REQUIRE(loaded);
  auto original = trained();
  CHECK(loaded->id() == original->id());
  CHECK(loaded->decompress(original->compress(deliberation(9))) == deliberation(9));
}

TEST_CASE("a damaged dictionary in the index is an error, not silent garbage") {
  vigie::test::ScratchDir dir;
  const std::string path = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    db.set_metadata(std::string(DataDictionary::kMetadataKey), "this is not a zstd dictionary");
    db.commit();
  }
  CHECK_THROWS_AS(DataDictionary::load(Xapian::Database(path)), vigie::DataDictionaryError);
  CHECK_THROWS_AS(DataDictionary(std::string()), vigie::DataDictionaryError);
}
