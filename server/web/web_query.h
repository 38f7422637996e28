// WebQuery: the parameters of a results page (/recherche, /recherche.atom),
// which are also its permalink:
//   q  type*  collectivite*  personne*  annee*  du  au  tri  page   (* = repeatable)
// Parsing validates tri (into a SortOrder) and page; the filters stay as
// given, for the links, and are validated and typed by api_params (the same
// rules and French messages as the JSON API) when the SearchRequest is
// built. Builds the URLs the pages link to (facet toggles, pages, CSV
// export, Atom) in one canonical parameter order, so every page is a stable
// permalink. Plain value type. Errors: HttpError(400) with a French message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_query.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace vigie::web {

inline constexpr std::size_t kResultsPerPage = 10;

enum class Filter { Type, Collectivite, Annee, Personne };

struct WebQuery {
  std::string q;
  std::vector<std::string> types, collectivites, annees, personnes;
  std::string du, au;
  SortOrder sort = SortOrder::Relevance;  // tri (tri_name())
  std::size_t page = 1;

  static WebQuery parse(const http::QueryParams& params);

  // The search for this page (kResultsPerPage hits from `page`).
  SearchRequest search_request(const http::QueryParams& params, const SearchConfig& config) const;

  bool has_filter(Filter filter, std::string_view value) const;
  bool empty() const;  // no query and no filter

  // Copies for links; every change but a page change goes back to page 1.
  WebQuery with_page(std::size_t page) const;
  WebQuery toggled(Filter filter, std::string_view value) const;
  WebQuery with_sort(SortOrder sort) const;

  // "q=…&type=…" (form-encoded; page omitted when 1).
  std::string query_string() const;
  // path + "?" + query_string() (no "?" when empty).
  std::string url(std::string_view path) const;
  // /api/export with the same filters and sort, format=csv.
  std::string export_csv_url() const;
};

// A sort as the pages' `tri` spells it: "" (pertinence, the default),
// "recents", "anciens".
std::string_view tri_name(SortOrder sort);

// The largest page number a results page accepts (deeper needs /api/export).
std::size_t max_page();

}  // namespace vigie::web
