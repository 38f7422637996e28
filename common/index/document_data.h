// Document data: the small JSON object stored with each Xapian document —
// what a hit displays, plus the text used for extracts (docs/architecture.md, "Index schema").
// The indexer writes it, the search side reads it back. Pure functions.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

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
// A legal reference as one key: "cgct:L2121-29" (an article with its code),
// "L2122-22" (no code named), "loi:2004-809", "decret:2016-360",
// "ordonnance:2015-899" — what article: and loi: search
// (docs/query-language.md); the exports' and the API's "key".
std::string legal_reference_key(const LegalReference& reference);

// The "decisions" key and object, in the stored data (Stored: only what is
// known, compact) or in the API's JSON (Api: every key of a part, plus the
// vote's label, the largest amount and each reference's key: docs/api.md).
// One writer, so that the two never disagree on a name.
enum class DecisionsJson { Stored, Api };
void write_decisions_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Decisions& d,
                          DecisionsJson style);

}  // namespace vigie
