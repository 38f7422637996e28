#include "matcher/bitmap_ranking.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <queue>
#include <stdexcept>
#include <string>

#include "matcher/block_maxima.h"
#include "matcher/listed_ranking.h"
#include "query/weight_scales.h"

namespace vigie {
namespace {

// The documents of a bitmap as a posting source: a filter of no weight,
// for the matcher to examine those documents only.
class BitmapSource : public Xapian::PostingSource {
 public:
  explicit BitmapSource(std::shared_ptr<const MatchBitmap> bits)
      : bits_(std::move(bits)), count_(bits_->count()) {}

  void init(const Xapian::Database&) override {
    current_ = 0;
    at_end_ = count_ == 0;
    set_maxweight(0);
  }
  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void next(double) override { move_to(current_ + 1); }
  void skip_to(Xapian::docid did, double) override {
    if (did > current_) move_to(did);
  }
  bool check(Xapian::docid did, double min_wt) override {
    skip_to(did, min_wt);  // as cheap as a test
    return true;
  }
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return current_; }
  BitmapSource* clone() const override { return new BitmapSource(bits_); }
  std::string get_description() const override {
    return "BitmapSource(" + std::to_string(count_) + ")";
  }

 private:
  void move_to(Xapian::docid did) {
    current_ = bits_->next_from(did);
    at_end_ = current_ == 0;
  }

  std::shared_ptr<const MatchBitmap> bits_;
  Xapian::doccount count_;
  Xapian::docid current_ = 0;
  bool at_end_ = false;
};

// The documents of a weighed shortlist, in id order, each with its weight.
class WeighedSource : public Xapian::PostingSource {
 public:
  explicit WeighedSource(std::shared_ptr<const std::vector<WeighedDocument>> documents)
      : documents_(std::move(documents)) {}

  void init(const Xapian::Database&) override {
    at_ = 0;
    started_ = false;
    double most = 0;
    for (const auto& d : *documents_) most = std::max(most, d.weight);
    set_maxweight(most);
  }
  Xapian::doccount get_termfreq_min() const override {
    return static_cast<Xapian::doccount>(documents_->size());
  }
  Xapian::doccount get_termfreq_est() const override { return get_termfreq_min(); }
  Xapian::doccount get_termfreq_max() const override { return get_termfreq_min(); }
  void next(double) override {
    if (started_) ++at_;
    started_ = true;
  }
  void skip_to(Xapian::docid did, double) override {
    started_ = true;
    while (at_ < documents_->size() && (*documents_)[at_].id < did) ++at_;
  }
  bool check(Xapian::docid did, double min_wt) override {
    skip_to(did, min_wt);
    return true;
  }
  bool at_end() const override { return started_ && at_ >= documents_->size(); }
  Xapian::docid get_docid() const override { return (*documents_)[at_].id; }
  double get_weight() const override { return (*documents_)[at_].weight; }
  WeighedSource* clone() const override { return new WeighedSource(documents_); }
  std::string get_description() const override {
    return "WeighedSource(" + std::to_string(documents_->size()) + ")";
  }

 private:
  std::shared_ptr<const std::vector<WeighedDocument>> documents_;  // ascending ids
  std::size_t at_ = 0;
  bool started_ = false;
};

// Whether `query` matches exactly the documents its terms' postings hold
// (a term, or OR, SYNONYM, SCALE_WEIGHT of such): weighing it over a
// domain needs no evaluation of its own.
bool term_like(const Xapian::Query& query) {
  std::vector<std::string> terms;
  return union_terms(query, terms);
}

// BM25 weights over the matches, as Xapian::BM25Weight computes them up to
// the factors every term shares ((k1 + 1), and k3's for a term once in the
// query): same order.
class Weigher {
 public:
  Weigher(const Xapian::Database& db, const BitmapSources& sources,
          const std::vector<std::uint32_t>& lengths, const Bm25Config& bm25,
          WeighingScratch& scratch)
      : db_(db),
        sources_(sources),
        lengths_(lengths),
        bm25_(bm25),
        documents_(db.get_doccount()),
        inverse_avlength_(db.get_avlength() > 0 ? 1 / db.get_avlength() : 0),
        k1_b_(bm25.k1 * bm25.b),
        k1_rest_(bm25.k1 * (1 - bm25.b)),
        min_normlen_(bm25.min_normlen),
        scores_(scratch.scores),
        wdfs_(scratch.wdfs) {}

