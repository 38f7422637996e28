#include "matcher/column_range_source.h"

#include <algorithm>

namespace vigie {

template <typename Number>
BasicColumnRangeSource<Number>::BasicColumnRangeSource(const std::vector<Number>& column,
                                                       Number low, Number high)
    : BasicColumnRangeSource(column, low, high, std::make_shared<std::atomic<std::uint64_t>>(0)) {}

template <typename Number>
BasicColumnRangeSource<Number>::BasicColumnRangeSource(const std::vector<Number>& column,
                                                       Number low, Number high, CountMemo counted)
    : column_(column), low_(low), high_(high), counted_(std::move(counted)) {}

template <typename Number>
void BasicColumnRangeSource<Number>::init(const Xapian::Database& db) {
  // Documents added after the column was read are not in it: no date known.
  last_ = std::min<Xapian::docid>(
      db.get_lastdocid(), column_.empty() ? 0 : static_cast<Xapian::docid>(column_.size() - 1));
  // Counted here (an array scan, ~50 µs at 100k) so that Xapian's
  // estimates of a result set are as good as with a value range.
  const std::uint64_t memo = counted_->load(std::memory_order_relaxed);
  if (memo != 0 && (memo >> 32) == last_) {
    matching_ = static_cast<Xapian::doccount>(memo & 0xFFFFFFFFu);
  } else {
    matching_ = 0;
    for (Xapian::docid id = 1; id <= last_; ++id)
      if (in_range(id)) ++matching_;
    counted_->store((static_cast<std::uint64_t>(last_) << 32) | matching_,
                    std::memory_order_relaxed);
  }
  current_ = 0;      // before the first document; the matcher calls next() first
  set_maxweight(0);  // a filter: it adds no weight
}

template <typename Number>
void BasicColumnRangeSource<Number>::advance_from(Xapian::docid from) {
  current_ = from;
  while (current_ <= last_ && !in_range(current_)) ++current_;
}

template <typename Number>
void BasicColumnRangeSource<Number>::next(double) {
  advance_from(current_ + 1);
}

template <typename Number>
void BasicColumnRangeSource<Number>::skip_to(Xapian::docid did, double) {
  if (did > current_) advance_from(did);
}

template <typename Number>
bool BasicColumnRangeSource<Number>::check(Xapian::docid did, double) {
  // An O(1) answer; when `did` does not match, next() and skip_to() go on
  // from after it, as Xapian allows.
  current_ = did;
  return in_range(did);
}

template <typename Number>
BasicColumnRangeSource<Number>* BasicColumnRangeSource<Number>::clone() const {
  return new BasicColumnRangeSource(column_, low_, high_, counted_);
}

template <typename Number>
std::string BasicColumnRangeSource<Number>::get_description() const {
  return "ColumnRangeSource(" + std::to_string(low_) + ".." + std::to_string(high_) + ")";
}

template class BasicColumnRangeSource<std::uint32_t>;
template class BasicColumnRangeSource<std::uint64_t>;

Xapian::Query column_range_query(const std::vector<std::uint32_t>& column, std::uint32_t low,
                                 std::uint32_t high) {
  return Xapian::Query((new ColumnRangeSource(column, low, high))->release());
}

Xapian::Query column_range_query(const std::vector<std::uint64_t>& column, std::uint64_t low,
                                 std::uint64_t high) {
  return Xapian::Query((new WideColumnRangeSource(column, low, high))->release());
}

}  // namespace vigie
