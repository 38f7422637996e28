// SearchPass over a database of several shards (docs/architecture.md,
// "Shards"): the shortlist's page is ranked by Xapian's built-in matcher
// among its documents (matcher/listed_ranking.h), since a remote shard runs
// no posting source, and then put back in the shortlist's order, whose
// weights hold the proximity boost (matcher/proximity.h) that Xapian's
// matcher does not know.
#include <algorithm>
#include <numeric>
#include <optional>

#include "index/schema.h"
#include "matcher/listed_ranking.h"
#include "matcher/position_filter_source.h"
#include "search/search_pass.h"

namespace vigie {
namespace {

bool ranks_before(const WeighedDocument& a, const WeighedDocument& b) {
  return a.weight > b.weight || (a.weight == b.weight && a.id < b.id);
}

}  // namespace

// Over shards the companion engine must know the matches: Xapian's matcher
// would run our posting sources, spy and decider, which a remote shard
// cannot (and a local one would read with its own ids). A phrase that
// count_positional() leaves (a negated one) is checked on every candidate;
// a query part match_bitmap() cannot read is refused, saying so.
void SearchPass::require_known_matches() {
  if (!sharded() || matches_) return;
  for (const auto& part : sources_.positions)
    if (!part.checks->attached()) part.checks->attach(db_, *sources_.shard_vocabularies);
  matches_ = match_bitmap(db_, query_, sources_);
  if (!matches_)
    throw QuerySyntaxError(
        "cette recherche ne peut pas être faite sur un index réparti en plusieurs parties");
}

Xapian::MSet SearchPass::sharded_page(Xapian::doccount from, Xapian::doccount count) {
  std::vector<WeighedDocument> order = *candidates_;
  std::sort(order.begin(), order.end(), ranks_before);
  MatchBitmap page(db_.get_lastdocid());
  for (std::size_t i = from; i < order.size() && i < std::size_t{from} + count; ++i)
    page.set(order[i].id);
  return rank_listed(db_, query_, weight_, page, 0, count, columns_.id_terms.get());
}

// Without a shortlist (date order, a phrase's page): every match, ranked by
// Xapian's matcher, the duplicate filter and hidden sessions asked by id.
Xapian::MSet SearchPass::sharded_matches_page(Xapian::doccount from, Xapian::doccount count) {
  auto listed = [this](Xapian::docid id) {
    if (hidden_ && hidden_->test(id)) return false;
    return !duplicates_ || duplicates_->keep(id);
  };
  ListedSort sort;
  if (request_.sort == SortOrder::Amount) {  // as set_up_enquire() on one index
    sort.slot = schema::kSlotAmount;
    sort.descending = true;
  } else if (request_.sort != SortOrder::Relevance) {
    sort.slot = schema::kSlotDate;
    sort.descending = request_.sort == SortOrder::Newest;
  }
  return rank_listed(db_, query_, weight_, *matches_, from, count, columns_.id_terms.get(), listed,
                     sort);
}

// Phrases in date order, or negated: one index counts and ranks them with
// Xapian's matcher, which sees the matches in id order past the duplicate
// filter (the first of a family is the result, and only its facet values
// count) and merges no session into its deliberations; shards count the
// checked matches so, and rank every one (sharded_matches_page()).
bool SearchPass::counted_by_matcher_on_one_database() const {
  return !leaves_.positions().empty() && !positional_;
}

void SearchPass::tally_as_matcher() {
  std::optional<DuplicateFilter> families;
  if (duplicates_) families.emplace(columns_.duplicates);
  matches_->for_each([&](Xapian::docid id) {
    if (families && !families->keep(id)) return;
    ++counted_;
    if (counter_) counter_->add(id);
  });
}

// A page of every match (date order): its percentages as one index's
// matcher gives them (bitmap_ranking.h percent_factor: the query's posting
// sources count, the page's id filter does not; a remote shard's would), from
// the best weighted match, which a page in date order need not hold.
void SearchPass::scale_sharded_percentages() {
  if (mset_.empty()) return;
  std::optional<DuplicateFilter> families;  // its own: rank_listed asks in id order
  if (duplicates_) families.emplace(columns_.duplicates);
  auto listed = [&](Xapian::docid id) { return !families || families->keep(id); };
  const Xapian::MSet best =
      rank_listed(db_, query_, weight_, *matches_, 0, 1, columns_.id_terms.get(), listed);
  if (!best.empty())
    percent_scale_ =
        percent_factor(db_, query_, sources_, *best.begin(), best.begin().get_weight());
}

double SearchPass::weight_of(const Xapian::MSetIterator& item) const {
  if (!sharded() || !candidates_) return item.get_weight();
  // candidates_ is in id order (bitmap_ranking.h).
  const auto found =
      std::lower_bound(candidates_->begin(), candidates_->end(), *item,
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
