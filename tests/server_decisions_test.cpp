// What deliberations decide, through the real vigie-server (JSON API and
// HTML pages) on a real index of deliberations whose decisions are set by
// hand (decisions_fixture.h): the Vote and Montant facets and their
// filters, vote=/montant= and the query fields, sort by amount, 400s in
// French, the links between deliberations, the CSV export's columns.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "decisions_fixture.h"
#include "http/http_query.h"
#include "server_test_support.h"

namespace fs = std::filesystem;
using namespace vigie::test;
using vigie::http::percent_encode;

namespace {

struct Fixture {
  ScratchDir dir{"vigie-server-decisions"};
  std::unique_ptr<ServerProcess> server;
  Fixture() {
    write_index(dir.path() / "index", decisions_documents());
    server = serve_index(dir.path() / "index", dir.path() / "server.log");
  }
};

int port() {
  static Fixture fixture;
  return fixture.server->port();
}

rapidjson::Document get_json(const std::string& target, int expected = 200) {
  auto reply = get(port(), target);
  CAPTURE(target);
  CAPTURE(reply.body.substr(0, 500));
  CHECK(reply.status == expected);
  return parse_json(reply.body);
}

std::vector<std::string> ids(const rapidjson::Document& response) {
  std::vector<std::string> out;
  for (const auto& hit : response["hits"].GetArray()) out.emplace_back(hit["id"].GetString());
  return out;
}

std::set<std::string> id_set(const rapidjson::Document& response) {
  auto v = ids(response);
  return {v.begin(), v.end()};
}

}  // namespace

TEST_CASE("API: Vote and Montant facets, each value's filter finds what it counted") {
  auto all = get_json("/api/search?per_page=50");
  REQUIRE(all["facets"].HasMember("vote"));
  REQUIRE(all["facets"].HasMember("amount"));
  std::map<std::string, unsigned> votes;
  for (const auto& v : all["facets"]["vote"]["values"].GetArray()) {
    const std::string key = v["key"].GetString();
    votes[key] = v["count"].GetUint();
    auto filtered = get_json("/api/search?facets=0&vote=" + percent_encode(key));
    CHECK(filtered["total"].GetUint() == v["count"].GetUint());
  }
  CHECK(votes ==
        std::map<std::string, unsigned>{
            {"unanimite", 3}, {"majorite", 3}, {"rejet", 1}, {"contre", 1}, {"abstention", 2}});
  std::vector<std::string> buckets;
  for (const auto& v : all["facets"]["amount"]["values"].GetArray()) {
    buckets.emplace_back(v["key"].GetString());
    auto filtered = get_json("/api/search?facets=0&amount=" + percent_encode(v["key"].GetString()));
    CHECK(filtered["total"].GetUint() == v["count"].GetUint());
  }
  CHECK(buckets ==
        std::vector<std::string>{"<1000", "1000..9999,99", "10000..99999,99", ">=100000"});
  CHECK(std::string(all["facets"]["amount"]["values"][1]["label"].GetString()) ==
        "de 1 000 à 10 000 €");
}

TEST_CASE("API: query fields, filters and sort by amount") {
  CHECK(id_set(get_json("/api/search?q=" + percent_encode("vote:contre"))) ==
        std::set<std::string>{"d2"});
  CHECK(id_set(get_json("/api/search?q=" + percent_encode("montant:>10000"))) ==
        std::set<std::string>{"d1", "d7"});
  CHECK(id_set(get_json("/api/search?q=" + percent_encode("article:\"L. 2122-22\""))) ==
        std::set<std::string>{"d2", "d7"});
  CHECK(id_set(get_json("/api/search?q=" + percent_encode("loi:2004-809"))) ==
        std::set<std::string>{"d1"});
  CHECK(id_set(get_json("/api/search?vote=abstention&montant=" + percent_encode("<1000"))) ==
        std::set<std::string>{"d3"});
  auto sorted = get_json("/api/search?sort=amount&per_page=5&facets=0");
  CHECK(ids(sorted) == std::vector<std::string>{"d1", "d7", "d6", "d2", "d3"});
  // Hits carry their decisions.
  const auto& first = sorted["hits"][0];
  REQUIRE(first.HasMember("decisions"));
  CHECK(first["decisions"]["largest_amount"].GetDouble() == 1250000.0);
  CHECK(std::string(first["decisions"]["vote"]["outcome"].GetString()) == "unanimite");
  CHECK(std::string(first["decisions"]["legal"][0]["key"].GetString()) == "cgct:L2121-29");
}

