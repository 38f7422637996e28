// TextExtractor: plain-text files (.txt) in any encoding. The text is decoded
// with decode_to_utf8 (BOM, then ICU detection tuned for French legacy
// charsets); the first non-empty line is the title, the whole text the body.
// Stateless: extract() is const and safe from any number of threads.
// Failures: NoText for empty or blank files, Unsupported for binary content
// (NULs and control characters in the head), never an exception.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "extractor.h"

namespace vigie {

class TextExtractor : public Extractor {
 public:
  std::string_view format() const override { return "text"; }
  ExtractOutcome extract(const FileInput& input) const override;
};

// Helpers shared by the text-like extractors (text, markdown, html, pdf).

// The first non-blank line, spaces collapsed, cut at a word boundary to at
// most `max_chars` code points ("…" marks a cut). "" when there is none.
std::string first_line_title(std::string_view text, std::size_t max_chars = 200);
// Caps a title the same way (spaces collapsed, cut at a word boundary).
std::string cap_title(std::string_view text, std::size_t max_chars = 200);

// Cuts valid UTF-8 `text` to at most `max_bytes` on a code point boundary.
// Returns true when something was cut.
bool cut_utf8(std::string& text, std::uint64_t max_bytes);
// The warning the extractors add when cut_utf8 fired.
std::string text_cut_warning(std::uint64_t max_bytes);

// True when a decoded head looks like binary data: too many NULs, C0/C1
// control characters or U+FFFD for a text document.
bool looks_binary(std::string_view utf8);

}  // namespace vigie
