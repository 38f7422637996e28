// Deliberations whose decisions are set by hand (vote, amounts, legal
// references, cited acts), written into a real index — a live generation
// under a root, as vigie-index leaves it — through the indexer's
// DocumentBuilder, so that the search side is tested on what the indexer
// writes whatever the rules that will fill SourceDocument::decisions read.
// Header-only (tests/CMakeLists.txt builds each test with test_support.cpp).
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

#include "build/document_builder.h"
#include "index/index_schema.h"
#include "index/schema.h"
#include "vigie/config.h"
#include "vigie/document.h"
#include "vigie/index_directory.h"

namespace vigie::test {

inline SourceDocument deliberation(std::string id, std::string number, Date date, std::string title,
                                   std::string body) {
  SourceDocument doc;
  doc.id = std::move(id);
  doc.source_path = doc.id;
  doc.number = std::move(number);
  doc.date = date;
  doc.title = std::move(title);
  doc.body = std::move(body);
  doc.type = DocType::Deliberation;
  doc.organisation = "Commune de Vigie-sur-Loire";
  doc.format = "text";
  return doc;
}

inline Vote vote(VoteOutcome outcome, std::optional<int> pour = std::nullopt,
                 std::optional<int> contre = std::nullopt,
                 std::optional<int> abstention = std::nullopt) {
  Vote v;
  v.outcome = outcome;
  v.pour = pour;
  v.contre = contre;
  v.abstention = abstention;
  return v;
}

inline LegalReference article(std::string code, std::string key, std::string text) {
  LegalReference r;
  r.kind = LegalReference::Kind::Article;
  r.code = std::move(code);
  r.article = std::move(key);
  r.text = std::move(text);
  return r;
}

inline LegalReference act(LegalReference::Kind kind, std::string number, Date date,
                          std::string text) {
  LegalReference r;
  r.kind = kind;
  r.number = std::move(number);
  r.date = date;
  r.text = std::move(text);
  return r;
}

// The demo deliberations of the decisions tests (ids d1…d9):
//   d1 2023/01 14/03/2023  unanimité; 1 250 000 € and 32 339,40 €; L. 2121-29 du CGCT; loi 2004-809
//   d2 2023/02 14/03/2023  majorité 12/2/1; 1 500 €; article L2122-22 (no code)
//   d3 2023/03 14/03/2023  majorité 10/0/3; 999,99 €; R. 2321-1 du CGCT; décret 2016-360;
//                          modifie 2023/01 du 14 mars 2023
//   d4 2023/04 20/06/2023  rejet; rapporte 2023/02; cites 1999/99 (not indexed)
//   d5 —       20/06/2023  no decisions at all
//   d6 2023/06 20/06/2023  unanimité; exactly 10 000 €
//   d7 2023/07 20/06/2023  majorité (no counts); exactly 100 000 €; L2122-22 du CGCT
//   d8 2023/01 10/01/2022  unanimité; the same number as d1, a year before
//   d9 2023/09 20/06/2023  cites 2023/01 without a date (d1 or d8: not resolved)
//   d10 —      15/02/2022  complète « la délibération du 10 janvier 2022 » (by date only: d8)
inline std::vector<SourceDocument> decisions_documents() {
  using K = LegalReference::Kind;
  std::vector<SourceDocument> docs;
  auto& d1 = docs.emplace_back(deliberation("d1", "2023/01", {2023, 3, 14}, "Budget primitif 2023",
                                            "Le conseil municipal adopte le budget primitif à "
                                            "l'unanimité, pour un total de 1 250 000 €."));
  d1.decisions.vote = vote(VoteOutcome::Unanimite);
  d1.decisions.amounts = {{1250000, AmountRole::Total, false, "1 250 000 €"},
                          {32339.40, AmountRole::Autre, true, "32 339,40 € HT"}};
  d1.decisions.legal = {article("cgct", "L2121-29", "article L. 2121-29 du CGCT"),
                        act(K::Loi, "2004-809", {2004, 8, 13}, "loi n° 2004-809 du 13 août 2004")};
  auto& d2 = docs.emplace_back(deliberation(
      "d2", "2023/02", {2023, 3, 14}, "Subvention au club de football",
      "Une subvention de 1 500 € est accordée par 12 voix pour, 2 contre et 1 abstention."));
  d2.decisions.vote = vote(VoteOutcome::Majorite, 12, 2, 1);
  d2.decisions.amounts = {{1500, AmountRole::Subvention, false, "1 500 €"}};
  d2.decisions.legal = {article("", "L2122-22", "article L2122-22")};
  auto& d3 = docs.emplace_back(
      deliberation("d3", "2023/03", {2023, 3, 14}, "Tarifs de la cantine scolaire",
                   "Le repas est fixé à 999,99 € l'année ; Abstention : 3."));
  d3.decisions.vote = vote(VoteOutcome::Majorite, 10, 0, 3);
  d3.decisions.amounts = {{999.99, AmountRole::Tarif, false, "999,99 €"}};
  d3.decisions.legal = {article("cgct", "R2321-1", "R. 2321-1 du CGCT"),
                        act(K::Decret, "2016-360", {2016, 3, 25}, "décret n° 2016-360")};
  d3.decisions.cited = {
      {"2023/01", {2023, 3, 14}, "modifie", "modifie la délibération n° 2023/01 du 14 mars 2023"}};
  auto& d4 = docs.emplace_back(deliberation("d4", "2023/04", {2023, 6, 20},
                                            "Retrait de la subvention au club",
                                            "Le conseil rapporte la délibération n° 2023/02."));
  d4.decisions.vote = vote(VoteOutcome::Rejet);
  d4.decisions.cited = {{"2023/02", {}, "rapporte", "rapporte la délibération n° 2023/02"},
                        {"1999/99", {}, "", "vu la délibération n° 1999/99"}};
  docs.push_back(deliberation("d5", "", {2023, 6, 20}, "Compte rendu de la séance",
                              "Le maire ouvre la séance et donne lecture du compte rendu."));
  auto& d6 = docs.emplace_back(deliberation("d6", "2023/06", {2023, 6, 20}, "Achat d'un tracteur",
                                            "Achat d'un tracteur pour 10 000 €."));
  d6.decisions.vote = vote(VoteOutcome::Unanimite);
  d6.decisions.amounts = {{10000, AmountRole::Total, false, "10 000 €"}};
  auto& d7 = docs.emplace_back(deliberation("d7", "2023/07", {2023, 6, 20}, "Emprunt pour l'école",
                                            "Un emprunt de 100 000 € est contracté."));
  d7.decisions.vote = vote(VoteOutcome::Majorite);
  d7.decisions.amounts = {{100000, AmountRole::Emprunt, false, "100 000 €"}};
  d7.decisions.legal = {article("cgct", "L2122-22", "L. 2122-22 du CGCT")};
  auto& d8 = docs.emplace_back(deliberation("d8", "2023/01", {2022, 1, 10}, "Budget primitif 2022",
                                            "Le budget 2022 est adopté."));
  d8.decisions.vote = vote(VoteOutcome::Unanimite);
  auto& d9 = docs.emplace_back(deliberation("d9", "2023/09", {2023, 6, 20}, "Rappel du budget",
                                            "Vu la délibération n° 2023/01."));
  d9.decisions.cited = {{"2023/01", {}, "", "vu la délibération n° 2023/01"}};
  auto& d10 = docs.emplace_back(deliberation("d10", "", {2022, 2, 15}, "Avenant au budget 2022",
                                             "Complète la délibération du 10 janvier 2022."));
  d10.decisions.cited = {
      {"", {2022, 1, 10}, "complète", "complète la délibération du 10 janvier 2022"}};
  return docs;
}

// Writes `docs` into a new generation under `root` and makes it live.
inline void write_index(const std::filesystem::path& root, const std::vector<SourceDocument>& docs,
                        const SearchConfig& search = SearchConfig{}) {
  IndexDirectory directory(root);
  std::filesystem::create_directories(root);
  const std::filesystem::path generation = directory.next_generation();
  {
    Xapian::WritableDatabase db(generation.string(), Xapian::DB_CREATE_OR_OVERWRITE);
    DocumentBuilder builder(search);
    StemFamilyWriter families;
    for (const SourceDocument& doc : docs) {
      BuiltDocument built = builder.build(doc, {schema::source_key(doc.id), "XAtest", "1:1:1"});
      finish_family(built);
      families.add(built);
      db.replace_document(built.id_term, built.document);
      for (const auto& [word, count] : built.spelling) db.add_spelling(word, count);
    }
    families.write(db);
    index_schema::mark_current(db);
    db.commit();
  }
  directory.switch_to(generation);
}

}  // namespace vigie::test
