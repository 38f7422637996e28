// Which stem families a token belongs to, on the index side and on the
// query side. Keeping both here is what guarantees that a word typed without
// accents meets the accented word (see schema::kUnaccentedStemPrefix).
//
// A family is a key of the index's synonym table listing the exact forms indexed under it; a query
// word is expanded to the forms of its families (QueryTerms):
//
//   indexed "municipalité" → in Z"municipal"  and XZ"municipalit"
//   typed   "municipalite" → forms of Z"municipalit" + XZ"municipalit"   (meets it)
//   typed   "municipalités"→ forms of Z"municipal"                        (meets it)
//   typed   "communiqué"   → forms of Z"communiqu"  (not "commune": Z"commun")
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vigie/french_analyzer.h"

namespace vigie {

// Keys of the stem families a token of the text belongs to.
std::vector<std::string> index_stem_terms(const Token& token);
// Keys of the stem families a query word should match (forms OR'ed together).
std::vector<std::string> query_stem_terms(const Token& token);
// True for a stem-family key: user synonym keys are analysed (lower-case)
// forms, which never start with the upper-case family prefixes.
bool is_stem_family_key(std::string_view synonym_key);

// A folded exact form without its number and gender endings: a final -s or
// -x, then a final -e and the consonant doubled before it; -aux gives two
// bases, -al and -au. « zones » → zon, « éoliennes » → eolien,
// « municipaux » → municipal and municipau, « techniquement » →
// techniquement. Irregular forms (« publique » of « public ») keep their own.
std::vector<std::string> inflection_bases(std::string_view folded);
// Whether two folded exact forms are one word in another number or gender
// (they share an inflection base). A phrase's or PROCHE's word takes
// these forms of its stem family only: the family of « technique » also
// holds « techniquement », that of « habitation » « habitants ».
bool same_inflection(std::string_view a, std::string_view b);

}  // namespace vigie
