#include "metadata/metadata_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>

#include "vigie/text_normalization.h"

namespace vigie::metadata {
namespace {

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// A private-use code point (U+E000–U+F8FF) at `pos`: PDF text from Symbol
// fonts carries bullets and spaces there (« BIGOT\uF020 »). They are never
// part of a word.
bool private_use_at(std::string_view s, std::size_t pos) {
  if (pos + 3 > s.size()) return false;
  auto b0 = static_cast<unsigned char>(s[pos]), b1 = static_cast<unsigned char>(s[pos + 1]);
  return (b0 == 0xEE && b1 >= 0x80 && b1 <= 0xBF) || (b0 == 0xEF && b1 >= 0x80 && b1 <= 0xA3);
}

// Decodes the code point at `pos` (U+FFFD for a bad sequence) and advances.
UChar32 next_code_point(std::string_view s, std::size_t& pos) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  auto length = static_cast<int32_t>(s.size());
  auto i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_NEXT(bytes, i, length, c);
  pos = static_cast<std::size_t>(i);
  return c < 0 ? 0xFFFD : c;
}

void append_utf8(std::string& out, UChar32 c) {
  char buffer[4];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, c, error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

bool is_apostrophe(UChar32 c) { return c == '\'' || c == 0x2019 || c == 0x02BC; }

// Lower-case words that may sit inside a name ("Charles de Gaulle").
bool is_name_particle(std::string_view folded_word) {
  static constexpr std::array<std::string_view, 9> kParticles{"de",  "du",  "des", "la", "le",
                                                              "van", "von", "di",  "del"};
  for (auto p : kParticles)
    if (folded_word == p) return true;
  return false;
}

// Capitalised words that are titles or roles, not names: "Le Maire",
// "Monsieur le Président" must not become persons.
bool is_not_a_name(std::string_view folded_word) {
  static constexpr std::array<std::string_view, 22> kWords{"le",
                                                           "la",
                                                           "les",
                                                           "l'",
                                                           "maire",
                                                           "adjoint",
                                                           "adjointe",
                                                           "president",
                                                           "presidente",
                                                           "conseil",
                                                           "conseiller",
                                                           "conseillere",
                                                           "commune",
                                                           "mairie",
                                                           "monsieur",
                                                           "madame",
                                                           "secretaire",
                                                           "directeur",
                                                           "directrice",
                                                           "vice-president",
                                                           "vice-presidente",
                                                           "depute"};
  for (auto w : kWords)
    if (folded_word == w) return true;
  return false;
}

struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;       // after the word, trailing punctuation excluded
  bool closes_name = false;  // trailing punctuation (",", ":", ")"...) ends the name
};

// The white-space-delimited word at `pos`, with its trailing punctuation split off.
Word read_word(std::string_view s, std::size_t pos) {
  Word w{pos, pos, false};
  std::size_t end = pos;
  while (end < s.size() && !is_space(s[end])) {
    // NBSP and narrow NBSP (before » in French typography) end a word too.
    if (s.compare(end, 2, "\xC2\xA0") == 0 || s.compare(end, 3, "\xE2\x80\xAF") == 0 ||
        private_use_at(s, end))
      break;
    ++end;
  }
  w.end = end;
  while (w.end > w.begin) {
    char c = s[w.end - 1];
    bool initial = c == '.' && w.end - w.begin == 2;  // "J." stays
    if (initial || !(c == ',' || c == ';' || c == ':' || c == '.' || c == ')' || c == '"' ||
                     c == '*' || c == '!' || c == '?'))
      break;
    --w.end;
    w.closes_name = true;
  }
  if (w.end > w.begin && s.compare(w.end >= 2 ? w.end - 2 : 0, 2, "\xC2\xBB") == 0) {
    w.end -= 2;  // »
    w.closes_name = true;
  }
  return w;
}

struct WordShape {
  bool capitalised = false;  // first letter upper case
  bool all_caps = false;     // at least two letters, all upper case
  bool name_like = true;     // only letters, hyphens, apostrophes, dots
};

WordShape shape_of(std::string_view word) {
  WordShape shape;
  int letters = 0, upper = 0;
  bool first = true;
  for (std::size_t i = 0; i < word.size();) {
    UChar32 c = next_code_point(word, i);
    if (u_isalpha(c)) {
      ++letters;
      if (u_isupper(c) || u_istitle(c)) ++upper;
      if (first) shape.capitalised = u_isupper(c) || u_istitle(c);
      first = false;
    } else if (c == '-' || c == '.' || is_apostrophe(c)) {
      if (first && c != '-') shape.name_like = false;
    } else {
      shape.name_like = false;
    }
  }
  shape.all_caps = letters >= 2 && upper == letters;
  // "d'Estaing": an elided particle before a capital counts as capitalised.
  if (!shape.capitalised && word.size() > 2 && (word[0] == 'd' || word[0] == 'D') &&
      (word[1] == '\'' || word.compare(1, 3, "\xE2\x80\x99") == 0))
    shape.capitalised = true;
  return shape;
}

}  // namespace

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes;
  while (cut > 0 && is_continuation(text[cut])) --cut;
  return text.substr(0, cut);
}

