// API parameters → SearchRequest, with the validation the HTTP API promises:
// every bad value is an HttpError(400) whose French message names the
// parameter and says what is accepted. Stateless; thread-safe.
//
//   q  type*  collectivite*  annee*  du  au  sort  offset  limit
//   facets  extracts  explain                       (* = repeatable)
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "http_query.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace vigie::http {

inline constexpr std::size_t kMaxOffset =
    100000;  // deeper pages cost a full match; use /api/export

SearchRequest search_request_from(const QueryParams& params, const SearchConfig& config);

// Integer parameter within [min, max]; `fallback` when absent.
std::size_t size_param(const QueryParams& params, const std::string& name, std::size_t fallback,
                       std::size_t min, std::size_t max);
// "1"/"0", "true"/"false", "oui"/"non", "yes"/"no", "on"/"off"; `fallback` when absent.
bool bool_param(const QueryParams& params, const std::string& name, bool fallback);

}  // namespace vigie::http
