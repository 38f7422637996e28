// Vote rules (indexer/metadata/decision_vote.h): one row per written form —
// formulas, counts in all their layouts, the odd ones (line breaks inside
// « 12 voix pour », « Abstention : néant », numbers in words) — and the
// texts that must not give a vote (another body's, an earlier session's,
// « 2 voix pour désigner »).
#include "metadata/decision_vote.h"

#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <string>

#include "metadata/metadata_rules.h"

namespace {

using vigie::VoteOutcome;

struct VoteCase {
  const char* text;
  VoteOutcome outcome;
  std::optional<int> pour, contre, abstention;
};

std::string show(std::optional<int> n) { return n ? std::to_string(*n) : "-"; }

vigie::Vote vote_of(const std::string& text,
                    vigie::metadata::Assembly own = vigie::metadata::Assembly::ConseilMunicipal) {
  vigie::metadata::FoldedText folded(text);
  return vigie::metadata::read_vote(folded, own).vote;
}

constexpr auto U = VoteOutcome::Unanimite;
constexpr auto M = VoteOutcome::Majorite;
constexpr auto R = VoteOutcome::Rejet;
constexpr auto X = VoteOutcome::Unknown;
constexpr std::nullopt_t _ = std::nullopt;

}  // namespace

TEST_CASE("vote: formulas and counts, as councils write them") {
  const VoteCase cases[] = {
      // Formulas.
      {"Le Conseil municipal, après en avoir délibéré, décide à l’unanimité de créer un poste.", U,
       _, _, _},
      {"Le conseil adopte à l'unanimité des membres présents la délibération.", U, _, _, _},
      {"Le Conseil municipal approuve unanimement le projet.", U, _, _, _},
      {"DECIDE A L’UNANIMITE DES MEMBRES PRESENTS : l’adhésion", U, _, _, _},
      {"décide à la majorité des membres présents d’émettre un avis favorable.", M, _, _, _},
      {"décide à la majorité des membres présents (2 abstentions) d’émettre un avis.", M, _, _, 2},
      {"Après en avoir délibéré, le conseil municipal rejette la proposition.", R, _, _, _},
      {"Mise aux voix, la proposition est rejetée.", R, _, _, _},
      {"Le projet de délibération n’est pas adopté.", R, _, _, _},
      {"Mise aux voix, la proposition est rejetée à l’unanimité.", R, _, _, _},
      // Counts: « voix », quotes, colons, line breaks, words, « néant ».
      {"Le conseil adopte par 12 voix pour, 2 contre et 1 abstention.", M, 12, 2, 1},
      {"adopté par 12 voix\npour, 2 voix contre\net 1 abstention", M, 12, 2, 1},
      {"Pour : 12 Contre : 2 Abstention : 1", M, 12, 2, 1},
      {"Pour : 15\nContre : 0\nAbstention : néant", U, 15, 0, 0},
      {"« Pour » : 11,\n« Contre » : 1,\n« Abstention » : 6.", M, 11, 1, 6},
      {"- “Pour” :\t10\n- “Contre”:\t1\n- “Abstention”:\t5", M, 10, 1, 5},
      {"Il ressort de ce vote : « Oui » : 17, « Non » : 1.", M, 17, 1, _},
      {"le résultat suivant : « Oui » :\n16 et « Abstention » : 1.", M, 16, _, 1},
      {"Par 15 voix « Pour », 1 « Contre » et 1 « Abstention », le Conseil municipal décide à "
       "la majorité des membres présents d’émettre un avis favorable.",
       M, 15, 1, 1},
      {"décide par 15 votes « Pour » et 1 vote « Contre » de créer un poste", M, 15, 1, _},
      {"adopté par douze voix pour, deux contre et une abstention", M, 12, 2, 1},
      {"décide à la majorité (Vote à main levée : « Pour » : 15, « Abstention » : 1), de refuser",
       M, 15, _, 1},
      {"Après un vote à main levée (« Pour » : 8 voix, « Contre » : 5 voix, « Abstention » :4)", M,
       8, 5, 4},
      {"vote à mains levées : 14 pour et 3 abstentions.", M, 14, _, 3},
      {"Par 9 voix « Pour », le Conseil municipal décide", U, 9, _, _},
      // Counts that reject.
      {"« Pour » : 0\n« Contre » : 8\n« Abstention » : 9\nLa candidature est donc refusée.", R, 0,
       8, 9},
      {"« Pour » : 7 « Contre » : 8 « Abstention » : 0 Le Conseil municipal refuse à la majorité "
       "des membres présents de classer la voie.",
       R, 7, 8, 0},
      {"Par 14 voix « Contre » et 2 « Abstention », le Conseil municipal refuse.", R, _, 14, 2},
      // The last decision wins.
      {"Le 3 mars, le conseil a décidé à la majorité de lancer l’étude. Le Conseil municipal "
       "décide à l’unanimité des membres présents de réaliser la salle.",
       U, _, _, _},
      // Nothing to read: never guessed.
      {"Le Conseil municipal prend acte de cette information.", X, _, _, _},
      {"Il est proposé de prendre en charge 3 €/Ha pour un montant de 1 500 €.", X, _, _, _},
      {"Chaque délégué dispose de 2 voix pour désigner le président.", X, _, _, _},
      {"Ces derniers sont élus au scrutin secret à la majorité absolue.", X, _, _, _},
      {"Le conseil municipal est appelé à délibérer pour :\n1- la dissolution du syndicat", X, _, _,
       _},
      {"18 voix pour le logo n°1 et 1 voix pour le logo n°2.", X, _, _, _},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.text));
    const vigie::Vote vote = vote_of(c.text);
    CHECK(vigie::vote_outcome_key(vote.outcome) == vigie::vote_outcome_key(c.outcome));
    CHECK(show(vote.pour) == show(c.pour));
    CHECK(show(vote.contre) == show(c.contre));
    CHECK(show(vote.abstention) == show(c.abstention));
  }
}

