// WebQuery: the parameters of a results page (/recherche, /recherche.atom),
// which are also its permalink:
//   q  type*  collectivite*  personne*  annee*  vote*  montant*  du  au  tri  par_page  orthographe
//   mots  page
//   (* = repeatable; per_page is accepted for par_page, the API's name)
// Parsing validates tri (into a SortOrder), par_page (10, 20 or 50),
// orthographe (« exacte » turns the automatic correction off), mots (« un »:
// documents with some of the words are results too) and page;
// the filters stay as
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

inline constexpr std::size_t kResultsPerPage = 10;  // the default of par_page
// What par_page offers: a journalist skims 10, reads 20, exports beyond 50.
inline constexpr std::size_t kPerPageChoices[] = {10, 20, 50};

enum class Filter { Type, Collectivite, Annee, Personne, Vote, Montant };

struct WebQuery {
  std::string q;
  std::vector<std::string> types, collectivites, annees, personnes;
  // vote: keys (« contre »); montant: the query language's montant: values
  // (the Montant facet's keys, « 1000..9999,99 »): decision_search.h.
  std::vector<std::string> votes, montants;
  std::string du, au;
  SortOrder sort = SortOrder::Relevance;   // tri (tri_name())
  std::size_t per_page = kResultsPerPage;  // par_page
  bool exact_spelling = false;             // orthographe=exacte: no automatic correction
  bool any_words = false;                  // mots=un: « au moins un des mots »
  std::size_t page = 1;

  static WebQuery parse(const http::QueryParams& params);

  // The search for this page (per_page hits from `page`).
  SearchRequest search_request(const http::QueryParams& params, const SearchConfig& config) const;

  bool has_filter(Filter filter, std::string_view value) const;
  // The values chosen for `filter`.
  const std::vector<std::string>& values(Filter filter) const;
  bool empty() const;  // no query and no filter
  // Any filter, sort or page size beyond the query words (what « Tout
  // effacer » removes).
  bool has_refinements() const;
  // The largest page number this page size accepts (deeper needs /api/export).
  std::size_t max_page() const;

  // Copies for links; every change but a page change goes back to page 1.
  WebQuery with_page(std::size_t page) const;
  WebQuery toggled(Filter filter, std::string_view value) const;
  WebQuery with_sort(SortOrder sort) const;
  WebQuery without_period() const;
  WebQuery with_per_page(std::size_t per_page) const;
  WebQuery with_any_words(bool any_words) const;
  // The query words alone.
  WebQuery words_only() const;

  // "q=…&type=…" (form-encoded; page omitted when 1).
  std::string query_string() const;
  // path + "?" + query_string() (no "?" when empty).
  std::string url(std::string_view path) const;
  // /api/export with the same filters and sort, format=csv.
  std::string export_csv_url() const;
};

// A sort as the pages' `tri` spells it: "" (pertinence, the default),
// "recents", "anciens", "montant".
std::string_view tri_name(SortOrder sort);

}  // namespace vigie::web
