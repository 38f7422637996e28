// SearchPass: one search (Searcher::search), as the named steps run() takes
// in order:
//   choose_query        the request's filters, then all the words or some
//   set_up_enquire      Xapian's matcher: BM25, the order, identical texts
//   count_matches       every match from the posting lists, when it can
//   tally_matches       totals and facets counted from those matches
//   shortlist_matches   the best-weighed matches that may make the page
//   rank_page           the page, and its percentages
//   report_totals, add_hits, add_facets, add_notices   the answer
// Each step leaves what the next needs in members. Why each works as it
// does, with figures: docs/architecture.md ("Life of a query", "The two
// engines"). Borrows everything it is given, for one search on the
// Searcher's thread; not copyable (Xapian holds pointers to its members).
#pragma once

#include <xapian.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "matcher/bitmap_ranking.h"
#include "matcher/duplicate_groups.h"
#include "matcher/facet_columns.h"
#include "matcher/index_columns.h"
#include "matcher/match_bitmap.h"
#include "matcher/matcher_leaves.h"
#include "matcher/positional_search.h"
#include "query/query_parser.h"
#include "vigie/config.h"
#include "vigie/french_analyzer.h"
#include "vigie/searcher.h"

namespace vigie {

// Shared with the Searcher's other answers (documents, similar ones):
// A document's stored data, decompressed with its generation's dictionary
// when it was stored so (data_dictionary.h).
// `id`: the document's id in the database searched (of several shards, a
// Document knows only its id in its shard; the dictionary is its shard's).
SourceDocument stored_document(const Xapian::Document& doc, const IndexColumns& columns,
                               Xapian::docid id);
// A hit's fields from its stored data; its score and duplicates from its
// item of `mset`; no extract.
Hit hit_of(const SourceDocument& data, const Xapian::MSetIterator& item, const Xapian::MSet& mset);
// Xapian's BM25 with the configured parameters.
Xapian::BM25Weight bm25_weight(const Bm25Config& bm25);

class SearchPass {
 public:
  // `parsed`: request.query parsed with `leaves` (over `columns.dates`),
  // which build the request's date range too and hold the ranges and
  // phrases the counts read; `scratch`: the Searcher's weighing buffers,
  // reused from one search to the next.
  SearchPass(const Xapian::Database& db, const SearchRequest& request, const IndexColumns& columns,
             ParsedQuery parsed, MatcherLeaves& leaves, const SearchConfig& config,
             FrenchAnalyzer& analyzer, WeighingScratch& scratch);
  SearchPass(const SearchPass&) = delete;
  SearchPass& operator=(const SearchPass&) = delete;

  SearchResponse run();

 private:
  void choose_query();
  void set_up_enquire();
  void count_matches();
  void tally_matches();
  void merge_wholes();
  // Whether plain word w (an index into ParsedQuery::plain_words) is in document id.
  using WordHeld = std::function<bool(std::size_t w, Xapian::docid id)>;
  bool spread_over_parts(Xapian::docid session, const std::vector<Xapian::docid>& parts,
                         const WordHeld& held_by) const;
  std::vector<MatchBitmap> words_among(const MatchBitmap& among) const;
  void lower_spread_wholes(std::size_t count, std::vector<WeighedDocument>& weighed) const;
  void shortlist_matches();
  void rank_page();
  void scale_percentages();
  Xapian::MSet page(Xapian::doccount from, Xapian::doccount count);
  void report_totals(SearchResponse& response);
  void totals_from_matches(SearchResponse& response);
  void totals_from_matcher(SearchResponse& response);
  void add_hits(SearchResponse& response);
  void add_family(Hit& hit, Xapian::docid id) const;
  void add_merged(Hit& hit, Xapian::docid id) const;
  void mark_all_words(std::vector<Hit>& hits, std::size_t first) const;
  std::vector<TermWeight> explain(const Xapian::MSetIterator& item, const std::string& id);
  void add_facets(SearchResponse& response) const;
  void add_notices(SearchResponse& response) const;
  Xapian::Query filtered(const Xapian::Query& query) const;
  // Several shards (search_pass_shards.cpp, docs/architecture.md "Shards").
  bool sharded() const { return columns_.shard_vocabularies != nullptr; }
  void require_known_matches();
  Xapian::MSet sharded_page(Xapian::doccount from, Xapian::doccount count);
  Xapian::MSet sharded_matches_page(Xapian::doccount from, Xapian::doccount count);
  double weight_of(const Xapian::MSetIterator& item) const;
  bool counted_by_matcher_on_one_database() const;
  void tally_as_matcher();
  void scale_sharded_percentages();
  void order_by_weighed(std::vector<Hit>& hits, std::size_t first) const;

  // Given.
  const Xapian::Database& db_;
  const SearchRequest& request_;
  const IndexColumns& columns_;
  const ParsedQuery parsed_;
  MatcherLeaves& leaves_;
  const SearchConfig& config_;
  FrenchAnalyzer& analyzer_;
  WeighingScratch& scratch_;
  const Xapian::BM25Weight weight_;
  const Xapian::doccount doccount_;
  const Xapian::doccount offset_, limit_;  // the page asked for (limit capped)
  const Xapian::doccount examined_;        // what Xapian's matcher examines at least

  // choose_query
  Xapian::Query filters_;  // the request's own
  bool relaxed_ = false;   // documents with some of the words are counted too (any_words)
  Xapian::Query query_;    // what is matched, filters included
  // set_up_enquire
  Xapian::Enquire enquire_;
  std::optional<DuplicateFilter> duplicates_;  // copies of an identical text left out
  // count_matches
  std::shared_ptr<const StreamStore> streams_;
  BitmapSources sources_;
  std::optional<PositionalCount> positional_;  // phrases and PROCHE counted
  std::optional<MatchBitmap> matches_;         // every match, when known
  std::optional<FacetCounter> counter_;
  // tally_matches
  // merge_wholes: a session's family → the result (family key) of its first
  // matching deliberation; those results; the sessions' matches, not listed.
  std::unordered_map<std::uint64_t, std::uint64_t> merged_into_;
  std::unordered_set<std::uint64_t> merged_into_parts_;
  std::optional<MatchBitmap> hidden_;
  // Deliberations of a session that ranks above them → that session; ranked last.
  std::unordered_map<std::uint64_t, std::uint64_t> demoted_into_;
  std::optional<MatchBitmap> demoted_;
  // A result → the documents merged into it (one per family), for its hit.
  std::unordered_map<std::uint64_t, std::vector<Xapian::docid>> merged_members_;
  Xapian::doccount counted_ = 0;
  bool facets_sampled_ = false;  // facets counted on a sample (exact_facet_counts_up_to)
  // shortlist_matches
  std::shared_ptr<const std::vector<WeighedDocument>> candidates_;
  // rank_page
  Xapian::MSet mset_;
  std::optional<double> percent_scale_;
  // report_totals
  bool all_examined_ = false;  // every match was counted: totals and facets exact
};

}  // namespace vigie
