// What the query language shows the programs: its one error and the
// synonyms a query was expanded with. The language itself is
// docs/query-language.md; the parser (common/query/) is internal to the
// search layer.
#pragma once

#include <stdexcept>
#include <string>

namespace vigie {

// A query the parser cannot use (→ HTTP 400, CLI exit 2). The message is in
// French, for the user, and says what to fix.
class QuerySyntaxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A synonym expansion the query went through (config/synonyms.txt).
struct SynonymUse {
  std::string typed;     // "IA"
  std::string expanded;  // "intelligence artificielle"
};

}  // namespace vigie
