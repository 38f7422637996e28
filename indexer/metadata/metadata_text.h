// Metadata text helpers: the small scanning toolkit the metadata rules
// (metadata_rules.cpp, french_dates.cpp) share. Rules match keywords on the
// folded form of the text (lower case, no accents: "Séance" → "seance") but
// must report names and quotes as they were written, so FoldedText keeps a map
// from every folded byte back to the original. Hand-written scanning instead
// of std::regex: libstdc++'s regex is slow and recursive (stack overflow on
// long inputs), and every rule here is a short keyword + a bounded look-ahead.
// Internal to the indexer. Pure functions / immutable values; thread-safe.
// Never throws on any byte sequence (invalid UTF-8 becomes U+FFFD).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::metadata {

// At most `max_bytes` from the start (or end) of `text`, never cutting a
// UTF-8 sequence in two.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes);
std::string_view utf8_suffix(std::string_view text, std::size_t max_bytes);

// The folded form of a (bounded) text with a byte map back to the original.
// Folding keeps '\n' so rules can tell line starts; other white space → ' '.
class FoldedText {
 public:
  explicit FoldedText(std::string_view original);

  const std::string& folded() const { return folded_; }
  std::string_view original() const { return original_; }
  // The original bytes that produced folded[begin, end).
  std::string_view original_span(std::size_t begin, std::size_t end) const;
  // Original offset of folded byte `pos` (original().size() at the end).
  std::size_t original_offset(std::size_t pos) const;

 private:
  std::string_view original_;
  std::string folded_;
  std::vector<std::uint32_t> origin_;  // origin_[i]: original offset of folded byte i
};

inline bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
inline bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Letters/digits, and any non-ASCII byte (a letter the folding kept, e.g. "ø").
inline bool is_word_byte(char c) {
  return is_ascii_alnum(c) || static_cast<unsigned char>(c) >= 0x80;
}

std::size_t skip_spaces(std::string_view s, std::size_t pos);

// Matches `pattern` at `pos` in folded text `s`: a ' ' in the pattern matches
// one or more white-space characters (line breaks included, because PDF text
// wraps anywhere), a '_' matches zero or more. Returns the end, or npos.
std::size_t match_at(std::string_view s, std::size_t pos, std::string_view pattern);
// First match of `pattern` at or after `from` that starts on a word boundary
// (and ends on one when the pattern ends with a letter or digit). Returns the
// start; `end` receives the end. npos when absent.
std::size_t find_phrase(std::string_view s, std::string_view pattern, std::size_t from,
                        std::size_t* end = nullptr);
bool contains_phrase(std::string_view s, std::string_view pattern);
bool starts_with_phrase(std::string_view s, std::string_view pattern);

// Up to `max_lines` non-blank lines of `text`, trimmed, each cut at
// `max_line_bytes` (on a UTF-8 boundary).
std::vector<std::string_view> first_lines(std::string_view text, std::size_t max_lines,
                                          std::size_t max_line_bytes);

// Strips list and Markdown markup around a line: leading bullets, '#', '*',
// '>', private-use glyphs and other non-letters; trailing '*', '#', '_' and
// spaces ("### **Titre**" → "Titre"). Works on original or folded text.
std::string_view trim_markup(std::string_view line);

// Display form of a proper name read from the text: white space collapsed,
// words written in capitals title-cased ("Jean-Paul LERAY" → "Jean-Paul Leray",
// "CHEMERE" → "Chemere"), other words kept as written.
std::string tidy_name(std::string_view original);

// Reads a proper name starting at original offset `pos` (after optional
// white space): up to `max_words` words that start with a capital letter,
// lower-case particles (de, du, la, le...) allowed between two of them. The
// name ends at punctuation, at a lower-case word, or at a line break (unless
// the next line starts with a word in capitals: a wrapped surname).
// Returns the raw span (empty when there is no capitalised word).
std::string_view read_proper_name(std::string_view original, std::size_t pos, int max_words);

// Skips a civility ("M.", "Monsieur", "Mme", "Madame", "MMES", "Mlle"...) and
// white space at original offset `pos`; returns the new offset.
std::size_t skip_civility(std::string_view original, std::size_t pos);

}  // namespace vigie::metadata
