// GET /api/export?…&format=csv|jsonl: every hit of a search, streamed
// (chunked) as an attachment. Same filters as /api/search; `limit` 0 (the
// default) means all hits, bounded by search.export_cap; `offset` skips the
// first hits; pages of kExportPage are fetched from one borrowed Searcher
// while writing.
// The first page is fetched before anything is sent, so a bad query still
// gets a 400 JSON answer; a failure after that can only cut the stream (the
// boundary then closes the connection, and the client sees a truncated
// chunked body rather than a silently short file).
#pragma once

#include <cstddef>

#include "api/api_context.h"
#include "http/http_router.h"

namespace vigie::http {

inline constexpr std::size_t kExportPage = 500;

void register_export_routes(Router& router, ApiContext& context);

}  // namespace vigie::http
