// TextExtractor: plain-text files (.txt) in any encoding. The text is decoded
// with decode_to_utf8 (BOM, then ICU detection tuned for French legacy
// charsets); the first non-empty line is the title, the whole text the body.
// Stateless: extract() is const and safe from any number of threads.
// Failures: NoText for empty or blank files, Unsupported for binary content
// (NULs and control characters in the head), never an exception.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class TextExtractor : public Extractor {
 public:
  std::string_view format() const override { return "text"; }

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

}  // namespace vigie