  // The next domain is a new one (a bitmap reused at the same address);
  // `ranges` (not empty): it lies within those ids (blocks), whose
  // postings are read rather than looked up one by one.
  void forget_domain(std::vector<IdRange> ranges = {}) {
    counted_domain_ = nullptr;
    ranges_ = std::move(ranges);
  }

  // Adds to `bounds` (by block: block_maxima.h) a bound of what `query`
  // weighs, times `factor`, in each block — every term where the query
  // weighs it, as weigh() does (a part under OR counted as if it matched
  // everywhere) — from `maxima`; false where weigh() would be.
  bool bound(const Xapian::Query& query, double factor, BlockMaxima& maxima,
             std::vector<double>& bounds) {
    const std::size_t n = query.get_num_subqueries();
    auto add_terms = [&](const std::vector<std::string>& terms, double weight) {
      const auto most = maxima.get(db_, sources_.postings, terms, lengths_, bm25_);
      for (std::size_t b = 0; b < bounds.size() && b < most->size(); ++b)
        bounds[b] += weight * static_cast<double>((*most)[b]);
    };
    switch (query.get_type()) {
      case Xapian::Query::LEAF_TERM: {
        const std::string term = *query.get_terms_begin();
        add_terms({term}, term_weight(db_.get_termfreq(term), factor));
        return true;
      }
      case Xapian::Query::OP_SYNONYM: {
        std::vector<std::string> terms;
        if (!union_terms(query, terms)) return false;
        add_terms(terms, term_weight(synonym_frequency(terms), factor));
        return true;
      }
      case Xapian::Query::OP_AND:
      case Xapian::Query::OP_OR:
      case Xapian::Query::OP_AND_MAYBE:
        for (std::size_t i = 0; i < n; ++i)
          if (!bound(query.get_subquery(i), factor, maxima, bounds)) return false;
        return true;
      case Xapian::Query::OP_FILTER:
      case Xapian::Query::OP_AND_NOT:
        return bound(query.get_subquery(0), factor, maxima, bounds);
      case Xapian::Query::OP_SCALE_WEIGHT:
        return bound(query.get_subquery(0), factor * scale_of(query), maxima, bounds);
      case Xapian::Query::LEAF_POSTING_SOURCE:
      case Xapian::Query::OP_VALUE_RANGE:
      case Xapian::Query::OP_VALUE_GE:
      case Xapian::Query::OP_VALUE_LE:
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
      default:
        return false;
    }
  }

  // Leaves the synonym buffer all zeros (after an error mid-synonym).
  void clear_wdfs() {
    for (Xapian::docid id : touched_) wdfs_[id] = 0;
    touched_.clear();
  }

  // Adds what `query` weighs, times `factor`, to the documents of `domain`
  // (which all match `query`: what a part weighs counts where the part
  // matches, as in Xapian's matcher); false when it weighs with something
  // not computed here.
  bool weigh(const Xapian::Query& query, double factor, const MatchBitmap& domain) {
    const std::size_t n = query.get_num_subqueries();
    switch (query.get_type()) {
      case Xapian::Query::LEAF_TERM: {
        const std::string term = *query.get_terms_begin();
        const double weight = term_weight(db_.get_termfreq(term), factor);
        for_each_posting(term, domain,
                         [&](Xapian::docid id, Xapian::termcount wdf) { add(id, weight, wdf); });
        return true;
      }
      case Xapian::Query::OP_SYNONYM:
        return weigh_synonym(query, factor, domain);
      case Xapian::Query::OP_AND:  // every part matches where the AND does
        for (std::size_t i = 0; i < n; ++i)
          if (!weigh(query.get_subquery(i), factor, domain)) return false;
        return true;
      case Xapian::Query::OP_OR:  // each part where it matches
        for (std::size_t i = 0; i < n; ++i)
          if (!weigh_where_matching(query.get_subquery(i), factor, domain)) return false;
        return true;
      case Xapian::Query::OP_AND_MAYBE:
        if (!weigh(query.get_subquery(0), factor, domain)) return false;
        for (std::size_t i = 1; i < n; ++i)
          if (!weigh_where_matching(query.get_subquery(i), factor, domain)) return false;
        return true;
      case Xapian::Query::OP_FILTER:
      case Xapian::Query::OP_AND_NOT:  // the right sides only select
        return weigh(query.get_subquery(0), factor, domain);
      case Xapian::Query::OP_SCALE_WEIGHT:
        return weigh(query.get_subquery(0), factor * scale_of(query), domain);
      case Xapian::Query::LEAF_POSTING_SOURCE:  // ours are filters of no weight
      case Xapian::Query::OP_VALUE_RANGE:
      case Xapian::Query::OP_VALUE_GE:
      case Xapian::Query::OP_VALUE_LE:
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return true;
      default:  // MatchAll, Xapian's phrases, the other operators
        return false;
    }
  }

