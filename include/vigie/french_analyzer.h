// FrenchAnalyzer: the one analyzer (docs/architecture.md, "French analysis"), used by BOTH the
// indexer and the query parser, so that what is typed matches what was indexed.
//
//   text (UTF-8) → tokens {exact folded form, stem, position, byte offsets}
//
// - ICU word segmentation; every Unicode space separates; punctuation and
//   « » are not tokens.
// - Elisions (l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu'
//   presqu', with ' ’ ʼ, any case) are stripped: the token is the word after
//   the apostrophe, its offsets start there. Lexicalised words stay whole
//   (aujourd'hui, presqu'île, prud'homme).
// - exact = fold(word) (lower case, no accents, œ→oe). stem = fold(Snowball
//   French stem of the accented lower-case word) — stemming the folded form
//   makes collisions (communique→commun). unaccented_stem = stem of the
//   folded form, set only when the word had accents and it differs, so that
//   a query typed without accents still meets the accented word.
// - Hyphenated words: each part is a token at its own position; the joined
//   form ("vicepresident") follows as an `alternative` at the first part's
//   position. Dotted acronyms (O.R.A.C.) give "orac". Emails and URLs give
//   their parts, plus the whole as an alternative.
// - Numbers and identifiers stay whole: 2023, 2010/80, 22/03/2023, 32339,40,
//   1er, 3e, xxie; they are not stemmed (stem == exact).
// - Private-use and control characters, zero-width spaces are dropped; a soft
//   hyphen (U+00AD) joins the word.
// - Terms are capped at schema::kMaxTermBytes; time is linear in the input.
//
// Invalid UTF-8 is tolerated (bad bytes separate words, never crash); offsets
// always refer to the bytes passed in.
//
// Thread-safety: NOT thread-safe. Construct one per thread and reuse it (it
// holds an ICU BreakIterator and a Xapian::Stem).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vigie {

struct Token {
  std::string exact;            // folded form: "intelligence", "etat", "2010/80"
  std::string stem;             // "intellig"; equals exact for numbers/identifiers
  std::string unaccented_stem;  // e.g. "municipalit" for "municipalité"; empty if not needed
  std::uint32_t position = 0;   // word position, consecutive for adjacent words
  std::uint32_t begin = 0;      // byte offset of the word's first byte in the input
  std::uint32_t end = 0;        // byte offset one past its last byte
  bool alternative = false;     // a joined/whole form sharing the previous token's position
  bool had_accents = false;     // the original word carried accents or ligatures
  // Names the token's forms (exact, stems, accents) in its analyzer: two
  // tokens with one `form` have the same forms. Small numbers from 0, given
  // again to other forms after the analyzer's forms_generation() changes.
  std::uint32_t form = 0;
};

class FrenchAnalyzer {
 public:
  FrenchAnalyzer();
  ~FrenchAnalyzer();
  FrenchAnalyzer(const FrenchAnalyzer&) = delete;
  FrenchAnalyzer& operator=(const FrenchAnalyzer&) = delete;

  // Calls `sink` for every token in order. `first_position` lets a caller
  // continue numbering across fields (title then body).
  void analyze(std::string_view text, const std::function<void(const Token&)>& sink,
               std::uint32_t first_position = 0);
  std::vector<Token> analyze(std::string_view text, std::uint32_t first_position = 0);

  // Stem of one already-folded-or-not word, the same way tokens get theirs.
  std::string stem_word(std::string_view word);

  // Changes when the analyzer forgets the forms it has met (a memory bound
  // on huge vocabularies), and with it what Token::form numbers name.
  std::uint32_t forms_generation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigie
