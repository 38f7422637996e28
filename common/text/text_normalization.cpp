#include "vigie/text_normalization.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace vigie {
namespace {

const icu::Normalizer2& nfd() {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* instance = icu::Normalizer2::getNFDInstance(status);
  return *instance;
}

const icu::Normalizer2& nfc() {
  UErrorCode status = U_ZERO_ERROR;
  static const icu::Normalizer2* instance = icu::Normalizer2::getNFCInstance(status);
  return *instance;
}

void append_utf8(std::string& out, UChar32 c) {
  char buffer[4];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, 4, c, error);
  if (!error) out.append(buffer, static_cast<size_t>(length));
}

// Appends the matching form of one code point, through ICU.
void append_folded_slowly(std::string& out, UChar32 c, bool strip_accents) {
  if (c != '\'' && is_apostrophe_like(c)) {
    out.push_back('\'');
    return;
  }
  if (u_isUWhiteSpace(c)) {
    out.push_back(' ');
    return;
  }
  if (strip_accents) {
    // Ligatures are not decomposed by NFD: map them ourselves (docs/architecture.md, "French
    // analysis").
    switch (c) {
      case 0x0152:
      case 0x0153:
        out += "oe";
        return;  // Œ œ
      case 0x00C6:
      case 0x00E6:
        out += "ae";
        return;  // Æ æ
      case 0x00DF:
      case 0x1E9E:
        out += "ss";
        return;  // ß ẞ
      default:
        break;
    }
  }
  UChar32 lowered = u_foldCase(c, U_FOLD_CASE_DEFAULT);
  if (!strip_accents) {
    append_utf8(out, lowered);
    return;
  }
  if (u_charType(lowered) == U_NON_SPACING_MARK) return;
  icu::UnicodeString decomposition;
  if (nfd().getDecomposition(lowered, decomposition)) {
    for (int32_t i = 0; i < decomposition.length();) {
      UChar32 part = decomposition.char32At(i);
      i += U16_LENGTH(part);
      if (u_charType(part) != U_NON_SPACING_MARK)
        append_utf8(out, u_foldCase(part, U_FOLD_CASE_DEFAULT));
    }
    return;
  }
  append_utf8(out, lowered);
}

// The folded forms of U+0080…U+02FF (Latin-1, Latin Extended A and B, the
// letters of French and its neighbours): what append_folded_slowly() gives,
// computed once, so that an accented letter costs a table lookup instead of
// four ICU calls and a decomposition (metadata rules fold whole texts).
class FoldTable {
 public:
  static constexpr UChar32 kEnd = 0x300;
  FoldTable() {
    for (bool strip : {false, true})
      for (UChar32 c = 0x80; c < kEnd; ++c) append_folded_slowly(forms_[strip][c - 0x80], c, strip);
  }
  const std::string& of(UChar32 c, bool strip_accents) const {
    return forms_[strip_accents][c - 0x80];
  }

 private:
  std::string forms_[2][kEnd - 0x80];
};

const FoldTable& fold_table() {
  static const FoldTable table;
  return table;
}

// Appends the matching form of one code point.
void append_folded(std::string& out, UChar32 c, bool strip_accents) {
  if (c < 0x80) {
    out.push_back(c == '`' ? '\'' : static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c));
    return;
  }
  if (c < FoldTable::kEnd) {
    out += fold_table().of(c, strip_accents);
    return;
  }
  append_folded_slowly(out, c, strip_accents);
}

template <typename Fn>
void for_each_code_point(std::string_view text, Fn&& fn) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t length = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    fn(c < 0 ? 0xFFFD : c);
  }
}

// True when `bytes` is valid UTF-8 and `accept` holds for each of its
// non-ASCII code points (ASCII is skipped a byte at a time, without ICU).
template <typename Accept>
bool valid_utf8_where(std::string_view bytes, Accept&& accept) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const int32_t length = static_cast<int32_t>(bytes.size());
  for (int32_t i = 0; i < length;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0 || !accept(c)) return false;
  }
  return true;
}

}  // namespace

bool is_apostrophe_like(char32_t c) {
  switch (c) {
    case U'\'':
    case U'`':
    case 0x00B4:  // ´ acute accent
    case 0x02B9:  // ʹ modifier letter prime
    case 0x02BB:  // ʻ modifier letter turned comma
    case 0x02BC:  // ʼ modifier letter apostrophe
    case 0x02BD:  // ʽ modifier letter reversed comma
    case 0x2018:  // ‘
    case 0x2019:  // ’
    case 0x201B:  // ‛
    case 0x2032:  // ′ prime
    case 0x2035:  // ‵ reversed prime
    case 0xFF07:  // ＇ fullwidth
      return true;
    default:
      return false;
  }
}

