#include "extractors/json_minutes_extractor.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "test_support.h"
#include "vigie/text_normalization.h"
#include "vigie/title_text.h"

namespace {

using vigie::DocType;
using vigie::ExtractFailure;
using vigie::ExtractOutcome;
using vigie::FileInput;
using vigie::JsonMinutesExtractor;
using vigie::SourceDocument;

ExtractOutcome run(const std::string& json, const std::string& path = "demo/pv/2010-06-22.json",
                   vigie::ExtractLimits limits = {}) {
  FileInput input{path, json, limits};
  return JsonMinutesExtractor{}.extract(input);
}

const SourceDocument* find_id(const ExtractOutcome& outcome, const std::string& id) {
  for (const auto& doc : outcome.documents)
    if (doc.id == id) return &doc;
  return nullptr;
}

std::string extra(const SourceDocument& doc, const std::string& key) {
  for (const auto& [k, v] : doc.extra)
    if (k == key) return v;
  return "<absent>";
}

const std::string kSession = R"({
  "date": "2011-03-01", "president": "Jean-Paul Leray ", "secretaire": "Eric  Lombrey",
  "absents": ["Paul Pipaud", 12], "excuses": [], "presents": ["Jean-Paul Leray"],
  "heure_debut": "20:30", "heure_fin": "23:10", "total_presents": 15, "ODJ": "",
  "deliberations": [
    {"titre": "\uf0d8 2011-7 \u2013 Tarifs\tcommunaux", "text": "\uf0d8 Tarifs\r\ncommunaux e\u0301te\u0301 2011",
     "id": "n/a", "id_pref": "044-214400400-20110301-D2011-7-DE", "date_transmission_pref": "-",
     "date_reception_pref": "2011-03-04"},
    {"titre": "Subvention", "text": "Vote d'une subvention.", "id": "2011/8"},
    {"titre": "Subvention bis", "text": "Encore.", "id": "2011/8"},
    {"titre": "Divers", "text": "Questions diverses.", "id": "n/a"},
    {"titre": "", "text": "\uf0d8\n  Affectation du r\u00e9sultat 2010\nLe Conseil...", "id": "a b\u00e9"},
    "not an object",
    {"titre": "", "text": "", "id": "n/a"}
  ]
})";

}  // namespace

TEST_CASE("JSON minutes: one document per deliberation plus one for the session") {
  const auto outcome = run(kSession, "demo/pv/2011-03-01.json");
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 6);  // session + 5 usable deliberations
  const auto& session = outcome.documents.front();
  CHECK(session.id == "demo/pv/2011-03-01.json");
  CHECK(session.type == DocType::ProcesVerbal);
  CHECK(session.title == "Conseil municipal du 1er mars 2011");
  CHECK(session.date.iso() == "2011-03-01");
  CHECK(session.persons == std::vector<std::string>{"Jean-Paul Leray", "Eric Lombrey"});
  CHECK(session.body.find("- 2011/7 – Tarifs communaux\n") != std::string::npos);
  CHECK(session.body.find("Absents : Paul Pipaud\n") != std::string::npos);
  CHECK(session.body.find("Heure de fin : 23:10") != std::string::npos);
  CHECK(extra(session, "total_presents") == "15");
  CHECK(extra(session, "nombre_deliberations") == "5");
  // Two unusable entries are reported, not fatal.
  CHECK(outcome.warnings.size() == 2);
}

TEST_CASE("JSON minutes: deliberation fields, numbers and cleaned titles") {
  const auto outcome = run(kSession, "demo/pv/2011-03-01.json");
  const auto* tarifs = find_id(outcome, "demo/pv/2011-03-01.json#2011/7");
  REQUIRE(tarifs != nullptr);
  CHECK(tarifs->type == DocType::Deliberation);
  CHECK(tarifs->title == "Tarifs communaux");  // bullet, number and tab gone
  CHECK(tarifs->number == "2011/7");           // "2011-7" normalised
  // NFC, CRLF, no bullet; the session date closes the text
  CHECK(tarifs->body == "Tarifs\ncommunaux \u00e9t\u00e9 2011\n\nS\u00e9ance du 1er mars 2011.");
  CHECK(tarifs->date.iso() == "2011-03-01");
  CHECK(tarifs->persons.size() == 2);
  CHECK(tarifs->format == "json-minutes");
  CHECK(tarifs->source_path == "demo/pv/2011-03-01.json");
  CHECK(extra(*tarifs, "id_pref") == "044-214400400-20110301-D2011-7-DE");
  CHECK(extra(*tarifs, "date_transmission_pref") == "<absent>");  // "-" is a placeholder
  CHECK(extra(*tarifs, "date_reception_pref") == "2011-03-04");
}

