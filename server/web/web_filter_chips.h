// The active filters of a results page as removable chips: type(s),
// collectivité(s), période, année(s) (a click on the histogram), sort and
// page size when not the default. Each chip is a plain link to the same
// search without it (no JavaScript), and « Tout effacer » keeps the query
// words only. Why: a year picked on the histogram used to ride along as a
// hidden field, and the next search (« école ») silently found 26 documents
// instead of 295; a filter that narrows a search must be in sight.
// Stateless; thread-safe.
#pragma once

#include "web/html_builder.h"
#include "web/web_query.h"

namespace vigie::web {

// An empty fragment when no filter is active.
html::Node filter_chips(const WebQuery& query);

}  // namespace vigie::web