bool is_valid_utf8(std::string_view bytes) {
  return valid_utf8_where(bytes, [](UChar32) { return true; });
}

std::string make_valid_utf8(std::string_view bytes) {
  if (is_valid_utf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 16);
  for_each_code_point(bytes, [&](UChar32 c) { append_utf8(out, c); });
  return out;
}

namespace {

// True when `utf8` is valid and NFC can be told without converting it: every
// code point is below U+0300 (Latin scripts precomposed: they are all NFC and
// none composes with a following character below U+0300) or inert under NFC
// (unchanged, composing with nothing: ’ « » U+202F…). Most extracted text is.
bool is_plainly_nfc(std::string_view utf8) {
  return valid_utf8_where(utf8, [](UChar32 c) { return c < 0x300 || nfc().isInert(c); });
}

}  // namespace

std::string to_nfc(std::string_view utf8) {
  if (is_plainly_nfc(utf8)) return std::string(utf8);
  std::string valid = make_valid_utf8(utf8);
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(valid);
  UErrorCode status = U_ZERO_ERROR;
  if (nfc().isNormalized(text, status) && U_SUCCESS(status)) return valid;
  status = U_ZERO_ERROR;
  icu::UnicodeString normalised = nfc().normalize(text, status);
  if (U_FAILURE(status)) return valid;
  std::string out;
  normalised.toUTF8String(out);
  return out;
}

std::string fold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for_each_code_point(utf8, [&](UChar32 c) { append_folded(out, c, true); });
  return out;
}

std::string lower(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for_each_code_point(utf8, [&](UChar32 c) { append_folded(out, c, false); });
  return out;
}

namespace {

// The white space collapse_spaces() folds into one space: ASCII's \t…\r and
// ' ', Unicode's, and the zero-width space.
bool is_collapsed_space(UChar32 c) {
  if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
  return u_isUWhiteSpace(c) || c == 0x200B;
}

// Gives `out` (anything with push_back(char)) the bytes of
// collapse_spaces(utf8), one by one.
template <typename Out>
void collapse_spaces_into(std::string_view utf8, Out& out) {
  bool written = false, pending_space = false;
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c = s[i];
    if (c < 0x80) {  // ASCII without ICU
      ++i;
      if (is_collapsed_space(c)) {
        pending_space = written;
        continue;
      }
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.push_back(static_cast<char>(c));
      written = true;
      continue;
    }
    U8_NEXT(s, i, length, c);
    if (c < 0) c = 0xFFFD;
    if (is_collapsed_space(c)) {
      pending_space = written;
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    char buffer[4];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(buffer, n, 4, c, error);
    if (error) continue;
    for (int32_t k = 0; k < n; ++k) out.push_back(buffer[k]);
    written = true;
  }
}

struct Fnv1a {
  std::uint64_t hash = 1469598103934665603ull;
  void push_back(char c) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
};

}  // namespace

namespace {

bool is_private_use(UChar32 c) {
  return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0x10FFFF);
}

// Private-use code points are EE–EF (BMP) or F3–F4 (planes 15–16) lead
// bytes: text without those bytes is returned as it is, at memchr speed.
bool may_hold_private_use(std::string_view utf8) {
  for (char c : utf8) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte == 0xEE || byte == 0xEF || byte == 0xF3 || byte == 0xF4) return true;
  }
  return false;
}

}  // namespace

std::string drop_private_use(std::string_view utf8) {
  if (!may_hold_private_use(utf8)) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c >= 0 && is_private_use(c)) {
      // A bullet: the blank after it goes too when a blank or a line start
      // is before it, so that no double space is left (« a  b »).
      const bool after_blank = out.empty() || out.back() == ' ' || out.back() == '\t' ||
                               out.back() == '\n' || out.back() == '\f';
      if (after_blank && i < length && (s[i] == ' ' || s[i] == '\t')) ++i;
      continue;
    }
    out.append(utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
  }
  return out;
}

std::string collapse_spaces(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  collapse_spaces_into(utf8, out);
  return out;
}

bool is_blank(std::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    // A bad byte is U+FFFD for collapse_spaces(): text.
    if (c < 0 || !is_collapsed_space(c)) return false;
  }
  return true;
}

std::uint64_t fnv1a(std::string_view bytes) {
  Fnv1a h;
  for (char c : bytes) h.push_back(c);
  return h.hash;
}

std::uint64_t collapsed_fnv1a(std::string_view utf8) {
  Fnv1a h;
  collapse_spaces_into(utf8, h);
  return h.hash;
}

}  // namespace vigie
