// GET /recherche?q=&type=&collectivite=&du=&au=&annee=&tri=&page= — the
// results page: the count, the parser's warnings, notice and spelling
// suggestion, the hits (title link, type badge, French date, collectivité,
// highlighted extract), facets that add or remove a filter, the per-year
// histogram, pagination, sort links, CSV export and the Atom feed of the
// same search. An empty result says so and offers ways out (the suggestion,
// removing each filter). Every link is a GET permalink.
#pragma once

#include "api/api_context.h"
#include "http/http_exchange.h"
#include "vigie/searcher.h"
#include "web/html_builder.h"

namespace vigie::web {

void serve_results(http::ApiContext& api, http::HttpExchange& exchange);

// One hit as shown in a list (results, similar documents). `q` is carried to
// the document link so the document page highlights the same words.
html::Node hit_item(const Hit& hit, const std::string& q);
// « aussi en PDF · HTML »: links to a family's other files (docs/families.md).
html::Node other_formats(const std::vector<FamilyMember>& also);
// « Correspondent aussi : … »: the session or deliberations merged into a hit's result.
html::Node merged_documents(const std::vector<FamilyMember>& merged);

// /document/{id}?q=… (the id percent-encoded: it holds '/', '#', spaces).
std::string document_url(const std::string& id, const std::string& q);

}  // namespace vigie::web
