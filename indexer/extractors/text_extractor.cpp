#include "extractors/text_extractor.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <exception>

#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// How much of the decoded text looks_binary() inspects.
constexpr std::size_t kBinaryProbeCodePoints = 4096;

bool is_blank(std::string_view text) { return collapse_spaces(text).empty(); }

// Windows and old Mac line ends become '\n'; NULs and C0 controls other than
// tab, line feed and form feed are dropped (they only confuse the analyzer
// and the snippets shown to users).
std::string normalise_lines(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\f') continue;
    out.push_back(c);
  }
  return out;
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

ExtractOutcome TextExtractor::extract(const FileInput& input) const {
  try {
    if (input.bytes.empty()) return ExtractOutcome::failed(ExtractFailure::NoText, "empty file");
    DecodedText decoded = decode_to_utf8(input.bytes);
    if (looks_binary(decoded.utf8)) {
      return ExtractOutcome::failed(ExtractFailure::Unsupported, "binary content");
    }
    std::string body = normalise_lines(decoded.utf8);
    if (is_blank(body)) {
      return ExtractOutcome::failed(ExtractFailure::NoText, "file holds only white space");
    }
    ExtractOutcome outcome;
    if (cut_utf8(body, input.limits.max_text_bytes)) {
      outcome.warnings.push_back(text_cut_warning(input.limits.max_text_bytes));
    }
    if (decoded.replaced_invalid) {
      outcome.warnings.push_back("some bytes could not be decoded as " + decoded.charset);
    }
    SourceDocument doc;
    doc.id = input.relative_path;
    doc.source_path = input.relative_path;
    doc.format = std::string(format());
    doc.title = first_line_title(body);
    doc.body = std::move(body);
    if (decoded.detected) doc.extra.emplace_back("charset", decoded.charset);
    outcome.documents.push_back(std::move(doc));
    return outcome;
  } catch (const std::exception& error) {
    return ExtractOutcome::failed(ExtractFailure::Corrupt,
                                  std::string("text extraction failed: ") + error.what());
  } catch (...) {
    return ExtractOutcome::failed(ExtractFailure::Corrupt, "text extraction failed");
  }
}

}  // namespace vigie
