#include "vigie/title_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

bool is_bullet(UChar32 c) {
  switch (c) {
    case '-':
    case '*':
    case 0x2013:  // –
    case 0x2014:  // —
    case 0x2022:  // •
    case 0x2023:  // ‣
    case 0x2043:  // ⁃
    case 0x00B7:  // ·
    case 0x25AA:  // ▪
    case 0x25A0:  // ■
    case 0x25A1:  // □
    case 0x25BA:  // ►
    case 0x25B8:  // ▸
    case 0x25CF:  // ●
    case 0x25E6:  // ◦
    case 0x2192:  // →
    case 0x27A2:  // ➢
    case 0x27A4:  // ➤
    case 0x2713:  // ✓
    case 0x2714:  // ✔
    case 0x00A7:  // § (a list mark in some minutes)
      return true;
    default:
      return false;
  }
}

// Folded words that cannot open a title (opens_in_a_sentence).
// « À » may open a title (« À la une »): not in the list.
constexpr std::string_view kFunctionWords[] = {
    "au",     "aux",      "de",      "du",      "des",      "d",          "en",   "par",   "pour",
    "sur",    "dans",     "avec",    "sans",    "sous",     "chez",       "vers", "entre", "et",
    "ou",     "mais",     "donc",    "or",      "ni",       "car",        "que",  "qu",    "qui",
    "dont",   "si",       "lorsque", "puisque", "quand",    "comme",      "afin", "puis",  "soit",
    "lequel", "laquelle", "auquel",  "duquel",  "lesquels", "lesquelles", "ainsi"};
constexpr std::string_view kClauseVerbs[] = {
    "decide",   "approuve", "autorise",  "indique",  "precise",     "accepte",
    "rappelle", "propose",  "informe",   "expose",   "considerant", "considere",
    "emet",     "donne",    "sollicite", "confirme", "mandate"};

// Articles, prepositions and conjunctions a cut title must not end on.
bool ends_on_a_link_word(std::string_view word) {
  static constexpr std::string_view kLinkWords[] = {
      "le", "la",  "les", "l’",  "l'",   "de",  "du", "des", "d’",   "d'",   "et",   "ou",   "à",
      "au", "aux", "en",  "par", "pour", "sur", "un", "une", "dans", "avec", "sans", "ainsi"};
  const std::string folded = lower(word);
  return std::find(std::begin(kLinkWords), std::end(kLinkWords), folded) != std::end(kLinkWords);
}

std::size_t count_chars(std::string_view utf8) {
  return static_cast<std::size_t>(std::count_if(utf8.begin(), utf8.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

}  // namespace

std::string shorten_title(std::string_view title, std::size_t max_chars) {
  std::string text = collapse_spaces(title);
  if (count_chars(text) <= max_chars) return text;
  // Byte offset of the end of the first `max_chars - 1` characters (room for « … »).
  std::size_t end = 0;
  for (std::size_t n = 0; end < text.size() && n + 1 < max_chars; ++n) {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  const std::string_view head = std::string_view(text).substr(0, end);
  std::size_t cut = std::string_view::npos;
  for (std::size_t i = head.size(); i-- > head.size() / 2;) {
    if ((head[i] == '.' || head[i] == ';' || head[i] == '!' || head[i] == '?') &&
        i + 1 < text.size() && text[i + 1] == ' ') {
      cut = i;  // the mark itself goes: « … » ends the title
      break;
    }
  }
  if (cut == std::string_view::npos) {
    const std::size_t space = head.rfind(' ');
    if (space != std::string_view::npos && space > head.size() / 2) {
      cut = space;
      // « … restant du ressort de Gaz de… »: a title does not end on a word
      // that announces the next one.
      for (std::size_t before = head.rfind(' ', cut - 1);
           before != std::string_view::npos && before > head.size() / 2 &&
           ends_on_a_link_word(head.substr(before + 1, cut - before - 1));
           before = head.rfind(' ', cut - 1))
        cut = before;
    } else {
      cut = head.size();
    }
  }
  text.resize(cut);
  while (!text.empty() && (text.back() == ' ' || text.back() == ',' || text.back() == ':'))
    text.pop_back();
  return text + "…";
}

std::string strip_leading_bullets(std::string_view title) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(title.data());
  const auto length = static_cast<std::int32_t>(title.size());
  std::int32_t i = 0;
  while (i < length) {
    std::int32_t next = i;
    UChar32 c;
    U8_NEXT(s, next, length, c);
    const bool space = c >= 0 && u_isUWhiteSpace(c);
    // « Ø » is a bullet only before a space: « Østfold » keeps it.
    const bool arrow = c == 0x00D8 && (next >= length || s[next] == ' ' || s[next] == '\t');
    // « - 2012 » is a bullet, « -5 % » is a number.
    if (!space && !arrow && !is_bullet(c)) break;
    if (c == '-' && next < length && s[next] >= '0' && s[next] <= '9') break;
    i = next;
  }
  return std::string(title.substr(static_cast<std::size_t>(i)));
}

bool opens_in_a_sentence(std::string_view title) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(title.data());
  const auto length = static_cast<std::int32_t>(title.size());
  std::int32_t i = 0, begin = -1, end = -1;
  UChar32 first = 0;
  while (i < length) {
    const std::int32_t at = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0 || !u_isalpha(c)) continue;
    begin = at;
    first = c;
    end = i;
    while (end < length) {
      std::int32_t next = end;
      U8_NEXT(s, next, length, c);
      if (c < 0 || !u_isalpha(c)) break;
      end = next;
    }
    // « DE-2011/5 – … »: letters glued to a number are its prefix, not a word.
    const bool number_prefix = end + 1 < length && (s[end] == '-' || s[end] == '/') &&
                               s[end + 1] >= '0' && s[end + 1] <= '9';
    if (!number_prefix) break;
    begin = -1;
    i = end;
  }
  if (begin < 0) return false;
  // « 15ème tranche d’assainissement », « 1er adjoint »: an ordinal may open
  // a title, but not be all of it (« 15ème », a title cut at a line end).
  if (begin > 0 && s[begin - 1] >= '0' && s[begin - 1] <= '9') {
    for (std::int32_t k = end; k < length;) {
      UChar32 c;
      U8_NEXT(s, k, length, c);
      if (c >= 0 && u_isalpha(c)) return false;
    }
    return true;
  }
  if (u_islower(first)) return true;
  const std::string word =
      fold(title.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)));
  return std::find(std::begin(kFunctionWords), std::end(kFunctionWords), word) !=
             std::end(kFunctionWords) ||
         std::find(std::begin(kClauseVerbs), std::end(kClauseVerbs), word) !=
             std::end(kClauseVerbs);
}

}  // namespace vigie
