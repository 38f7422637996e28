// Decision rules: fill SourceDocument::decisions from the body (vote,
// amounts, legal references, cited deliberations), each with a provenance
// line. Called by complete_metadata once type, number, date and organisation
// are known (docs/metadata-rules.md, "Decisions").
// Internal to the indexer. Pure function of the document; thread-safe.
#pragma once

#include <string>

#include "vigie/document.h"

namespace vigie::metadata {

// Reads at most the first kDecisionBytes of the body: a deliberation is a
// few KB (the longest of ../shared/corpus/chemere/pv-json is 30 KB), and a
// 10 MB PDF costs the same as a 1 MB one.
inline constexpr std::size_t kDecisionBytes = std::size_t{1} << 20;

// The vote is read for deliberations only: a session's minutes hold many
// votes and one outcome for all of them would be false; an arrêté, a report
// or a press release is not voted. Amounts, references and citations are
// read for every document.
// `heading_number`: the number the body's heading gives (« Délibération
// n° 2010/80 »), the document's own even when its explicit number differs.
void complete_decisions(SourceDocument& doc, const std::string& heading_number);

}  // namespace vigie::metadata
