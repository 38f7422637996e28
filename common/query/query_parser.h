// QueryParser: Vigie's query language → Xapian::Query, through the SAME
// FrenchAnalyzer as the indexer (Xapian's own QueryParser tokenises
// differently: elisions, folding, hyphens). Grammar and examples:
// docs/query-language.md.
//
//   plain words         all words rank first, then fewer (never zero hits
//                       just because one word is absent); stopwords ignored
//   "phrase"            positions; each word in any of its forms (stem
//                       family), stopwords kept as typed; ="phrase" the
//                       exact forms only
//   a NEAR/5 b          proximity (also PROCHE/5)
//   AND ET, OR OU, NOT SAUF, +mot, -mot, ( )
//   délib*              prefix, expansion capped (wildcard_limit) with a warning
//   =numérique          exact form, no stemming
//   titre: type: collectivite: org: lieu: personne: numero: annee:2023
//   date:2023-01-01..2023-06-30  date:..2012  date:2012..  date:22/06/2010
//
// Malformed input never throws past this class except QuerySyntaxError,
// whose message (in French) says what to fix (→ HTTP 400); most mistakes
// (unbalanced quote or parenthesis, dangling operator, empty field) get a
// best-effort query plus a warning instead. Errors reading the index
// (Xapian::DatabaseError, e.g. DatabaseModifiedError) do propagate: the
// caller reopens and retries.
//
// Thread-safety: one QueryParser per thread (it holds a FrenchAnalyzer and
// reads the Database for prefix expansion, spelling and synonyms).
#pragma once

#include <xapian.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "query/query_leaves.h"
#include "vigie/config.h"
#include "vigie/query_language.h"
#include "vigie/synonyms.h"

namespace vigie {

// A word of the query to mark in extracts.
struct HighlightTerm {
  std::string exact;  // folded form ("deliberation")
  std::string stem;   // stem ("deliber"); empty for exact-only (=mot, phrases)
};

// Two plain words that follow each other in the query (stopwords between
// them skipped), each with the exact forms it may take in a document: the
// form typed first, then its stem family's (what its SYNONYM lists), at most
// kMaxAdjacentForms. The searcher ranks documents where they stand together
// above those where they are apart (matcher/proximity.h).
struct AdjacentWords {
  std::vector<std::string> first, second;
};
inline constexpr std::size_t kMaxAdjacentForms = 16;
// Pairs of one query: a 30-word question must not cost 29 stream scans per document.
inline constexpr std::size_t kMaxAdjacentPairs = 8;

// A plain word of the query with the exact forms it may take in a document
// (the form typed, then its stem family's, at most kMaxAdjacentForms): the
// searcher ranks the best candidates whose titles hold the query's words
// higher (matcher/title_words.h), and shows a deliberation rather than its
// session when it holds as many of them (search_pass.cpp).
struct QueryWord {
  std::vector<std::string> forms;
};
// Plain words of one query looked up: a 30-word question costs at most this many.
inline constexpr std::size_t kMaxPlainWords = 16;

struct ParsedQuery {
  // What to match: documents with all the positive words first, then those
  // with fewer; filters applied (OP_FILTER). MatchAll when only filters.
  Xapian::Query query;
  // The same with every plain word required (OP_AND); equal to `query`
  // when there is nothing to relax. The searcher tells the user when no
  // document matches it ("aucun document ne contient tous les mots").
  Xapian::Query strict_query;
  bool relaxed = false;    // query differs from strict_query
  bool match_all = false;  // no words at all (browse by filters)
  std::vector<HighlightTerm> highlights;
  std::vector<std::string> warnings;       // French, user-facing
  std::vector<std::string> unknown_words;  // typed words absent from the index
  std::vector<SynonymUse> synonyms;
  std::string spelling_suggestion;  // corrected query text, empty if none
  // Consecutive plain words of a query that is one sequence (no OR, AND,
  // parentheses): a phrase, NEAR, field, prefix*, =mot, +mot, -mot or
  // multi-word synonym between two words breaks the chain (query_grammar.cpp).
  std::vector<AdjacentWords> adjacent_words;
  // Every plain word outside parentheses (not =mot, prefix*, phrases,
  // fields or negated words), in query order, each once.
  std::vector<QueryWord> plain_words;
  // The query is a question in a full sentence (question_form.h) and
  // search.questions_any_words is on: `query` ranks the documents holding
  // any of its words by BM25 alone, and they are the results (as with
  // « au moins un des mots »).
  bool question = false;
};

class QueryParser {
 public:
  // `synonyms` and `stopwords` come from the index's recorded set-up, or the
  // config files for an index without one (load once, share read-only). The database is read (not
  // kept beyond its lifetime).
  QueryParser(const SearchConfig& config, std::vector<SynonymGroup> synonyms,
              std::unordered_set<std::string> stopwords);
  ~QueryParser();
  QueryParser(const QueryParser&) = delete;
  QueryParser& operator=(const QueryParser&) = delete;

  // `leaves` builds the phrases, PROCHE and date ranges of the query
  // (query_leaves.h: the matcher's business, not the parser's).
  ParsedQuery parse(std::string_view text, const Xapian::Database& db, QueryLeaves& leaves);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Reads config/stopwords-fr.txt (one word per line, # comments), folded.
std::unordered_set<std::string> load_stopwords(const std::filesystem::path& file,
                                               std::vector<std::string>& warnings);
// The same from the file's text (as the index records it: index_setup.h).
std::unordered_set<std::string> parse_stopwords(std::string_view text);

}  // namespace vigie
