// The per-year histogram of a results page: inline SVG drawn on the server
// from the year facet (no script, no external image). Every bar is a link
// that adds that year as a filter (annee=YYYY), with a <title> tooltip
// ("2010 : 12 documents") that is also the link's accessible name; years
// without documents between the first and the last are drawn as gaps so the
// time axis is honest. A table of the same numbers (with the same links)
// follows in a <details>, the text alternative for screen readers and for
// anyone who prefers figures. Stateless; thread-safe.
#pragma once

#include "vigie/searcher.h"
#include "web/html_builder.h"
#include "web/web_query.h"

namespace vigie::web {

// An empty node when the facet has no year.
html::Node year_histogram(const Facet& years, const WebQuery& query);

}  // namespace vigie::web
