#include "vigie/term_forms.h"

#include "index/schema.h"

namespace vigie {

std::vector<std::string> index_stem_terms(const Token& token) {
  std::vector<std::string> terms;
  terms.push_back(std::string(schema::kStemPrefix) + token.stem);
  if (!token.unaccented_stem.empty())
    terms.push_back(std::string(schema::kUnaccentedStemPrefix) + token.unaccented_stem);
  return terms;
}

std::vector<std::string> query_stem_terms(const Token& token) {
  std::vector<std::string> terms;
  terms.push_back(std::string(schema::kStemPrefix) + token.stem);
  // Typed without accents: the user may mean an accented word whose accented
  // stem differs; the index keeps that word's unaccented stem under XZ.
  if (!token.had_accents) terms.push_back(std::string(schema::kUnaccentedStemPrefix) + token.stem);
  return terms;
}

bool is_stem_family_key(std::string_view key) {
  return key.starts_with(schema::kStemPrefix) || key.starts_with(schema::kUnaccentedStemPrefix);
}

}  // namespace vigie
