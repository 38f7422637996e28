#include "matcher/positional_search.h"

#include <algorithm>
#include <memory>

#include "matcher/bitmap_ranking.h"
#include "matcher/position_filter_source.h"

namespace vigie {
namespace {

// Relaxes every part while alive.
class Relaxed {
 public:
  explicit Relaxed(const std::vector<PositionalPart>& parts) : parts_(parts) {
    for (const auto& p : parts_) p.checks->set_relaxed(true);
  }
  ~Relaxed() {
    for (const auto& p : parts_) p.checks->set_relaxed(false);
  }
  Relaxed(const Relaxed&) = delete;
  Relaxed& operator=(const Relaxed&) = delete;

 private:
  const std::vector<PositionalPart>& parts_;
};

// Whether run `run` is in a sample of about `budget` out of `candidates`:
// a mix of the number's bits (splitmix64's finaliser), so that the sample
// spreads over every folder and date.
bool sampled(Xapian::docid run, Xapian::doccount candidates, std::size_t budget) {
  std::uint64_t z = run + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  return z % candidates < budget;
}

// The page of `query` among the documents of `among`, a new `filter` for
// duplicates when `duplicates` is not null.
Xapian::MSet page_among(const Xapian::Database& db, const Xapian::Query& query,
                        const Xapian::Weight& weight, std::shared_ptr<const MatchBitmap> among,
                        Xapian::doccount offset, Xapian::doccount limit,
                        const DuplicateGroups* duplicates, std::optional<DuplicateFilter>& filter,
                        IdTermMemo* sharded = nullptr) {
  filter.reset();
  if (duplicates) filter.emplace(*duplicates);
  return rank_among(db, query, weight, std::move(among), offset, limit, filter ? &*filter : nullptr,
                    sharded);
}

// The `take` best documents of the relaxed query (every phrase accepting
// all its candidates), best first, and the weight of the last.
struct RelaxedBest {
  std::vector<Xapian::docid> ids;
  double last_weight = 0;
};

// By the shortlist's own weights when the relaxed query can be weighed here
// (bitmap_ranking.h) on one shard: Xapian's matcher over the shortlist
// opened every posting list of the query, a phrase's words' forms each
// (bench/queries.txt's phrases, p50 at 100k documents: 1.92 ms that way
// against 1.66 with the exact forms only; this way level with those, 2.01
// against 2.02 in a slower round; at 1M 4.0, then 3.86, against 3.5).
// Over shards, the matcher ranks the shortlist; without one, every
// candidate.
RelaxedBest relaxed_best(const Xapian::Database& db, const Xapian::Query& query,
                         const Xapian::Weight& weight, Xapian::Enquire& relaxed_enquire,
                         const PositionalCount& count, const std::vector<PositionalPart>& positions,
                         const BitmapSources& sources, const Ranking& ranking,
                         Xapian::doccount take) {
  const bool sharded = sources.id_terms != nullptr;
  Relaxed relaxed(positions);
  RelaxedBest best;
  std::vector<WeighedDocument> weighed;
  auto list = ranking.lengths
                  ? shortlist(db, query, count.relaxed, sources, *ranking.lengths, ranking.bm25,
                              take, ranking.scratch, sharded ? nullptr : &weighed)
                  : std::nullopt;
  if (list && !sharded) {
    std::sort(weighed.begin(), weighed.end(), [](const auto& a, const auto& b) {
      return a.weight > b.weight || (a.weight == b.weight && a.id < b.id);
    });
    if (weighed.size() > take) weighed.resize(take);
    for (const auto& w : weighed) best.ids.push_back(w.id);
    if (!weighed.empty()) best.last_weight = weighed.back().weight;
    return best;
  }
  if (sharded && !list) list = count.relaxed;
  const Xapian::MSet ranked =
      list ? rank_among(db, query, weight, std::make_shared<const MatchBitmap>(std::move(*list)), 0,
                        take, nullptr, sources.id_terms)
           : relaxed_enquire.get_mset(0, take);
  for (auto it = ranked.begin(); it != ranked.end(); ++it) best.ids.push_back(*it);
  if (!ranked.empty()) best.last_weight = ranked[ranked.size() - 1].get_weight();
  return best;
}

}  // namespace

bool relaxing_widens(const Xapian::Query& query, const std::vector<PositionalPart>& positions,
                     bool negated) {
  for (const auto& p : positions)
    if (p.node.internal.get() == query.internal.get()) return !negated;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    const bool right_of_not = query.get_type() == Xapian::Query::OP_AND_NOT && i > 0;
    if (!relaxing_widens(query.get_subquery(i), positions, negated || right_of_not)) return false;
  }
  return true;
}