std::string_view utf8_suffix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t start = text.size() - max_bytes;
  while (start < text.size() && is_continuation(text[start])) ++start;
  return text.substr(start);
}

FoldedText::FoldedText(std::string_view original) : original_(original) {
  folded_.reserve(original.size());
  origin_.reserve(original.size());
  for (std::size_t pos = 0; pos < original.size();) {
    std::size_t start = pos;
    auto c = static_cast<unsigned char>(original[pos]);
    if (c < 0x80) {
      ++pos;
      char out = static_cast<char>(c);
      if (c >= 'A' && c <= 'Z') out = static_cast<char>(c + 32);
      if (c < 0x20 && c != '\n') out = ' ';
      folded_.push_back(out);
      origin_.push_back(static_cast<std::uint32_t>(start));
      continue;
    }
    next_code_point(original, pos);
    std::string folded = vigie::fold(original.substr(start, pos - start));
    std::string_view piece = folded;
    if (piece == "\xE2\x80\xA8" || piece == "\xE2\x80\xA9")
      piece = "\n";  // line/paragraph separators
    folded_.append(piece);
    origin_.insert(origin_.end(), piece.size(), static_cast<std::uint32_t>(start));
  }
}

std::size_t FoldedText::original_offset(std::size_t pos) const {
  return pos < origin_.size() ? origin_[pos] : original_.size();
}

std::string_view FoldedText::original_span(std::size_t begin, std::size_t end) const {
  std::size_t from = original_offset(begin);
  std::size_t to = original_offset(end);
  // `end` inside the expansion of one code point: include that code point.
  if (end < origin_.size() && end > begin && origin_[end] == origin_[end - 1]) {
    std::size_t after = end;
    while (after < origin_.size() && origin_[after] == origin_[end]) ++after;
    to = original_offset(after);
  }
  return from < to ? original_.substr(from, to - from) : std::string_view{};
}

std::size_t skip_spaces(std::string_view s, std::size_t pos) {
  while (pos < s.size()) {
    if (is_space(s[pos])) {
      ++pos;
    } else if (s.compare(pos, 2, "\xC2\xA0") == 0) {  // no-break space
      pos += 2;
    } else if (s.compare(pos, 3, "\xE2\x80\xAF") == 0 || s.compare(pos, 3, "\xE2\x80\x89") == 0 ||
               private_use_at(s, pos)) {
      pos += 3;  // narrow no-break and thin spaces (French typography around : « »), PUA glyphs
    } else {
      break;
    }
  }
  return pos;
}

std::size_t match_at(std::string_view s, std::size_t pos, std::string_view pattern) {
  for (char p : pattern) {
    if (p == ' ' || p == '_') {
      std::size_t after = skip_spaces(s, pos);
      if (p == ' ' && after == pos) return std::string_view::npos;
      pos = after;
    } else {
      if (pos >= s.size() || s[pos] != p) return std::string_view::npos;
      ++pos;
    }
  }
  return pos;
}

std::size_t find_phrase(std::string_view s, std::string_view pattern, std::size_t from,
                        std::size_t* end) {
  if (pattern.empty()) return std::string_view::npos;
  // Boundaries only around ASCII letters and digits: "n°" must match "n°2012".
  bool word_start = is_ascii_alnum(pattern.front());
  bool word_end = is_ascii_alnum(pattern.back());
  for (std::size_t pos = s.find(pattern.front(), from); pos != std::string_view::npos;
       pos = s.find(pattern.front(), pos + 1)) {
    if (word_start && pos > 0 && is_word_byte(s[pos - 1])) continue;
    std::size_t stop = match_at(s, pos, pattern);
    if (stop == std::string_view::npos) continue;
    if (word_end && stop < s.size() && is_word_byte(s[stop])) continue;
    if (end) *end = stop;
    return pos;
  }
  return std::string_view::npos;
}

bool contains_phrase(std::string_view s, std::string_view pattern) {
  return find_phrase(s, pattern, 0) != std::string_view::npos;
}

bool starts_with_phrase(std::string_view s, std::string_view pattern) {
  std::size_t stop = match_at(s, 0, pattern);
  if (stop == std::string_view::npos) return false;
  return !is_ascii_alnum(pattern.back()) || stop == s.size() || !is_word_byte(s[stop]);
}

std::vector<std::string_view> first_lines(std::string_view text, std::size_t max_lines,
                                          std::size_t max_line_bytes) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size() && lines.size() < max_lines) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    while (!line.empty() && is_space(line.front())) line.remove_prefix(1);
    while (!line.empty() && is_space(line.back())) line.remove_suffix(1);
    if (!line.empty()) lines.push_back(utf8_prefix(line, max_line_bytes));
  }
  return lines;
}

std::string_view trim_markup(std::string_view line) {
  std::size_t pos = 0;
  while (pos < line.size()) {
    std::size_t next = pos;
    UChar32 c = next_code_point(line, next);
    if (u_isalnum(c) || c == 0x00AB /* « opens a quoted title */) break;
    pos = next;
  }
  line.remove_prefix(pos);
  while (!line.empty() && (is_space(line.back()) || line.back() == '*' || line.back() == '#' ||
                           line.back() == '_' || line.back() == '='))
    line.remove_suffix(1);
  return line;
}

