// DataDictionary: the zstd dictionary a generation's document data is
// compressed with.
//
// Each document's data (document_data.h: metadata plus the whole text, ~2 KB
// of JSON) is one Xapian item; glass compressed them one by one with zlib,
// which learns nothing across documents and kept the data at 0.55× its size.
// A dictionary trained on the generation's own documents holds what they
// share (keys, the phrasing of minutes, names) and brings it to ~0.25×: the
// biggest single cut in the index size (bench/README.md).
//
// The dictionary is trained once per generation by the --full build, from a
// sample of the documents, and kept in the generation's metadata
// (kMetadataKey); incremental runs compress with it, searches read it once
// per revision (index_columns.h). An index without one keeps plain JSON.
// Stored data is therefore either JSON (it starts with '{') or a zstd frame
// naming this dictionary's id: stored_data_json() tells them apart.
//
// Thread-safety: a DataDictionary is immutable and shared between threads
// (each thread compresses and decompresses with contexts of its own).
// Errors: load() throws DataDictionaryError for a stored dictionary zstd
// refuses; decompressing data that is not a frame of this dictionary gives
// nullopt, never an exception.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace vigie {

class DataDictionaryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class DataDictionary {
 public:
  static constexpr std::string_view kMetadataKey = "vigie.data_dictionary";

  // Trains a dictionary on `samples` (document data as JSON). nullptr when
  // they are too few or too small to learn from (a small corpus: its data
  // then stays JSON, which costs little at that size).
  static std::shared_ptr<const DataDictionary> train(const std::vector<std::string>& samples);
  // The dictionary kept in `db`, or nullptr when it has none.
  static std::shared_ptr<const DataDictionary> load(const Xapian::Database& db);
  // Keeps this dictionary in `db` (effective at its next commit).
  void store(Xapian::WritableDatabase& db) const;

  explicit DataDictionary(std::string bytes);  // throws DataDictionaryError
  ~DataDictionary();
  DataDictionary(const DataDictionary&) = delete;
  DataDictionary& operator=(const DataDictionary&) = delete;

  std::string compress(std::string_view data) const;
  // nullopt when `frame` is not a zstd frame made with this dictionary, or
  // is damaged.
  std::optional<std::string> decompress(std::string_view frame) const;

  std::uint32_t id() const { return id_; }
  std::size_t size() const { return bytes_.size(); }

 private:
  struct Contexts;
  std::string bytes_;
  std::uint32_t id_ = 0;
  std::unique_ptr<Contexts> contexts_;
};

// A document's data as the index stores it: `json` compressed with
// `dictionary`, or `json` itself when there is none.
std::string stored_data(std::string json, const DataDictionary* dictionary);
// The JSON of stored data: the data itself when it is JSON, else its frame
// decompressed with `dictionary`. Empty when it cannot be read (a frame
// without its dictionary, damaged data): decode_document_data() then gives
// an empty document, as for any unreadable data.
std::string stored_data_json(std::string_view stored, const DataDictionary* dictionary);

// Where a document keeps its stored data: value schema::kSlotData, not
// Xapian's document data (index_schema.h says why).
void set_stored_data(Xapian::Document& doc, std::string stored);
// The stored data of `doc` (value kSlotData).
std::string stored_data_of(const Xapian::Document& doc);

}  // namespace vigie