TEST_CASE("API: a decision field or filter it cannot use is a 400 with a French message") {
  const std::pair<std::string, std::string> cases[] = {
      {"/api/search?q=" + percent_encode("montant:>>"), "Montant invalide"},
      {"/api/search?q=" + percent_encode("montant:1e999"), "Montant invalide"},
      {"/api/search?q=" + percent_encode("montant:5000..1000"), "inversé"},
      {"/api/search?q=" + percent_encode("vote:"), "vide"},
      {"/api/search?q=" + percent_encode("vote:peut-etre"), "Vote inconnu"},
      {"/api/search?q=" + percent_encode("article:xyz"), "Article invalide"},
      {"/api/search?vote=peut-etre", "Vote inconnu"},
      {"/api/search?amount=abc", "Montant invalide"},
      {"/api/search?sort=montants", "Tri inconnu"},
  };
  for (const auto& [target, message] : cases) {
    CAPTURE(target);
    auto error = get_json(target, 400);
    REQUIRE(error.HasMember("error"));
    CHECK(std::string(error["error"]["message"].GetString()).find(message) != std::string::npos);
  }
}

TEST_CASE("API: a document's cited deliberations and « Citée par »") {
  auto d3 = get_json("/api/documents/d3");
  REQUIRE(d3["cited"].Size() == 1);
  CHECK(std::string(d3["cited"][0]["verb"].GetString()) == "modifie");
  CHECK(std::string(d3["cited"][0]["document"]["id"].GetString()) == "d1");
  CHECK(std::string(d3["decisions"]["vote"]["label"].GetString()) == "majorité");
  auto d4 = get_json("/api/documents/d4");
  REQUIRE(d4["cited"].Size() == 2);
  CHECK(std::string(d4["cited"][0]["document"]["id"].GetString()) == "d2");
  CHECK(d4["cited"][1]["document"].IsNull());
  auto d2 = get_json("/api/documents/d2");
  REQUIRE(d2["cited_by"].Size() == 1);
  CHECK(std::string(d2["cited_by"][0]["id"].GetString()) == "d4");
  CHECK(std::string(d2["cited_by"][0]["verb"].GetString()) == "rapporte");
  auto d5 = get_json("/api/documents/d5");
  CHECK_FALSE(d5.HasMember("decisions"));
  CHECK(d5["cited"].Size() == 0);
  CHECK(d5["cited_by"].Size() == 0);
}

TEST_CASE("API: the CSV export carries votes, amounts, references and cited numbers") {
  auto csv = get(port(), "/api/export?format=csv&sort=amount&q=" + percent_encode("vote:majorite"));
  CHECK(csv.status == 200);
  CHECK(csv.body.find(
            "contre,abstention,largest_amount,amounts,legal_references,cited_numbers\r\n") !=
        std::string::npos);
  CHECK(csv.body.find(",majorite,12,2,1,1500.00,1500.00,L2122-22,\r\n") != std::string::npos);
  CHECK(csv.body.find(",majorite,10,0,3,999.99,999.99,cgct:R2321-1; decret:2016-360,2023/01\r\n") !=
        std::string::npos);
  auto jsonl = get(port(), "/api/export?format=jsonl&q=" + percent_encode("vote:rejet"));
  CHECK(jsonl.status == 200);
  CHECK(jsonl.body.find(R"("cited":[{"number":"2023/02")") != std::string::npos);
}