namespace {

// « SAINT-JULIEN-SUR-LISIÈRE » → « Saint-Julien-sur-Lisière », « VAL-D’AUBRAC »
// → « Val-d’Aubrac »: French place names keep their inner particles and
// elisions in lower case.
std::string title_case(std::string_view word) {
  static constexpr std::array<std::string_view, 12> kInnerParticles{
      "sur", "sous", "en", "de", "du", "des", "la", "le", "les", "aux", "au", "et"};
  std::string out;
  std::size_t part_begin = 0;
  bool first_part = true;
  while (part_begin <= word.size()) {
    std::size_t part_end = word.find('-', part_begin);
    if (part_end == std::string_view::npos) part_end = word.size();
    std::string lowered;
    for (std::size_t i = part_begin; i < part_end;)
      append_utf8(lowered, u_tolower(next_code_point(word, i)));
    bool particle =
        !first_part && part_end < word.size() &&
        std::find(kInnerParticles.begin(), kInnerParticles.end(), lowered) != kInnerParticles.end();
    bool start = !particle;
    for (std::size_t i = 0; i < lowered.size();) {
      UChar32 c = next_code_point(lowered, i);
      // An elided « d’ » / « l’ » stays lower case; the word after it does not.
      bool elision = (c == 'd' || c == 'l') && i < lowered.size() &&
                     (lowered[i] == '\'' || lowered.compare(i, 3, "\xE2\x80\x99") == 0) &&
                     !first_part;
      append_utf8(out, start && !elision ? u_toupper(c) : c);
      start = !u_isalpha(c) || elision;
    }
    first_part = false;
    if (part_end == word.size()) break;
    out.push_back('-');
    part_begin = part_end + 1;
  }
  return out;
}

}  // namespace

std::string tidy_name(std::string_view original) {
  std::string out;
  std::size_t pos = 0;
  while (pos < original.size()) {
    while (pos < original.size() && is_space(original[pos])) ++pos;
    std::size_t end = pos;
    while (end < original.size() && !is_space(original[end])) ++end;
    if (end == pos) break;
    std::string_view word = original.substr(pos, end - pos);
    pos = end;
    if (!out.empty()) out.push_back(' ');
    if (!shape_of(word).all_caps) {
      out += word;
      continue;
    }
    out += title_case(word);
  }
  return out;
}

std::size_t skip_civility(std::string_view original, std::size_t pos) {
  static constexpr std::array<std::string_view, 12> kCivilities{
      "m",    "m.",   "mr",     "mr.",  "monsieur", "mme",
      "mme.", "mmes", "madame", "mlle", "melle",    "mademoiselle"};
  for (int round = 0; round < 3; ++round) {  // "M. MME" in lists of those present
    std::size_t start = skip_spaces(original, pos);
    Word w = read_word(original, start);
    std::size_t raw_end = w.end;
    while (raw_end < original.size() && original[raw_end] == '.') ++raw_end;
    std::string folded = vigie::fold(original.substr(start, raw_end - start));
    if (!folded.empty() && folded.back() == ',') folded.pop_back();
    bool civility = false;
    for (auto c : kCivilities) civility = civility || folded == c;
    if (!civility) return start;
    pos = raw_end;
    while (pos < original.size() && original[pos] == ',') ++pos;
  }
  return skip_spaces(original, pos);
}

std::string_view read_proper_name(std::string_view original, std::size_t pos, int max_words) {
  pos = skip_spaces(original, pos);
  while (pos < original.size() && (original[pos] == '*' || original[pos] == '_')) ++pos;  // **Lyon
  std::size_t name_begin = pos, name_end = pos;
  int words = 0;
  while (pos < original.size() && words < max_words) {
    Word w = read_word(original, pos);
    if (w.end == w.begin) break;
    std::string_view text = original.substr(w.begin, w.end - w.begin);
    WordShape shape = shape_of(text);
    std::string folded = vigie::fold(text);
    if (!shape.name_like || is_not_a_name(folded)) break;
    std::size_t next = skip_spaces(original, w.end);
    if (!shape.capitalised) {
      // A particle is kept only between two capitalised words.
      if (words == 0 || w.closes_name || !is_name_particle(folded) || next >= original.size())
        break;
      Word after = read_word(original, next);
      if (!shape_of(original.substr(after.begin, after.end - after.begin)).capitalised) break;
    }
    ++words;
    name_end = w.end;
    if (w.closes_name) break;
    // A line break ends the name, unless a lone first name wraps onto a
    // surname in capitals ("Jean-Paul\nLERAY").
    if (original.substr(w.end, next - w.end).find('\n') != std::string_view::npos) {
      if (words != 1 || next >= original.size()) break;
      Word after = read_word(original, next);
      if (!shape_of(original.substr(after.begin, after.end - after.begin)).all_caps) break;
    }
    pos = next;
  }
  return words ? original.substr(name_begin, name_end - name_begin) : std::string_view{};
}

}  // namespace vigie::metadata
