#include "vigie/text_decoding.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucsdet.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

struct Bom {
  std::string_view charset;
  std::size_t length = 0;
};

// UTF-32LE is tested before UTF-16LE: its BOM starts with the UTF-16LE one.
std::optional<Bom> find_bom(std::string_view bytes) {
  auto starts = [&](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
  using namespace std::string_view_literals;
  if (starts("\xEF\xBB\xBF"sv)) return Bom{"UTF-8", 3};
  if (starts("\xFF\xFE\x00\x00"sv)) return Bom{"UTF-32LE", 4};
  if (starts("\x00\x00\xFE\xFF"sv)) return Bom{"UTF-32BE", 4};
  if (starts("\xFF\xFE"sv)) return Bom{"UTF-16LE", 2};
  if (starts("\xFE\xFF"sv)) return Bom{"UTF-16BE", 2};
  return std::nullopt;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim_ascii(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '"' ||
                           text.front() == '\'')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '"' ||
                           text.back() == '\'' || text.back() == '\r' || text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_utf16_or_32(std::string_view charset) {
  std::string lowered = ascii_lower(charset);
  return lowered.starts_with("utf-16") || lowered.starts_with("utf-32") ||
         lowered.starts_with("utf16") || lowered.starts_with("utf32");
}

// ISO-8859-1 labels are decoded as windows-1252, a superset that gives the
// C1 bytes (0x80–0x9F) their printable meaning (’ œ € …): real files labelled
// Latin-1 almost always come from Windows software. Browsers do the same.
std::string canonical_charset(std::string_view charset) {
  std::string lowered = ascii_lower(charset);
  if (lowered == "iso-8859-1" || lowered == "iso8859-1" || lowered == "latin1" ||
      lowered == "latin-1" || lowered == "l1" || lowered == "us-ascii" || lowered == "ascii" ||
      lowered == "iso_8859-1" || lowered == "cp1252" || lowered == "windows-1252") {
    return "windows-1252";
  }
  if (lowered == "utf8") return "UTF-8";
  return std::string(charset);
}

bool icu_knows(const std::string& charset) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* converter = ucnv_open(charset.c_str(), &status);
  if (converter) ucnv_close(converter);
  return U_SUCCESS(status);
}

// "Mostly UTF-8": more well-formed multi-byte sequences than invalid bytes.
// Such text is UTF-8 with a few damaged bytes (mixed sources pasted
// together), and replacing those bytes loses less than decoding everything
// as a single-byte charset, which would garble every accented letter.
bool mostly_utf8(std::string_view bytes) {
  const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(bytes.size(), INT32_MAX));
  long valid_multibyte = 0;
  long invalid = 0;
  for (int32_t i = 0; i < length;) {
    if (s[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) {
      ++invalid;
    } else {
      ++valid_multibyte;
    }
  }
  return valid_multibyte > invalid;
}

// ICU's detector has no ISO-8859-15 recognizer and reports Latin-9 French
// text as ISO-8859-1. Latin-9 differs where French needs it: 0xBD is œ (½ in
// Latin-1), 0xBC is Œ, 0xA4 is € (¤). Without any C1 byte (so not
// windows-1252, where œ is 0x9C and € is 0x80), a 0xBD/0xBC between letters
// ("c\xBDur") or a 0xA4 next to a digit ("10 \xA4") means Latin-9.
bool looks_like_latin9(std::string_view bytes) {
  auto byte_at = [&](std::size_t i) -> unsigned {
    return i < bytes.size() ? static_cast<unsigned char>(bytes[i]) : 0u;
  };
  auto is_letter = [](unsigned b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b >= 0xC0;
  };
  auto is_digit_or_space = [](unsigned b) { return (b >= '0' && b <= '9') || b == ' '; };
  bool latin9_evidence = false;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const unsigned b = byte_at(i);
    if (b >= 0x80 && b <= 0x9F) return false;
    const unsigned before = i > 0 ? byte_at(i - 1) : 0u;
    const unsigned after = byte_at(i + 1);
    if ((b == 0xBC || b == 0xBD) && (is_letter(before) || is_letter(after))) latin9_evidence = true;
    if (b == 0xA4 && (is_digit_or_space(before) && before != 0)) latin9_evidence = true;
  }
  return latin9_evidence;
}

// The charset ICU detection proposes, adapted to French documents: we only
// trust a detection outside the Latin family when it is confident, because
// short French texts with a few accents are often misread as Latin-2 or
// Turkish. The fallback is windows-1252, the most common legacy encoding of
// French text (and a superset of ISO-8859-1).
std::string detect_charset(std::string_view bytes) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> detector(ucsdet_open(&status),
                                                                      &ucsdet_close);
  if (U_FAILURE(status) || !detector) return "windows-1252";
  // The detector only looks at a prefix in practice; bound the input too.
  const auto length = static_cast<int32_t>(std::min<std::size_t>(bytes.size(), 1u << 20));
  ucsdet_setText(detector.get(), bytes.data(), length, &status);
  int32_t count = 0;
  const UCharsetMatch** matches = ucsdet_detectAll(detector.get(), &count, &status);
  if (U_FAILURE(status) || !matches || count == 0) return "windows-1252";
  for (int32_t i = 0; i < count; ++i) {
    UErrorCode match_status = U_ZERO_ERROR;
    const char* name = ucsdet_getName(matches[i], &match_status);
    const int32_t confidence = ucsdet_getConfidence(matches[i], &match_status);
    if (U_FAILURE(match_status) || !name) continue;
    const std::string lowered = ascii_lower(name);
    if (lowered == "utf-8") continue;  // already known to be invalid UTF-8
    if (lowered == "iso-8859-1" || lowered == "windows-1252") {
      return looks_like_latin9(bytes) ? "ISO-8859-15" : "windows-1252";
    }
    if (confidence >= 50) return name;
  }
  return looks_like_latin9(bytes) ? "ISO-8859-15" : "windows-1252";
}