TEST_CASE("JSON minutes: fragments are unique and URL-safe") {
  const auto outcome = run(kSession, "demo/pv/2011-03-01.json");
  std::vector<std::string> ids;
  for (const auto& doc : outcome.documents) ids.push_back(doc.id);
  const std::vector<std::string> expected = {
      "demo/pv/2011-03-01.json",         "demo/pv/2011-03-01.json#2011/7",
      "demo/pv/2011-03-01.json#2011/8",  "demo/pv/2011-03-01.json#2011/8-2",
      "demo/pv/2011-03-01.json#delib-4", "demo/pv/2011-03-01.json#a%20b%C3%A9"};
  CHECK(ids == expected);
  const auto* untitled = find_id(outcome, "demo/pv/2011-03-01.json#a%20b%C3%A9");
  REQUIRE(untitled != nullptr);
  CHECK(untitled->title == "Affectation du résultat 2010");  // first line of the text
  CHECK(untitled->number == "a bé");
}

TEST_CASE("JSON minutes: syntax errors and other shapes") {
  struct Row {
    std::string json;
    ExtractFailure failure;
    std::string reason_part;
  };
  const std::vector<Row> rows = {
      {"", ExtractFailure::Corrupt, "byte 0"},
      {R"({"date": "2010-01-01", "deliberations": [)", ExtractFailure::Corrupt, "byte 41"},
      {std::string(200000, '['), ExtractFailure::Corrupt,
       "JSON syntax error"},  // no stack overflow
      {"[1, 2]", ExtractFailure::Unsupported, "not a council-session record"},
      {R"({"date": "2010-01-01"})", ExtractFailure::Unsupported, "not a council-session record"},
      {R"({"deliberations": []})", ExtractFailure::Unsupported, "not a council-session record"},
      {R"({"date": 20100101, "deliberations": []})", ExtractFailure::Unsupported,
       "not a council-session"},
      {R"({"date": "2010-01-01", "deliberations": {}})", ExtractFailure::Unsupported,
       "not a council"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.json.substr(0, 60));
    const auto outcome = run(row.json);
    REQUIRE(outcome.failure);
    CHECK(*outcome.failure == row.failure);
    CHECK(outcome.reason.find(row.reason_part) != std::string::npos);
    CHECK(outcome.documents.empty());
  }
}

TEST_CASE("JSON minutes: odd field types are tolerated, bad dates warned") {
  const auto outcome =
      run("\xEF\xBB\xBF"
          R"({"date": "2010-13-45", "president": 7, "absents": "x",
      "deliberations": [{"titre": 3, "text": "Texte seul"}]})");
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 2);
  CHECK(outcome.documents[0].title == "Conseil municipal");
  CHECK_FALSE(outcome.documents[0].date.known());
  CHECK(outcome.documents[1].title == "Texte seul");
  CHECK(outcome.documents[0].persons.empty());
  REQUIRE(outcome.warnings.size() == 1);
  CHECK(outcome.warnings[0].find("2010-13-45") != std::string::npos);
}

TEST_CASE("JSON minutes: text is capped at max_text_bytes") {
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 8;
  const auto outcome =
      run(R"({"date": "2010-06-22", "deliberations": [{"titre": "T", "text": "ééééééé"}]})",
          "p.json", limits);
  REQUIRE(outcome.documents.size() == 2);
  CHECK(outcome.documents[1].body == "éééé");
  CHECK(vigie::is_valid_utf8(outcome.documents[0].body));
  CHECK(outcome.documents[0].body.size() <= 8);
  CHECK(outcome.warnings.size() == 2);
}

TEST_CASE("JSON minutes: looks_like sniffing") {
  CHECK(JsonMinutesExtractor::looks_like("\xEF\xBB\xBF \n{\"date\": 1, \"deliberations\": []"));
  CHECK(JsonMinutesExtractor::looks_like("{\"deliberations\""));
  CHECK_FALSE(JsonMinutesExtractor::looks_like("[{\"deliberations\": []}]"));
  CHECK_FALSE(JsonMinutesExtractor::looks_like("{\"date\": \"2010\"}"));
  CHECK_FALSE(JsonMinutesExtractor::looks_like(""));
}

