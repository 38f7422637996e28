// Acceptance of the JSON API (the contract) on the real programs: an
// index of ../shared/corpus and corpus/ — as named roots "shared" and
// "demo", since both hold a README.md at their top — served by vigie-server
// on a free loopback port. Query operators, fields, ranges, synonyms and the
// spelling suggestion; facet counts; highlighting; escaping; the CSV export
// read back by Python's csv module; hostile input; the admin API disabled.
#include <doctest/doctest.h>

#include <cstdio>
#include <set>

#include "http/http_query.h"
#include "server_test_support.h"

namespace fs = std::filesystem;
using namespace vigie::test;
using vigie::http::percent_encode;

namespace {

struct Fixture {
  ScratchDir dir{"vigie-server-acceptance"};
  std::unique_ptr<ServerProcess> server;
  Fixture() {
    const int rc = run_indexer(
        dir.path() / "index",
        {"shared=" + shared_corpus().string(), "demo=" + (source_dir() / "corpus").string()});
    if (rc != 0) throw std::runtime_error("vigie-index failed with " + std::to_string(rc));
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", shipped_config().string(), "--db",
                                 (dir.path() / "index").string()},
        dir.path() / "server.log");
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}
int port() { return fixture().server->port(); }

rapidjson::Document search(const std::string& query_string) {
  auto reply = get(port(), "/api/search?" + query_string);
  CAPTURE(query_string);
  CAPTURE(reply.body.substr(0, 400));
  REQUIRE(reply.status == 200);
  return parse_json(reply.body);
}

// Total for a query (facets on, the default: the matcher then counts every
// match and the total is exact on this corpus).
unsigned total(const std::string& q, const std::string& more = "") {
  auto r = search("per_page=0&q=" + percent_encode(q) + more);
  CHECK(r["total_exact"].GetBool());
  return r["total"].GetUint();
}

std::vector<std::string> extracts(const rapidjson::Document& r) {
  std::vector<std::string> out;
  for (const auto& hit : r["hits"].GetArray()) out.emplace_back(hit["extract"].GetString());
  return out;
}

