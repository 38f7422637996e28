// The HTML side of vigie-server (docs/web.md), registered on the server's
// Router next to the JSON API:
//   GET /                    home: search form, help with examples
//   GET /recherche           results page (web_results.h)
//   GET /recherche.atom      Atom feed of a search, newest first (web_atom.h)
//   GET /document/{id}       one document (web_document.h)
//   GET /source/{id}         the document's source file, read-only (web_source.h)
//   GET /static/{file}       CSS and favicon (web_static.h)
//   GET anything else        French 404 page (JSON 404 under /api/)
// Every page handler runs inside one error boundary that turns HttpError,
// QuerySyntaxError and IndexUnavailable into French HTML pages (400, 404,
// 503…) instead of the API's JSON; anything else propagates to the server's
// request boundary, which logs it.
// The registered handlers share read-only state (static assets, the indexed
// roots) and borrow Searchers from the pool: thread-safe.
#pragma once

#include "api/api_context.h"
#include "http/http_router.h"
#include "vigie/config.h"

namespace vigie::web {

void register_web_routes(http::Router& router, http::ApiContext& api, const Config& config);

}  // namespace vigie::web
