// The search form shared by the home page, the results page and the "invalid
// query" page: a labelled search box in a role="search" form (GET
// /recherche, so the result is a permalink), filters (type, collectivité,
// période du … au …) and the sort. Filters the form cannot show (a second
// type chosen from the facets, years picked on the histogram) ride along as
// hidden fields, so resubmitting the form keeps them.
// Stateless; thread-safe.
#pragma once

#include <vector>

#include "vigie/searcher.h"
#include "web/html_builder.h"
#include "web/web_query.h"

namespace vigie::web {

// `organisations`: the collectivités to offer (from the organisation facet
// of the whole index); an empty list gives a free text field instead.
html::Node search_form(const WebQuery& query, const std::vector<FacetValue>& organisations);

}  // namespace vigie::web
