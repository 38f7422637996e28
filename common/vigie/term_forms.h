// Which Xapian terms a token becomes, on the index side and on the query
// side. Keeping both here is what guarantees that a word typed without
// accents meets the accented word (see schema::kUnaccentedStemPrefix):
//
//   indexed "municipalité" → Z"municipal"  + XZ"municipalit"
//   typed   "municipalite" → Z"municipalit" OR XZ"municipalit"   (matches)
//   typed   "municipalités"→ Z"municipal"                         (matches)
//   typed   "communiqué"   → Z"communiqu"  (does not meet "commune": Z"commun")
#pragma once

#include <string>
#include <vector>

#include "vigie/french_analyzer.h"

namespace vigie {

// Stem terms (with prefixes) to index for a token of the body.
std::vector<std::string> index_stem_terms(const Token& token);
// Stem terms (with prefixes) a query word should match, OR'ed together.
std::vector<std::string> query_stem_terms(const Token& token);

}  // namespace vigie
