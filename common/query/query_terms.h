// QueryTerms: the term-building stage of the QueryParser (query_parser.h).
// Turns one lexeme of the query (a word, a "phrase", a prefix*, =exact, a
// field:value) into the Xapian::Query that matches what the indexer wrote
// (indexer/build/document_builder.cpp), always through FrenchAnalyzer and the
// schema — never by spelling a prefix itself:
//
//   word         exact term OR SYNONYM(forms of its Z family) [OR
//                SYNONYM(forms of its XZ family)]: the index's synonym
//                table, term_forms.h; capped
//   Vice-président  the phrase « vice president » OR vicepresident
//   "phrase"     the AND of its words' forms (stopwords kept, exact) FILTER
//                their position streams (position_filter_source.h); so for
//                PROCHE; ="phrase" the AND of its exact terms
//   délib*       SYNONYM over the most frequent index terms (capped)
//   =mot         exact term only
//   titre:…      the same on S title terms
//   type: collectivite: lieu: personne: numero: annee: date:  boolean
//                filters (see Filter)
//   vote: montant: article: loi: decret: ordonnance:  what deliberations
//                decide (decision_search.h); a value they cannot use throws
//                QuerySyntaxError
//
// It also records, in the ParsedQuery it is given, the highlights, the
// unknown words (for spelling) and the warnings. Inputs that cannot be used
// give a warning and std::nullopt, except the decision fields' values
// (QuerySyntaxError); a Xapian DatabaseError from reading the index does
// propagate.
// Thread-safety: one per parse; borrows the parser's analyzer and the db.
#pragma once

#include <xapian.h>

#include <map>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "index/position_stream.h"
#include "query/query_leaves.h"
#include "query/query_lexer.h"
#include "query/query_parser.h"
#include "vigie/config.h"
#include "vigie/document.h"
#include "vigie/french_analyzer.h"

namespace vigie {

// A synonym group with the analysed keys of its forms (synonym_key()).
struct SynonymEntry {
  std::vector<std::string> forms;
  std::vector<std::string> keys;
};

// A boolean field filter: same-field filters are ORed, fields ANDed.
struct Filter {
  std::string field;  // "type", "date", ... (org/organisation → "collectivite")
  Xapian::Query query;
};

// A word typed outside quotes whose forms are all absent from the index.
struct UnknownWord {
  std::string folded;
  std::uint32_t begin = 0;  // its bytes in the cleaned query text
  std::uint32_t end = 0;
};

class QueryTerms {
 public:
  QueryTerms(FrenchAnalyzer& analyzer, const Xapian::Database& db, const SearchConfig& config,
             const std::unordered_set<std::string>& stopwords,
             const std::vector<SynonymEntry>& synonyms, QueryLeaves& leaves, ParsedQuery& out);

  // Analysed key of a typed word ("l’IA" → "ia"), for stopwords and synonyms.
  std::string key(const Lexeme& word);
  bool is_stopword(const Lexeme& word);
  // Whether an analysed word (a key's part: "en" of « Saint-Père-en-Retz ») is a stopword.
  bool is_stopword_key(const std::string& word) const { return stopwords_.count(word) > 0; }
  // Query-wide: keep stopwords when the query has nothing else.
  void set_keep_stopwords(bool keep) { keep_stopwords_ = keep; }
  bool keep_stopwords() const { return keep_stopwords_; }

  // A word lexeme (plain, =exact or prefix*); `positive` = not negated
  // (highlights and spelling only for positive words). nullopt when it
  // analyses to nothing, or is a stopword to ignore.
  std::optional<Xapian::Query> word(const Lexeme& word, bool positive);
  // A phrase: each word stands for its forms (« zones humides » finds « zone
  // humide »), stopwords and `exact` phrases (="…") for the form typed only.
  std::optional<Xapian::Query> phrase(std::string_view text, bool positive, bool title = false,
                                      bool exact = false);
  // mot1 NEAR/n mot2 …: each word stands for its forms, =mot for itself.
  std::optional<Xapian::Query> near(const std::vector<const Lexeme*>& operands, int window,
                                    bool positive);
  // titre:… — scored, unlike the other fields.
  std::optional<Xapian::Query> title(const Lexeme& field, bool positive);
  // Any other field: a boolean filter, or nullopt + warning.
  std::optional<Filter> filter(const Lexeme& field);

  // Longest synonym form matching keys[from…]: returns how many keys it
  // covers (0 = none) and the group index.
  std::size_t match_synonym(const std::vector<std::string>& keys, std::size_t from,
                            std::size_t& group) const;
  // The other forms of `group` (all but the one whose key is `typed_key`),
  // OR'ed; records the SynonymUse entries.
  std::optional<Xapian::Query> synonym_forms(std::size_t group, const std::string& typed_key,
                                             const std::string& typed_text);

  const std::vector<UnknownWord>& unknown_words() const { return unknown_; }
  void warn(std::string message);

 private:
  std::vector<Token> analyse(std::string_view text);
  Xapian::Query word_query(const std::vector<Token>& tokens, bool exact_only, bool title);
  Xapian::Query forms_query(const Token& t, bool exact_only, std::string_view prefix);
  Xapian::Query slot_query(const Token& t, bool exact_only, std::string_view prefix);
  std::optional<Xapian::Query> prefix_query(const Lexeme& word, bool title, bool positive,
                                            std::vector<std::string>* expansions);
  std::vector<std::string> expand(const std::string& prefix_term, std::string_view typed);
  // A phrase (consecutive words, in `title` or anywhere) or PROCHE (`span`)
  // of `parts`, one per slot, checked on the documents' position streams.
  // Each part is a term with `prefix` or an OR of such terms.
  Xapian::Query positional(PositionPattern::Kind kind, const std::vector<Xapian::Query>& parts,
                           std::uint32_t span, bool title);
  const std::vector<std::string>& family(const std::string& key);
  std::vector<std::string> family_forms(const Token& t, const std::string& key,
                                        std::string_view prefix, bool with_word);
  void highlight(const std::string& exact, const std::string& stem);
  void note_unknown(const Lexeme& word, const std::vector<Token>& tokens);
  std::optional<Filter> date_filter(const Lexeme& field);
  std::optional<Filter> year_filter(const Lexeme& field);
  std::optional<Filter> decision_filter(const std::string& name, const std::string& value);
  std::optional<Filter> article_filter(const std::string& value);

  FrenchAnalyzer& analyzer_;
  const Xapian::Database& db_;
  const SearchConfig& config_;
  bool all_stopwords(const std::vector<const Token*>& words) const;

  const std::unordered_set<std::string>& stopwords_;
  const std::vector<SynonymEntry>& synonyms_;
  QueryLeaves& leaves_;
  ParsedQuery& out_;
  bool keep_stopwords_ = false;
  std::size_t expansion_budget_;
  std::vector<UnknownWord> unknown_;
  std::unordered_set<std::string> highlighted_;
  std::map<std::string, std::vector<std::string>> families_;  // family key → forms read
};

}  // namespace vigie
