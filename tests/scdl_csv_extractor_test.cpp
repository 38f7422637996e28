#include "extractors/scdl_csv_extractor.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"
#include "vigie/text_normalization.h"

namespace {

using vigie::DocType;
using vigie::ExtractFailure;
using vigie::ExtractOutcome;
using vigie::FileInput;
using vigie::ScdlCsvExtractor;
using vigie::SourceDocument;

ExtractOutcome run(const std::string& csv, vigie::ExtractLimits limits = {}) {
  return ScdlCsvExtractor{}.extract(FileInput{"opendata/deliberations.csv", csv, limits});
}

std::string extra(const SourceDocument& doc, const std::string& key) {
  for (const auto& [k, v] : doc.extra)
    if (k == key) return v;
  return "<absent>";
}

const std::string kHeader =
    "COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,"
    "BUDGET_ANNEE,BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,"
    "VOTE_ABSTENTION,DELIB_URL\n";

}  // namespace

TEST_CASE("SCDL CSV: one deliberation per row with every column kept") {
  const std::string csv =
      kHeader +
      "Commune de Chéméré,21440040000015,2010/83,2010-06-22,9.1,Autres domaines de compétences,"
      "Télétransmission des actes administratifs,2010,Budget "
      "principal,044-2144-D83,2010-06-25,19,17,15,1,1,"
      "https://example.org/d83.pdf\n"
      "Commune de Chéméré,21440040000015,2010/84,2010-06-22,7.5,Subventions,\"Subvention, "
      "\"\"ARCHE\"\"\",,,,,,,,,,\n";
  const auto outcome = run(csv);
  REQUIRE_FALSE(outcome.failure);
  CHECK(outcome.warnings.empty());
  REQUIRE(outcome.documents.size() == 2);
  const auto& doc = outcome.documents[0];
  CHECK(doc.id == "opendata/deliberations.csv#2010/83");
  CHECK(doc.type == DocType::Deliberation);
  CHECK(doc.title == "Télétransmission des actes administratifs");
  CHECK(doc.date.iso() == "2010-06-22");
  CHECK(doc.organisation == "Commune de Chéméré");
  CHECK(doc.number == "2010/83");
  CHECK(doc.url == "https://example.org/d83.pdf");
  CHECK(doc.format == "csv-scdl");
  CHECK(doc.source_path == "opendata/deliberations.csv");
  CHECK(doc.body ==
        "Télétransmission des actes administratifs\nMatière : 9.1 Autres domaines de compétences\n"
        "Budget : Budget principal 2010");
  const std::vector<std::pair<std::string, std::string>> expected_extra = {
      {"coll_siret", "21440040000015"},
      {"delib_matiere_code", "9.1"},
      {"delib_matiere_nom", "Autres domaines de compétences"},
      {"budget_annee", "2010"},
      {"budget_nom", "Budget principal"},
      {"pref_id", "044-2144-D83"},
      {"pref_date", "2010-06-25"},
      {"vote_effectif", "19"},
      {"vote_reel", "17"},
      {"vote_pour", "15"},
      {"vote_contre", "1"},
      {"vote_abstention", "1"}};
  CHECK(doc.extra == expected_extra);
  CHECK(outcome.documents[1].title == "Subvention, \"ARCHE\"");
  CHECK(outcome.documents[1].extra.size() == 3);  // siret + matière; empty columns are not kept
}

TEST_CASE("SCDL CSV: semicolons, BOM, quoted newlines, lower-case header") {
  const std::string csv =
      "\xEF\xBB\xBF"
      "coll_nom;delib_id;delib_date;delib_objet;vote_pour\r\n"
      "Chéméré;2011/1;22/06/2011;\"Tarifs; salles\r\net cantine\";12\r\n"
      "\r\n"
      "Chéméré;;2011-07-05;Sans numéro;\r\n";
  const auto outcome = run(csv);
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 2);
  CHECK(outcome.documents[0].title == "Tarifs; salles et cantine");
  CHECK(outcome.documents[0].date.iso() == "2011-06-22");
  CHECK(extra(outcome.documents[0], "vote_pour") == "12");
  CHECK(outcome.documents[1].id == "opendata/deliberations.csv#row-2");
  CHECK(outcome.documents[1].number.empty());
}

