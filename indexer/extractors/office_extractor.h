// OfficeExtractor: word-processing documents in a zip — ODT (OpenDocument
// text) and DOCX (Office Open XML). The format is decided from the archive's
// content, not the file name: ODT has a `mimetype` entry
// "application/vnd.oasis.opendocument.text"; DOCX has `[Content_Types].xml`
// and `word/document.xml`. Documents get format "odt" or "docx"; format()
// answers "office" for the registry.
//
// Zip bombs: the sizes declared in the zip directory are checked before
// anything is inflated (total against max_unzipped_bytes, expansion ratio
// against max_zip_ratio), and inflation counts real bytes and stops at the
// cap, because headers can lie.
// XML: Poco's SAX parser (expat) with external entities off; any DTD is
// refused outright (office files never carry one, and a DTD is what
// billion-laughs and external-entity attacks need).
// Metadata: file dates (creation/modification) go to extra
// ("date_creation_fichier", "date_modification_fichier"), not doc.date — the
// day a file was saved is not the document's date; only a custom property
// named "date" sets doc.date.
//
// Thread-safety: stateless; extract() is const and safe from any thread.
// Errors: not a zip / missing content / malformed XML → Corrupt; zip of another
// kind (spreadsheet, plain archive) or OLE2 file → Unsupported; encrypted →
// Encrypted; a limit hit → TooLarge; no text → NoText. Never throws.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class OfficeExtractor : public Extractor {
 public:
  std::string_view format() const override { return "office"; }

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

}  // namespace vigie