 private:
  // `query`, a part that may match only some of `domain`, over those.
  bool weigh_where_matching(const Xapian::Query& query, double factor, const MatchBitmap& domain) {
    if (term_like(query)) return weigh(query, factor, domain);  // its postings say where
    auto matching = match_bitmap(db_, query, sources_, &domain);
    return matching && weigh(query, factor, *matching);
  }

  // Xapian::BM25Weight::init: the weight of a term in `termfreq` documents.
  double term_weight(double termfreq, double factor) const {
    double ratio = (documents_ - termfreq + 0.5) / (termfreq + 0.5);
    if (ratio < 2) ratio = ratio * 0.5 + 1;  // Xapian's guard against negative weights
    return std::log(ratio) * factor;
  }

  void add(Xapian::docid id, double term_weight, Xapian::termcount wdf) {
    if (wdf == 0) return;
    const double length = id < lengths_.size() ? lengths_[id] : 0;
    const double normalised = std::max(length * inverse_avlength_, min_normlen_);
    const double wdf_double = wdf;
    scores_[id] += term_weight * wdf_double / (k1_b_ * normalised + k1_rest_ + wdf_double);
  }

  template <typename F>
  void for_each_posting(const std::string& term, const MatchBitmap& domain, F&& f) {
    // Counted once per domain: the same domain serves every term under it.
    // (A new domain at a freed one's address would keep a stale count: that
    // only changes how the postings are read — lookups or a scan — not
    // which.)
    if (&domain != counted_domain_) {
      counted_domain_ = &domain;
      domain_size_ = domain.count();
    }
    if (!ranges_.empty())
      vigie::for_each_posting_in(db_, sources_.postings, term, ranges_, domain, domain_size_,
                                 std::forward<F>(f));
    else
      vigie::for_each_posting(db_, sources_.postings, term, &domain, std::forward<F>(f),
                              domain_size_);
  }

  // As for_each_posting() for postings of the cache (a synonym's union).
  template <typename F>
  void for_each_cached_posting(const PostingCache::Postings& cached, const MatchBitmap& domain,
                               F&& f) {
    if (&domain != counted_domain_) {
      counted_domain_ = &domain;
      domain_size_ = domain.count();
    }
    const double frequency = static_cast<double>(cached.size());
    double covered = 0;
    for (const auto& r : ranges_) covered += r.end - r.first;
    const double in_ranges = frequency * covered / std::max<double>(1, db_.get_lastdocid());
    const bool by_ranges = !ranges_.empty() && !cached.dense() && in_ranges <= 8.0 * domain_size_;
    const bool look_up = !by_ranges && static_cast<double>(domain_size_) * 8 < frequency;
    vigie::for_each_cached(cached, &domain, look_up, by_ranges ? &ranges_ : nullptr,
                           std::forward<F>(f));
  }

