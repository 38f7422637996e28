#include "matcher/duplicate_groups.h"

#include <algorithm>
#include <span>
#include <string>
#include <unordered_map>

#include "index/schema.h"

namespace vigie {

DuplicateGroups::DuplicateGroups(const SlotReader& reader, Xapian::docid last,
                                 Xapian::valueno slot) {
  // First pass: the first document of each text, and which texts repeat.
  struct Seen {
    Xapian::docid first;
    std::uint32_t group;
  };
  std::unordered_map<std::string, Seen> seen;
  group_of_.assign(static_cast<std::size_t>(last) + 1, 0);
  reader.for_each_value(slot, [&](Xapian::docid id, std::string&& hash) {
    if (id > last) return;  // a concurrent commit; the next revision's groups will have it
    auto [it, added] = seen.try_emplace(std::move(hash), Seen{id, 0});
    if (added) return;
    if (it->second.group == 0) {
      it->second.group = ++groups_;
      group_of_[it->second.first] = groups_;
    }
    group_of_[id] = it->second.group;
  });
  // Members by group: a counting sort of the ids.
  member_start_.assign(static_cast<std::size_t>(groups_) + 2, 0);
  for (std::uint32_t group : group_of_)
    if (group) ++member_start_[group + 1];
  for (std::size_t g = 1; g < member_start_.size(); ++g) member_start_[g] += member_start_[g - 1];
  members_.resize(member_start_.back());
  std::vector<std::uint32_t> next(member_start_.begin(), member_start_.end() - 1);
  for (Xapian::docid id = 0; id < group_of_.size(); ++id)
    if (group_of_[id]) members_[next[group_of_[id]]++] = id;
}

std::span<const Xapian::docid> DuplicateGroups::members(std::uint32_t group) const {
  if (group == 0 || group > groups_) return {};
  return {members_.data() + member_start_[group], member_start_[group + 1] - member_start_[group]};
}

WholeParts::WholeParts(const Xapian::Database& db, const SlotReader& reader,
                       const DuplicateGroups& groups) {
  const Xapian::docid last = db.get_lastdocid();
  std::unordered_map<std::string, Xapian::docid> wholes;  // id → docid (0: not in the index)
  reader.for_each_value(schema::kSlotPartOf, [&](Xapian::docid id, std::string&& whole) {
    if (id > last) return;
    auto [it, added] = wholes.try_emplace(std::move(whole), 0);
    if (added) {
      const std::string term = schema::id_term(it->first);
      auto post = db.postlist_begin(term);
      if (post != db.postlist_end(term)) it->second = *post;
    }
    if (it->second == 0) return;
    if (whole_of_.empty()) {
      whole_of_.assign(static_cast<std::size_t>(last) + 1, 0);
      has_parts_.assign(static_cast<std::size_t>(last) + 1, false);
    }
    whole_of_[id] = it->second;
    has_parts_[it->second] = true;
    by_whole_.emplace_back(it->second, id);
  });
  std::sort(by_whole_.begin(), by_whole_.end());
  for (Xapian::docid id = 0; id < has_parts_.size(); ++id) {
    if (!has_parts_[id]) continue;
    for (Xapian::docid member : groups.members(groups.group(id))) has_parts_[member] = true;
  }
}

std::vector<Xapian::docid> WholeParts::parts(const DuplicateGroups& groups,
                                             Xapian::docid id) const {
  std::vector<Xapian::docid> out;
  if (!has_parts(id)) return out;
  const std::uint32_t group = groups.group(id);
  const std::span<const Xapian::docid> wholes =
      group ? groups.members(group) : std::span<const Xapian::docid>(&id, 1);
  for (Xapian::docid whole : wholes) {
    auto it = std::lower_bound(by_whole_.begin(), by_whole_.end(),
                               std::make_pair(whole, Xapian::docid{0}));
    for (; it != by_whole_.end() && it->first == whole; ++it) out.push_back(it->second);
  }
  return out;
}

DuplicateFilter::DuplicateFilter(const DuplicateGroups& groups)
    : groups_(groups), kept_(groups.groups() + 1, 0) {}

bool DuplicateFilter::keep(Xapian::docid id) const {
  const std::uint32_t group = groups_.group(id);
  if (group == 0) return true;
  if (kept_[group] == 0 || kept_[group] == id) {
    kept_[group] = id;
    return true;
  }
  return false;
}

}  // namespace vigie
