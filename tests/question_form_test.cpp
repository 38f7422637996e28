// is_question(): which queries are questions in full sentences (searched by
// any of their words, ranked by BM25 alone) and which are keywords or a
// researcher's syntax (every word required). Table-driven.
#include "query/question_form.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "query/query_lexer.h"

namespace {

struct Row {
  const char* query;
  bool question;
};

// clang-format off
const Row kRows[] = {
    // Questions: a question mark, an interrogative first, an inverted subject.
    {"combien coûte la cantine en 2013 ?", true},
    {"combien coute la cantine en 2013", true},
    {"comment obtenir une copie d'une délibération", true},
    {"Quand la salle de sports a-t-elle été agrandie", true},
    {"quelles subventions pour les associations", true},
    {"qui s'occupe de la cantine scolaire à Chémeré ?", true},
    {"où seront accueillis les gens du voyage", true},
    {"ou seront accueillis les gens du voyage", true},
    {"pourquoi la commune s'est-elle portée partie civile", true},
    {"est-ce que la taxe d'habitation augmente", true},
    {"qu'est-ce que le PLU", true},
    {"y a-t-il une cantine bio", true},
    {"la commune a-t-elle emprunté pour le bâtiment", true},
    {"le bureau de poste va-t-il fermer", true},
    {"faut-il payer la garderie", true},
    {"tarif cantine 2013 ?", true},
    {"combien coûte la cantine annee:2013", true},  // a field is a filter, the question stays
    {"tarif cantine\u202F?", true},
    {"je voudrais une copie de la délibération sur la cantine", true},
    {"j’ai perdu ma carte d’identité", true},
    {"Bonjour, la piscine est-elle ouverte le dimanche", true},
    // Keywords and research syntax: not questions.
    {"tarifs cantine", false},
    {"subvention USC", false},
    {"cantine", false},
    {"comment", false},          // one word: nothing to relax
    {"quand ?", false},
    {"\"combien coûte\" cantine", false},  // a phrase: the researcher's syntax
    {"comment +cantine", false},
    {"comment cantine -bio", false},
    {"combien OR cantine", false},
    {"(comment cantine)", false},
    {"comment cantin*", false},
    {"=comment obtenir", false},
    {"rendez-vous cantine", false},
    {"type:deliberation cantine", false},
    {"jeunesse conseil municipal", false},
    {"notre programme pour Chémeré", false},
};
// clang-format on

}  // namespace

TEST_CASE("a query is a question when the table says so") {
  for (const Row& row : kRows) {
    const std::string query = row.query;
    CAPTURE(query);
    std::vector<std::string> warnings;
    const std::string clean = vigie::sanitize_query_text(row.query, warnings);
    const auto lexemes = vigie::lex_query(clean, 256, warnings);
    CHECK(vigie::is_question(lexemes, clean) == row.question);
  }
}
