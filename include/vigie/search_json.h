// JSON for search results, shared by `vigie-search --format json|jsonl` and
// the HTTP API, so both speak the same shape (docs/api.md, docs/openapi.yaml).
// The JSON names are the API's contract, not the Searcher's: the
// "organisation" facet is "org" here (the HTML pages read the Searcher's
// names, never this JSON). Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string>

#include "vigie/document.h"
#include "vigie/searcher.h"

namespace vigie {

// {query, total, total_exact, total_lower, total_upper, page, per_page,
//  offset, took_ms, notice, suggestion, warnings[], synonyms[], hits[],
//  facets{type, org, year}}. `per_page` is the page size asked for (0 = the
// number of hits returned); page = offset / per_page + 1.
std::string search_response_json(const SearchResponse& response, std::size_t per_page = 0);
// One line, for JSON lines; its "page" is document_page_url(id, base_url).
std::string hit_json(const Hit& hit, std::string_view base_url = {});
// The stored document, with its relations (docs/families.md) when given:
// "family" (the same text in other files), "whole" (the session record a
// deliberation is taken from), "parts" (a session's deliberations).
std::string document_json(const SourceDocument& doc,
                          const Searcher::Relations& relations = Searcher::Relations{});
// The JSON name of a Searcher facet ("organisation" → "org").
std::string facet_json_name(const std::string& searcher_name);
// {"error": {"code": 400, "status": 400, "message": "..."}} (code = status).
std::string error_json(int status, const std::string& message);

}  // namespace vigie
