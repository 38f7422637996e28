#include "matcher/multi_value_column.h"

namespace vigie {

MultiValueColumn::MultiValueColumn(const Xapian::Database& db, std::string_view prefix,
                                   const Labeller& label) {
  const Xapian::docid last = db.get_lastdocid();
  // First pass: each document's count of values (into offsets_[id + 1]),
  // the pairs kept in term order; then a prefix sum and a placement pass.
  std::vector<std::pair<Xapian::docid, std::uint32_t>> pairs;
  offsets_.assign(static_cast<std::size_t>(last) + 2, 0);
  const std::string p(prefix);
  for (auto term = db.allterms_begin(p); term != db.allterms_end(p); ++term) {
    const std::string name = *term;
    const auto code = static_cast<std::uint32_t>(keys_.size() + 1);
    Xapian::docid first = 0;
    for (auto post = db.postlist_begin(name); post != db.postlist_end(name); ++post) {
      if (*post > last) break;  // a concurrent commit: the next revision's column has it
      if (!first) first = *post;
      pairs.emplace_back(*post, code);
      ++offsets_[*post + 1];
    }
    if (!first) continue;
    keys_.push_back(name.substr(p.size()));
    labels_.push_back(label(keys_.back(), first));
  }
  for (std::size_t i = 1; i < offsets_.size(); ++i) offsets_[i] += offsets_[i - 1];
  codes_.resize(pairs.size());
  std::vector<std::uint32_t> next(offsets_.begin(), offsets_.end() - 1);
  for (const auto& [id, code] : pairs) codes_[next[id]++] = code;
}

std::size_t MultiValueColumn::memory_bytes() const {
  std::size_t bytes = (offsets_.capacity() + codes_.capacity()) * sizeof(std::uint32_t);
  for (std::size_t i = 0; i < keys_.size(); ++i) bytes += keys_[i].size() + labels_[i].size();
  return bytes;
}

}  // namespace vigie
