// GET /recherche.atom?… — the Atom feed (RFC 4287) of a search, newest
// first, so a journalist can follow a topic in a feed reader. Same
// parameters as /recherche (tri and page are ignored: a feed is always the
// newest kAtomEntries). Each entry: a stable tag: id built from the document
// id, the title, <updated> = the document's date (the epoch when unknown —
// never "now", which would make readers announce old documents again), a
// link to the document page, and the extract as plain text.
#pragma once

#include <cstddef>

#include "api/api_context.h"
#include "http/http_exchange.h"

namespace vigie::web {

inline constexpr std::size_t kAtomEntries = 50;

void serve_atom(http::ApiContext& api, http::HttpExchange& exchange);

}  // namespace vigie::web
