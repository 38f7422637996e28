// The search form shared by the home page, the results page and the "invalid
// query" page: a labelled search box in a role="search" form (GET
// /recherche, so the result is a permalink), filters (type, collectivité,
// période du … au …), the sort and the page size, folded behind « Filtres et
// tri » (a <details>: at 390 px wide the form used to fill the screen), and
// the active filters as removable chips (web_filter_chips.h). Filters the
// form's fields cannot show (a second type chosen from the facets, years
// picked on the histogram) ride along as hidden fields, so resubmitting the
// form keeps them — never unseen: each is a chip just under the search box.
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

// <select id="type" name="type">: « Tous les types » and every DocType,
// `current` (a key or a label) selected.
html::Node doc_type_select(std::string_view current);

// <input id=… name=…> for a date of the period (AAAA, AAAA-MM or AAAA-MM-JJ),
// described by the element whose id is "format-date".
html::Node period_input(html::Name id_and_name, const std::string& value);

}  // namespace vigie::web
