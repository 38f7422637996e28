// QueryParams: the decoded parameters of a request's query string
// (application/x-www-form-urlencoded: '+' is a space, %XX bytes), in order,
// repeated names kept (type=a&type=b). Plain value type.
// Errors: parse() throws HttpError(400) on a malformed escape ("%G1", "%4").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vigie::http {

// Strict percent-decoding; throws std::invalid_argument on a bad escape.
// `plus_as_space` is for query strings only: in a path '+' is a plus.
std::string percent_decode(std::string_view text, bool plus_as_space);
// Encodes everything but unreserved characters (RFC 3986), for building URLs.
std::string percent_encode(std::string_view text);

// Splits a request target "/path?query" into its raw (still encoded) parts.
std::pair<std::string, std::string> split_target(std::string_view target);

class QueryParams {
 public:
  static QueryParams parse(std::string_view raw_query);

  // Every value of `name`, in order; empty values are dropped (a form's
  // empty select means "no filter").
  std::vector<std::string> all(std::string_view name) const;
  // The value of a single-valued parameter; nullopt when absent or empty.
  // Throws HttpError(400) when it is given twice (ambiguous).
  std::optional<std::string> single(std::string_view name) const;
  bool has(std::string_view name) const;
  // A copy without any `name` parameter.
  QueryParams without(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace vigie::http
