// MultiValueColumn: the boolean terms of one prefix (XP persons) by document
// id, for facets of fields that hold several values per document, where
// FacetColumns' columns hold one (a value slot).
//
// Why a column and not Xapian's postings at count time: a facet needs, for
// each match, the values it holds; walking every XP posting list per search
// would cost a posting per (person, document) whatever the match count.
// Layout: CSR — offsets by document id into one array of value codes — so a
// match costs one offset lookup and its few codes. Memory: 4 bytes per
// document + 4 per (document, value) pair. Measured on the real corpus
// (../shared/corpus: 1,641 documents, 42 persons on 3,151 pairs;
// tests/index_setup_test.cpp prints it): 20 KB, read in 1.5 ms (Debug+ASan)
// plus one stored document per person for its label; at the bench's 100,000
// documents with two persons each it would be ~1.2 MB, beside the ~5 MB of
// the other columns, read once per revision.
//
// Ownership: immutable once built. Thread-safety: read-only, share freely.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigie {

class MultiValueColumn {
 public:
  // The display name of a value, given its term body (without the prefix)
  // and one document holding it (the facet's label: persons are indexed
  // folded, "jean dupont", and shown as written, « Jean Dupont »).
  using Labeller = std::function<std::string(const std::string& key, Xapian::docid holder)>;

  MultiValueColumn() = default;
  // Reads every term of `prefix` and its postings (one pass per term).
  MultiValueColumn(const Xapian::Database& db, std::string_view prefix, const Labeller& label);

  // The value codes (≥ 1) of a document; none for an id the column does not
  // know (a document added after it was read).
  std::span<const std::uint32_t> codes(Xapian::docid id) const {
    if (id + 1 >= offsets_.size()) return {};
    return {codes_.data() + offsets_[id], codes_.data() + offsets_[id + 1]};
  }
  const std::string& key(std::uint32_t code) const { return keys_[code - 1]; }
  const std::string& label(std::uint32_t code) const { return labels_[code - 1]; }
  std::size_t distinct_values() const { return keys_.size(); }
  std::size_t memory_bytes() const;

 private:
  std::vector<std::uint32_t>
      offsets_;  // by document id: its codes are [offsets[id], offsets[id+1])
  std::vector<std::uint32_t> codes_;
  std::vector<std::string> keys_, labels_;  // code - 1 → term body, display name
};

}  // namespace vigie
