// The corrected search Searcher::search tries when a search finds nothing as
// typed (SearchRequest::correct): the query with the spelling suggestion,
// and every collectivité the index does not know — a filter value or a
// `collectivite:` field of the query — replaced by the index's collectivité
// whose name holds all its words (« Chémeré » → « Commune de Chémeré »: the
// index stores the full name, and a journalist types the town). The
// Searcher runs it and keeps its answer only when it finds something.
// Pure functions over the open database; thread-safety of the Searcher.
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "matcher/index_columns.h"
#include "vigie/searcher.h"

namespace vigie {

struct CorrectedRequest {
  SearchRequest request;
  std::vector<Correction> corrections;  // what changed, in the order met
};

// nullopt: nothing to correct (no suggestion, every collectivité known).
std::optional<CorrectedRequest> corrected_request(const SearchRequest& request,
                                                  const std::string& spelling_suggestion,
                                                  const Xapian::Database& db,
                                                  const IndexColumns& columns);

// The display name of the index's collectivité that `given` stands for: none
// when the index knows `given` itself or no name holds its folded words;
// among several, the one with the most documents (then the shortest).
std::optional<std::string> organisation_named_like(std::string_view given,
                                                   const Xapian::Database& db,
                                                   const IndexColumns& columns);

}  // namespace vigie
