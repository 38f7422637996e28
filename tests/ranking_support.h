// Ranking-test support: a page of a search asked as the tests that rank the
// real corpus ask it (no facets, no extracts), and what a page shows.
// Shared by title_words_test, spread_sessions_test, proximity_test,
// phrase_forms_test and loosened_phrases_test.
#pragma once

#include <cstddef>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "vigie/searcher.h"

namespace vigie::test {

// What a page asks besides its query.
struct PageAsked {
  std::size_t offset = 0;
  std::size_t limit = 10;
  SortOrder sort = SortOrder::Relevance;
  bool any_words = false;
  bool fill_with_some_words = true;
};

SearchResponse search_page(Searcher& searcher, const std::string& query,
                           const PageAsked& asked = {});

// The hits' ids, in rank order.
std::vector<std::string> hit_ids(const SearchResponse& response);

// Every file the hits `which` accepts show (all when empty): each hit's
// id, its family's (also) and the files merged into it.
std::set<std::string> files_shown(const SearchResponse& response,
                                  const std::function<bool(const Hit&)>& which = {});

}  // namespace vigie::test
