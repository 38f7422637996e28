#include "matcher/index_columns.h"

#include <charconv>

#include "index/document_data.h"
#include "index/schema.h"
#include "matcher/slot_reader.h"
#include "vigie/decision_search.h"

namespace vigie {
namespace {
constexpr std::size_t kRevisionsKept = 2;

// The date slot's values ("YYYYMMDD") as numbers by document id; a value
// that is not 8 digits counts as none.
std::vector<std::uint32_t> read_dates(const SlotReader& reader, Xapian::docid last) {
  std::vector<std::uint32_t> dates(last + 1, 0);
  reader.for_each_value(schema::kSlotDate, [&](Xapian::docid id, std::string&& value) {
    std::uint32_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.size() == 8 && ec == std::errc() && end == value.data() + value.size() &&
        id < dates.size())
      dates[id] = n;
  });
  return dates;
}

// The amount slot's values as cents + 1 by document id; empty when no
// document has one.
std::vector<std::uint64_t> read_amounts(const SlotReader& reader, Xapian::docid last) {
  std::vector<std::uint64_t> amounts;
  reader.for_each_value(schema::kSlotAmount, [&](Xapian::docid id, std::string&& value) {
    if (id > last) return;  // a concurrent commit: the next revision's columns
    if (amounts.empty()) amounts.assign(static_cast<std::size_t>(last) + 1, 0);
    amounts[id] = amount_cents(Xapian::sortable_unserialise(value)) + 1;
  });
  return amounts;
}

// The « Montant » facet: each document's bucket (amount_buckets(), code =
// index + 1; 0: no amount), from the amounts read above.
FacetColumns::Coded amount_buckets_of(const std::vector<std::uint64_t>& amounts,
                                      Xapian::docid last) {
  FacetColumns::Coded coded;
  for (const AmountBucket& bucket : amount_buckets()) coded.values.emplace_back(bucket.key);
  if (amounts.empty()) return coded;  // no document has an amount: no codes (code() says 0)
  coded.codes.assign(static_cast<std::size_t>(last) + 1, 0);
  const auto& buckets = amount_buckets();
  for (std::size_t id = 1; id < amounts.size() && id <= last; ++id) {
    if (amounts[id] == 0) continue;
    const std::uint64_t cents = amounts[id] - 1;
    for (std::size_t b = 0; b < buckets.size(); ++b)
      if (buckets[b].range.low <= cents && cents <= buckets[b].range.high)
        coded.codes[id] = static_cast<std::uint32_t>(b + 1);
  }
  return coded;
}

// Votes (XV terms: outcome, contre, abstention) by document, labelled in French.
MultiValueColumn read_votes(const Xapian::Database& db) {
  return MultiValueColumn(db, schema::kVotePrefix, [](const std::string& key, Xapian::docid) {
    auto vote = parse_vote_filter(key);
    return vote ? std::string(vote_filter_label(*vote)) : key;
  });
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

std::shared_ptr<const IndexColumns> IndexColumns::read(const Xapian::Database& db,
                                                       const std::filesystem::path& generation_dir,
                                                       const std::vector<Xapian::Database>* shards,
                                                       bool remote) {
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
  const SlotReader reader(db, shards);
  const Xapian::docid last = db.get_lastdocid();
  std::vector<MultiValueColumn> multi;
  multi.push_back(read_persons(db, dictionary_of));
  multi.push_back(read_votes(db));
  auto amounts = read_amounts(reader, last);
  std::vector<FacetColumns::Coded> coded;
  coded.push_back(amount_buckets_of(amounts, last));
  DuplicateGroups families(reader, last, schema::kSlotFamily);
  WholeParts wholes(db, reader, families);
  return std::make_shared<const IndexColumns>(IndexColumns{
      FacetColumns(reader, last, {schema::kSlotType, schema::kSlotOrganisation, schema::kSlotYear},
                   std::move(multi), std::move(coded)),
      std::move(families), std::move(wholes), read_dates(reader, last), std::move(amounts),
      reader.lengths(), std::move(dictionary),
      std::make_shared<const StreamStoreSlot>(generation_dir), std::make_shared<FilterBitmaps>(),
      std::make_shared<PostingCache>(PostingCache::kMaxBytes, remote),
      std::move(shard_dictionaries), std::move(vocabularies), std::move(id_terms)});
}

std::shared_ptr<const IndexColumns> SharedColumns::get(const Xapian::Database& db,
                                                       const std::string& key,
                                                       const std::filesystem::path& generation_dir,
                                                       const std::vector<Xapian::Database>* shards,
                                                       bool remote) {
  std::lock_guard lock(mutex_);
  for (const auto& [k, columns] : recent_)
    if (k == key) return columns;
  // Read under the lock: Searchers arriving meanwhile wait for this read
  // instead of doing it again. A Xapian error propagates; nothing is kept.
  auto columns = IndexColumns::read(db, generation_dir, shards, remote);
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