bool any_contains(const std::vector<std::string>& texts, const std::string& part) {
  for (const auto& t : texts)
    if (t.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("operators: AND, OR, NOT, phrase, NEAR, prefix, exact form, parentheses") {
  const unsigned cantine = total("cantine"), bio = total("bio"), scolaire = total("scolaire"),
                 circulation = total("circulation");
  REQUIRE(cantine > 10);
  REQUIRE(bio > 0);
  REQUIRE(circulation > 0);
  const unsigned both = total("cantine AND bio");
  CHECK(both > 0);
  CHECK(both <= std::min(cantine, bio));
  CHECK(total("cantine ET bio") == both);
  const unsigned either = total("cantine OR circulation");
  CHECK(either >= std::max(cantine, circulation));
  CHECK(either <= cantine + circulation);
  CHECK(total("cantine OU circulation") == either);
  // NOT splits the matches of its left side — counted as files: a family's
  // PDF may lack a word its HTML holds (docs/families.md).
  auto files = [](const std::string& q) {
    return search("per_page=0&all_files=1&q=" + percent_encode(q))["total"].GetUint();
  };
  CHECK(files("cantine NOT scolaire") + files("cantine AND scolaire") == files("cantine"));
  CHECK(total("cantine -scolaire") == total("cantine NOT scolaire"));
  CHECK(total("cantine SAUF scolaire") == total("cantine NOT scolaire"));
  CHECK(scolaire > 0);
  // A phrase is stricter than both words; NEAR in between.
  const unsigned phrase = total("\"cantine scolaire\"");
  CHECK(phrase > 0);
  CHECK(phrase <= total("cantine AND scolaire"));
  CHECK(total("« cantine scolaire »") == phrase);
  const unsigned near = total("cantine NEAR/5 scolaire");
  CHECK(near >= phrase);
  CHECK(near <= total("cantine AND scolaire"));
  // A prefix finds at least the word itself; the exact form at most its stem's matches.
  CHECK(total("délib*") >= total("délibération"));
  CHECK(total("=cantines") <= cantine);
  CHECK(total("(cantine OR circulation) AND bio") <= bio);
}

TEST_CASE("fields and ranges in the query match the API's filters") {
  CHECK(total("titre:cantine") > 0);
  CHECK(total("titre:cantine") <= total("cantine"));
  const unsigned communiques = total("", "&type=communique");
  REQUIRE(communiques > 0);
  CHECK(total("type:communiqué") == communiques);
  CHECK(total("annee:2023") == total("", "&year=2023"));
  CHECK(total("annee:2023") == total("date:2023-01-01..2023-12-31"));
  CHECK(total("date:2023-01-01..2023-12-31") == total("", "&from=2023-01-01&to=2023-12-31"));
  CHECK(total("annee:2010..2012") ==
        total("", "&year=2010&year=2011&year=2012"));  // repeated filters are ORed
  CHECK(total("annee:2010..2012") > 0);                // Chémeré's records
  const unsigned chemere = total("collectivite:\"Commune de Chémeré\"");
  CHECK(chemere > 100);
  CHECK(total("", "&org=" + percent_encode("Commune de Chémeré")) == chemere);
  // Dates of the hits respect the range.
  auto r = search("q=conseil&from=2010-06-01&to=2010-06-30&per_page=100&facets=0&extracts=0");
  REQUIRE(r["hits"].Size() > 0);
  for (const auto& hit : r["hits"].GetArray()) {
    const std::string date = hit["date"].GetString();
    CHECK(date >= "2010-06-01");
    CHECK(date <= "2010-06-30");
  }
}

TEST_CASE("synonyms and the spelling suggestion") {
  auto ia = search("q=IA&per_page=5");
  REQUIRE(ia["synonyms"].Size() > 0);
  CHECK(std::string(ia["synonyms"][0]["expanded"].GetString()) == "intelligence artificielle");
  CHECK(ia["total"].GetUint() >= total("\"intelligence artificielle\""));
  // A typo that finds nothing: the suggestion's results, said in "corrected";
  // with correct=0, nothing and the suggestion.
  auto typo = search("q=deliberatoin&per_page=5");
  CHECK(typo["total"].GetUint() == total("deliberation"));
  REQUIRE(typo["corrected"].Size() == 1);
  CHECK(std::string(typo["corrected"][0]["to"].GetString()) == "deliberation");
  auto as_typed = search("q=deliberatoin&per_page=5&correct=0");
  CHECK(as_typed["total"].GetUint() == 0);
  CHECK(std::string(as_typed["suggestion"].GetString()) == "deliberation");
  CHECK(search("q=municipalitee&correct=0")["suggestion"].GetString() ==
        std::string("municipalite"));
  // A word absent from the index: no document holds them all, those with
  // the others are a separate answer.
  auto relaxed = search("q=cantine+zzyzxqwv&per_page=1");
  CHECK(relaxed["total"].GetUint() == 0);
  CHECK(relaxed["partial_total"].GetUint() > 0);
  REQUIRE(relaxed["hits"].Size() == 1);  // listed, flagged
  CHECK_FALSE(relaxed["hits"][0]["all_words"].GetBool());
  CHECK(std::string(relaxed["notice"].GetString()).size() > 10);
}

TEST_CASE("facet counts add up: the type counts sum to the exact total") {
  for (const std::string q : {"conseil", "cantine", "numérique", "budget", ""}) {
    CAPTURE(q);
    // Files: each has one type. (A family counts under each type its files
    // have, so that a type's count is what its filter finds.)
    auto r = search("per_page=0&all_files=1&q=" + percent_encode(q));
    REQUIRE(r["total_exact"].GetBool());
    REQUIRE(r["facets"]["type"]["exact"].GetBool());
    unsigned types = 0, years = 0, orgs = 0;
    for (const auto& v : r["facets"]["type"]["values"].GetArray()) types += v["count"].GetUint();
    for (const auto& v : r["facets"]["year"]["values"].GetArray()) years += v["count"].GetUint();
    for (const auto& v : r["facets"]["org"]["values"].GetArray()) orgs += v["count"].GetUint();
    CHECK(types == r["total"].GetUint());
    CHECK(years <= r["total"].GetUint());  // undated documents have no year
    CHECK(orgs <= r["total"].GetUint());
    // Each type's count is what filtering on it gives, families or files.
    const auto& first = r["facets"]["type"]["values"][0];
    CHECK(total(q, std::string("&all_files=1&type=") + first["key"].GetString()) ==
          first["count"].GetUint());
    auto families = search("per_page=0&q=" + percent_encode(q));
    unsigned family_types = 0;
    for (const auto& v : families["facets"]["type"]["values"].GetArray()) {
      family_types += v["count"].GetUint();
      CHECK(total(q, std::string("&type=") + v["key"].GetString()) == v["count"].GetUint());
    }
    CHECK(family_types >= families["total"].GetUint());
    CHECK(families["total"].GetUint() <= r["total"].GetUint());
  }
}

TEST_CASE("highlighting: « l’intelligence » for intelligence, « délibération » for deliberation") {
  auto intelligence = extracts(search("q=intelligence&per_page=50&facets=0"));
  CHECK((any_contains(intelligence, "l’<mark>intelligence</mark>") ||
         any_contains(intelligence, "L’<mark>intelligence</mark>")));
  auto deliberation = extracts(search("q=deliberation&per_page=20&facets=0"));
  CHECK(any_contains(deliberation, "<mark>délibération</mark>"));
  // Only whole words are marked, and marks never nest.
  for (const auto& e : intelligence) CHECK(e.find("<mark><mark>") == std::string::npos);
}

TEST_CASE("a document holding <script> comes back escaped in extracts") {
  const std::string id =
      "demo/reseau-territoires-connectes/communiques/"
      "2024-02-01-cybersecurite-hameconnage.html";
  auto r = search("q=alert+vigie&per_page=20&facets=0");
  bool seen = false;
  for (const auto& hit : r["hits"].GetArray()) {
    const std::string extract = hit["extract"].GetString();
    CHECK(extract.find("<script") == std::string::npos);
    if (hit["id"].GetString() == id) {
      seen = true;
      CHECK(extract.find("&lt;script&gt;<mark>alert</mark>") != std::string::npos);
    }
  }
  CHECK(seen);
  // The document's text is data, not HTML: JSON carries it as is.
  auto doc = parse_json(get(port(), "/api/documents/" + percent_encode(id)).body);
  CHECK(std::string(doc["text"].GetString()).find("<script>alert(\"vigie\")</script>") !=
        std::string::npos);
}

TEST_CASE("the CSV export is RFC 4180: Python's csv module reads back one row per hit") {
  for (const std::string q : {"cantine", "conseil", "délibération"}) {
    CAPTURE(q);
    auto reply = get(port(), "/api/export?format=csv&q=" + percent_encode(q));
    REQUIRE(reply.status == 200);
    CHECK(reply.header("content-disposition").find("attachment") == 0);
    const fs::path file = fixture().dir.path() / "export.csv";
    write_file(file, reply.body);
    const std::string command =
        "python3 -c \"import csv,sys; rows=list(csv.reader(open(sys.argv[1], newline='', "
        "encoding='utf-8-sig'))); assert rows[0][0]=='id'; assert all(len(r)==19 for r in rows); "
        "assert rows[0][7:11]==['page_url','number','persons','also']; "
        "assert rows[0][11:]==['vote','pour','contre','abstention','largest_amount','amounts',"
        "'legal_references','cited_numbers']; "
        "assert all(r[7].startswith('/document/') for r in rows[1:]); "
        "print(len(rows)-1)\" '" +
        file.string() + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe);
    char line[64] = {};
    const bool read = std::fgets(line, sizeof line, pipe) != nullptr;
    const int rc = ::pclose(pipe);
    REQUIRE(read);
    CHECK(rc == 0);
    const unsigned rows = static_cast<unsigned>(std::stoul(line));
    CHECK(rows == std::stoul(reply.header("x-vigie-total")));
    // The export lists every document, duplicates included: at least the search's total.
    CHECK(rows >= total(q));
  }
}

TEST_CASE("hostile input gets a 4xx JSON error, never a 5xx") {
  struct Row {
    std::string target;
    int status;
  };
  const Row rows[] = {
      {"/api/search?per_page=101", 400},
      {"/api/search?page=0", 400},
      {"/api/search?page=100000000000000000000", 400},
      {"/api/search?page=1001&per_page=10", 400},
      {"/api/search?page=2&offset=3", 400},
      {"/api/search?from=2023-02-30x", 400},
      {"/api/search?year=MMXXIII", 400},
      {"/api/search?sort=%3Cscript%3E", 400},
      {"/api/search?type=%00", 400},
      {"/api/search?q=%ZZ", 400},
      {"/api/search?q=" + std::string(5000, 'a'), 400},
      {"/api/search?q=" + std::string(9000, 'a'), 414},
      {"/api/documents/%ZZ", 400},
      {"/api/documents/" + percent_encode("../../etc/passwd"), 404},
      {"/api/documents/" + percent_encode("<script>alert(1)</script>") + "/similar", 404},
      {"/api/export?format=exe", 400},
      {"/api/export?limit=-1", 400},
      {"/api/admin/reindex", 403},
      {"/api/nope", 404},
  };
  for (const auto& row : rows) {
    CAPTURE(row.target.substr(0, 120));
    auto reply = get(port(), row.target);
    CHECK(reply.status == row.status);
    CHECK(reply.header("content-type") == "application/json; charset=utf-8");
    auto doc = parse_json(reply.body);
    CHECK(doc["error"]["code"].GetInt() == row.status);
    CHECK(std::string(doc["error"]["message"].GetString()).size() > 10);
  }
  CHECK(http(port(), "DELETE", "/api/search").status == 405);
  CHECK(http(port(), "POST", "/api/admin/reindex").status == 403);  // no token configured
  CHECK(get(port(), "/health").status == 200);
}
