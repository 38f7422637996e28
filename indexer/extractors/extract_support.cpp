#include "extractors/extract_support.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// How much of the decoded text looks_binary() inspects.
constexpr std::size_t kBinaryProbeCodePoints = 4096;

bool is_line_break(UChar32 c) {
  return c == '\n' || c == '\v' || c == '\f' || c == 0x85 || c == 0x2028 || c == 0x2029;
}

}  // namespace

std::string cap_title(std::string_view text, std::size_t max_chars) {
  std::string collapsed = collapse_spaces(text);
  const auto* s = reinterpret_cast<const uint8_t*>(collapsed.data());
  const auto length = static_cast<int32_t>(collapsed.size());
  int32_t offset = 0;
  std::size_t count = 0;
  int32_t last_space = -1;
  while (offset < length && count < max_chars) {
    if (s[offset] == ' ') last_space = offset;
    U8_FWD_1(s, offset, length);
    ++count;
  }
  if (offset >= length) return collapsed;
  // Prefer a word boundary unless it would lose most of the title.
  const int32_t cut = last_space > offset / 2 ? last_space : offset;
  collapsed.resize(static_cast<std::size_t>(cut));
  collapsed += "…";
  return collapsed;
}

std::string first_line_title(std::string_view text, std::size_t max_chars) {
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!is_blank(line)) return cap_title(line, max_chars);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return {};
}

bool cut_utf8(std::string& text, std::uint64_t max_bytes) {
  if (text.size() <= max_bytes) return false;
  std::size_t cut = static_cast<std::size_t>(max_bytes);
  // Back up over continuation bytes so the cut never splits a code point.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return true;
}

std::string text_cut_warning(std::uint64_t max_bytes) {
  return "text cut at " + std::to_string(max_bytes) + " bytes (limits.max_text_bytes)";
}

bool looks_binary(std::string_view utf8) {
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(utf8.size(), INT32_MAX));
  std::size_t count = 0;
  std::size_t suspicious = 0;
  for (int32_t i = 0; i < length && count < kBinaryProbeCodePoints; ++count) {
    UChar32 c;
    U8_NEXT(s, i, length, c);
    const bool whitespace_control = c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
    // 0x1A is the MS-DOS end-of-file mark old text files still carry.
    if (c < 0 || c == 0xFFFD || (c < 0x20 && !whitespace_control && c != 0x1A) ||
        (c >= 0x7F && c <= 0x9F)) {
      ++suspicious;
    }
  }
  // Real text may carry a stray control character; binary data has them
  // everywhere (≥ 3 % of the head).
  return suspicious > std::max<std::size_t>(1, count * 3 / 100);
}

std::string strip_invisible(std::string_view text, bool keep_layout) {
  const std::string valid = make_valid_utf8(text);
  std::string out;
  out.reserve(valid.size());
  const auto* s = reinterpret_cast<const std::uint8_t*>(valid.data());
  const auto length = static_cast<std::int32_t>(valid.size());
  for (std::int32_t i = 0; i < length;) {
    const std::int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(s, i, length, c);
    if (c == '\r') {
      if (i < length && s[i] == '\n') continue;  // CRLF: the '\n' is emitted next
      c = '\n';
    }
    if (is_line_break(c) || c == '\t') {
      out += keep_layout ? (c == '\t' ? '\t' : '\n') : ' ';
      continue;
    }
    const auto type = u_charType(c);
    if (c < 0 || type == U_PRIVATE_USE_CHAR || type == U_CONTROL_CHAR) continue;
    out.append(valid, static_cast<std::size_t>(start), static_cast<std::size_t>(i - start));
  }
  return out;
}

std::string clean_field(std::string_view text) {
  return collapse_spaces(to_nfc(strip_invisible(text, false)));
}

void finish_text_document(SourceDocument doc, std::string body, const DecodedText& decoded,
                          const ExtractLimits& limits, ExtractOutcome& outcome) {
  if (doc.title.empty()) doc.title = first_line_title(body);
  if (cut_utf8(body, limits.max_text_bytes))
    outcome.warnings.push_back(text_cut_warning(limits.max_text_bytes));
  if (decoded.replaced_invalid)
    outcome.warnings.push_back("some bytes could not be decoded as " + decoded.charset);
  doc.body = std::move(body);
  outcome.documents.push_back(std::move(doc));
}

std::string safe_fragment(std::string_view raw) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : raw) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '/' || c == '-';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace vigie