  // One term whose wdf is the sum of its terms' (Xapian's SynonymPostList)
  // and whose frequency is estimated assuming they are independent, as
  // Xapian's OR estimates it: N·(1 − ∏(1 − fᵢ/N)), rounded at each join.
  bool weigh_synonym(const Xapian::Query& query, double factor, const MatchBitmap& domain) {
    std::vector<std::string> terms;
    if (!union_terms(query, terms)) return false;
    const double weight = term_weight(synonym_frequency(terms), factor);
    if (const auto both = sources_.postings ? sources_.postings->get_union(db_, terms) : nullptr) {
      for_each_cached_posting(
          *both, domain, [&](Xapian::docid id, Xapian::termcount wdf) { add(id, weight, wdf); });
      return true;
    }
    if (wdfs_.size() < scores_.size()) wdfs_.assign(scores_.size(), 0);
    touched_.clear();
    for (const auto& t : terms)
      for_each_posting(t, domain, [&](Xapian::docid id, Xapian::termcount wdf) {
        if (wdfs_[id] == 0) touched_.push_back(id);
        wdfs_[id] += wdf;
      });
    for (Xapian::docid id : touched_) {
      add(id, weight, wdfs_[id]);
      wdfs_[id] = 0;
    }
    return true;
  }

  double synonym_frequency(const std::vector<std::string>& terms) const {
    // In Xapian's order: its OR tree is built like a Huffman tree (the two
    // least frequent joined first, the join put back), and each join rounds.
    // (A left fold in ascending order gave 0.2 % lighter weights to « trav* »
    // on the real minutes: the order of the roundings matters.)
    std::priority_queue<double, std::vector<double>, std::greater<double>> frequencies;
    for (const auto& t : terms) frequencies.push(db_.get_termfreq(t));
    while (frequencies.size() > 1) {
      const double least = frequencies.top();
      frequencies.pop();
      const double next = frequencies.top();
      frequencies.pop();
      frequencies.push(std::floor(next + least - next * least / documents_ + 0.5));
    }
    return frequencies.empty() ? 0 : frequencies.top();
  }

  const Xapian::Database& db_;
  const BitmapSources& sources_;
  const std::vector<std::uint32_t>& lengths_;
  const Bm25Config& bm25_;
  const double documents_;
  const double inverse_avlength_;
  // k1·(normlen·b + 1 − b) = k1_b_·normlen + k1_rest_, kept here: the
  // compiler cannot keep bm25_'s fields in registers across writes to
  // scores_ (they might alias).
  const double k1_b_, k1_rest_, min_normlen_;
  std::vector<double>& scores_;
  const MatchBitmap* counted_domain_ = nullptr;  // the domain domain_size_ counts
  Xapian::doccount domain_size_ = 0;
  std::vector<Xapian::termcount>& wdfs_;  // a synonym's wdf by id (zero between synonyms)
  std::vector<Xapian::docid> touched_;    // the ids whose wdfs_ are set
  std::vector<IdRange> ranges_;           // the domain's blocks, when it is some
};

// Counts the parts of `query` as Xapian's matcher counts its
// "subqueries" for percentages — a term or a SYNONYM where it weighs, a
// posting source anywhere — and those document `id` holds where they
// count: a part under an OR or AND_MAYBE counts as held only when that
// branch matches `id` as a whole (Xapian asks only the branches positioned
// on the document). `held_here`: the branch matches `id` (else nothing in
// it is held). False for a part not counted here.
bool count_parts(const Xapian::Database& db, const BitmapSources& sources,
                 const Xapian::Query& query, Xapian::docid id, bool weighed, bool held_here,
                 int& total, int& held) {
  auto holds = [&](const std::string& term) {
    // A kept term: a look-up (and no posting list opened, which a remote
    // shard would send whole).
    if (sources.postings)
      if (const auto cached = sources.postings->get(db, term))
        return cached->find(id) != PostingCache::Postings::npos;
    auto it = db.postlist_begin(term);
    it.skip_to(id);
    return it != db.postlist_end(term) && *it == id;
  };
  const std::size_t n = query.get_num_subqueries();
  switch (query.get_type()) {
    case Xapian::Query::LEAF_TERM:
      if (!weighed) return true;
      ++total;
      held += held_here && holds(*query.get_terms_begin());
      return true;
    case Xapian::Query::OP_SYNONYM: {
      if (!weighed) return true;
      std::vector<std::string> terms;
      if (!union_terms(query, terms)) return false;
      ++total;
      held += held_here && std::any_of(terms.begin(), terms.end(), holds);
      return true;
    }
    case Xapian::Query::LEAF_POSTING_SOURCE:
      // Held wherever it matches, in the total only where it weighs (Xapian
      // 1.4: ExternalPostList's count_matching_subqs is 1).
      total += weighed;
      held += held_here;
      return true;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_AND_NOT:
      for (std::size_t i = 0; i < n; ++i) {
        const bool weighs = weighed && (i == 0 || query.get_type() == Xapian::Query::OP_AND);
        const bool here = held_here && (i == 0 || query.get_type() != Xapian::Query::OP_AND_NOT);
        if (!count_parts(db, sources, query.get_subquery(i), id, weighs, here, total, held))
          return false;
      }
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_MAYBE:
      for (std::size_t i = 0; i < n; ++i) {
        const Xapian::Query part = query.get_subquery(i);
        bool here = held_here;
        const bool sure = query.get_type() == Xapian::Query::OP_AND_MAYBE && i == 0;
        if (here && !sure && !term_like(part)) {  // does this branch match `id`?
          MatchBitmap just(id);
          just.set(id);
          auto matching = match_bitmap(db, part, sources, &just);
          if (!matching) return false;
          here = matching->test(id);
        }
        if (!count_parts(db, sources, part, id, weighed, here, total, held)) return false;
      }
      return true;
    case Xapian::Query::OP_SCALE_WEIGHT:
      return count_parts(db, sources, query.get_subquery(0), id, weighed && scale_of(query) != 0,
                         held_here, total, held);
    case Xapian::Query::LEAF_MATCH_NOTHING:
      return true;
    default:
      return false;
  }
}

// The `keep` best documents offered (ties: the lower id first, as Xapian
// ranks them): a heap, its worst on top.
class Kept {
 public:
  using Entry = std::pair<double, Xapian::docid>;
  explicit Kept(std::size_t keep) : keep_(keep) { heap_.reserve(keep + 1); }

