// What a deliberation decides, on its page (docs/web.md, « Ce que décide la
// délibération »): the vote, the amounts, the legal texts cited, the
// deliberations it cites (linked when the index holds them) and those
// citing it (« Citée par », with what they do to it: « rapportée par »…).
// Each vote and reference links to the search for it. Stateless.
#pragma once

#include "vigie/searcher.h"
#include "web/html_builder.h"

namespace vigie::web {

// The section, or an empty fragment when the document decides nothing that
// was read and nothing cites it.
html::Node decisions_section(const SourceDocument& doc, const Searcher::Relations& relations);

// « rapportée par », « modifiée par », « abrogée par »; « citée par » when
// the verb is not known.
std::string cited_by_phrase(std::string_view verb);

}  // namespace vigie::web
