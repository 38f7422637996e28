// What deliberations decide, on the real corpus (../shared/corpus: the
// Chémeré minutes and the press releases) and the demo corpus, end to end:
// the real vigie-index (with the metadata rules that read votes, amounts and
// references), the real vigie-server, the JSON API and the pages. The
// written forms the searches must bring together are the corpus's own
// (« L. 2122-22 » and « L 2122-22 »; « L5211-20 », « L 5211-20 »,
// « L.5211-20 »).
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "http/http_query.h"
#include "server_test_support.h"

using namespace vigie::test;
using vigie::http::percent_encode;

namespace {

struct Fixture {
  ScratchDir dir{"vigie-decisions-corpus"};  // the index is shared with the sampled-facets server
  std::unique_ptr<ServerProcess> server;
  Fixture() {
    const int rc = run_indexer(dir.path() / "index", {shared_corpus(), source_dir() / "corpus"});
    if (rc != 0) throw std::runtime_error("vigie-index failed with " + std::to_string(rc));
    server = serve_index(dir.path() / "index", dir.path() / "server.log");
  }
};

Fixture& fixture() {
  static Fixture fixture;
  return fixture;
}

int port() { return fixture().server->port(); }

rapidjson::Document get_json(const std::string& target) {
  auto reply = get(port(), target);
  CAPTURE(target);
  CAPTURE(reply.body.substr(0, 300));
  REQUIRE(reply.status == 200);
  return parse_json(reply.body);
}

rapidjson::Document search(const std::string& q, const std::string& more = "") {
  return get_json("/api/search?per_page=100&facets=0&q=" + percent_encode(q) + more);
}

std::string text_of(const std::string& id) {
  return get_json("/api/documents/" + percent_encode(id))["text"].GetString();
}

}  // namespace

TEST_CASE("vote:contre finds the contested Chémeré deliberations, each with votes against") {
  auto r = search("vote:contre");
  REQUIRE(r["total"].GetUint() >= 10);
  unsigned chemere = 0;
  for (const auto& hit : r["hits"].GetArray()) {
    CAPTURE(hit["id"].GetString());
    REQUIRE(hit.HasMember("decisions"));
    CHECK(hit["decisions"]["vote"]["contre"].GetInt() > 0);
    if (std::string(hit["organisation"].GetString()).find("Chémeré") != std::string::npos)
      ++chemere;
  }
  CHECK(chemere > 0);
  // vote:unanimite and vote:contre are most often apart.
  CHECK(search("vote:unanimite")["total"].GetUint() > r["total"].GetUint());
}

TEST_CASE("article: brings together the written forms of one article") {
  const std::pair<const char*, std::vector<std::string>> cases[] = {
      {"L2122-22", {"L. 2122-22", "L 2122-22"}},
      {"L5211-20", {"L5211-20", "L 5211-20", "L.5211-20"}},
  };
  for (const auto& [article, forms] : cases) {
    CAPTURE(article);
    auto r = search(std::string("article:") + article);
    REQUIRE(r["total"].GetUint() > 0);
    std::set<std::string> seen;
    for (const auto& hit : r["hits"].GetArray()) {
      const std::string text = text_of(hit["id"].GetString());
      for (const auto& form : forms)
        if (text.find(form) != std::string::npos) seen.insert(form);
    }
    CHECK(seen == std::set<std::string>(forms.begin(), forms.end()));
    // Every variant typed finds the same documents.
    for (const auto& form : forms)
      CHECK(search("article:\"" + form + "\"")["total"].GetUint() == r["total"].GetUint());
  }
}

TEST_CASE("the Vote and Montant facets on the real corpus find what they count") {
  auto all = get_json("/api/search?per_page=0&type=deliberation");
  for (const char* facet : {"vote", "amount"}) {
    CAPTURE(facet);
    const auto& values = all["facets"][facet]["values"];
    REQUIRE(values.Size() >= 3);
    for (const auto& v : values.GetArray()) {
      CAPTURE(v["key"].GetString());
      auto filtered = get_json(std::string("/api/search?per_page=0&facets=0&type=deliberation&") +
                               facet + "=" + percent_encode(v["key"].GetString()));
      CHECK(filtered["total"].GetUint() == v["count"].GetUint());
    }
  }
}

