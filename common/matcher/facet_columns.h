// FacetColumns and FacetCounter: facet counts over a result set at the cost
// of an array lookup per match.
//
// Why: Xapian's ValueCountMatchSpy reads a document's value from the
// B-tree for every match the matcher examines, once per facet; with three
// facets that was a quarter of a search's time (bench/README.md). The facet
// values (type, organisation, year) are few and small, so the searcher keeps
// them in memory as columns indexed by document id — read once per database
// revision from Xapian's value streams — and FacetCounter, a MatchSpy, only
// looks the examined document's id up. Fields with several values per
// document (persons) are MultiValueColumns, counted after the single-valued
// columns: column indexes [columns(), columns() + multi_columns()).
//
// Ownership: FacetColumns is immutable once built; a FacetCounter refers to
// one and must not outlive it. Thread-safety: share FacetColumns freely
// (read-only); a FacetCounter belongs to one search.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "matcher/multi_value_column.h"
#include "matcher/slot_reader.h"

namespace vigie {

class FacetColumns {
 public:
  // A single-valued column computed by the caller (the amount buckets, from
  // the amounts: index_columns.h): codes by document id (0: no value),
  // code - 1 → value.
  struct Coded {
    std::vector<std::uint32_t> codes;
    std::vector<std::string> values;
  };
  // Reads `slots` for every document up to `last` (one pass over each
  // slot); the `coded` columns follow them (their slot() is meaningless).
  FacetColumns(const SlotReader& reader, Xapian::docid last, std::vector<Xapian::valueno> slots,
               std::vector<MultiValueColumn> multi = {}, std::vector<Coded> coded = {});

  std::size_t columns() const { return columns_.size(); }
  Xapian::valueno slot(std::size_t column) const { return columns_[column].slot; }
  // The value's code for a document (0 = no value, or a document id the
  // columns do not know: one added after they were read).
  std::uint32_t code(std::size_t column, Xapian::docid id) const {
    const auto& codes = columns_[column].codes;
    return id < codes.size() ? codes[id] : 0;
  }
  // The value a code stands for (code ≥ 1).
  const std::string& value(std::size_t column, std::uint32_t code) const {
    return columns_[column].values[code - 1];
  }
  std::size_t distinct_values(std::size_t column) const { return columns_[column].values.size(); }
  // The multi-valued columns, numbered after the single-valued ones.
  const std::vector<MultiValueColumn>& multi() const { return multi_; }
  // The columns some document has a value in (single-valued, then
  // multi-valued by their index in multi()): the only ones a match is
  // counted in, so that a field no document holds (an index without
  // decisions: no vote, no amount) costs a search nothing.
  const std::vector<std::size_t>& filled() const { return filled_; }
  const std::vector<std::size_t>& filled_multi() const { return filled_multi_; }

 private:
  struct Column {
    Xapian::valueno slot = 0;
    std::vector<std::uint32_t> codes;  // by document id
    std::vector<std::string> values;   // code - 1 → value
  };
  std::vector<Column> columns_;
  std::vector<MultiValueColumn> multi_;
  std::vector<std::size_t> filled_, filled_multi_;
};

struct FacetCount {
  std::string value;
  Xapian::doccount count = 0;
  std::string label;  // a multi-valued column's display name; else the value
};

class FacetCounter : public Xapian::MatchSpy {
 public:
  explicit FacetCounter(const FacetColumns& columns);

  void operator()(const Xapian::Document& doc, double /*weight*/) override { add(doc.get_docid()); }
  // Counts one match by id (matches counted outside the matcher).
  void add(Xapian::docid id) {
    const std::size_t singles = columns_.columns();
    for (std::size_t c : columns_.filled()) ++counts_[c][columns_.code(c, id)];
    for (std::size_t m : columns_.filled_multi())
      for (std::uint32_t code : columns_.multi()[m].codes(id)) ++counts_[singles + m][code];
  }

  // Counts each of `ids` (ascending) as add(id) would, one column after
  // the other: a column's codes and counts stay in cache for the whole
  // pass instead of six arrays being touched per match (100k generated
  // documents, 6 columns with the decisions' vote and amount: the tally's
  // samples 1,365 → 1,038, search_bench p50 0.90 → 0.87 ms).
  void add(std::span<const Xapian::docid> ids);

  // Counts the matching members of one family as one document holding
  // each value any of them holds (a filter on a value finds the family
  // when any member has it: the counts agree with the filters).
  void add_family(std::span<const Xapian::docid> members);

  // Counts each document counted so far as `factor` documents (rounded; a
  // value counted at least once keeps at least 1): the counts of a sample
  // made estimates for the whole.
  void scale(double factor);

  // The `limit` most frequent values of a column: by count, descending, then
  // by value; documents without a value are not counted.
  std::vector<FacetCount> top(std::size_t column, std::size_t limit) const;

 private:
  const FacetColumns& columns_;
  std::vector<std::vector<Xapian::doccount>> counts_;  // column → code → count
};

}  // namespace vigie
