// JSON API read routes (docs/api.md):
//   GET /api/search                    SearchResponse JSON (search_json.h)
//   GET /api/documents/{id}            one stored document
//   GET /api/documents/{id}/similar    similar documents
// and the first API's names, kept as aliases: /api/document/{id},
// /api/document?id=, /api/similar/{id}, /api/similar?id=.
// Ids hold '/', '#', spaces and accents, percent-encoded. A literal
// "/similar" at the end of the path is the similar route; an id that itself
// ends in "/similar" is reached by encoding that slash (%2F) — or, when no
// document {id} exists, the document "{id}/similar" is served instead.
// Handlers are stateless beyond the shared ApiContext; thread-safe.
#pragma once

#include "api/api_context.h"
#include "http/http_router.h"

namespace vigie::http {

void register_search_routes(Router& router, ApiContext& context);

// The document id of /api/document/{id} or ?id=: percent-decoded, non-empty
// (HttpError 400 otherwise). Ids hold '/', '#', spaces and accents.
std::string document_id(const HttpExchange& exchange);

}  // namespace vigie::http