// Unassigned or illegal input becomes U+FFFD, and we remember that it
// happened (ICU's own substitution writes U+001A for single-byte charsets).
void substitute_and_flag(const void* context, UConverterToUnicodeArgs* args, const char*, int32_t,
                         UConverterCallbackReason reason, UErrorCode* error) {
  if (reason > UCNV_IRREGULAR) return;  // reset/close/clone: nothing to substitute
  *static_cast<bool*>(const_cast<void*>(context)) = true;
  static const UChar replacement = 0xFFFD;
  *error = U_ZERO_ERROR;
  ucnv_cbToUWriteUChars(args, &replacement, 1, 0, error);
}

// Converts with ICU; nullopt when the converter cannot be opened.
std::optional<std::string> convert(std::string_view bytes, const std::string& charset,
                                   bool& replaced) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> converter(ucnv_open(charset.c_str(), &status),
                                                               &ucnv_close);
  if (U_FAILURE(status) || !converter) return std::nullopt;
  ucnv_setToUCallBack(converter.get(), substitute_and_flag, &replaced, nullptr, nullptr, &status);
  if (U_FAILURE(status)) return std::nullopt;
  const auto length = static_cast<int32_t>(std::min<std::size_t>(bytes.size(), INT32_MAX));
  icu::UnicodeString text(bytes.data(), length, converter.get(), status);
  if (U_FAILURE(status) || text.isBogus()) return std::nullopt;
  std::string out;
  text.toUTF8String(out);
  // Converters such as "UTF-16" keep a leading BOM in some cases: drop it.
  if (std::string_view(out).starts_with("\xEF\xBB\xBF")) out.erase(0, 3);
  return out;
}

DecodedText as_utf8(std::string_view bytes, bool detected) {
  DecodedText result;
  result.charset = "UTF-8";
  result.detected = detected;
  result.replaced_invalid = !is_valid_utf8(bytes);
  result.utf8 = to_nfc(bytes);  // to_nfc makes the text valid first
  return result;
}

DecodedText decode_with(std::string_view bytes, const std::string& charset, bool detected) {
  DecodedText result;
  bool replaced = false;
  std::optional<std::string> converted = convert(bytes, charset, replaced);
  if (!converted) return as_utf8(bytes, detected);
  result.utf8 = to_nfc(*converted);
  result.charset = charset;
  result.detected = detected;
  result.replaced_invalid = replaced;
  return result;
}

}  // namespace

DecodedText decode_to_utf8(std::string_view bytes, std::string_view declared) {
  try {
    // A byte order mark is the strongest evidence there is: it wins over any
    // declaration (as in browsers).
    if (std::optional<Bom> bom = find_bom(bytes)) {
      std::string_view rest = bytes.substr(bom->length);
      if (bom->charset == "UTF-8") return as_utf8(rest, false);
      return decode_with(rest, std::string(bom->charset), false);
    }
    const std::string declared_charset = canonical_charset(trim_ascii(declared));
    const bool declared_known = !declared_charset.empty() && icu_knows(declared_charset);
    // UTF-16 without a BOM can be valid UTF-8 byte-wise (ASCII plus NULs), so
    // a UTF-16/32 declaration is honoured before the UTF-8 check.
    if (declared_known && is_utf16_or_32(declared_charset)) {
      return decode_with(bytes, declared_charset, false);
    }
    if (is_valid_utf8(bytes)) {
      if (bytes.find('\0') != std::string_view::npos) {
        std::string guess = detect_charset(bytes);
        if (is_utf16_or_32(guess)) return decode_with(bytes, guess, true);
      }
      return as_utf8(bytes, false);
    }
    // A "UTF-8" label on bytes that are not UTF-8 is a common mislabel; only
    // keep it if the bytes are at least mostly UTF-8.
    if (mostly_utf8(bytes)) return as_utf8(bytes, !declared_known);
    if (declared_known && ascii_lower(declared_charset) != "utf-8") {
      return decode_with(bytes, declared_charset, false);
    }
    return decode_with(bytes, detect_charset(bytes), true);
  } catch (...) {
    // Allocation failure or an ICU surprise: the contract is "never throws".
    DecodedText fallback;
    fallback.charset = "UTF-8";
    fallback.replaced_invalid = true;
    try {
      fallback.utf8 = make_valid_utf8(bytes);
    } catch (...) {
    }
    return fallback;
  }
}

}  // namespace vigie
