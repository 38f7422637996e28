#include "matcher/listed_ranking.h"

#include <string>
#include <vector>

#include "index/schema.h"
#include "query/weight_scales.h"

namespace vigie {
namespace {

bool holds_source(const Xapian::Query& query) {
  if (query.get_type() == Xapian::Query::LEAF_POSTING_SOURCE) return true;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
    if (holds_source(query.get_subquery(i))) return true;
  return false;
}

// The id term (`Q…`) of document `id`: the only term of that prefix.
std::string id_term_of(const Xapian::Database& db, Xapian::docid id) {
  const std::string prefix(schema::kIdPrefix);
  auto term = db.termlist_begin(id);
  term.skip_to(prefix);
  if (term == db.termlist_end(id) || !(*term).starts_with(prefix)) return {};
  return *term;
}

}  // namespace

std::string IdTermMemo::of(const Xapian::Database& db, Xapian::docid id) {
  {
    std::lock_guard lock(mutex_);
    if (auto found = terms_.find(id); found != terms_.end()) return found->second;
  }
  std::string term = id_term_of(db, id);  // outside the lock: a round trip
  std::lock_guard lock(mutex_);
  if (terms_.size() >= kMaxTerms) terms_.clear();
  terms_.emplace(id, term);
  return term;
}

Xapian::Query built_in_query(const Xapian::Query& query) {
  if (!holds_source(query)) return query;
  const auto type = query.get_type();
  if (type == Xapian::Query::LEAF_POSTING_SOURCE)
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query::MatchAll, 0.0);
  if (type == Xapian::Query::OP_SCALE_WEIGHT)
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, built_in_query(query.get_subquery(0)),
                         scale_of(query));
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i)
    parts.push_back(built_in_query(query.get_subquery(i)));
  return Xapian::Query(static_cast<Xapian::Query::op>(type), parts.begin(), parts.end());
}

Xapian::MSet rank_listed(const Xapian::Database& db, const Xapian::Query& query,
                         const Xapian::Weight& weight, const MatchBitmap& among,
                         Xapian::doccount offset, Xapian::doccount limit, IdTermMemo* memo,
                         const std::function<bool(Xapian::docid)>& listed, ListedSort sort) {
  std::vector<std::string> ids;
  among.for_each([&](Xapian::docid id) {
    if (listed && !listed(id)) return;
    std::string term = memo ? memo->of(db, id) : id_term_of(db, id);
    if (!term.empty()) ids.push_back(std::move(term));
  });
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, built_in_query(query),
                                  Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
  enquire.set_weighting_scheme(weight);
  if (sort.slot) enquire.set_sort_by_value_then_relevance(*sort.slot, sort.descending);
  return enquire.get_mset(offset, limit, static_cast<Xapian::doccount>(ids.size()));
}

}  // namespace vigie
