// Operational routes, outside the admission gate so probes answer even when
// the server is saturated:
//   GET /health   200 {"status":"ok","documents":N,"generation":"gen-…"}
//                 503 {"status":"unavailable",…} + Retry-After when no index
//   GET /metrics  Prometheus text (metrics.h)
// `server_gauges` reads the Poco server's counters at scrape time.
#pragma once

#include <functional>

#include "api/api_context.h"
#include "http/http_router.h"
#include "http/metrics.h"

namespace vigie::http {

void register_status_routes(Router& router, ApiContext& context,
                            std::function<ScrapeGauges()> server_gauges);

}  // namespace vigie::http
