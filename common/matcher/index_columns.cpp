#include "matcher/index_columns.h"

#include <charconv>

#include "index/document_data.h"
#include "index/schema.h"

namespace vigie {
namespace {
constexpr std::size_t kRevisionsKept = 2;

// The date slot's values ("YYYYMMDD") as numbers by document id; a value
// that is not 8 digits counts as none.
std::vector<std::uint32_t> read_dates(const Xapian::Database& db) {
  std::vector<std::uint32_t> dates(db.get_lastdocid() + 1, 0);
  for (auto it = db.valuestream_begin(schema::kSlotDate);
       it != db.valuestream_end(schema::kSlotDate); ++it) {
    const std::string value = *it;
    std::uint32_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.size() == 8 && ec == std::errc() && end == value.data() + value.size() &&
        it.get_docid() < dates.size())
      dates[it.get_docid()] = n;
  }
  return dates;
}

std::vector<std::uint32_t> read_lengths(const Xapian::Database& db) {
  std::vector<std::uint32_t> lengths(db.get_lastdocid() + 1, 0);
  for (auto it = db.postlist_begin(std::string()); it != db.postlist_end(std::string()); ++it)
    if (*it < lengths.size()) lengths[*it] = it.get_doclength();
  return lengths;
}

// Persons (XP terms, folded) by document, labelled with the name as one
// document holding it writes it (its stored data's persons).
template <typename DictionaryOf>
MultiValueColumn read_persons(const Xapian::Database& db, DictionaryOf dictionary_of) {
  return MultiValueColumn(
      db, schema::kPersonPrefix, [&](const std::string& key, Xapian::docid holder) {
        const SourceDocument doc = decode_document_data(
            stored_data_json(stored_data_of(db.get_document(holder)), dictionary_of(holder)));
        for (const auto& person : doc.persons)
          if (schema::facet_key(person) == key) return person;
        return key;
      });
}

}  // namespace

std::shared_ptr<const IndexColumns> IndexColumns::read(
    const Xapian::Database& db, const std::filesystem::path& generation_dir,
    const std::vector<Xapian::Database>* shards) {
  auto dictionary = DataDictionary::load(db);
  std::vector<std::shared_ptr<const DataDictionary>> shard_dictionaries;
  std::shared_ptr<const ShardVocabularies> vocabularies;
  if (shards) {
    for (const auto& shard : *shards) shard_dictionaries.push_back(DataDictionary::load(shard));
    vocabularies = std::make_shared<const ShardVocabularies>(*shards);
  }
  auto id_terms = vocabularies ? std::make_shared<IdTermMemo>() : nullptr;
  auto dictionary_of = [&](Xapian::docid id) {
    return shard_dictionaries.empty()
               ? dictionary.get()
               : shard_dictionaries[(id - 1) % shard_dictionaries.size()].get();
  };
  std::vector<MultiValueColumn> multi;
  multi.push_back(read_persons(db, dictionary_of));
  DuplicateGroups families(db, schema::kSlotFamily);
  WholeParts wholes(db, families);
  return std::make_shared<const IndexColumns>(IndexColumns{
      FacetColumns(db, {schema::kSlotType, schema::kSlotOrganisation, schema::kSlotYear},
                   std::move(multi)),
      std::move(families), std::move(wholes), read_dates(db), read_lengths(db),
      std::move(dictionary), std::make_shared<const StreamStoreSlot>(generation_dir),
      std::make_shared<FilterBitmaps>(), std::make_shared<PostingCache>(),
      std::move(shard_dictionaries), std::move(vocabularies), std::move(id_terms)});
}

std::shared_ptr<const IndexColumns> SharedColumns::get(
    const Xapian::Database& db, const std::string& key, const std::filesystem::path& generation_dir,
    const std::vector<Xapian::Database>* shards) {
  std::lock_guard lock(mutex_);
  for (const auto& [k, columns] : recent_)
    if (k == key) return columns;
  // Read under the lock: Searchers arriving meanwhile wait for this read
  // instead of doing it again. A Xapian error propagates; nothing is kept.
  auto columns = IndexColumns::read(db, generation_dir, shards);
  ++reads_;
  recent_.emplace_front(key, columns);
  if (recent_.size() > kRevisionsKept) recent_.pop_back();
  return columns;
}

std::uint64_t SharedColumns::reads() const {
  std::lock_guard lock(mutex_);
  return reads_;
}

}  // namespace vigie
