// Extractor: one per file format, behind one interface. An extractor turns the
// bytes of one file into SourceDocuments (usually one; several for JSON
// minutes and CSV) or a failure with a reason. It fills what the format says
// explicitly (title, dates, authors, text); metadata_rules.h infers the rest.
//
// Contract for every extractor:
// - extract() is const and thread-safe: the pipeline calls it from N threads.
// - extract() never throws. It is the one exception boundary of extraction:
//   a non-virtual function (extractor.cpp) that calls the format's
//   extract_file() inside the one catch-all of the extractors, and turns
//     ExtractError    → its own kind and reason, as thrown;
//     Poco::Exception → Corrupt, "<format> extraction failed: <displayText()>";
//     std::exception  → Corrupt, "<format> extraction failed: <what()>";
//     anything else   → Corrupt, "<format> extraction failed (unknown error)";
//   <format> being format(). So extract_file() may let any exception escape.
//   A format that knows better (a zip bomb is TooLarge, an antiword that
//   cannot start is Unsupported) throws ExtractError, from any depth, or
//   catches that one library error and rethrows it as an ExtractError. No
//   extractor has a catch-all of its own, except libcsv's callbacks: they
//   run inside C code, which an exception must not unwind through.
// - It never returns invalid UTF-8; bodies are NFC (use decode_to_utf8/to_nfc).
// - It honours ExtractLimits (sizes, zip ratio, pages) and reports the
//   limit that was hit.
// - Document ids: the file's relative path for one document, or
//   "<path>#<fragment>" for records inside a file.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/document.h"

namespace vigie {

struct ExtractLimits {
  std::uint64_t max_unzipped_bytes = 256ull << 20;
  double max_zip_ratio = 200.0;
  int max_pdf_pages = 5000;
  std::uint64_t max_text_bytes = 32ull << 20;
};

enum class ExtractFailure {
  Unsupported,  // not a format we index (or JSON/CSV of another shape)
  Corrupt,      // truncated, malformed, unreadable by the parser
  Encrypted,    // password-protected
  NoText,       // parsed fine but no text layer (image-only PDF) or empty
  TooLarge,     // a limit was hit (zip bomb, page count, size)
};
std::string_view failure_name(ExtractFailure failure);  // "unsupported", "corrupt", ...

struct FileInput {
  std::string relative_path;  // "chemere/pdf/CM 12 décembre 2012.pdf" (UTF-8, '/' separators)
  std::string_view bytes;     // the whole file
  ExtractLimits limits;
};

struct ExtractOutcome {
  std::vector<SourceDocument> documents;
  std::optional<ExtractFailure> failure;  // set ⇒ documents is empty
  std::string reason;                     // human-readable, English, says what was wrong
  std::vector<std::string> warnings;      // non-fatal (e.g. "text cut at 32 MB")

  static ExtractOutcome failed(ExtractFailure failure, std::string reason);
};

// A precise failure, thrown from anywhere inside extract_file(): extract()
// returns its kind and reason (what()) unchanged.
class ExtractError : public std::runtime_error {
 public:
  ExtractError(ExtractFailure kind, const std::string& reason)
      : std::runtime_error(reason), kind_(kind) {}
  ExtractFailure kind() const noexcept { return kind_; }

 private:
  ExtractFailure kind_;
};

class Extractor {
 public:
  virtual ~Extractor() = default;
  // Short format name stored on documents: "pdf", "html", "markdown", ...
  virtual std::string_view format() const = 0;
  // The boundary (see the contract above): never throws.
  ExtractOutcome extract(const FileInput& input) const;

 protected:
  // The format's work. May throw: ExtractError for a precise failure, any
  // other exception for "corrupt".
  virtual ExtractOutcome extract_file(const FileInput& input) const = 0;
};

// Chooses the extractor for a file: content sniffing first (%PDF-, PK zip
// with an ODT mimetype or a DOCX [Content_Types].xml, <html, { "deliberations"),
// then the extension. nullptr = unsupported (the caller reports it).
// The returned extractor is owned by a process-wide registry.
const Extractor* choose_extractor(std::string_view relative_path, std::string_view head);

}  // namespace vigie