TEST_CASE("web: the results page's Vote and Montant facets, chips and sort link") {
  auto page = get(port(), "/recherche?q=" + percent_encode("budget OR subvention OR cantine"));
  CHECK(page.status == 200);
  CHECK(page.body.find(">Vote</h2>") != std::string::npos);
  CHECK(page.body.find(">Montant</h2>") != std::string::npos);
  CHECK(page.body.find("avec des voix contre") != std::string::npos);
  CHECK(page.body.find("moins de 1 000 €") != std::string::npos);
  CHECK(page.body.find("vote=contre") != std::string::npos);
  CHECK(page.body.find("tri=montant") != std::string::npos);
  auto filtered = get(
      port(), "/recherche?vote=contre&montant=" + percent_encode("1000..9999,99") + "&tri=montant");
  CHECK(filtered.status == 200);
  CHECK(filtered.body.find("Vote : avec des voix contre") != std::string::npos);
  CHECK(filtered.body.find("Montant : de 1 000 à 10 000 €") != std::string::npos);
  CHECK(filtered.body.find("Tri : montant le plus élevé d’abord") != std::string::npos);
  // A new search from this page keeps them: the form carries them.
  CHECK(filtered.body.find(R"(<option value="montant" selected="">)") != std::string::npos);
  CHECK(filtered.body.find(R"(<input type="hidden" value="contre" name="vote">)") !=
        std::string::npos);
  CHECK(filtered.body.find(R"(<input type="hidden" value="1000..9999,99" name="montant">)") !=
        std::string::npos);
  // Regression: a person filter was carried as name="annee".
  auto person = get(port(), "/recherche?personne=Jean+Dupont");
  CHECK(person.body.find(R"(<input type="hidden" value="Jean Dupont" name="personne">)") !=
        std::string::npos);
  CHECK(filtered.body.find("Subvention au club de football") != std::string::npos);
  CHECK(filtered.body.find("vote : majorité (12 pour, 2 contre, 1 abstention)") !=
        std::string::npos);
  CHECK(filtered.body.find("<span class=\"montant\">1\u202f500 €</span>") != std::string::npos);
  CHECK(filtered.body.find("Budget primitif") == std::string::npos);
  auto bad = get(port(), "/recherche?q=" + percent_encode("montant:>>"));
  CHECK(bad.status == 400);
  CHECK(bad.body.find("Montant invalide") != std::string::npos);
}

TEST_CASE("web: the document page says what the deliberation decides, and links") {
  auto d3 = get(port(), "/document/d3");
  CHECK(d3.status == 200);
  CHECK(d3.body.find("Ce que décide la délibération") != std::string::npos);
  CHECK(d3.body.find("majorité</a> (10 pour, aucune voix contre, 3 abstentions)") !=
        std::string::npos);
  CHECK(d3.body.find("999,99 € (tarif)") != std::string::npos);
  CHECK(d3.body.find("article R2321-1 (CGCT)") != std::string::npos);
  CHECK(d3.body.find("décret n° 2016-360 du 25 mars 2016") != std::string::npos);
  CHECK(d3.body.find("modifie <a href=\"/document/d1\">Budget primitif 2023</a>") !=
        std::string::npos);
  auto d2 = get(port(), "/document/d2");
  CHECK(d2.body.find("Rapportée par <a href=\"/document/d4\">") != std::string::npos);
  auto d8 = get(port(), "/document/d8");
  CHECK(d8.body.find("Complétée par <a href=\"/document/d10\">Avenant au budget 2022</a>") !=
        std::string::npos);
  auto d4 = get(port(), "/document/d4");
  CHECK(d4.body.find("n° 1999/99 — absente de l’index") != std::string::npos);
  auto d5 = get(port(), "/document/d5");
  CHECK(d5.body.find("Ce que décide") == std::string::npos);
}
