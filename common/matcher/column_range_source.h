// ColumnRangeSource: a Xapian posting source matching the documents whose
// number in an in-memory column (by document id) lies in [low, high] — the
// date filters, on IndexColumns::dates, in place of OP_VALUE_RANGE; the
// amount filters (montant:) the same way on IndexColumns::amounts, 64-bit
// numbers (WideColumnRangeSource).
//
// Why: Xapian's value range reads the document's value from the B-tree for
// every candidate; a date range over a common word made its top-10 pass
// check ~40,000 values at 100k documents (bench/README.md). The column
// answers with an array lookup. A value of 0 is "no value" (never matched),
// as a document without a date never matches a value range.
//
// Ownership: the column must outlive every query holding the source (the
// searcher keeps its IndexColumns for the search). Thread-safety: one
// source per query; clone() gives the matcher its own.
#pragma once

#include <xapian.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vigie {

template <typename Number>
class BasicColumnRangeSource : public Xapian::PostingSource {
 public:
  BasicColumnRangeSource(const std::vector<Number>& column, Number low, Number high);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return matching_; }
  Xapian::doccount get_termfreq_est() const override { return matching_; }
  Xapian::doccount get_termfreq_max() const override { return matching_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return current_ > last_; }
  Xapian::docid get_docid() const override { return current_; }
  BasicColumnRangeSource* clone() const override;
  std::string get_description() const override;

 private:
  bool in_range(Xapian::docid id) const {
    const Number v = id < column_.size() ? column_[id] : 0;
    return v != 0 && low_ <= v && v <= high_;
  }
  // Moves to the first matching document at `from` or after.
  void advance_from(Xapian::docid from);

  // The count of matches for a database's last id, shared with the clones:
  // a search initialises the source once per matcher pass (several), and
  // the count is an array scan (last id << 32 | count; 0: none yet).
  using CountMemo = std::shared_ptr<std::atomic<std::uint64_t>>;
  BasicColumnRangeSource(const std::vector<Number>& column, Number low, Number high,
                         CountMemo counted);

  const std::vector<Number>& column_;
  Number low_, high_;
  CountMemo counted_;
  Xapian::doccount matching_ = 0;
  Xapian::docid last_ = 0;
  Xapian::docid current_ = 0;
};

using ColumnRangeSource = BasicColumnRangeSource<std::uint32_t>;
using WideColumnRangeSource = BasicColumnRangeSource<std::uint64_t>;

// A query matching [low, high] of `column`, owning its source.
Xapian::Query column_range_query(const std::vector<std::uint32_t>& column, std::uint32_t low,
                                 std::uint32_t high);
Xapian::Query column_range_query(const std::vector<std::uint64_t>& column, std::uint64_t low,
                                 std::uint64_t high);

}  // namespace vigie
