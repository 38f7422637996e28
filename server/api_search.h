// JSON API read routes (docs/api.md):
//   GET /api/search            SearchResponse JSON
//   GET /api/document/{id}     one stored document (also /api/document?id=)
//   GET /api/similar/{id}      similar documents (also /api/similar?id=)
// Handlers are stateless beyond the shared ApiContext; thread-safe.
#pragma once

#include "api_context.h"
#include "http_router.h"

namespace vigie::http {

void register_search_routes(Router& router, ApiContext& context);

// The document id of /api/document/{id} or ?id=: percent-decoded, non-empty
// (HttpError 400 otherwise). Ids hold '/', '#', spaces and accents.
std::string document_id(const HttpExchange& exchange);

}  // namespace vigie::http
