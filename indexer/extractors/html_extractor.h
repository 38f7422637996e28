// HtmlExtractor: HTML pages, including office-suite exports (LibreOffice
// "Save as HTML": tables for layout, heavy inline markup, long lines).
// Bytes are decoded first (BOM, then the charset named by <meta charset> /
// http-equiv / XML prolog, then ICU detection), then parsed as UTF-8 by
// libxml2's forgiving HTML parser. The body becomes plain text: block
// elements end lines, script/style/noscript/template and comments are
// dropped, white space collapses within lines. Title from <title>, else the
// first <h1>, else the first <h2>; <meta> author/description/date and
// <link rel=canonical> fill persons, extra, date and url.
// Stateless: extract() is const and safe from any number of threads (libxml2
// is initialised once, each call owns its tree).
// Failures: NoText when the body has no text, Unsupported for binary
// content, TooLarge above 2 GiB, Corrupt when libxml2 builds no tree.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class HtmlExtractor : public Extractor {
 public:
  std::string_view format() const override { return "html"; }

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

// The charset an HTML page declares in its first bytes — <meta charset=...>,
// <meta http-equiv="Content-Type" content="...; charset=...">, or an
// <?xml encoding="..."?> prolog — or "" when none (lower-cased, unquoted).
std::string declared_html_charset(std::string_view head);

}  // namespace vigie
