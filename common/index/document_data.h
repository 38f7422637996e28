// Document data: the small JSON object stored with each Xapian document —
// what a hit displays, plus the text used for extracts (docs/architecture.md, "Index schema").
// The indexer writes it, the search side reads it back. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "vigie/document.h"

namespace vigie {

std::string encode_document_data(const SourceDocument& doc);
// Tolerant: unknown keys are ignored, missing ones left empty; data that is
// not JSON gives a document with only `body` set to nothing (never throws).
SourceDocument decode_document_data(std::string_view data);

// "article", "loi", "decret", "ordonnance": the stored data's and the
// exports' name of a legal reference's kind (and of its act terms).
std::string_view legal_reference_kind_key(LegalReference::Kind kind);

}  // namespace vigie