  static bool better(const Entry& a, const Entry& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  }
  void offer(double score, Xapian::docid id) {
    const Entry entry{score, id};
    if (heap_.size() < keep_) {
      heap_.push_back(entry);
      std::push_heap(heap_.begin(), heap_.end(), better);
    } else if (better(entry, heap_.front())) {
      std::pop_heap(heap_.begin(), heap_.end(), better);
      heap_.back() = entry;
      std::push_heap(heap_.begin(), heap_.end(), better);
    }
  }
  bool full() const { return heap_.size() >= keep_; }
  double worst() const { return heap_.front().first; }
  Xapian::docid worst_id() const { return heap_.front().second; }
  const std::vector<Entry>& entries() const { return heap_; }

 private:
  std::size_t keep_;
  std::vector<Entry> heap_;
};

// Which matches may be listed (bitmap_ranking.h: one per family, not the
// hidden ones), and which rank after the others.
struct Listing {
  const DuplicateGroups* families;
  const MatchBitmap* hidden;
  const MatchBitmap* demoted;

  bool has_families() const { return families && !families->empty(); }
  // `family_best`: by group, the id of its best matching member.
  bool listed(Xapian::docid id, const std::vector<Kept::Entry>& family_best) const {
    if (hidden && hidden->test(id)) return false;
    if (family_best.empty()) return true;
    const std::uint32_t group = families->group(id);
    return group == 0 || family_best[group].second == id;
  }
};

// Each family's best matching member: a pass over the families' members
// (1,104 of 100k generated documents), not over every match; their scores
// must be weighed.
std::vector<Kept::Entry> best_of_families(const MatchBitmap& matches,
                                          const std::vector<double>& scores,
                                          const Listing& listing) {
  std::vector<Kept::Entry> family_best;
  if (!listing.has_families()) return family_best;
  const DuplicateGroups& families = *listing.families;
  family_best.assign(families.groups() + 1, Kept::Entry{-1.0, 0});
  for (std::uint32_t group = 1; group <= families.groups(); ++group)
    for (Xapian::docid id : families.members(group))
      if (matches.test(id) && !(listing.hidden && listing.hidden->test(id)) &&
          Kept::better(Kept::Entry{scores[id], id}, family_best[group]))
        family_best[group] = {scores[id], id};
  return family_best;
}

// The best of `matches` weighed block by block, the blocks of the highest
// bounds first (block_maxima.h), until no block left may hold a document
// better than the worst kept: the same documents and weights as weighing
// every match. Families' matching members are weighed first (their best
// is chosen among all of them). `touched`: every id weighed (to clear).
// nullopt: the query weighs with something not computed here; false: the
// bounds are not known (weigh every match instead).
std::optional<bool> weigh_by_blocks(const Xapian::Database& db, const Xapian::Query& query,
                                    const MatchBitmap& matches, BlockMaxima& maxima,
                                    Weigher& weigher, std::vector<double>& scores,
                                    const Listing& listing, Kept& best,
                                    std::vector<Xapian::docid>& touched) {
  const std::size_t blocks = maxima.blocks(db.get_lastdocid());
  std::vector<double> bounds(blocks, 0.0);
  if (!weigher.bound(query, 1.0, maxima, bounds)) return false;
  const std::size_t words = maxima.block_ids() / 64;
  std::vector<std::size_t> order;
  for (std::size_t b = 0; b < blocks; ++b)
    if (matches.count_words(b * words, (b + 1) * words) > 0) order.push_back(b);
  // A heap, the highest bound (then the lowest block) on top: usually a few
  // hundred of 7,813 blocks are taken (sorting them all was 5 % of a search).
  auto lower = [&](std::size_t a, std::size_t b) {
    return bounds[a] < bounds[b] || (bounds[a] == bounds[b] && a > b);
  };
  std::make_heap(order.begin(), order.end(), lower);
  auto heap_end = order.end();
  const std::size_t candidates = order.size();
  // Weighs a domain, scales its demoted documents; true when weighed.
  auto weigh = [&](const MatchBitmap& domain, std::vector<IdRange> ranges) {
    weigher.forget_domain(std::move(ranges));
    if (!weigher.weigh(query, 1.0, domain)) return false;
    domain.for_each([&](Xapian::docid id) {
      touched.push_back(id);
      if (listing.demoted && listing.demoted->test(id)) scores[id] *= kDemotion;
    });
    return true;
  };
  // A family's best matching member is chosen among all of them: the
  // members a batch meets bring the family's other matching members, read
  // by look-up (the copies of a text are mostly neighbours: few are).
  MatchBitmap done(db.get_lastdocid());
  const DuplicateGroups* families = listing.has_families() ? listing.families : nullptr;
  std::vector<bool> resolved(families ? families->groups() + 1 : 0, false);
  auto offer_batch = [&](const MatchBitmap& domain) {
    std::vector<std::uint32_t> met;
    MatchBitmap others(db.get_lastdocid());
    bool any_other = false;
    auto listed = [&](Xapian::docid id) { return !(listing.hidden && listing.hidden->test(id)); };
    domain.for_each([&](Xapian::docid id) {
      const std::uint32_t group = families ? families->group(id) : 0;
      if (group == 0) {
        if (listed(id)) best.offer(scores[id], id);
        return;
      }
      if (resolved[group]) return;
      resolved[group] = true;
      met.push_back(group);
      for (Xapian::docid member : families->members(group))
        if (matches.test(member) && !done.test(member)) {
          others.set(member);
          any_other = true;
        }
    });
    if (any_other) {
      if (!weigh(others, {})) return false;
      done.unite(others);
    }
    for (std::uint32_t group : met) {
      Kept::Entry top{-1.0, 0};
      for (Xapian::docid member : families->members(group))
        if (matches.test(member) && listed(member) && Kept::better({scores[member], member}, top))
          top = {scores[member], member};
      if (top.second != 0) best.offer(top.first, top.second);
    }
    return true;
  };
  // Batches of blocks, doubling: a few blocks usually hold the page. A
  // block is weighed while its bound reaches the worst kept weight (a
  // relative margin of 1e-9 covers the roundings of the sums); one whose
  // bound only ties it is skipped when all its ids come after the worst
  // kept's (ties go to the lower id) — many documents tie at the top when
  // a word saturates BM25 (short texts, several occurrences).
  constexpr double kMargin = 1e-9;
  std::size_t batch = 4, weighed_blocks = 0;
  MatchBitmap domain(db.get_lastdocid());
  while (heap_end != order.begin()) {
    std::vector<std::size_t> chosen;
    while (heap_end != order.begin() && chosen.size() < batch) {
      const std::size_t b = order.front();
      if (best.full()) {
        const double worst = best.worst();
        if (bounds[b] * (1 + kMargin) < worst) {
          heap_end = order.begin();  // every block left is bounded lower
          break;
        }
      }
      std::pop_heap(order.begin(), heap_end, lower);
      --heap_end;
      if (best.full() && bounds[b] <= best.worst() * (1 + kMargin) &&
          b * maxima.block_ids() > best.worst_id())
        continue;
      chosen.push_back(b);
    }
    if (chosen.empty()) break;
    domain = MatchBitmap(db.get_lastdocid());
    std::sort(chosen.begin(), chosen.end());
    std::vector<IdRange> ranges;
    for (std::size_t b : chosen) {
      domain.copy_words(matches, b * words, (b + 1) * words);
      const auto first = static_cast<Xapian::docid>(b * maxima.block_ids());
      if (!ranges.empty() && ranges.back().end == first)
        ranges.back().end += maxima.block_ids();
      else
        ranges.push_back({first, first + maxima.block_ids()});
    }
    domain.subtract(done);  // family members read by look-up already
    if (!weigh(domain, std::move(ranges))) return std::nullopt;
    done.unite(domain);
    if (!offer_batch(domain)) return std::nullopt;
    weighed_blocks += chosen.size();
    batch *= 2;
  }
  maxima.note_skipped(candidates - weighed_blocks);
  return true;
}

}  // namespace

