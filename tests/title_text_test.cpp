// Title text (include/vigie/title_text.h) and drop_private_use: what makes a
// line a title, one row per case seen on ../shared/corpus or in the issue.
#include "vigie/title_text.h"

#include <doctest/doctest.h>

#include <string>

#include "vigie/text_normalization.h"

namespace {

std::size_t chars(const std::string& utf8) {
  std::size_t n = 0;
  for (char c : utf8) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace

TEST_CASE("drop_private_use drops the symbol-font bullets and nothing else") {
  struct Case {
    const char* name;
    std::string in, out;
  } cases[] = {
      {"plain text is unchanged", "Conseil municipal du 22 juin 2010",
       "Conseil municipal du 22 juin 2010"},
      {"the Wingdings arrow of the JSON minutes, with its space", "\uF0D8 DE-2013/96 – Délégations",
       "DE-2013/96 – Délégations"},
      {"a bullet and its tab", "\uF0A7\tdécide d’approuver", "décide d’approuver"},
      {"a bullet between spaces leaves one", "Présents : \uF0B7 M. Leray", "Présents : M. Leray"},
      {"a bullet at a line start", "Ordre du jour\n\uF0B7 Budget", "Ordre du jour\nBudget"},
      {"a glyph inside a word leaves the space after it", "a\uF0E0 b", "a b"},
      {"first and last of the BMP block", "a\uE000b\uF8FFc", "abc"},
      {"plane 15", "a\U000F0000b", "ab"},
      {"plane 16", "a\U0010FFFDb", "ab"},
      {"neighbours stay: U+D7FF, U+F900 (a CJK ideograph), U+EFFFF, U+FFFD",
       "a\uD7FFb\uF900c\U000EFFFFd", "a\uD7FFb\uF900c\U000EFFFFd"},
      {"accents, ligatures and the euro sign stay", "ﬁnancement – 12 € – œuvre – «",
       "ﬁnancement – 12 € – œuvre – «"},
      {"the replacement character stays", "a\uFFFDb", "a\uFFFDb"},
      {"a form feed (a PDF page break) stays", "page 1\n\f\npage 2", "page 1\n\f\npage 2"},
      {"empty", "", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(vigie::drop_private_use(c.in) == c.out);
  }
}

TEST_CASE("shorten_title cuts long titles where a reader expects it") {
  const std::string lighting =
      "Eclairage public : compétence relative à la maîtrise d’ouvrage des investissements sur les "
      "installations d’éclairage public. Après réalisation, par convention, la commune en devient "
      "propriétaire.";
  const std::string no_sentence =
      "soit une approche dite globale qui consiste à substituer à l’indice PSDC, une composition "
      "prédéterminée d’indices publiée sous la dénomination FSD2 dans le Moniteur des Travaux "
      "Publics et composée de plusieurs indices";
  struct Case {
    const char* name;
    std::string in, out;
  } cases[] = {
      {"short title unchanged", "Conseil municipal du 22 juin 2010",
       "Conseil municipal du 22 juin 2010"},
      {"spaces collapsed", "  Révision   du POS\n: Etude ZNIEFF ",
       "Révision du POS : Etude ZNIEFF"},
      {"cut at the sentence end", lighting,
       "Eclairage public : compétence relative à la maîtrise d’ouvrage des investissements sur les "
       "installations d’éclairage public…"},
      {"no sentence end: cut at a space", no_sentence,
       "soit une approche dite globale qui consiste à substituer à l’indice PSDC, une composition "
       "prédéterminée d’indices publiée sous la dénomination FSD2…"},
      {"one huge word: cut inside it", std::string(200, 'x'), std::string(149, 'x') + "…"},
      {"not on a word that announces the next one",
       "Gaz comprenant l’ensemble des missions relatives à l’exercice du pouvoir concédant, les "
       "travaux et leur financement restant du ressort de Gaz de France et des communes",
       "Gaz comprenant l’ensemble des missions relatives à l’exercice du pouvoir concédant, les "
       "travaux et leur financement restant du ressort de Gaz…"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const std::string got = vigie::shorten_title(c.in);
    CHECK(got == c.out);
    CHECK(chars(got) <= vigie::kTitleMaxChars);
  }
}

TEST_CASE("strip_leading_bullets removes list marks, not letters nor numbers") {
  struct Case {
    std::string in, out;
  } cases[] = {
      {"Ø DE-2012/68 – Protection sociale", "DE-2012/68 – Protection sociale"},
      {"• Budget primitif", "Budget primitif"},
      {"– ➢ Voirie", "Voirie"},
      {"* Assainissement", "Assainissement"},
      {"Østfold", "Østfold"},
      {"-5 % sur la facture", "-5 % sur la facture"},
      {"Conseil municipal", "Conseil municipal"},
      {"• ", ""},
  };
  for (const auto& c : cases) {
    CAPTURE(c.in);
    CHECK(vigie::strip_leading_bullets(c.in) == c.out);
  }
}

TEST_CASE("opens_in_a_sentence: the titles of the issue and their neighbours") {
  struct Case {
    std::string title;
    bool fragment;
  } cases[] = {
      {"au 1er", true},
      {"indique que la présente délibération sera affichée pendant un mois en mairie", true},
      {"décide d'approuver le dossier de la révision accélérée du PLU", true},
      {"Décide d'approuver le dossier", true},
      {"qu’il existe une contrainte de bruit forte à ce logement", true},
      {"procédure adaptée sans publicité avec une ouverture des offres", true},
      {"Pour le budget communal", true},
      {"soit une approche sur mesure", true},
      {"15ème", true},  // the rest of « 15ème tranche… » is on the next line
      {"15ème tranche d’assainissement : Autorisation des usagers", false},
      {"1er adjoint : délégations", false},
      {"Et maintenant ?", true},
      {"Révision du POS : Etude ZNIEFF", false},
      {"Conseil municipal du 22 juin 2010", false},
      {"2007/134 – Révision du POS : Etude ZNIEFF", false},
      {"DE-2011/5 – Communauté de communes Cœur Pays de Retz", false},
      {"DE-2013/84 –", false},
      {"DE-2011/5 – de la commune", true},
      {"Vote du budget primitif 2012", false},
      {"Demande de subvention DETR", false},
      {"À la une : le marché de Noël", false},
      {"Délégations de pouvoirs « Marchés publics » : Information", false},
      {"« Dépenses imprévues »", false},
      {"2012", false},
      {"", false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.title);
    CHECK(vigie::opens_in_a_sentence(c.title) == c.fragment);
  }
}
