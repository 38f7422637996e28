// Admin routes (docs/api.md), all behind a Bearer token (admin_auth.h):
//   POST /api/admin/reindex   body optional {"full": true} → 202 and the run's
//                             status; the run goes on in the background;
//                             409 when a run is going on
//   GET  /api/admin/status    status of the last run (running, exit code, report);
//                             GET /api/admin/reindex is an alias
// No token configured: 403 (the admin API is disabled). Missing or wrong
// token: 401 with WWW-Authenticate. Either way nothing is done.
#pragma once

#include <string>

#include "admin/admin_reindex.h"
#include "http/http_router.h"
#include "vigie/config.h"

namespace vigie::http {

struct AdminContext {
  const Config& config;
  ReindexRunner& runner;
  std::string token;  // empty = admin API disabled (403)
};

void register_admin_routes(Router& router, AdminContext& context);

// The status as JSON: {"running":…,"runs":…,"full":…,"started_at":…,
// "finished_at":…,"exit_code":…|null,"report":{…}|null,"output":…,"error":…}
std::string reindex_status_json(const ReindexStatus& status);

}  // namespace vigie::http
