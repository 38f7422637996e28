#include "search/search_pass.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_set>

#include "index/data_dictionary.h"
#include "index/document_data.h"
#include "index/schema.h"
#include "matcher/listed_ranking.h"
#include "matcher/position_filter_source.h"
#include "matcher/proximity.h"
#include "matcher/title_words.h"
#include "query/query_terms.h"
#include "search/highlighter.h"

namespace vigie {
namespace {

// The request's filters, ANDed: its types, organisations, years, persons
// and votes (each an OR of terms), its dates and amounts (built by
// `leaves`, which keep them for the counts); an empty query when there are none.
Xapian::Query request_filters(const SearchRequest& r, MatcherLeaves& leaves) {
  std::vector<Xapian::Query> filters;
  auto any_of = [&](std::string_view prefix, const auto& values, auto term_of) {
    if (values.empty()) return;
    std::vector<std::string> terms;
    for (const auto& value : values) terms.push_back(std::string(prefix) + term_of(value));
    filters.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
  };
  any_of(schema::kTypePrefix, r.types, [](DocType t) { return std::string(doc_type_key(t)); });
  any_of(schema::kOrgPrefix, r.organisations, [](const std::string& o) {
    return schema::facet_key(o);  // a display name folds to its key, a key to itself
  });
  any_of(schema::kYearPrefix, r.years, [](int year) { return std::to_string(year); });
  any_of(schema::kPersonPrefix, r.persons,
         [](const std::string& p) { return schema::facet_key(p); });
  if (r.dates.bounded()) filters.push_back(leaves.date_range(r.dates));
  if (!r.votes.empty()) {
    std::vector<std::string> terms;
    for (VoteFilter v : r.votes) terms.push_back(schema::vote_term(vote_filter_key(v)));
    filters.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
  }
  if (!r.amounts.empty()) {
    std::vector<Xapian::Query> ranges;
    for (const AmountRange& range : r.amounts) ranges.push_back(leaves.amount_range(range));
    filters.emplace_back(Xapian::Query::OP_OR, ranges.begin(), ranges.end());
  }
  if (filters.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

// How many documents Xapian's matcher examines at least when it counts (no
// bitmap): all of them for an exact total (exports), enough for exact facets
// up to search.exact_facets_under, else 1000.
Xapian::doccount examined_at_least(const SearchRequest& request, const SearchConfig& config,
                                   Xapian::doccount doccount) {
  const std::size_t budget = request.exact_total ? doccount
                             : request.facets    ? config.exact_facets_under
                                                 : 1000;
  return static_cast<Xapian::doccount>(std::min<std::size_t>(doccount, budget));
}

// What Xapian's matcher may list when it ranks the page itself: not the
// sessions merged into a deliberation's result (`hidden`), and one document
// per family (the first by id: it sees them in id order).
class ListedDecider : public Xapian::MatchDecider {
 public:
  ListedDecider(const MatchBitmap* hidden, DuplicateFilter* families)
      : hidden_(hidden), families_(families) {}
  bool operator()(const Xapian::Document& doc) const override {
    if (hidden_ && hidden_->test(doc.get_docid())) return false;
    return !families_ || (*families_)(doc);
  }

 private:
  const MatchBitmap* hidden_;
  DuplicateFilter* families_;
};

// Whether a result (a family key) is in the facets' sample of one in
// `every`: its key mixed (splitmix64's finaliser), so that families and
// sessions, whose keys follow the ids, are sampled evenly.
bool sampled_result(std::uint64_t key, std::uint64_t every) {
  key ^= key >> 30;
  key *= 0xbf58476d1ce4e5b9ULL;
  key ^= key >> 27;
  key *= 0x94d049bb133111ebULL;
  key ^= key >> 31;
  return key % every == 0;
}

}  // namespace

SourceDocument stored_document(const Xapian::Document& doc, const IndexColumns& columns,
                               Xapian::docid id) {
  return decode_document_data(stored_data_json(stored_data_of(doc), columns.dictionary_of(id)));
}

Hit hit_of(const SourceDocument& data, const Xapian::MSetIterator& item, const Xapian::MSet& mset) {
  Hit hit;
  hit.id = data.id;
  hit.title = data.title;
  if (data.type) {
    hit.type = std::string(doc_type_key(*data.type));
    hit.type_label = std::string(doc_type_label(*data.type));
  }
  hit.date = data.date.iso();
  hit.organisation = data.organisation;
  hit.source = data.source_path;
  hit.format = data.format;
  hit.url = data.url;
  hit.part_of = data.part_of;
  hit.number = data.number;
  hit.persons = data.persons;
  hit.decisions = data.decisions;
  hit.score = mset.convert_to_percent(item);
  hit.duplicates = item.get_collapse_count();
  return hit;
}

Xapian::BM25Weight bm25_weight(const Bm25Config& b) {
  return Xapian::BM25Weight(b.k1, b.k2, b.k3, b.b, b.min_normlen);
}

SearchPass::SearchPass(const Xapian::Database& db, const SearchRequest& request,
                       const IndexColumns& columns, ParsedQuery parsed, MatcherLeaves& leaves,
                       const SearchConfig& config, FrenchAnalyzer& analyzer,
                       WeighingScratch& scratch)
    : db_(db),
      request_(request),
      columns_(columns),
      parsed_(std::move(parsed)),
      leaves_(leaves),
      config_(config),
      analyzer_(analyzer),
      scratch_(scratch),
      weight_(bm25_weight(config.bm25)),
      doccount_(db.get_doccount()),
      offset_(static_cast<Xapian::doccount>(request.offset)),
      limit_(static_cast<Xapian::doccount>(std::min(request.limit, config.max_page_size))),
      examined_(examined_at_least(request, config, doccount_)),
      enquire_(db) {}

SearchResponse SearchPass::run() {
  choose_query();
  set_up_enquire();
  count_matches();
  tally_matches();
  shortlist_matches();
  rank_page();
  SearchResponse response;
  response.query = request_.query;
  response.offset = request_.offset;
  response.warnings = parsed_.warnings;
  response.synonyms = parsed_.synonyms;
  response.question = parsed_.question;
  report_totals(response);
  add_hits(response);
  if (request_.facets) add_facets(response);
  add_notices(response);
  return response;
}

Xapian::Query SearchPass::filtered(const Xapian::Query& query) const {
  return filters_.empty() ? query : Xapian::Query(Xapian::Query::OP_FILTER, query, filters_);
}

// Several words: the results, their total, facets and exports are the
// documents that hold them all (or their forms and synonyms); those with
// only some of them are a separate answer (Searcher: partial_total), unless
// the request asks for « au moins un des mots » (any_words): then they are
// counted too, ranked after those with all (parsed.query ranks them so).
void SearchPass::choose_query() {
  filters_ = request_filters(request_, leaves_);
  sources_.ranges = leaves_.date_ranges();  // the query's date filters, then the request's
  relaxed_ = parsed_.relaxed && (request_.any_words || parsed_.question);
  query_ = filtered(relaxed_ ? parsed_.query : parsed_.strict_query);
}

void SearchPass::set_up_enquire() {
  enquire_.set_query(query_);
  enquire_.set_weighting_scheme(weight_);
  if (request_.collapse_duplicates && !columns_.duplicates.empty())
    duplicates_.emplace(columns_.duplicates);
  // Descending by the amount: the documents without one (no value, the
  // smallest string) come last.
  if (request_.sort == SortOrder::Amount)
    enquire_.set_sort_by_value_then_relevance(schema::kSlotAmount, true);
  else if (request_.sort != SortOrder::Relevance)
    enquire_.set_sort_by_value_then_relevance(schema::kSlotDate,
                                              request_.sort == SortOrder::Newest);
}

// Totals and facet counts. In relevance order, when the query's matches
// can be read from the posting lists (match_bitmap.h), they count the
// whole result set exactly, and the matcher only ranks the page (it stops
// early); phrases and PROCHE on position streams are checked on at most
// search.phrase_checks candidates, a sample beyond (positional_search.h),
// on one database as over shards. Otherwise (phrases in date order on one
// database, a part match_bitmap() cannot read) the counter counts what the
// matcher examines, which is asked to examine up
// to search.exact_facets_under documents: result sets up to that size get
// exact figures, larger ones estimates (and say so), at a bounded cost.
void SearchPass::count_matches() {
  streams_ = leaves_.positions().empty() ? nullptr : columns_.streams->get(db_);
  sources_.filters = columns_.filter_bitmaps.get();
  sources_.positions = leaves_.positions();
  sources_.postings = columns_.postings.get();
  sources_.maxima = columns_.maxima.get();
  sources_.streams = streams_.get();
  sources_.shard_vocabularies = columns_.shard_vocabularies.get();
  // One database: the checks read its stream file, which alone holds the
  // streams of a --full build (stream_store.h), also when Xapian's matcher
  // runs the positional parts unattached (date order, a negated phrase).
  if (!sharded())
    for (const auto& part : sources_.positions) part.checks->read_streams_from(sources_.streams);
  sources_.id_terms = columns_.id_terms.get();
  if (request_.sort == SortOrder::Relevance) {
    positional_ = count_positional(db_, query_, sources_,
                                   request_.exact_total ? doccount_ : config_.phrase_checks);
    if (positional_)
      matches_ = positional_->matches;
    else
      matches_ = match_bitmap(db_, query_, sources_);
  } else if (leaves_.positions().empty()) {
    // Date order counts the same set as relevance order (families, sessions
    // beside their deliberations), then Xapian's matcher sorts what it keeps.
    matches_ = match_bitmap(db_, query_, sources_);
  } else if (sharded()) {
    // Xapian's matcher cannot check phrases on remote shards: all of them here.
    if (auto all = count_positional(db_, query_, sources_, doccount_)) matches_ = all->matches;
  }
  require_known_matches();
  if (request_.facets) {
    counter_.emplace(columns_.facets);
    if (!matches_) enquire_.add_matchspy(&*counter_);
  }
}

// Counted from the bitmap: every match, one per result — a family once, a
// session's family within the result of its first matching deliberation
// (merge_wholes()) — holding the values of all its matching members, so
// that a facet's count is what its filter finds. Beyond
// search.exact_facet_counts_up_to matches, the facets count a sample
// (facet_sampled()) scaled to the exact total.
void SearchPass::tally_matches() {
  if (!matches_) return;
  if (sharded() && counted_by_matcher_on_one_database()) return tally_as_matcher();
  if (duplicates_) merge_wholes();
  const DuplicateGroups& families = columns_.duplicates;
  std::vector<std::pair<std::uint64_t, Xapian::docid>> grouped;  // (result, member)
  // Most matches are alone: one array lookup, no hashing (a set lookup per
  // match cost word queries 10 % at 100k documents).
  const bool merging = !merged_into_parts_.empty();
  const Xapian::doccount matched = matches_->count();
  const std::uint64_t every =
      request_.exact_total || matched <= config_.exact_facet_counts_up_to
          ? 1
          : (matched + config_.exact_facet_counts_up_to - 1) / config_.exact_facet_counts_up_to;
  std::vector<Xapian::docid> alone;  // counted column by column below
  if (counter_) alone.reserve(matched / every + 64);
  Xapian::doccount sampled = 0;
  // The matches merging concerns — hidden ones, and the members of the
  // results sessions are merged into — as a bitmap: a test per match
  // instead of a key and a set lookup (10 % of a search at 1M documents).
  std::optional<MatchBitmap> merged;
  if (merging) {
    merged = *hidden_;
    for (const std::uint64_t key : merged_into_parts_) {
      if (key >> 32 == 0) {
        merged->set(static_cast<Xapian::docid>(key));
        continue;
      }
      for (Xapian::docid member : families.members(static_cast<std::uint32_t>(key)))
        merged->set(member);
    }
  }
  // Results of several documents: each counted once (its key seen: a bit by
  // group, or by id for a result keyed by a document's id), and only the
  // sampled ones' members gathered and sorted (sorting every grouped match
  // was 7 % of a search at 1M documents).
  std::vector<bool> seen_group(families.groups() + 1, false);
  std::optional<MatchBitmap> seen_id;
  auto group_into = [&](std::uint64_t result, Xapian::docid id) {
    bool first;
    if (result >> 32 != 0) {
      const auto group = static_cast<std::uint32_t>(result);
      first = !seen_group[group];
      seen_group[group] = true;
    } else {
      if (!seen_id) seen_id.emplace(db_.get_lastdocid());
      first = !seen_id->test(static_cast<Xapian::docid>(result));
      seen_id->set(static_cast<Xapian::docid>(result));
    }
    counted_ += first;
    if (counter_ && (every == 1 || sampled_result(result, every))) grouped.emplace_back(result, id);
  };
  matches_->for_each([&](Xapian::docid id) {
    const std::uint32_t group = duplicates_ ? families.group(id) : 0;
    if (group != 0 || (merged && merged->test(id))) {
      const std::uint64_t family = WholeParts::family_key(families, id);
      if (merging && hidden_->test(id)) {
        group_into(merged_into_.at(family), id);
        return;
      }
      if (group != 0 || merged_into_parts_.count(family)) {
        group_into(family, id);
        return;
      }
    }
    ++counted_;
    if (counter_ && (every == 1 || id / 64 % every == 0)) {
      alone.push_back(id);
      ++sampled;
    }
  });
  if (counter_) counter_->add(alone);
  std::sort(grouped.begin(), grouped.end());
  std::vector<Xapian::docid> members;
  for (std::size_t i = 0; i < grouped.size();) {
    members.clear();
    const std::uint64_t result = grouped[i].first;
    for (; i < grouped.size() && grouped[i].first == result; ++i)
      members.push_back(grouped[i].second);
    counter_->add_family(members);
    ++sampled;
  }
  if (counter_ && every > 1) {
    facets_sampled_ = true;
    if (sampled > 0) counter_->scale(static_cast<double>(counted_) / sampled);
  }
}

// A session's minutes and some of its deliberations match (which ranks
// better by BM25 decides, the deliberation from kPartOverSession of the
// session's weight, and always when the session's words are spread over
// its deliberations: spread_over_parts(); duplicate_groups.h WholeParts):
// - usually a deliberation (« Télétransmission des actes »): the session's
//   family (its JSON record, PDF, HTML) is part of the best deliberation's
//   result — not listed (`hidden_`), counted with it, its values in that
//   result's facets (one session into one result: a filter on the session's
//   type, which the deliberation does not match, finds what the facet said);
// - the session (« conseil municipal du 14 mars 2023 »): its deliberations
//   stay results of their own (merging many into one would make a type's
//   count differ from its filter) but rank after every other result
//   (`demoted_`), so that the session does not show twice among the top.
// Either way the hit lists the others (Hit::merged). Not for phrases, whose
// page is ranked from their own candidates, nor when browsing without words
// (every deliberation matches).
// The deliberation stays the hit while it weighs at least this share of
// its session's weight: the minutes hold its text and more, so they weigh
// as much or more for words met in passing elsewhere in the session, and
// the deliberation is the decision asked for. Hard collection (issue 21):
// nDCG@10 +0.0045 at 0.8 (0.9: +0.003, 0.5: +0.003, 0: +0.007 but the
// old collection's −0.0035); the old collection unchanged at 0.8.
constexpr double kPartOverSession = 0.8;
// A session whose words are spread over its deliberations, ranked with
// every word required: its weight × this among the best candidates. Hard
// collection as the web page asks (bench/relevance/run --all-words):
// keywords' MRR@10 0.990 → 1.000, nDCG@10 0.861 → 0.865 (0.1 and 0.25:
// 0.864); the old collection unchanged.
constexpr double kSpreadWhole = 0.5;

// Whether the query's plain words that `session` holds stand in several of
// its deliberations (`parts`) rather than in one: none holds as many as the
// session, and each word it holds is in one of them. Its minutes (or the
// short JSON record listing its agenda) then hold the words only because
// they gather unrelated items: « tarifs cantine » ranked first the session
// of 26 October 2004, whose water tariffs and canteen rules are two
// deliberations. When the session holds a word none of them does (« séance
// du 14 mars 2023 »), or one holds them all, it is a match like any other.
bool SearchPass::spread_over_parts(Xapian::docid session, const std::vector<Xapian::docid>& parts,
                                   const WordHeld& held_by) const {
  const std::size_t words = parsed_.plain_words.size();
  if (words < 2 || parts.empty()) return false;
  std::size_t held = 0;                              // words the session holds
  std::vector<std::size_t> part_held(parts.size());  // of those, by each part
  for (std::size_t w = 0; w < words; ++w) {
    if (!held_by(w, session)) continue;
    ++held;
    bool in_a_part = false;
    for (std::size_t p = 0; p < parts.size(); ++p)
      if (held_by(w, parts[p])) {
        ++part_held[p];
        in_a_part = true;
      }
    if (!in_a_part) return false;  // the session holds a word none of them does
  }
  // Spread when no deliberation holds them all.
  return held >= 2 &&
         std::all_of(part_held.begin(), part_held.end(), [&](std::size_t n) { return n < held; });
}

// Each plain word's documents among `among` (one pass over each form's
// postings, cached ones as bitmaps): the spread checks then test bits.
std::vector<MatchBitmap> SearchPass::words_among(const MatchBitmap& among) const {
  std::vector<MatchBitmap> out;
  for (const auto& word : parsed_.plain_words) {
    const Xapian::Query forms(Xapian::Query::OP_OR, word.forms.begin(), word.forms.end());
    auto bits = match_bitmap(db_, forms, sources_, &among);
    out.push_back(bits ? std::move(*bits) : MatchBitmap(db_.get_lastdocid()));
  }
  return out;
}

// With every word required, a session whose words are spread (above) is a
// result while its deliberations, holding some of the words, are not: among
// the best candidates it weighs kSpreadWhole of its weight, yet no less than
// the best document after them, so that the candidates stay the first
// results whatever page is asked (as proximity.h argues for boosts).
void SearchPass::lower_spread_wholes(std::size_t count,
                                     std::vector<WeighedDocument>& weighed) const {
  const WholeParts& wholes = columns_.wholes;
  if (wholes.empty() || parsed_.plain_words.size() < 2 || count == 0) return;
  const std::vector<std::size_t> best = heaviest(weighed, count);
  std::vector<bool> among(weighed.size(), false);
  for (std::size_t i : best) among[i] = true;
  double after = 0;  // the heaviest document after the candidates
  for (std::size_t i = 0; i < weighed.size(); ++i)
    if (!among[i]) after = std::max(after, weighed[i].weight);
  std::vector<std::pair<std::size_t, std::vector<Xapian::docid>>> sessions;  // (index, parts)
  MatchBitmap involved(db_.get_lastdocid());
  for (std::size_t i : best) {
    if (!wholes.has_parts(weighed[i].id)) continue;
    auto parts = wholes.parts(columns_.duplicates, weighed[i].id);
    if (parts.empty()) continue;
    involved.set(weighed[i].id);
    for (Xapian::docid part : parts) involved.set(part);
    sessions.emplace_back(i, std::move(parts));
  }
  if (sessions.empty()) return;
  const std::vector<MatchBitmap> bits = words_among(involved);
  const WordHeld held_by = [&](std::size_t w, Xapian::docid id) { return bits[w].test(id); };
  for (const auto& [i, parts] : sessions) {
    WeighedDocument& doc = weighed[i];
    if (!spread_over_parts(doc.id, parts, held_by)) continue;
    const double above = after > 0 ? std::nextafter(after, doc.weight) : 0;
    doc.weight = std::max(doc.weight * kSpreadWhole, above);
  }
}

void SearchPass::merge_wholes() {
  const WholeParts& wholes = columns_.wholes;
  if (wholes.empty() || positional_ || parsed_.match_all) return;
  const DuplicateGroups& families = columns_.duplicates;
  auto key_of = [&](Xapian::docid id) { return WholeParts::family_key(families, id); };
  // The matching parts of sessions (a session of one deliberation is that
  // deliberation: one family, nothing to merge), and the sessions' matches.
  auto involved = std::make_shared<MatchBitmap>(db_.get_lastdocid());
  std::unordered_set<std::uint64_t> sessions;
  matches_->for_each([&](Xapian::docid id) {
    const Xapian::docid whole = wholes.whole(id);
    if (whole == 0 || key_of(whole) == key_of(id)) return;
    sessions.insert(key_of(whole));
    involved->set(id);
  });
  if (sessions.empty()) return;
  matches_->for_each([&](Xapian::docid id) {
    if (wholes.has_parts(id) && sessions.count(key_of(id))) involved->set(id);
  });
  // Their BM25 weights: each session's best match and its parts'.
  struct Best {
    double session = 0;
    Xapian::docid session_id = 0;                                         // its heaviest file
    std::vector<std::tuple<double, std::uint64_t, Xapian::docid>> parts;  // (weight, result, id)
  };
  std::unordered_map<std::uint64_t, Best> best;
  const Xapian::MSet weighed = rank_among(db_, query_, weight_, involved, 0, db_.get_lastdocid(),
                                          nullptr, columns_.id_terms.get());
  for (auto item = weighed.begin(); item != weighed.end(); ++item) {
    if (const Xapian::docid whole = wholes.whole(*item)) {
      best[key_of(whole)].parts.emplace_back(item.get_weight(), key_of(*item), *item);
    } else if (Best& b = best[key_of(*item)]; item.get_weight() > b.session) {
      b.session = item.get_weight();
      b.session_id = *item;
    }
  }
  std::optional<std::vector<MatchBitmap>> word_bits;  // read when a session needs them
  for (auto& [session, b] : best) {
    if (b.parts.empty()) continue;
    const auto& [top, top_key, top_id] = *std::max_element(b.parts.begin(), b.parts.end());
    bool part_hit = top >= kPartOverSession * b.session;
    if (!part_hit && b.session_id != 0 && parsed_.plain_words.size() >= 2) {
      if (!word_bits) word_bits = words_among(*involved);
      std::vector<Xapian::docid> part_ids;
      for (const auto& part : b.parts) part_ids.push_back(std::get<2>(part));
      part_hit = spread_over_parts(b.session_id, part_ids, [&](std::size_t w, Xapian::docid id) {
        return (*word_bits)[w].test(id);
      });
    }
    if (part_hit) {  // the deliberation is the hit
      merged_into_.emplace(session, top_key);
      merged_into_parts_.insert(top_key);
    } else {  // the session is: its deliberations rank after everything else
      for (const auto& [weight, part, id] : b.parts) demoted_into_.emplace(part, session);
    }
  }
  hidden_.emplace(db_.get_lastdocid());
  demoted_.emplace(db_.get_lastdocid());
  std::unordered_set<std::uint64_t> listed;  // the families already in a hit's list
  matches_->for_each([&](Xapian::docid id) {
    const std::uint64_t key = key_of(id);
    if (const auto into = merged_into_.find(key); into != merged_into_.end()) {
      hidden_->set(id);
      if (listed.insert(key).second) merged_members_[into->second].push_back(id);
    } else if (const auto after = demoted_into_.find(key); after != demoted_into_.end()) {
      demoted_->set(id);
      if (listed.insert(key).second) merged_members_[after->second].push_back(id);
    }
  });
}

// Known matches: the searcher weighs them and keeps those that may make the
// page (bitmap_ranking.h); their weights then rank the page themselves
// (rank_weighed()). Why: BM25 gives Xapian's matcher no bound to stop early
// on a word with 40,000 matches; word p50 1.49 → 1.32 ms with the shortlist,
// 1.33 → 1.1 ms ranking it by its weights (docs/architecture.md). Phrases
// have their own shortlist (positional_page()).
// Consecutive words of the query: the best candidates re-ranked by how many
// stand together (proximity.h), the same candidates whatever the page.
void SearchPass::shortlist_matches() {
  if (!matches_ || request_.sort != SortOrder::Relevance) return;
  // A phrase's matches all checked (positional_search.h) are known like a
  // word's: ranked the same way, re-ranked too (« halte-garderie » is the
  // phrase « halte garderie »: its question's answers, titled so, were 3rd
  // to 6th; hard collection's questions nDCG@10 0.749 → 0.752, the old
  // collection's MRR@10 0.991 → 1.000). A sample's (estimates) and shards'
  // keep positional_page().
  if (positional_ && (!positional_->exact() || sharded())) return;
  if (sharded() && counted_by_matcher_on_one_database()) return;
  const ProximitySettings proximity{config_.proximity_boost,
                                    static_cast<std::uint32_t>(config_.proximity_span)};
  const bool near_words = !parsed_.adjacent_words.empty() && proximity.boost > 0;
  // Not for one word: BM25 already counts a title word search.title_weight
  // times, and the boost, binary then, moved the hard collection by 0.0004
  // at the cost of a shortlist of 24 instead of 14 (word p50 +3 % at 100k).
  const bool title_words = parsed_.plain_words.size() >= 2 && config_.title_boost > 0;
  const bool spread = parsed_.plain_words.size() >= 2 && !columns_.wholes.empty();
  // How many of the best are re-ranked: the same set whatever the page.
  std::size_t reranked = title_words || spread ? kTitleCandidates : 0;
  if (near_words) reranked = kProximityCandidates;
  const std::size_t wanted = std::max(std::size_t{offset_} + limit_, reranked);
  std::vector<WeighedDocument> weighed;
  if (!shortlist(db_, query_, *matches_, sources_, columns_.lengths, config_.bm25, wanted,
                 &scratch_, &weighed, duplicates_ ? &columns_.duplicates : nullptr,
                 hidden_ ? &*hidden_ : nullptr, demoted_ ? &*demoted_ : nullptr))
    return;
  if (near_words) {
    const auto streams = columns_.streams ? columns_.streams->get(db_) : nullptr;
    boost_adjacent_words(db_, streams.get(), parsed_.adjacent_words, proximity, weighed,
                         columns_.shard_vocabularies.get());
  }
  if (title_words)
    boost_title_words(db_, sources_.postings, parsed_.plain_words, config_.title_boost, reranked,
                      weighed);
  if (spread) lower_spread_wholes(reranked, weighed);
  candidates_ = std::make_shared<const std::vector<WeighedDocument>>(std::move(weighed));
}

// The page [from, from + count), always an MSet of Xapian's matcher: over the
// phrases' candidates, over the shortlist's weights, or alone, examining up
// to `examined_` documents when no bitmap counted them.
Xapian::MSet SearchPass::page(Xapian::doccount from, Xapian::doccount count) {
  if (candidates_)
    return sharded() ? sharded_page(from, count) : rank_weighed(db_, candidates_, from, count);
  if (positional_)
    return positional_page(db_, query_, sources_,
                           {weight_, &columns_.lengths, config_.bm25, &scratch_}, *positional_,
                           from, count, duplicates_ ? &columns_.duplicates : nullptr, duplicates_);
  ListedDecider listed(hidden_ ? &*hidden_ : nullptr, duplicates_ ? &*duplicates_ : nullptr);
  if (sharded() && matches_) return sharded_matches_page(from, count);
  return enquire_.get_mset(from, count, matches_ ? 0 : examined_, nullptr, &listed);
}

void SearchPass::rank_page() {
  mset_ = page(offset_, limit_);
  if (positional_ || candidates_) scale_percentages();
  if (sharded() && matches_ && !positional_ && !candidates_) scale_sharded_percentages();
}

// Xapian's percentages would count the page's bitmap filter as part of
// the query: computed as its matcher would have (bitmap_ranking.h), from
// the whole ranking's best hit.
void SearchPass::scale_percentages() {
  if (mset_.empty()) return;
  const Xapian::MSet best = offset_ == 0 ? mset_ : page(0, 1);
  if (!best.empty())
    percent_scale_ = percent_factor(db_, query_, sources_, *best.begin(), weight_of(best.begin()));
  if (offset_ != 0 && positional_ && !candidates_)
    mset_ = page(offset_, limit_);  // the page's duplicate filter again
}

void SearchPass::report_totals(SearchResponse& response) {
  if (matches_)
    totals_from_matches(response);
  else
    totals_from_matcher(response);
  response.total_exact = response.total_lower == response.total_upper || all_examined_;
}

void SearchPass::totals_from_matches(SearchResponse& response) {
  response.total = response.total_lower = response.total_upper = counted_;
  all_examined_ = true;
  if (!positional_ || positional_->exact()) return;
  // A sample's count: estimates.
  const double scale = positional_->scale();
  // At least the hits ranked up to this page (the sample may have missed a rare phrase).
  const auto ranked = static_cast<Xapian::doccount>(offset_ + mset_.size());
  response.total_lower = std::max(counted_, ranked);
  response.total =
      std::max(static_cast<Xapian::doccount>(std::llround(counted_ * scale)), response.total_lower);
  response.total_upper = positional_->candidates;
  if (counter_) counter_->scale(scale);
  all_examined_ = false;
}

void SearchPass::totals_from_matcher(SearchResponse& response) {
  response.total = mset_.get_matches_estimated();
  response.total_lower = mset_.get_matches_lower_bound();
  response.total_upper = mset_.get_matches_upper_bound();
  // When the upper bound is within what was examined, every match was
  // seen (duplicates dropped by the filter are not counted), and the lower
  // bound is the exact number of distinct hits.
  all_examined_ = response.total_upper <= examined_;
  if (all_examined_) response.total = response.total_upper = response.total_lower;
}

// Which hits of the page (hits[first…], in the page's order) hold every
// word, when documents with some of them are listed too: their ids matched
// against the strict query.
void SearchPass::mark_all_words(std::vector<Hit>& hits, std::size_t first) const {
  std::vector<std::string> ids;
  for (std::size_t i = first; i < hits.size(); ++i) ids.push_back(schema::id_term(hits[i].id));
  if (ids.empty()) return;
  Xapian::Enquire strict(db_);
  strict.set_query(Xapian::Query(Xapian::Query::OP_FILTER, filtered(parsed_.strict_query),
                                 Xapian::Query(Xapian::Query::OP_OR, ids.begin(), ids.end())));
  strict.set_weighting_scheme(Xapian::BoolWeight());
  std::unordered_set<Xapian::docid> with_all_words;
  const Xapian::MSet found = strict.get_mset(0, static_cast<Xapian::doccount>(ids.size()));
  for (auto item = found.begin(); item != found.end(); ++item) with_all_words.insert(*item);
  std::size_t i = first;
  for (auto item = mset_.begin(); item != mset_.end() && i < hits.size(); ++item, ++i)
    hits[i].all_words = with_all_words.count(*item) > 0;
}

void SearchPass::add_hits(SearchResponse& response) {
  const std::size_t first = response.hits.size();
  std::optional<Highlighter> highlighter;
  if (request_.extracts) highlighter.emplace(parsed_.highlights);
  for (auto item = mset_.begin(); item != mset_.end(); ++item) {
    const SourceDocument data = stored_document(item.get_document(), columns_, *item);
    Hit hit = hit_of(data, item, mset_);
    if (highlighter) {
      std::size_t focus = 0;
      hit.extract_html = highlighter->extract(analyzer_, data.body, config_.snippet_chars, &focus);
      hit.page = page_at(data, focus);
    }
    if (percent_scale_) hit.score = percent(weight_of(item), *percent_scale_);
    if (duplicates_) {
      add_family(hit, *item);
      add_merged(hit, *item);
    }
    if (request_.explain) hit.explanation = explain(item, hit.id);
    response.hits.push_back(std::move(hit));
  }
  if (sharded() && candidates_) order_by_weighed(response.hits, first);
  if (relaxed_) mark_all_words(response.hits, first);
}

// The other documents of the hit's family: the same text in other files.
void SearchPass::add_family(Hit& hit, Xapian::docid id) const {
  const DuplicateGroups& families = columns_.duplicates;
  for (Xapian::docid member : families.members(families.group(id))) {
    if (member == id) continue;
    const SourceDocument data = stored_document(db_.get_document(member), columns_, member);
    hit.also.push_back({data.id, data.format, data.title});
  }
  hit.duplicates = static_cast<unsigned>(hit.also.size());
}

// The session or deliberations merged into the hit's result (merge_wholes()).
void SearchPass::add_merged(Hit& hit, Xapian::docid id) const {
  const auto merged = merged_members_.find(WholeParts::family_key(columns_.duplicates, id));
  if (merged == merged_members_.end()) return;
  for (Xapian::docid member : merged->second) {
    const SourceDocument data = stored_document(db_.get_document(member), columns_, member);
    hit.merged.push_back({data.id, data.format, data.title});
  }
}

// Each term the hit matches, with the weight it alone gives the document.
std::vector<TermWeight> SearchPass::explain(const Xapian::MSetIterator& item,
                                            const std::string& id) {
  std::vector<TermWeight> out;
  const std::string id_term = schema::id_term(id);
  Xapian::Enquire single(db_);
  single.set_weighting_scheme(weight_);
  for (auto t = enquire_.get_matching_terms_begin(item); t != enquire_.get_matching_terms_end(item);
       ++t) {
    single.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(*t), Xapian::Query(id_term)));
    auto one = single.get_mset(0, 1);
    out.push_back({*t, one.empty() ? 0.0 : one.begin().get_weight()});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.weight > b.weight; });
  return out;
}

