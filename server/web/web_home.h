// GET / — the home page: the search form (with the collectivités of the
// index in its filter), the size of the index, and a short help on the query
// language whose examples are links to their results.
#pragma once

#include "api/api_context.h"
#include "http/http_exchange.h"

namespace vigie::web {

void serve_home(http::ApiContext& api, http::HttpExchange& exchange);

}  // namespace vigie::web
