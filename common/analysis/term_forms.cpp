#include "vigie/term_forms.h"

#include <string>

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

namespace {

// `word` without `ending` and with `by` instead, when three letters at
// least remain (« os », « as », « le » keep theirs).
bool replace_ending(std::string& word, std::string_view ending, std::string_view by) {
  if (word.size() < ending.size() + 3 || !word.ends_with(ending)) return false;
  word.resize(word.size() - ending.size());
  word += by;
  return true;
}

// The feminine ending: -e (every one: « créée » and « créé » fold to
// « creee » and « cree »), and the consonant doubled before it
// (« éolienne », « cruelle », « nette », « grosse »).
void drop_feminine(std::string& word) {
  if (!replace_ending(word, "e", "")) return;
  while (replace_ending(word, "e", "")) {
  }
  if (word.size() < 4) return;
  const char last = word.back();
  if (word[word.size() - 2] == last && (last == 'n' || last == 'l' || last == 't' || last == 's'))
    word.pop_back();
}

}  // namespace

std::vector<std::string> inflection_bases(std::string_view folded) {
  std::string word(folded);
  // -aux is the plural of -al (« municipaux ») or of -au (« tuyaux »):
  // both bases.
  if (!word.ends_with("eaux") && replace_ending(word, "aux", "al")) {
    std::string au(folded.substr(0, folded.size() - 1));
    return {word, au};
  }
  if (!replace_ending(word, "s", "")) replace_ending(word, "x", "");
  drop_feminine(word);
  return {word};
}

bool same_inflection(std::string_view a, std::string_view b) {
  if (a == b) return true;
  for (const auto& x : inflection_bases(a))
    for (const auto& y : inflection_bases(b))
      if (x == y) return true;
  return false;
}

}  // namespace vigie
