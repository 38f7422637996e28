// Metadata rules: fill what an extractor could not read explicitly, in this
// order — explicit metadata (kept), folder defaults from the config, then
// documented rules on title/text/path (docs/metadata-rules.md). Every rule
// that fires appends a line to SourceDocument::provenance.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/config.h"
#include "vigie/document.h"

namespace vigie {

// Applies folder defaults then the inference rules below to `doc` in place.
void complete_metadata(SourceDocument& doc, const Config& config);

// Individual rules, exposed for table-driven tests.
std::optional<DocType> infer_type(std::string_view title, std::string_view text,
                                  std::string_view path);
// « séance du 22 juin 2010 », « les 22 et 23 mars 2023 », « le 1er mars 2011 »,
// 22/06/2010 — the first credible date near the start of the text.
std::optional<Date> date_from_text(std::string_view text);
// "CM 22 juin 2010.pdf", "2010-06-22.json", "ARrete 2012-3.html" → a date.
std::optional<Date> date_from_path(std::string_view path);
// « délibération n° 2010/80 », « 2007-1 – Halte garderie » → "2010/80", "2007/1".
std::optional<std::string> deliberation_number(std::string_view text);
// Président(e) / secrétaire de séance names found by rule.
std::vector<std::string> persons_from_text(std::string_view text);
// True when the text is very likely not French (stopword ratio).
bool looks_non_french(std::string_view text);

}  // namespace vigie
