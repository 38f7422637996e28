// ScdlCsvExtractor: the national open-data schema SCDL « Délibérations »
// (format "csv-scdl"): one CSV row per deliberation, columns COLL_NOM,
// COLL_SIRET, DELIB_ID, DELIB_DATE, DELIB_MATIERE_CODE, DELIB_MATIERE_NOM,
// DELIB_OBJET, BUDGET_ANNEE, BUDGET_NOM, PREF_ID, PREF_DATE, VOTE_*,
// DELIB_URL. Parsed with libcsv; ',' ';' or tab separators (chosen from the
// header line), a UTF-8 BOM, quoted fields with newlines, and non-UTF-8 bytes
// (decode_to_utf8) are handled.
//
// Output: one Deliberation document per row, id "<path>#<DELIB_ID>" (or
// "#row-N" when the id is empty; "-2", "-3" on repeats).
//
// Thread-safety: stateless; extract() is const and safe from any thread.
// Errors: a header without DELIB_OBJET and (DELIB_ID or DELIB_DATE) →
// Unsupported "CSV is not an SCDL deliberations file"; a row with the wrong
// number of fields is skipped with a warning; libcsv failures → Corrupt.
// Never throws.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class ScdlCsvExtractor : public Extractor {
 public:
  std::string_view format() const override { return "csv-scdl"; }

  // Cheap sniffing: the first line names DELIB_OBJET (any case).
  static bool looks_like(std::string_view head);

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

}  // namespace vigie