void SearchPass::add_facets(SearchResponse& response) const {
  auto facet = [&](const char* name, std::size_t column, auto label_of) {
    Facet f;
    f.name = name;
    // The counter sees what the duplicate filter let through: hits, not copies.
    f.exact = all_examined_ && !facets_sampled_;
    for (auto& v : counter_->top(column, 50)) f.values.push_back({v.value, label_of(v), v.count});
    response.facets.push_back(std::move(f));
  };
  facet("type", kFacetType, [](const FacetCount& v) {
    auto type = parse_doc_type(v.value);
    return type ? std::string(doc_type_label(*type)) : v.value;
  });
  facet("organisation", kFacetOrganisation, [](const FacetCount& v) { return v.value; });
  facet("year", kFacetYear, [](const FacetCount& v) { return v.value; });
  auto& year_values = response.facets.back().values;  // chronological, for histograms
  std::sort(year_values.begin(), year_values.end(),
            [](const FacetValue& a, const FacetValue& b) { return a.key < b.key; });
  // Persons: many per document (a MultiValueColumn), keyed folded, labelled as written.
  facet("person", kFacetPerson, [](const FacetCount& v) { return v.label; });
  // Votes: an outcome, and « contre », « abstention » beside it (multi-valued).
  facet("vote", kFacetVote, [](const FacetCount& v) { return v.label; });
  // Amounts: the largest amount's bucket, in the buckets' order; each key
  // is a montant: value whose filter finds what was counted.
  const auto& buckets = amount_buckets();
  auto bucket_of = [&](const std::string& key) {
    return std::find_if(buckets.begin(), buckets.end(),
                        [&](const AmountBucket& b) { return b.key == key; });
  };
  facet("amount", kFacetAmount,
        [&](const FacetCount& v) { return std::string(bucket_of(v.value)->label); });
  std::sort(response.facets.back().values.begin(), response.facets.back().values.end(),
            [&](const FacetValue& a, const FacetValue& b) {
              return bucket_of(a.key) < bucket_of(b.key);
            });
}

void SearchPass::add_notices(SearchResponse& response) const {
  if (parsed_.relaxed && !relaxed_ && response.total == 0)
    response.notice = "Aucun document ne contient tous les mots.";
  if (parsed_.question)
    response.notice =
        "Recherche lue comme une question : les documents qui contiennent une partie de ses mots "
        "sont comptés et classés avec les autres.";
  if (!parsed_.spelling_suggestion.empty() &&
      (response.total == 0 || !parsed_.unknown_words.empty()))
    response.suggestion = parsed_.spelling_suggestion;
}

}  // namespace vigie