TEST_CASE("SCDL CSV: a row with the wrong field count is skipped, not the file") {
  const std::string csv =
      "DELIB_ID,DELIB_DATE,DELIB_OBJET\n"
      "A1,2020-01-02,Premier\n"
      "A2,2020-01-03\n"
      "A3,2020-01-04,Troisième,en trop\n"
      "A4,2020-01-05,Quatrième\n";
  const auto outcome = run(csv);
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 2);
  CHECK(outcome.documents[0].number == "A1");
  CHECK(outcome.documents[1].number == "A4");
  REQUIRE(outcome.warnings.size() == 2);
  CHECK(outcome.warnings[0].find("record 2: 2 fields, expected 3") != std::string::npos);
}

TEST_CASE("SCDL CSV: windows-1252 bytes are decoded") {
  const std::string csv =
      "DELIB_ID;DELIB_DATE;DELIB_OBJET;COLL_NOM\n"
      "12;2020-02-03;D\xE9lib\xE9ration sur l'\xE9t\xE9 \x96 tarifs;Ch\xE9m\xE9r\xE9\n";
  const auto outcome = run(csv);
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].title == "Délibération sur l'été – tarifs");
  CHECK(outcome.documents[0].organisation == "Chéméré");
  CHECK(vigie::is_valid_utf8(outcome.documents[0].body));
  REQUIRE_FALSE(outcome.warnings.empty());
  CHECK(outcome.warnings[0].find("decoded from") != std::string::npos);
}

TEST_CASE("SCDL CSV: fragments are unique and URL-safe") {
  const std::string csv =
      "DELIB_ID,DELIB_OBJET\n"
      "2020-5,Un\n"
      "2020-5,Deux\n"
      "n° 7 bis,Trois\n";
  const auto outcome = run(csv);
  REQUIRE(outcome.documents.size() == 3);
  CHECK(outcome.documents[0].id == "opendata/deliberations.csv#2020-5");
  CHECK(outcome.documents[1].id == "opendata/deliberations.csv#2020-5-2");
  CHECK(outcome.documents[2].id == "opendata/deliberations.csv#n%C2%B0%207%20bis");
  CHECK(outcome.documents[2].number == "n° 7 bis");
}

TEST_CASE("SCDL CSV: bad dates are warned, long titles capped, text limit honoured") {
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 100;
  const std::string long_objet(1000, 'x');
  const auto outcome = run("DELIB_DATE,DELIB_OBJET\n2020-02-30," + long_objet + "\n", limits);
  REQUIRE(outcome.documents.size() == 1);
  const auto& doc = outcome.documents[0];
  CHECK_FALSE(doc.date.known());
  CHECK(extra(doc, "delib_date") == "2020-02-30");
  CHECK(doc.title.size() == 300);
  CHECK(doc.body.size() == 100);
  CHECK(outcome.warnings.size() == 2);  // bad date, text cut
}

TEST_CASE("SCDL CSV: files of another shape are Unsupported") {
  const std::vector<std::string> others = {
      "", "\n\n", "date,heure,élu\n2004-01-14,,Alain Guilbaud\n", "DELIB_OBJET,COLL_NOM\nx,y\n",
      "DELIB_ID;DELIB_DATE\n1;2020-01-01\n"};
  for (const auto& csv : others) {
    CAPTURE(csv);
    const auto outcome = run(csv);
    REQUIRE(outcome.failure);
    CHECK(*outcome.failure == ExtractFailure::Unsupported);
    CHECK(outcome.reason == "CSV is not an SCDL deliberations file");
  }
  CHECK(*run("DELIB_ID,DELIB_OBJET\n").failure == ExtractFailure::NoText);
}

TEST_CASE("SCDL CSV: the Chéméré presence lists are not SCDL") {
  const auto folder = vigie::test::shared_corpus() / "chemere" / "pv-json";
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".csv") continue;
    ++seen;
    const std::string bytes = vigie::test::read_file(entry.path());
    CAPTURE(entry.path().filename().string());
    CHECK_FALSE(ScdlCsvExtractor::looks_like(bytes.substr(0, 4096)));
    const auto outcome = ScdlCsvExtractor{}.extract(
        FileInput{"chemere/pv-json/" + entry.path().filename().string(), bytes, {}});
    REQUIRE(outcome.failure);
    CHECK(*outcome.failure == ExtractFailure::Unsupported);
  }
  CHECK(seen == 5);
}

TEST_CASE("SCDL CSV: looks_like") {
  CHECK(
      ScdlCsvExtractor::looks_like("\xEF\xBB\xBF"
                                   "coll_nom;delib_objet\n"));
  CHECK_FALSE(ScdlCsvExtractor::looks_like("a,b\nDELIB_OBJET\n"));
}
