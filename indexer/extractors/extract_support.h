// Text helpers shared by the extractors: cutting at UTF-8 boundaries,
// titles from text, invisible characters out, binary detection, safe id
// fragments. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "extractors/extractor.h"
#include "vigie/text_decoding.h"

namespace vigie {

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

// Drops private-use code points (the U+F0D8 Wingdings bullets of Word
// exports) and control characters. With keep_layout, line breaks (all
// spellings, CRLF folded) become '\n' and tabs stay; without, they become
// spaces. Input is made valid UTF-8 first.
std::string strip_invisible(std::string_view text, bool keep_layout);
// strip_invisible without layout, NFC, runs of spaces collapsed: a title or
// a metadata value.
std::string clean_field(std::string_view text);

// The common end of the text-like extractors: a title from the first line
// when the format gave none, the body cut at limits.max_text_bytes, warnings
// for a cut and for undecodable bytes, and the document added to `outcome`.
void finish_text_document(SourceDocument doc, std::string body, const DecodedText& decoded,
                          const ExtractLimits& limits, ExtractOutcome& outcome);

// An id fragment safe in URLs and terms: [A-Za-z0-9._/-] kept, the rest
// percent-encoded ("a b" → "a%20b").
std::string safe_fragment(std::string_view raw);

}  // namespace vigie
