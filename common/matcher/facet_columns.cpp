#include "matcher/facet_columns.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace vigie {

FacetColumns::FacetColumns(const SlotReader& reader, Xapian::docid last,
                           std::vector<Xapian::valueno> slots, std::vector<MultiValueColumn> multi,
                           std::vector<Coded> coded)
    : multi_(std::move(multi)) {
  for (Xapian::valueno slot : slots) {
    Column column;
    column.slot = slot;
    column.codes.assign(static_cast<std::size_t>(last) + 1, 0);
    std::unordered_map<std::string, std::uint32_t> code_of;
    reader.for_each_value(slot, [&](Xapian::docid id, std::string&& value) {
      if (id > last) return;  // a concurrent commit; the next revision's columns will have it
      auto [it, added] =
          code_of.try_emplace(value, static_cast<std::uint32_t>(column.values.size() + 1));
      if (added) column.values.push_back(std::move(value));
      column.codes[id] = it->second;
    });
    columns_.push_back(std::move(column));
  }
  for (auto& c : coded) columns_.push_back(Column{0, std::move(c.codes), std::move(c.values)});
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    const auto& codes = columns_[c].codes;
    if (std::any_of(codes.begin(), codes.end(), [](std::uint32_t code) { return code != 0; }))
      filled_.push_back(c);
  }
  for (std::size_t m = 0; m < multi_.size(); ++m)
    if (multi_[m].distinct_values() > 0) filled_multi_.push_back(m);
}

FacetCounter::FacetCounter(const FacetColumns& columns) : columns_(columns) {
  counts_.resize(columns.columns() + columns.multi().size());
  for (std::size_t c = 0; c < columns.columns(); ++c)
    counts_[c].assign(columns.distinct_values(c) + 1, 0);
  for (std::size_t m = 0; m < columns.multi().size(); ++m)
    counts_[columns.columns() + m].assign(columns.multi()[m].distinct_values() + 1, 0);
}

void FacetCounter::scale(double factor) {
  for (auto& column : counts_)
    for (auto& count : column)
      if (count > 0)
        count = std::max<Xapian::doccount>(
            1, static_cast<Xapian::doccount>(std::llround(count * factor)));
}

std::vector<FacetCount> FacetCounter::top(std::size_t column, std::size_t limit) const {
  const auto& counts = counts_[column];
  const MultiValueColumn* multi =
      column >= columns_.columns() ? &columns_.multi()[column - columns_.columns()] : nullptr;
  std::vector<FacetCount> out;
  for (std::uint32_t code = 1; code < counts.size(); ++code) {
    if (counts[code] == 0) continue;
    if (multi)
      out.push_back({multi->key(code), counts[code], multi->label(code)});
    else
      out.push_back({columns_.value(column, code), counts[code], columns_.value(column, code)});
  }
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

void FacetCounter::add(std::span<const Xapian::docid> ids) {
  const std::size_t singles = columns_.columns();
  for (std::size_t c : columns_.filled()) {
    auto& counts = counts_[c];
    for (Xapian::docid id : ids) ++counts[columns_.code(c, id)];
  }
  for (std::size_t m : columns_.filled_multi()) {
    auto& counts = counts_[singles + m];
    const MultiValueColumn& column = columns_.multi()[m];
    for (Xapian::docid id : ids)
      for (std::uint32_t code : column.codes(id)) ++counts[code];
  }
}

void FacetCounter::add_family(std::span<const Xapian::docid> members) {
  const std::size_t singles = columns_.columns();
  std::vector<std::uint32_t> codes;
  for (std::size_t c = 0; c < singles + columns_.multi().size(); ++c) {
    codes.clear();
    for (Xapian::docid id : members) {
      if (c < singles) {
        codes.push_back(columns_.code(c, id));
      } else {
        const auto more = columns_.multi()[c - singles].codes(id);
        codes.insert(codes.end(), more.begin(), more.end());
      }
    }
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    for (std::uint32_t code : codes) ++counts_[c][code];
  }
}

}  // namespace vigie
