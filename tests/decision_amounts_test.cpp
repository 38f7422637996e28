// Amount rules (indexer/metadata/decision_amounts.h): one row per written
// form of an amount in euros, with its role and « HT », and the numbers that
// are not amounts (percentages, articles, account codes, phones, dates).
#include "metadata/decision_amounts.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

using vigie::AmountRole;

std::vector<vigie::Amount> amounts_in(const std::string& text) {
  vigie::metadata::FoldedText folded(text);
  return vigie::metadata::read_amounts(folded, 1000);
}

struct AmountCase {
  const char* text;
  double euros;
  AmountRole role;
  bool hors_taxes;
  const char* shown;
};

}  // namespace

TEST_CASE("amounts: the written forms, one amount each") {
  const AmountCase cases[] = {
      {"pour un montant de 32 339,40 € HT", 32339.40, AmountRole::Autre, true, "32 339,40 € HT"},
      {"soit 1.500 euros", 1500, AmountRole::Autre, false, "1.500 euros"},
      {"un coût de 15 000 € HT", 15000, AmountRole::Autre, true, "15 000 € HT"},
      {"une enveloppe de 2 M€", 2000000, AmountRole::Autre, false, "2 M€"},
      {"un budget de 15 k€", 15000, AmountRole::Autre, false, "15 k€"},
      {"fixé à 341,16 €uros.", 341.16, AmountRole::Autre, false, "341,16 €uros"},
      {"un montant de 5 800,00 €", 5800, AmountRole::Autre, false, "5 800,00 €"},
      // No-break (U+00A0) and narrow no-break (U+202F) spaces in the number and before €.
      {"un montant de 32\u00A0339,40\u00A0€", 32339.40, AmountRole::Autre, false,
       "32\u00A0339,40\u00A0€"},
      {"un montant de 1\u202F250,00\u202F€ TTC", 1250, AmountRole::Autre, false,
       "1\u202F250,00\u202F€ TTC"},
      {"les frais de 2 302,97 € H.T sont", 2302.97, AmountRole::Autre, true, "2 302,97 € H.T"},
      {"30.49 €", 30.49, AmountRole::Autre, false, "30.49 €"},
      {"0,0514 €/Kwh", 0.0514, AmountRole::Autre, false, "0,0514 €"},
      {"1,5 million d’euros", 1500000, AmountRole::Autre, false, "1,5 million d’euros"},
      {"soit 46000,00 € (évaluation)", 46000, AmountRole::Autre, false, "46000,00 €"},
      // Roles from the words just before.
      {"une subvention de 700,00 € à la coopérative", 700, AmountRole::Subvention, false,
       "700,00 €"},
      {"un emprunt de 290 000,00 € est nécessaire", 290000, AmountRole::Emprunt, false,
       "290 000,00 €"},
      {"le prêt de 180 000 €", 180000, AmountRole::Emprunt, false, "180 000 €"},
      {"le tarif est fixé à 52,00 €", 52, AmountRole::Tarif, false, "52,00 €"},
      {"pour un montant total de 290 000,00 €uros", 290000, AmountRole::Total, false,
       "290 000,00 €uros"},
      {"Montant total H.T. : 9 007,00 €", 9007, AmountRole::Total, false, "9 007,00 €"},
      // A budget table's decrease: the value is how much moves, the sign stays in the text.
      {"D 2111-132 | - 7 000,00 €", 7000, AmountRole::Autre, false, "- 7 000,00 €"},
      {"Avenant n°2 -105,00 €", 105, AmountRole::Autre, false, "-105,00 €"},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.text));
    const auto found = amounts_in(c.text);
    REQUIRE(found.size() == 1);
    CHECK(found[0].euros == doctest::Approx(c.euros));
    CHECK(vigie::amount_role_key(found[0].role) == vigie::amount_role_key(c.role));
    CHECK(found[0].hors_taxes == c.hors_taxes);
    CHECK(found[0].text == c.shown);
  }
}

TEST_CASE("amounts: several in a text, ranges, and numbers that are not amounts") {
  auto values = [](const std::string& text) {
    std::vector<double> out;
    for (const auto& amount : amounts_in(text)) out.push_back(amount.euros);
    return out;
  };
  CHECK(values("39 438,16 € H.T., soit 47 168,04 € T.T.C.") ==
        std::vector<double>{39438.16, 47168.04});
  CHECK(values("le budget pourrait varier de 120 000,00 à 300 000,00 €uros") ==
        std::vector<double>{120000, 300000});
  CHECK(values("entre 2 500 et 5 000 €") == std::vector<double>{2500, 5000});
  // A column before the amount is not part of it.
  CHECK(values("2004 1 500 €") == std::vector<double>{1500});
  CHECK(values("6257 500,00 €") == std::vector<double>{500});
  const char* none[] = {
      "une hausse de 3,00 % des taux",
      "l’article L. 2121-29 du CGCT",
      "compte D 6257 : réceptions",
      "Tél. 02 40 21 30 04",
      "séance du 22/06/2010",
      "la Commission européenne",
      "1 500 euro-compatibles",
      "T2 €",
      "€",
      "",
  };
  for (const char* text : none) {
    INFO(std::string(text));
    CHECK(amounts_in(text).empty());
  }
}

TEST_CASE("amounts: French numbers") {
  using vigie::metadata::french_number_value;
  CHECK(french_number_value("32 339,40") == doctest::Approx(32339.40));
  CHECK(french_number_value("1.500") == doctest::Approx(1500));
  CHECK(french_number_value("1.500.000,50") == doctest::Approx(1500000.50));
  CHECK(french_number_value("30.49") == doctest::Approx(30.49));
  CHECK_FALSE(french_number_value("12 34"));
  CHECK_FALSE(french_number_value("1234 567"));
  CHECK_FALSE(french_number_value("1 400 000.00,00"));
  CHECK_FALSE(french_number_value("1234567890123456"));
  CHECK_FALSE(french_number_value(""));
}

TEST_CASE("amounts: a 10 MB table stays linear and capped") {
  std::string big;
  while (big.size() < 10'000'000) big += "D 2313-141 | 1 500 000,00 € | subvention de 12 €\n";
  const auto start = std::chrono::steady_clock::now();
  vigie::metadata::FoldedText folded(big);
  const auto found = vigie::metadata::read_amounts(folded, 500);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(found.size() == 500);
  // About 0.5 s under ASan on this machine; quadratic would be hours.
  CHECK(elapsed < std::chrono::seconds(20));
}

TEST_CASE("amounts: a PDF line wrapped between the number and its unit") {
  const auto found = amounts_in("pour un montant de 1 500,00\n€ HT");
  REQUIRE(found.size() == 1);
  CHECK(found[0].euros == doctest::Approx(1500));
  CHECK(found[0].hors_taxes);
}
