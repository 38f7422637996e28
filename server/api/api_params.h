// API parameters → SearchRequest, with the validation the HTTP API promises:
// every bad value is an HttpError(400) whose French message names the
// parameter and says what is accepted. Stateless; thread-safe.
//
// Two sets of names (* = repeatable):
//   ParamStyle::Api   q  type*  org*  year*  vote*  amount*  from  to  sort  page  per_page
//                     facets  extracts  explain  all_files  any_words — the JSON API's contract
//                     (docs/api.md), which also accepts the first API's names
//                     as aliases: collectivite*/organisation* = org,
//                     annee* = year, montant* = amount, du = from, au = to, offset/limit =
//                     paging by position (not with page/per_page).
//   ParamStyle::Form  the first API's names only (q type collectivite
//                     organisation annee vote montant du au sort offset limit facets
//                     extracts explain all_files any_words): what the HTML pages' form speaks.
// A single-valued parameter given under two of its names is a 400.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>

#include "http/http_query.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace vigie::http {

// Deepest result the API pages to: page × per_page (offset + limit) beyond
// it is a 400 — a deep page costs a match of every hit before it; exports
// (/api/export) stream everything instead.
inline constexpr std::size_t kMaxResultDepth = 10000;
// Largest offset the Form style accepts (the HTML pages' own depth).
inline constexpr std::size_t kMaxOffset = 100000;

enum class ParamStyle { Form, Api };

// Everything but paging: query, filters, sort, facets/extracts/explain,
// each parsed into its type (DocType, years, Date, SortOrder) here, once.
SearchRequest search_filters_from(const QueryParams& params, ParamStyle style = ParamStyle::Form);
// Filters plus paging (offset/limit; with ParamStyle::Api also page/per_page
// and the depth limit).
SearchRequest search_request_from(const QueryParams& params, const SearchConfig& config,
                                  ParamStyle style = ParamStyle::Form);

// Integer parameter within [min, max]; `fallback` when absent.
std::size_t size_param(const QueryParams& params, const std::string& name, std::size_t fallback,
                       std::size_t min, std::size_t max);
// Same, for a parameter known under several names (see single_of).
std::size_t size_param_of(const QueryParams& params, std::initializer_list<const char*> names,
                          std::size_t fallback, std::size_t min, std::size_t max);
// "1"/"0", "true"/"false", "oui"/"non", "yes"/"no", "on"/"off"; `fallback` when absent.
bool bool_param(const QueryParams& params, const std::string& name, bool fallback);

// The value of a single-valued parameter known under several names (the
// first name is the canonical one); `used` receives the name that was given.
// HttpError(400) when two of the names are given.
std::optional<std::string> single_of(const QueryParams& params,
                                     std::initializer_list<const char*> names,
                                     std::string* used = nullptr);

}  // namespace vigie::http