std::optional<double> percent_factor(const Xapian::Database& db, const Xapian::Query& query,
                                     const BitmapSources& sources, Xapian::docid best,
                                     double best_weight) {
  int total = 0, held = 0;
  if (!count_parts(db, sources, query, best, true, true, total, held) || total == 0 ||
      best_weight <= 0)
    return std::nullopt;
  return 100.0 * held / total / best_weight;
}

int percent(double weight, double factor) {
  // Xapian::MSet::convert_to_percent's rounding.
  int value = static_cast<int>(weight * factor + 100.0 * DBL_EPSILON);
  if (value > 100) value = 100;
  if (value < 0) value = 0;
  if (value == 0 && weight > 0) value = 1;
  return value;
}

Xapian::MSet rank_among(const Xapian::Database& db, const Xapian::Query& query,
                        const Xapian::Weight& weight, std::shared_ptr<const MatchBitmap> among,
                        Xapian::doccount offset, Xapian::doccount limit,
                        Xapian::MatchDecider* decider, IdTermMemo* sharded) {
  // Shards: no posting source of combined ids (listed_ranking.h), and the
  // duplicate filter asked by combined id.
  if (sharded || db.size() != 1) {
    std::function<bool(Xapian::docid)> listed;
    if (decider) {
      auto* families = dynamic_cast<DuplicateFilter*>(decider);
      if (!families) throw std::logic_error("rank_among: only a DuplicateFilter over shards");
      listed = [families](Xapian::docid id) { return families->keep(id); };
    }
    return rank_listed(db, query, weight, *among, offset, limit, sharded, listed);
  }
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, query,
                                  Xapian::Query((new BitmapSource(std::move(among)))->release())));
  enquire.set_weighting_scheme(weight);
  return enquire.get_mset(offset, limit, 0, nullptr, decider);
}

