#include "matcher/duplicate_groups.h"

#include <string>
#include <unordered_map>

namespace vigie {

DuplicateGroups::DuplicateGroups(const Xapian::Database& db, Xapian::valueno slot) {
  const Xapian::docid last = db.get_lastdocid();
  // First pass: the first document of each text, and which texts repeat.
  struct Seen {
    Xapian::docid first;
    std::uint32_t group;
  };
  std::unordered_map<std::string, Seen> seen;
  seen.reserve(db.get_doccount());
  group_of_.assign(static_cast<std::size_t>(last) + 1, 0);
  for (auto v = db.valuestream_begin(slot); v != db.valuestream_end(slot); ++v) {
    const Xapian::docid id = v.get_docid();
    if (id > last) break;  // a concurrent commit; the next revision's groups will have it
    std::string hash = *v;
    if (hash.empty()) continue;
    auto [it, added] = seen.try_emplace(std::move(hash), Seen{id, 0});
    if (added) continue;
    if (it->second.group == 0) {
      it->second.group = ++groups_;
      group_of_[it->second.first] = groups_;
    }
    group_of_[id] = it->second.group;
  }
}

DuplicateFilter::DuplicateFilter(const DuplicateGroups& groups)
    : groups_(groups), kept_(groups.groups() + 1, 0), dropped_(groups.groups() + 1, 0) {}

bool DuplicateFilter::keep(Xapian::docid id) const {
  const std::uint32_t group = groups_.group(id);
  if (group == 0) return true;
  if (kept_[group] == 0 || kept_[group] == id) {
    kept_[group] = id;
    return true;
  }
  ++dropped_[group];
  return false;
}

Xapian::doccount DuplicateFilter::dropped_for(Xapian::docid kept) const {
  const std::uint32_t group = groups_.group(kept);
  return group == 0 ? 0 : dropped_[group];
}

}  // namespace vigie
