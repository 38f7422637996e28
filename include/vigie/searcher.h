// Searcher: the search core shared by vigie-search (CLI) and vigie-server
// (JSON API and HTML pages): parse → match → hits with highlighted extracts,
// facets, totals, notices, spelling suggestion, synonyms; plus documents by
// id and similar documents.
//
// Thread-safety: NOT thread-safe — one Searcher per worker thread (Xapian
// handles are not thread-safe and copies share internals).
// Index changes: every call first checks whether the `current` stub names a
// new generation (then opens it) or the database has a new revision
// (reopen()); a DatabaseModifiedError during a request reopens and retries
// (bounded). Errors: QuerySyntaxError (bad query, → 400), IndexUnavailable
// (no index yet, or being rebuilt, → 503).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/config.h"
#include "vigie/decision_search.h"
#include "vigie/document.h"
#include "vigie/index_setup.h"
#include "vigie/query_language.h"

namespace vigie {

// The per-revision document columns (facets, identical texts, filter
// bitmaps, frequent postings) that the Searchers of one process share
// (common/matcher/index_columns.h); opaque here.
class SharedColumns;
std::shared_ptr<SharedColumns> make_shared_columns();

class IndexUnavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Amount: the largest amount first (schema's amount slot), documents
// without an amount last, each tie by relevance.
enum class SortOrder { Relevance, Newest, Oldest, Amount };
// "relevance"/"pertinence", "date"/"-date"/"newest"/"recent", "oldest"/"+date",
// "amount"/"montant"; nullopt if unknown.
std::optional<SortOrder> parse_sort_order(std::string_view text);

// One search, every value typed. The programs parse their parameters into it
// once, where they arrive (server/api/api_params.cpp, cli/), so that a bad
// value is their error (HTTP 400, exit 2) naming the parameter; the Searcher
// parses no string but the query.
struct SearchRequest {
  std::string query;  // the query language (may be empty with filters)
  // Filters from form fields / API parameters, ANDed with each other and
  // with the query's own; the values of one filter are ORed.
  std::vector<DocType> types;
  // Display names or facet keys, as given: both fold to the key the index
  // holds ("Commune de Chémeré" and "commune de chemere" match alike).
  std::vector<std::string> organisations;
  std::vector<int> years;  // four digits
  // Persons (élus, rapporteurs), display names or facet keys, as organisations.
  std::vector<std::string> persons;
  DateRange dates;  // partial dates stand for their whole period
  // What deliberations decide (decision_search.h): each filter's values ORed.
  std::vector<VoteFilter> votes;
  std::vector<AmountRange> amounts;
  SortOrder sort = SortOrder::Relevance;
  std::size_t offset = 0;
  std::size_t limit = 10;  // capped at search.max_page_size; 0 = count only
  bool facets = true;
  bool extracts = true;
  bool explain = false;
  // One hit per family (the same text in several files: docs/families.md),
  // the others listed in Hit::also; a session's minutes are not listed
  // beside one of its deliberations. False: every file.
  bool collapse_duplicates = true;
  bool exact_total = false;  // examine every match, whatever the index size (exports)
  // Several words: the results are the documents holding them all, and
  // those with only some are SearchResponse::partial_*. True (« au moins un
  // des mots »): both are the results, those with all the words first.
  bool any_words = false;
  // When few documents hold every word: list those with some of them after,
  // to fill the first page (flagged; SearchResponse::partial_total). Off for
  // exports, whose rows are what the total counts.
  bool fill_with_some_words = true;
  // When the search finds nothing as typed: run it again with the spelling
  // suggestion and with each unknown collectivité replaced by the index's
  // one whose name holds its words (« Chémeré » → « Commune de Chémeré »),
  // and answer with that search when it finds something
  // (SearchResponse::corrected says what changed), as the big engines do.
  bool correct = true;
};

struct TermWeight {
  std::string term;
  double weight = 0;
};

// Another document of a hit's family: the same text in another file or format.
struct FamilyMember {
  std::string id;
  std::string format;  // "pdf", "html", "json-minutes"…
  std::string title;
};

struct Hit {
  std::string id;
  std::string title;
  std::string type;        // key: "deliberation"
  std::string type_label;  // "délibération"
  std::string date;        // ISO, possibly partial; empty if unknown
  std::string organisation;
  std::string source;  // source file path (root-relative id form)
  std::string format;
  std::string url;                   // canonical URL from the source, if any
  std::string number;                // deliberation or act number ("2010/80"), if any
  std::vector<std::string> persons;  // élus, rapporteurs named by the metadata rules
  // What a deliberation decides (vote, amounts, legal references, cited
  // acts), as stored; empty for most documents.
  Decisions decisions;
  std::string extract_html;        // ~snippet_chars of text, HTML-escaped, matches in <mark>
  int page = 0;                    // PDF: page of the extract's first match (1-based); else 0
  double score = 0;                // percentage-like relevance (0..100)
  unsigned duplicates = 0;         // other documents of its family (also.size())
  std::vector<FamilyMember> also;  // those documents (when families are collapsed)
  std::string part_of;             // the id of the session record it is taken from, if any
  // The documents its result holds besides its family (docs/families.md):
  // the session of a deliberation hit, or the deliberations of a session
  // hit, that matched too and are not listed on their own.
  std::vector<FamilyMember> merged;
  bool all_words = true;  // holds every word of the query (false: some of them)
  // Holds a phrase's or PROCHE's words, but not as asked (SearchResponse::loosened_total).
  bool loosened = false;
  std::vector<TermWeight> explanation;  // when requested: matched terms and weights
};

struct FacetValue {
  std::string key;    // what to filter on (type key, organisation name, year)
  std::string label;  // what to show
  Xapian::doccount count = 0;
};

struct Facet {
  // "type", "organisation", "person", "year", "vote", "amount" (the amount's
  // values in bucket order, decision_search.h: amount_buckets())
  std::string name;
  std::vector<FacetValue> values;  // by count, descending
  bool exact = false;              // counts are exact (every matching document was counted)
};

// One change SearchRequest::correct made to find something.
struct Correction {
  std::string field;  // "q" (the query text) or "organisation" (a filter value)
  std::string from, to;
};

struct SearchResponse {
  std::string query;
  Xapian::doccount total = 0;  // Xapian's estimate
  Xapian::doccount total_lower = 0, total_upper = 0;
  bool total_exact = false;
  std::size_t offset = 0;
  std::vector<Hit> hits;
  std::vector<Facet> facets;
  std::vector<std::string> warnings;  // from the parser, French
  std::string notice;                 // e.g. "Aucun document ne contient tous les mots."
  // Several words and fewer than kPartialBelow results holding them all (not
  // with any_words): how many documents hold only some of them. They are
  // not counted in `total` nor in the facets; the first page's `hits` list
  // them after those with every word (Hit::all_words false) to fill the
  // page — « N autres documents contiennent une partie des mots ».
  Xapian::doccount partial_total = 0;
  // A phrase or PROCHE (a title phrase, a hyphenated word) held as asked by
  // fewer than kPartialBelow documents: how many documents hold its words
  // otherwise (apart, elsewhere, or only some of them), the query's filters
  // kept. Not counted in `total` nor in the facets; the first page's `hits`
  // list them after the others (Hit::loosened, Hit::all_words false), « N
  // autres documents contiennent ces mots, mais pas comme demandé ».
  Xapian::doccount loosened_total = 0;
  // The query was read as a question (« combien coûte la cantine ? »): the
  // results are the documents holding any of its words, ranked by BM25
  // alone (docs/ranking.md, "Questions"); `total` counts them, and the hits
  // without every word say so (Hit::all_words).
  bool question = false;
  std::string suggestion;  // "Essayez avec : …" (the corrected query)
  // Not empty: nothing matched as typed, and these are the results of the
  // corrected search (SearchRequest::correct); `query` stays as typed.
  std::vector<Correction> corrected;
  std::vector<SynonymUse> synonyms;
  // An index of several shards with some down (docs/admin-guide.md,
  // "Shards"): the answer is the others' (partial), these are missing.
  bool partial = false;
  std::vector<std::string> missing_shards;
  double elapsed_ms = 0;
};

// Fewer results holding every word than this, and those holding some are
// given apart (SearchResponse::partial_total).
inline constexpr Xapian::doccount kPartialBelow = 10;

class Searcher {
 public:
  // Keeps a copy of `config`.
  // `shared_columns`: the per-revision document columns (facets, identical
  // texts) shared with other Searchers of the process (index_columns.h);
  // without it this Searcher reads its own.
  Searcher(std::filesystem::path index_dir, const Config& config,
           std::shared_ptr<SharedColumns> shared_columns = nullptr);
  ~Searcher();
  Searcher(const Searcher&) = delete;
  Searcher& operator=(const Searcher&) = delete;

  // A stub of several shards (docs/admin-guide.md, "Shards"): opens every
  // one now and throws IndexUnavailable naming the first that cannot be
  // opened or differs (layout, analyser set-up) — the programs call it at
  // start. Afterwards a remote shard that is down is left out of the answers
  // (SearchResponse::partial) instead. Nothing for an index of one local
  // database, or none yet.
  void check_shards();

  SearchResponse search(const SearchRequest& request);
  // The stored document (text included), or nullopt if no such id.
  std::optional<SourceDocument> document(const std::string& id);
  // The documents `id` is tied to (docs/families.md): its family (the same
  // text in other files), the session record it is a part of, and the parts
  // of it or of its family (a session's deliberations, in id order); the
  // acts it cites and the documents citing it. All empty for an unknown id.
  // An act the document's decisions cite (« rapporte la délibération
  // n° 2004/64 »), and the indexed document it names when exactly one
  // does (common/search/decision_links.h says how).
  struct CitedAct {
    ActReference act;
    std::optional<FamilyMember> document;  // nullopt: not resolved; show act.text
  };
  // A document whose decisions cite this one, with what it does to it.
  struct Citing {
    FamilyMember document;
    std::string verb;  // "rapporte", "modifie", "abroge"; "" when it only cites
    std::string text;  // the citation as written
  };
  struct Relations {
    std::vector<FamilyMember> family;
    std::optional<FamilyMember> whole;
    std::vector<FamilyMember> parts;
    std::vector<CitedAct> cited;   // « Délibérations citées », in text order
    std::vector<Citing> cited_by;  // « Citée par », in id order
  };
  Relations relations(const std::string& id);
  // Documents sharing the most significant terms of `id`, one per family,
  // its own family left out; empty if unknown id.
  std::vector<Hit> similar(const std::string& id, std::size_t limit);
  // Highlights `text` (e.g. a whole document) for a query: HTML-escaped,
  // matches in <mark>; the first match gets id="premier-resultat".
  std::string highlight_all(const std::string& text, const std::string& query);

  // pin() picks up the live index state, then keeps it: while pinned,
  // searches do not pick up new commits or generations: the pages of one export all come from one
  // state. Unpinned, the next call picks up whatever changed. A pinned state that Xapian can no
  // longer read (overwritten by later commits) throws IndexUnavailable rather than mixing states.
  // Use SearcherPin for the scope.
  void pin();
  // Pins the state this Searcher last read (index_state(), a search), without
  // looking for a newer one: an answer computed now is exactly that state's.
  void pin_open();
  void unpin();

  // The set-up the live generation recorded (roots, rules, synonyms…), or
  // nullopt for an index without a record (index_setup.h).
  std::optional<IndexSetup> index_setup();
  Xapian::doccount document_count();
  std::string generation();  // name of the open generation ("gen-000003")
  // What the next search would read: the live generation and its Xapian
  // revision ("gen-000003@17"), picking up a new one first. Answers computed
  // for one state stay valid exactly as long as it does (response caches).
  std::string index_state();

  // Index changes this Searcher has picked up (for /metrics): new
  // generations opened (the first open is not one) and reopen()s onto a
  // newer revision of the same generation.
  struct Reloads {
    std::uint64_t generations = 0;
    std::uint64_t revisions = 0;
  };
  Reloads reloads() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Pins a Searcher for a scope (Searcher::pin), unpinning on the way out,
// exceptions included.
class SearcherPin {
 public:
  enum class From { Live, Open };  // pin() or pin_open()
  explicit SearcherPin(Searcher& searcher, From from = From::Live) : searcher_(searcher) {
    from == From::Live ? searcher_.pin() : searcher_.pin_open();
  }
  ~SearcherPin() { searcher_.unpin(); }
  SearcherPin(const SearcherPin&) = delete;
  SearcherPin& operator=(const SearcherPin&) = delete;

 private:
  Searcher& searcher_;
};

}  // namespace vigie
