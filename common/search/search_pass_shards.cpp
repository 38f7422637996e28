// SearchPass over a database of several shards (docs/architecture.md,
// "Shards"): the shortlist's page is ranked by Xapian's built-in matcher
// among its documents (matcher/listed_ranking.h), since a remote shard runs
// no posting source, and then put back in the shortlist's order, whose
// weights hold the proximity boost (matcher/proximity.h) that Xapian's
// matcher does not know.
#include <algorithm>
#include <numeric>

#include "index/schema.h"
#include "matcher/listed_ranking.h"
#include "search/search_pass.h"

namespace vigie {
namespace {

bool ranks_before(const WeighedDocument& a, const WeighedDocument& b) {
  return a.weight > b.weight || (a.weight == b.weight && a.id < b.id);
}

}  // namespace

Xapian::MSet SearchPass::sharded_page(Xapian::doccount from, Xapian::doccount count) {
  std::vector<WeighedDocument> order = *candidates_;
  std::sort(order.begin(), order.end(), ranks_before);
  MatchBitmap page(db_.get_lastdocid());
  for (std::size_t i = from; i < order.size() && i < std::size_t{from} + count; ++i)
    page.set(order[i].id);
  return rank_listed(db_, query_, weight_, page, 0, count);
}

// Without a shortlist (date order, a phrase's page): every match, ranked by
// Xapian's matcher, the duplicate filter and hidden sessions asked by id.
Xapian::MSet SearchPass::sharded_matches_page(Xapian::doccount from, Xapian::doccount count) {
  auto listed = [this](Xapian::docid id) {
    if (hidden_ && hidden_->test(id)) return false;
    return !duplicates_ || duplicates_->keep(id);
  };
  ListedSort sort;
  if (request_.sort != SortOrder::Relevance) {
    sort.slot = schema::kSlotDate;
    sort.descending = request_.sort == SortOrder::Newest;
  }
  return rank_listed(db_, query_, weight_, *matches_, from, count, listed, sort);
}

double SearchPass::weight_of(const Xapian::MSetIterator& item) const {
  if (!sharded() || !candidates_) return item.get_weight();
  // candidates_ is in id order (bitmap_ranking.h).
  const auto found = std::lower_bound(
      candidates_->begin(), candidates_->end(), *item,
      [](const WeighedDocument& d, Xapian::docid id) { return d.id < id; });
  return found != candidates_->end() && found->id == *item ? found->weight : item.get_weight();
}

void SearchPass::order_by_weighed(std::vector<Hit>& hits, std::size_t first) const {
  std::vector<WeighedDocument> page;
  for (auto item = mset_.begin(); item != mset_.end(); ++item)
    page.push_back({weight_of(item), *item});
  std::vector<std::size_t> order(page.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return ranks_before(page[a], page[b]); });
  std::vector<Hit> sorted;
  for (std::size_t i : order) sorted.push_back(std::move(hits[first + i]));
  std::move(sorted.begin(), sorted.end(), hits.begin() + static_cast<std::ptrdiff_t>(first));
}

}  // namespace vigie
