// QueryGrammar: the recursive-descent stage of the QueryParser
// (query_parser.h), over the lexemes of query_lexer.h, building queries with
// QueryTerms. The grammar (docs/query-language.md):
//
//   query    := or_expr
//   or_expr  := and_expr { (OR | OU) and_expr }
//   and_expr := sequence { (AND | ET) sequence }
//   sequence := item { item }                 juxtaposed words: relaxed
//   item     := { NOT | SAUF | - | + } atom [ { NEAR[/n] atom } ]
//   atom     := ( or_expr ) | "phrase" | word | =word | word* | field:value
//
// Each expression is built twice: `strict` (every juxtaposed word required)
// and `loose` (documents with all the words first, then fewer). Mistakes
// (stray or missing parenthesis, operator without operand) are skipped with
// a warning; nesting deeper than kMaxQueryDepth is flattened, so recursion
// is bounded whatever the input.
// Thread-safety: one per parse.
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "query/query_lexer.h"
#include "query/query_terms.h"

namespace vigie {

inline constexpr int kMaxQueryDepth = 32;

struct QueryPart {
  Xapian::Query strict;
  Xapian::Query loose;
  bool empty = true;      // nothing to match (no usable item)
  bool scored = false;    // has words (not only filters or exclusions)
  bool relaxed = false;   // loose differs from strict
  bool consumed = false;  // some lexeme was read (for dangling operator messages)
};

class QueryGrammar {
 public:
  QueryGrammar(const std::vector<Lexeme>& lexemes, std::string_view text, QueryTerms& terms)
      : lexemes_(lexemes), text_(text), terms_(terms) {}
  QueryPart parse();
  // `loose` ranks the documents holding any of the words by BM25 alone,
  // without putting those with all of them first (questions).
  void rank_any_words(bool on) { rank_any_words_ = on; }
  // After parse(): the consecutive plain words of a query that is one
  // sequence (ParsedQuery::adjacent_words); empty otherwise.
  const std::vector<AdjacentWords>& adjacent_words() const { return adjacent_; }
  const std::vector<QueryWord>& plain_words() const { return plain_words_; }

 private:
  struct Item;
  struct Sequence;  // a sequence's queries sorted by role, then combined
  const Lexeme* peek() const { return pos_ < lexemes_.size() ? &lexemes_[pos_] : nullptr; }
  QueryPart parse_or();
  QueryPart parse_and();
  QueryPart parse_operator_chain(LexKind op_kind, QueryPart (QueryGrammar::*operand)(),
                                 Xapian::Query::op combine_op);
  QueryPart parse_sequence();
  bool parse_item(std::vector<Item>& items);
  const Lexeme* read_marks(Item& item);
  bool parse_group(Item& item, std::vector<Item>& items);
  void read_near_chain(Item& item);
  QueryPart build_sequence(const std::vector<Item>& items);
  std::vector<std::string> synonym_keys(const std::vector<Item>& items);
  void add_synonym_match(const std::vector<Item>& items, const std::vector<std::string>& keys,
                         std::size_t first, std::size_t span, std::size_t group,
                         Sequence& sequence);
  void add_item(const Item& item, std::size_t index, Sequence& sequence);
  void chain_word(const Xapian::Query& word, const std::string& typed);
  void note_plain_word(const std::vector<std::string>& forms);
  void note_plain_parts(const std::string& key);

  const std::vector<Lexeme>& lexemes_;
  std::string_view text_;
  QueryTerms& terms_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  std::size_t flattened_ = 0;  // '(' ignored past kMaxQueryDepth, whose ')' are skipped too
  bool operators_ = false;     // some OR or AND joined two operands
  bool rank_any_words_ = false;
  std::vector<AdjacentWords> adjacent_;
  std::vector<QueryWord> plain_words_;
  std::vector<std::string> previous_forms_;  // the chain's last plain word; empty: broken
};

}  // namespace vigie
