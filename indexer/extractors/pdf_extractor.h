// PdfExtractor: PDF files, through poppler-cpp (the one adapter between
// poppler and Vigie: nothing else includes poppler headers).
// Text is read page by page in the content stream's order, which keeps the
// columns and table rows of office-suite exports together (see the .cpp);
// pages are separated by "\n\f\n". The document info gives the title (office
// prefixes removed); the author and creation date go to
// SourceDocument::extra only — a PDF's creation date is the day it was
// printed, not the date of the session it records.
// Stateless: extract() is const and safe from any number of threads (each
// call owns its poppler document; poppler's error output is silenced once).
// Failures: Encrypted (password needed), TooLarge (more pages than
// limits.max_pdf_pages), NoText (no text layer: scanned images), Corrupt
// (truncated or not parseable). Never throws.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class PdfExtractor : public Extractor {
 public:
  std::string_view format() const override { return "pdf"; }

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

}  // namespace vigie
