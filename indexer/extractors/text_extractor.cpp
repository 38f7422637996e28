#include "extractors/text_extractor.h"

#include <algorithm>

#include "extractors/extract_support.h"
#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

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

ExtractOutcome TextExtractor::extract_file(const FileInput& input) const {
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
}

}  // namespace vigie