TEST_CASE("montant: and sort by amount on the real corpus") {
  auto r = search("montant:>10000", "&sort=amount");
  REQUIRE(r["hits"].Size() >= 10);
  double previous = 1e18;
  for (const auto& hit : r["hits"].GetArray()) {
    const double largest = hit["decisions"]["largest_amount"].GetDouble();
    CHECK(largest > 10000);
    CHECK(largest <= previous);
    previous = largest;
  }
}

TEST_CASE("links on the real corpus: a delegation cited by number, a session cited by its day") {
  // Chémeré's 2014/33 (délégations au maire, 22 April 2014) is cited by the
  // mayor's reports on his delegations that follow.
  const std::string delegation = "chemere/pv-json/2014-04-22.json#2014/33";
  auto cited = get_json("/api/documents/" + percent_encode(delegation));
  std::set<std::string> citing;
  for (const auto& c : cited["cited_by"].GetArray()) citing.insert(c["id"].GetString());
  CHECK(citing.size() >= 10);
  CHECK(citing.count("chemere/pv-json/2015-01-20.json#2015/1") == 1);
  auto report =
      get_json("/api/documents/" + percent_encode("chemere/pv-json/2015-01-20.json#2015/1"));
  bool resolved = false;
  for (const auto& c : report["cited"].GetArray())
    if (c["document"].IsObject() && c["document"]["id"].GetString() == delegation) resolved = true;
  CHECK(resolved);
  // « rapporte la délibération du 24 mars 2004 »: that session's minutes.
  auto session = get_json("/api/documents/" + percent_encode("chemere/pv-json/2004-03-24.json"));
  bool withdrawn = false;
  for (const auto& c : session["cited_by"].GetArray())
    if (std::string(c["id"].GetString()) == "chemere/pv-json/2004-05-26.json#delib-12")
      withdrawn = std::string(c["verb"].GetString()) == "rapporte";
  CHECK(withdrawn);
  // The pages say so.
  auto page = get(port(), "/document/" + percent_encode(delegation));
  CHECK(page.status == 200);
  CHECK(page.body.find("Citée par") != std::string::npos);
  auto minutes = get(port(), "/document/" + percent_encode("chemere/pv-json/2004-03-24.json"));
  CHECK(minutes.body.find("Rapportée par") != std::string::npos);
}

TEST_CASE("the results page on the real corpus: Vote and Montant facets, sort by amount") {
  auto page = get(port(), "/recherche?type=deliberation&tri=montant");
  CHECK(page.status == 200);
  CHECK(page.body.find(">Vote</h2>") != std::string::npos);
  CHECK(page.body.find(">Montant</h2>") != std::string::npos);
  CHECK(page.body.find("Tri : montant le plus élevé d’abord") != std::string::npos);
  CHECK(page.body.find("class=\"montant\"") != std::string::npos);
}

TEST_CASE(
    "beyond search.exact_facet_counts_up_to matches the facets are a sample's estimates, flagged "
    "in "
    "the JSON and « ≈ » on the page, the total exact") {
  // The shipped configuration with a bound of 1,000 matches: « conseil » has more here.
  std::string config = read_file(shipped_config());
  const std::string search_key = "\"search\": {";
  REQUIRE(config.find(search_key) != std::string::npos);
  config.insert(config.find(search_key) + search_key.size(),
                " \"exact_facet_counts_up_to\": 1000,");
  const auto path = fixture().dir.path() / "sampled.json";
  write_file(path, config);
  ServerProcess sampling(
      {"--config", path.string(), "--db", (fixture().dir.path() / "index").string(), "--quiet"},
      fixture().dir.path() / "sampled.log");
  const auto exact = get_json("/api/search?q=conseil");
  auto reply = get(sampling.port(), "/api/search?q=conseil");
  REQUIRE(reply.status == 200);
  const auto sampled = parse_json(reply.body);
  REQUIRE(exact["total"].GetUint() > 1000);
  CHECK(sampled["total"].GetUint() == exact["total"].GetUint());
  CHECK(sampled["total_exact"].GetBool());
  CHECK(exact["facets"].MemberBegin()->value["exact"].GetBool());
  CHECK_FALSE(sampled["facets"].MemberBegin()->value["exact"].GetBool());
  const auto page = get(sampling.port(), "/recherche?q=conseil");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("title=\"environ\">≈ ") != std::string::npos);
  CHECK(get(port(), "/recherche?q=conseil").body.find("≈ ") == std::string::npos);
}
