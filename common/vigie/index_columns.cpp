#include "vigie/index_columns.h"

#include "vigie/schema.h"

namespace vigie {
namespace {
constexpr std::size_t kRevisionsKept = 2;
}  // namespace

std::shared_ptr<const IndexColumns> IndexColumns::read(const Xapian::Database& db) {
  return std::make_shared<const IndexColumns>(IndexColumns{
      FacetColumns(db, {schema::kSlotType, schema::kSlotOrganisation, schema::kSlotYear}),
      DuplicateGroups(db, schema::kSlotContentHash), DataDictionary::load(db)});
}

std::shared_ptr<const IndexColumns> SharedColumns::get(const Xapian::Database& db, const std::string& key) {
  std::lock_guard lock(mutex_);
  for (const auto& [k, columns] : recent_)
    if (k == key) return columns;
  // Read under the lock: Searchers arriving meanwhile wait for this read
  // instead of doing it again. A Xapian error propagates; nothing is kept.
  auto columns = IndexColumns::read(db);
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