TEST_CASE("JSON minutes: the real Chéméré corpus") {
  const auto folder = vigie::test::shared_corpus() / "chemere" / "pv-json";
  REQUIRE(std::filesystem::is_directory(folder));
  std::size_t sessions = 0, deliberations = 0;
  std::set<std::string> ids;
  const JsonMinutesExtractor extractor;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().extension() != ".json") continue;
    const std::string bytes = vigie::test::read_file(entry.path());
    const std::string path = "chemere/pv-json/" + entry.path().filename().string();
    CAPTURE(path);
    const auto outcome = extractor.extract(FileInput{path, bytes, {}});
    REQUIRE_FALSE(outcome.failure);
    CHECK(outcome.warnings.empty());
    for (const auto& doc : outcome.documents) {
      CAPTURE(doc.id);
      CHECK(ids.insert(doc.id).second);
      CHECK_FALSE(doc.title.empty());
      CHECK_FALSE(doc.body.empty());
      CHECK(vigie::is_valid_utf8(doc.body));
      CHECK(doc.body == vigie::to_nfc(doc.body));
      CHECK(doc.title.find("\xEF\x83\x98") == std::string::npos);  // U+F0D8 bullet
      CHECK(doc.date.known());
      if (doc.type == DocType::ProcesVerbal)
        ++sessions;
      else if (doc.type == DocType::Deliberation)
        ++deliberations;
    }
  }
  // Counted by hand with a Python script over the 116 files (20 sessions of
  // 2008-2009 and 2014-03-28 have an empty "deliberations" array).
  CHECK(sessions == 116);
  // 1347 records, 11 of which continue the deliberation before them (« au
  // 1er », « indique que la présente délibération… »: see below).
  CHECK(deliberations == 1336);

  const std::string path = "chemere/pv-json/2010-06-22.json";
  const auto outcome =
      extractor.extract(FileInput{path, vigie::test::read_file(folder / "2010-06-22.json"), {}});
  const auto* teletransmission = find_id(outcome, path + "#2010/83");
  REQUIRE(teletransmission != nullptr);
  CHECK(teletransmission->title == "Télétransmission des actes administratifs");
  CHECK(teletransmission->number == "2010/83");
  CHECK(teletransmission->date.iso() == "2010-06-22");
  CHECK(teletransmission->type == DocType::Deliberation);
  REQUIRE_FALSE(teletransmission->persons.empty());
  CHECK(teletransmission->persons.front() == "Jean-Paul Leray");
  REQUIRE(find_id(outcome, path) != nullptr);
  CHECK(find_id(outcome, path)->title == "Conseil municipal du 22 juin 2010");
}

TEST_CASE("JSON minutes: a record that opens inside a sentence continues the one before it") {
  const std::string json = R"({"date": "2007-10-16", "deliberations": [
    {"titre": "2007/135 – Location maison de l’Etang", "text": "\uf0d8 2007/135 – Location maison de l’Etang\nLe Conseil décide :", "id": "n/a"},
    {"titre": "au 1er", "text": "\uf0d8 au 1er\njanvier 2009, le logement devra être disponible,", "id": "n/a"},
    {"titre": "qu’il existe une contrainte de bruit forte.", "text": "\uf0d8 qu’il existe une contrainte de bruit forte.", "id": "n/a"},
    {"titre": "15ème", "text": "\uf0d8 15ème\ntranche d’assainissement : Autorisation des usagers\nMonsieur le Maire, rapporteur, expose", "id": "n/a"},
    {"titre": "décide d’approuver le dossier", "text": "décide d’approuver le dossier", "id": "2007/137"}
  ]})";
  const auto outcome = run(json, "chemere/pv-json/2007-10-16.json");
  REQUIRE_FALSE(outcome.failure);
  // The session, 2007/135 with its two continuations, « 15ème tranche… »,
  // and 2007/137: a record with its own number stands, whatever its title.
  REQUIRE(outcome.documents.size() == 4);
  const SourceDocument& location = outcome.documents[1];
  CHECK(location.title == "Location maison de l’Etang");
  CHECK(location.body.find("janvier 2009, le logement devra être disponible") != std::string::npos);
  CHECK(location.body.find("contrainte de bruit forte") != std::string::npos);
  CHECK(location.body.ends_with("Séance du 16 octobre 2007."));
  CHECK(location.provenance.size() == 2);
  CHECK(outcome.documents[2].title == "15ème tranche d’assainissement : Autorisation des usagers");
  CHECK(outcome.documents[3].number == "2007/137");
  // The session lists what remains.
  CHECK(outcome.documents[0].body.find("au 1er") == std::string::npos);
}

TEST_CASE("JSON minutes: the real records cut by the Word conversion") {
  const auto folder = vigie::test::shared_corpus() / "chemere" / "pv-json";
  struct Case {
    std::string file, id, title, text_part;
  } cases[] = {
      {"2007-10-16.json", "#2007/135", "Location maison de l’Etang",
       "janvier 2009, le logement devra être disponible"},
      {"2013-10-22.json", "#2013/97",
       "Révision accélérée du Plan local d’urbanisme (PLU) : Approbation du projet",
       "indique que la présente délibération sera exécutoire"},
      {"2005-02-23.json", "#delib-12",
       "Ouverture anticipée de crédits : budgets commune et assainissement 2005",
       "Pour le budget assainissement"},
      {"2004-07-20.json", "#delib-6",
       "15ème tranche d’assainissement : Autorisation des usagers à se brancher au réseau "
       "d’assainissement",
       "Monsieur le Maire, rapporteur, expose"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.file);
    const std::string path = "chemere/pv-json/" + c.file;
    const auto outcome = JsonMinutesExtractor{}.extract(
        FileInput{path, vigie::test::read_file(folder / c.file), {}});
    const SourceDocument* doc = find_id(outcome, path + c.id);
    REQUIRE(doc != nullptr);
    CHECK(doc->title == c.title);
    CHECK(doc->body.find(c.text_part) != std::string::npos);
    for (const auto& other : outcome.documents) {
      CAPTURE(other.title);
      CHECK_FALSE(vigie::opens_in_a_sentence(other.title));
    }
  }
}
