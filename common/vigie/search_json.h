// JSON for search results, shared by `vigie-search --format json|jsonl` and
// the HTTP API, so both speak the same shape (docs/api.md).
#pragma once

#include <string>

#include "vigie/document.h"
#include "vigie/searcher.h"

namespace vigie {

std::string search_response_json(const SearchResponse& response);
std::string hit_json(const Hit& hit);  // one line, for JSON lines
std::string document_json(const SourceDocument& doc);
// {"error": {"status": 400, "message": "..."}}
std::string error_json(int status, const std::string& message);

}  // namespace vigie
