// JsonMinutesExtractor: council-session records in JSON (format "json-minutes"),
// the shape of chemere/pv-json/*.json — one object per session with "date",
// "president", "secretaire", "absents", "heure_fin", ... and "deliberations":
// [{"titre", "text", "id", "id_pref", ...}].
//
// Output: one Deliberation document per entry ("<path>#<fragment>") and one
// ProcesVerbal document for the session itself (id = path).
//
// Thread-safety: stateless; extract() is const and safe from any thread.
// Errors: JSON syntax errors → Corrupt (with the byte offset); JSON of another
// shape → Unsupported "JSON is not a council-session record"; odd entries are
// skipped with a warning. Never throws.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class JsonMinutesExtractor : public Extractor {
 public:
  std::string_view format() const override { return "json-minutes"; }

  // Cheap sniffing for choose_extractor: `head` (the first KBs of the file)
  // starts with '{' after an optional BOM and white space, and mentions
  // "deliberations". May say yes to a file extract() then calls Unsupported.
  static bool looks_like(std::string_view head);

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

}  // namespace vigie