TEST_CASE("vote: another body's vote or an earlier decision is not this deliberation's") {
  const char* not_ours[] = {
      "Par délibération en date du 19 avril 2007, le Conseil communautaire a adopté à "
      "l’unanimité la modification.",
      "La commission des finances a émis un avis favorable à l’unanimité.",
      "Lors de sa réunion du 20 avril 2010, le conseil municipal avait décidé à l’unanimité de "
      "poursuivre l’étude.",
      "Le projet, adopté à l’unanimité par le comité syndical, est soumis aux communes.",
  };
  for (const char* text : not_ours) {
    INFO(std::string(text));
    CHECK_FALSE(vote_of(text).known());
  }
  // The same phrase, and then this council's own decision: the latter counts.
  CHECK(vote_of(std::string(not_ours[0]) +
                "\nLe Conseil municipal décide à la majorité des membres présents d’approuver.")
            .outcome == VoteOutcome::Majorite);
  // A community's own council is the conseil communautaire.
  CHECK(vote_of("Le Conseil communautaire, après en avoir délibéré, adopte à l’unanimité.",
                vigie::metadata::Assembly::ConseilCommunautaire)
            .outcome == VoteOutcome::Unanimite);
  CHECK(vigie::metadata::assembly_of("Communauté de communes du Pays de Lisière") ==
        vigie::metadata::Assembly::ConseilCommunautaire);
  CHECK(vigie::metadata::assembly_of("Commune de Chémeré") ==
        vigie::metadata::Assembly::ConseilMunicipal);
}

TEST_CASE("vote: count words") {
  CHECK(vigie::metadata::vote_count_value("12") == 12);
  CHECK(vigie::metadata::vote_count_value("neant") == 0);
  CHECK(vigie::metadata::vote_count_value("aucune") == 0);
  CHECK(vigie::metadata::vote_count_value("une") == 1);
  CHECK(vigie::metadata::vote_count_value("dix-sept") == 17);
  CHECK(vigie::metadata::vote_count_value("vingt-deux") == 22);
  CHECK(vigie::metadata::vote_count_value("vingt-et-un") == 21);
  CHECK(vigie::metadata::vote_count_value("1234") == -1);
  CHECK(vigie::metadata::vote_count_value("pour") == -1);
  CHECK(vigie::metadata::vote_count_value("") == -1);
}

TEST_CASE("vote: read for deliberations only, with a provenance line") {
  const std::string text =
      "Le Conseil municipal, après en avoir délibéré, adopte par 12 voix pour, 2 contre et 1 "
      "abstention le budget.";
  vigie::SourceDocument deliberation;
  deliberation.id = "demo/delib.txt";
  deliberation.type = vigie::DocType::Deliberation;
  deliberation.body = text;
  vigie::complete_metadata(deliberation, vigie::Config{});
  CHECK(deliberation.decisions.vote.outcome == VoteOutcome::Majorite);
  CHECK(deliberation.decisions.vote.pour == 12);
  bool said = false;
  for (const auto& line : deliberation.provenance)
    said = said || line.starts_with("vote from text: majorité (pour 12, contre 2, abstention 1)");
  CHECK(said);

  // A session's minutes hold many votes: one outcome for all would be false.
  vigie::SourceDocument minutes = deliberation;
  minutes.type = vigie::DocType::ProcesVerbal;
  minutes.decisions = {};
  minutes.provenance.clear();
  vigie::complete_metadata(minutes, vigie::Config{});
  CHECK_FALSE(minutes.decisions.vote.known());
}

TEST_CASE("decisions: a 10 MB body costs what its first megabyte does") {
  std::string body;
  while (body.size() < 10'000'000)
    body +=
        "Vu l’article L. 2121-29 du CGCT et la délibération n°2010/80 du 22 juin 2010, le "
        "conseil décide à l’unanimité une subvention de 1 500,00 € (pour : 12, contre : 2)\n";
  vigie::SourceDocument doc;
  doc.id = "demo/huge.txt";
  doc.type = vigie::DocType::Deliberation;
  doc.number = "2015/1";  // else the number rule reads « délibération n°2010/80 » as its own
  doc.body = std::move(body);
  const auto start = std::chrono::steady_clock::now();
  vigie::complete_metadata(doc, vigie::Config{});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  CHECK(doc.decisions.vote.outcome == VoteOutcome::Unanimite);
  CHECK(doc.decisions.amounts.size() == 500);  // capped
  CHECK(doc.decisions.legal.size() == 1);      // one article, said many times
  CHECK(doc.decisions.cited.size() == 1);
  // About 1 s under ASan on this machine (the first 1 MB only).
  CHECK(elapsed < std::chrono::seconds(30));
}
