// Query lexer: the first stage of the QueryParser (query_parser.h). Cuts the
// query text into lexemes — words, "phrases", field:value, ( ), operators —
// without analysing the words (the grammar hands words to FrenchAnalyzer).
//
//   sanitize_query_text()  bytes → valid UTF-8 without controls or bidi
//                          overrides (each kind of repair adds one warning)
//   lex_query()            cleaned text → lexemes, at most `max_terms`
//                          word-like lexemes (the rest is dropped + warning)
//
// Operators are recognised only in capitals (AND ET OR OU NOT SAUF NEAR[/n]
// PROCHE[/n]): a lower-case « et » or « ou » is a word (and a stopword).
// Work is linear in the input; nothing here throws on any input.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie {

enum class LexKind {
  Word,    // text = the word without its + - = * marks
  Phrase,  // text = between the quotes
  Field,   // field = folded name ("titre"), text = value (maybe empty)
  LParen,
  RParen,
  And,
  Or,
  Not,   // NOT, SAUF and a detached '-' before ( or "
  Plus,  // a detached '+' before ( or "
  Near,  // window in `near_window`
};

struct Lexeme {
  LexKind kind = LexKind::Word;
  std::string text;
  std::string field;
  std::uint32_t begin = 0;  // bytes of `text` in the cleaned query (for spelling substitution)
  std::uint32_t end = 0;
  bool excluded = false;      // -mot, -type:x
  bool required = false;      // +mot
  bool exact = false;         // =mot, ="phrase"
  bool prefix = false;        // mot*
  bool quoted = false;        // field value written in quotes
  bool unterminated = false;  // phrase without its closing quote
  int near_window = 10;
};

// Default NEAR window, and the largest one accepted (bounded positional work).
inline constexpr int kDefaultNearWindow = 10;
inline constexpr int kMaxNearWindow = 100;

// Field names the language knows (folded): titre type collectivite org
// organisation lieu personne numero annee date vote montant article loi
// decret ordonnance.
bool is_query_field(std::string_view folded_name);

std::string sanitize_query_text(std::string_view raw, std::vector<std::string>& warnings);

std::vector<Lexeme> lex_query(std::string_view text, std::size_t max_terms,
                              std::vector<std::string>& warnings);

}  // namespace vigie
