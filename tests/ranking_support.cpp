#include "ranking_support.h"

namespace vigie::test {

SearchResponse search_page(Searcher& searcher, const std::string& query, const PageAsked& asked) {
  SearchRequest request;
  request.query = query;
  request.offset = asked.offset;
  request.limit = asked.limit;
  request.sort = asked.sort;
  request.any_words = asked.any_words;
  request.fill_with_some_words = asked.fill_with_some_words;
  request.facets = false;
  request.extracts = false;
  return searcher.search(request);
}

std::vector<std::string> hit_ids(const SearchResponse& response) {
  std::vector<std::string> out;
  for (const auto& hit : response.hits) out.push_back(hit.id);
  return out;
}

std::set<std::string> files_shown(const SearchResponse& response,
                                  const std::function<bool(const Hit&)>& which) {
  std::set<std::string> out;
  for (const auto& hit : response.hits) {
    if (which && !which(hit)) continue;
    out.insert(hit.id);
    for (const auto& member : hit.also) out.insert(member.id);
    for (const auto& member : hit.merged) out.insert(member.id);
  }
  return out;
}

}  // namespace vigie::test