std::optional<MatchBitmap> shortlist(
    const Xapian::Database& db, const Xapian::Query& query, const MatchBitmap& matches,
    const BitmapSources& sources, const std::vector<std::uint32_t>& lengths, const Bm25Config& bm25,
    std::size_t wanted, WeighingScratch* scratch, std::vector<WeighedDocument>* weighed,
    const DuplicateGroups* families, const MatchBitmap* hidden, const MatchBitmap* demoted) {
  // k2's correction depends on the document's length and the query's: not
  // computed here, the whole matcher ranks.
  // Several shards: the combined database's statistics are the
  // collection's, its ids those of `matches` (listed_ranking.h ranks).
  if (bm25.k2 != 0) return std::nullopt;
  // The caller's buffers (all zeros between searches: a fresh one would
  // cost its page faults each time, 0.8 MB at 100k documents), or ours.
  WeighingScratch own;
  WeighingScratch& buffers = scratch ? *scratch : own;
  std::vector<double>& scores = buffers.scores;
  if (scores.size() < db.get_lastdocid() + 1) scores.assign(db.get_lastdocid() + 1, 0.0);
  Weigher weigher(db, sources, lengths, bm25, buffers);
  // The best (ties: the lower id first, as Xapian ranks them), with a
  // margin for rounding (bitmap_ranking.h).
  Kept best(wanted + 4);
  const Listing listing{families, hidden, demoted};

  bool complete = false;
  if (sources.maxima && matches.count() >= sources.maxima->weigh_from()) {
    std::vector<Xapian::docid> touched;
    struct Cleared {  // whatever happens, the buffers are left all zeros
      std::vector<Xapian::docid>& touched;
      std::vector<double>& scores;
      Weigher& weigher;
      ~Cleared() {
        for (Xapian::docid id : touched) scores[id] = 0;
        weigher.clear_wdfs();
      }
    } cleared{touched, scores, weigher};
    const auto by_blocks = weigh_by_blocks(db, query, matches, *sources.maxima, weigher, scores,
                                           listing, best, touched);
    if (!by_blocks) return std::nullopt;
    complete = *by_blocks;
  }
  if (!complete) {
    best = Kept(wanted + 4);
    struct Cleared {
      const MatchBitmap& touched;
      std::vector<double>& scores;
      Weigher& weigher;
      ~Cleared() {
        touched.for_each([this](Xapian::docid id) { scores[id] = 0; });
        weigher.clear_wdfs();
      }
    } cleared{matches, scores, weigher};
    weigher.forget_domain();
    if (!weigher.weigh(query, 1.0, matches)) return std::nullopt;
    if (demoted) demoted->for_each([&](Xapian::docid id) { scores[id] *= kDemotion; });
    const auto family_best = best_of_families(matches, scores, listing);
    matches.for_each([&](Xapian::docid id) {
      if (listing.listed(id, family_best)) best.offer(scores[id], id);
    });
  }
  MatchBitmap out(db.get_lastdocid());
  for (const auto& [score, id] : best.entries()) out.set(id);
  if (weighed) {
    weighed->clear();
    // Xapian's weights: the factor every term shares, (k1 + 1), put back
    // (k3's is 1 for a term once in its leaf, as the parser writes them).
    for (const auto& [score, id] : best.entries()) weighed->push_back({score * (bm25.k1 + 1), id});
    std::sort(weighed->begin(), weighed->end(),
              [](const auto& a, const auto& b) { return a.id < b.id; });
  }
  return out;
}

std::vector<std::size_t> heaviest(const std::vector<WeighedDocument>& weighed, std::size_t count) {
  std::vector<std::size_t> order(weighed.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  if (order.size() > count) {
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count), order.end(),
                     [&](std::size_t a, std::size_t b) {
                       const WeighedDocument &x = weighed[a], &y = weighed[b];
                       return x.weight > y.weight || (x.weight == y.weight && x.id < y.id);
                     });
    order.resize(count);
  }
  std::sort(order.begin(), order.end());  // weighed is in id order: so are these
  return order;
}

Xapian::MSet rank_weighed(const Xapian::Database& db,
                          std::shared_ptr<const std::vector<WeighedDocument>> weighed,
                          Xapian::doccount offset, Xapian::doccount limit) {
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query((new WeighedSource(std::move(weighed)))->release()));
  return enquire.get_mset(offset, limit);
}

}  // namespace vigie