std::optional<PositionalCount> count_positional(const Xapian::Database& db,
                                                const Xapian::Query& query,
                                                const BitmapSources& sources, std::size_t budget) {
  const bool sharded = sources.shard_vocabularies != nullptr;
  if (sources.positions.empty() || (db.size() != 1 && !sharded) ||
      !relaxing_widens(query, sources.positions))
    return std::nullopt;
  for (const auto& p : sources.positions)
    if (!p.checks->attached() && !(sharded ? p.checks->attach(db, *sources.shard_vocabularies)
                                           : p.checks->attach(db, sources.streams)))
      return std::nullopt;
  std::optional<MatchBitmap> candidates;
  {
    Relaxed relaxed(sources.positions);
    candidates = match_bitmap(db, query, sources);
  }
  if (!candidates) return std::nullopt;
  PositionalCount count{MatchBitmap(db.get_lastdocid()), candidates->count(), 0, *candidates};
  if (count.candidates <= budget) {
    count.checked = count.candidates;
    count.matches = *match_bitmap(db, query, sources, &*candidates);
    return count;
  }
  // Documents are sampled by runs of consecutive ids holding about four
  // candidates each: when candidates are dense, the streams of a run share
  // B-tree blocks (a block read is most of a check's cost).
  const Xapian::docid run = std::max<Xapian::docid>(1, 4 * db.get_lastdocid() / count.candidates);
  MatchBitmap sample(db.get_lastdocid());
  candidates->for_each([&](Xapian::docid id) {
    if (sampled(id / run, count.candidates, budget)) sample.set(id);
  });
  count.checked = sample.count();
  count.matches = *match_bitmap(db, query, sources, &sample);
  return count;
}

Xapian::MSet positional_page(const Xapian::Database& db, const Xapian::Query& query,
                             const BitmapSources& sources, const Ranking& ranking,
                             const PositionalCount& count, Xapian::doccount offset,
                             Xapian::doccount limit, const DuplicateGroups* duplicates,
                             std::optional<DuplicateFilter>& filter) {
  const auto& positions = sources.positions;
  const Xapian::Weight& weight = ranking.weight;
  if (count.exact()) {
    // Many matches: the matcher ranks their shortlist (bitmap_ranking.h),
    // not all of them — over shards that is an OR of every match's id term
    // (listed_ranking.h): « conseil municipal » on 2 shards of 100k
    // documents took over 20 s.
    auto among = std::make_shared<MatchBitmap>(count.matches);
    const std::size_t wanted = std::size_t{offset} + limit;
    if (ranking.lengths && count.matches.count() > 4 * (wanted + 4))
      if (auto list = shortlist(db, query, count.matches, sources, *ranking.lengths, ranking.bm25,
                                wanted, ranking.scratch, nullptr, duplicates))
        among = std::make_shared<MatchBitmap>(std::move(*list));
    return page_among(db, query, weight, among, offset, limit, duplicates, filter,
                      sources.id_terms);
  }
  // The relaxed query's best candidates, more each round, until the page's
  // last hit outweighs the best candidate left out (ties go by id: strictly).
  Xapian::Enquire relaxed_enquire(db);
  relaxed_enquire.set_query(query);
  relaxed_enquire.set_weighting_scheme(weight);
  if (limit == 0) return Xapian::MSet();
  // As many as the sample's rate of matches says the page needs, twice.
  const double wanted = static_cast<double>(offset) + limit;
  const double rate =
      static_cast<double>(count.matches.count()) / std::max<Xapian::doccount>(count.checked, 1);
  const double guess = rate > 0 ? 2 * wanted / rate : count.candidates;
  Xapian::doccount take = static_cast<Xapian::doccount>(
      std::clamp<double>(guess, std::min<double>(64, count.candidates), count.candidates));
  // Over shards Xapian's matcher runs no posting source of ours: the
  // relaxed ranking is listed (listed_ranking.h, the phrases weigh nothing
  // there as here) and the taken candidates are checked here, the page then
  // ranked among those that match.
  const bool sharded = sources.id_terms != nullptr;
  while (true) {
    const RelaxedBest best =
        relaxed_best(db, query, weight, relaxed_enquire, count, positions, sources, ranking, take);
    auto among = std::make_shared<MatchBitmap>(db.get_lastdocid());
    for (Xapian::docid id : best.ids) among->set(id);
    if (sharded)
      if (auto checked = match_bitmap(db, query, sources, among.get()))
        among = std::make_shared<MatchBitmap>(std::move(*checked));
    const bool all_taken = best.ids.size() < take || take >= count.candidates;
    Xapian::MSet page =
        page_among(db, query, weight, among, offset, limit, duplicates, filter, sources.id_terms);
    if (all_taken) return page;
    // The shortlist's weights are Xapian's up to rounding (bitmap_ranking.h):
    // the page stops short of a candidate left out only when clearly above it.
    if (page.size() == limit && page[limit - 1].get_weight() > best.last_weight * (1 + 1e-9))
      return page;
    take = std::min<Xapian::doccount>(take * 4, count.candidates);
  }
}

}  // namespace vigie
