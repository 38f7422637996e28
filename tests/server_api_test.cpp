// The JSON API end to end: a real index built by vigie-index over the shared
// press releases and our demo corpus, the real vigie-server on a free port,
// HTTP through Poco's client (and a raw socket for pipelining).
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "http/http_query.h"
#include "server_test_support.h"

namespace fs = std::filesystem;
using namespace vigie::test;
using vigie::http::percent_encode;

namespace {

// One index and one server for every test case of this file (started on
// first use, stopped at exit).
struct Fixture {
  ScratchDir dir{"vigie-server-api"};
  std::unique_ptr<ServerProcess> server;
  Fixture() {
    const int rc = run_indexer(dir.path() / "index",
                               {shared_corpus() / "communiques", source_dir() / "corpus"});
    if (rc != 0) throw std::runtime_error("vigie-index failed with " + std::to_string(rc));
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", shipped_config().string(), "--db",
                                 (dir.path() / "index").string()},
        dir.path() / "server.log");
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
  CHECK(reply.header("content-type") == "application/json; charset=utf-8");
  return parse_json(reply.body);
}

std::vector<std::string> ids(const rapidjson::Document& response) {
  std::vector<std::string> out;
  for (const auto& hit : response["hits"].GetArray()) out.emplace_back(hit["id"].GetString());
  return out;
}

const std::string kPdfWithSpaces = "val-d-aubrac/proces-verbaux/CM 22 septembre 2020.pdf";

// An id with a '#' (a row of a CSV of deliberations, or a session's item).
std::string fragment_id() {
  auto all = get_json("/api/search?limit=100&facets=0&extracts=0&type=deliberation");
  for (const auto& id : ids(all))
    if (id.find('#') != std::string::npos) return id;
  FAIL("no id with a '#' in the index");
  return {};
}

}  // namespace

TEST_CASE("search: hits with highlighted extracts, totals and facets") {
  auto r = get_json("/api/search?q=num%C3%A9rique&limit=5");
  REQUIRE(r["hits"].Size() > 0);
  CHECK(r["hits"].Size() <= 5);
  CHECK(r["total"].GetUint() >= r["hits"].Size());
  CHECK(r["total_lower"].GetUint() <= r["total"].GetUint());
  CHECK(r["total_upper"].GetUint() >= r["total"].GetUint());
  CHECK(r["total_exact"].IsBool());
  CHECK(r["page"].GetUint() == 1);
  CHECK(r["per_page"].GetUint() == 5);
  CHECK(r["took_ms"].IsNumber());
  for (const char* key :
       {"query", "notice", "suggestion", "corrected", "warnings", "synonyms", "hits", "facets"})
    CHECK(r.HasMember(key));
  bool marked = false;
  for (const auto& hit : r["hits"].GetArray()) {
    CHECK(std::string(hit["id"].GetString()).size() > 0);
    marked = marked || std::string(hit["extract"].GetString()).find("<mark>") != std::string::npos;
  }
  CHECK(marked);
  REQUIRE(r["facets"].HasMember("type"));
  CHECK(r["facets"]["type"]["values"].Size() > 0);
  // The facets are exactly type, org and year.
  std::set<std::string> facet_names;
  for (const auto& f : r["facets"].GetObject()) facet_names.insert(f.name.GetString());
  CHECK(facet_names == std::set<std::string>{"amount", "org", "person", "type", "vote", "year"});
  // extracts=0 and facets=0 are honoured.
  auto bare = get_json("/api/search?q=num%C3%A9rique&limit=5&extracts=0&facets=0");
  CHECK(bare["facets"].ObjectEmpty());
  for (const auto& hit : bare["hits"].GetArray())
    CHECK(std::string(hit["extract"].GetString()).empty());
  // '+' in a query string is a space.
  auto plus = get_json("/api/search?q=conseil+municipal&limit=1");
  CHECK(std::string(plus["query"].GetString()) == "conseil municipal");
}

TEST_CASE("search: sort by date both ways, pagination without overlap") {
  auto newest = get_json("/api/search?sort=date&limit=50&facets=0&extracts=0");
  std::string previous = "9999";
  for (const auto& hit : newest["hits"].GetArray()) {
    const std::string date = hit["date"].GetString();
    if (date.empty()) continue;
    CHECK(date <= previous);
    previous = date;
  }
  auto oldest = get_json("/api/search?sort=oldest&limit=50&facets=0&extracts=0");
  previous = "";
  for (const auto& hit : oldest["hits"].GetArray()) {
    const std::string date = hit["date"].GetString();
    if (date.empty()) continue;
    CHECK(date >= previous);
    previous = date;
  }
  auto four = ids(get_json("/api/search?q=budget&per_page=4&facets=0"));
  REQUIRE(four.size() == 4);
  auto first = ids(get_json("/api/search?q=budget&per_page=2&page=1&facets=0"));
  auto second = get_json("/api/search?q=budget&per_page=2&page=2&facets=0");
  CHECK(second["offset"].GetUint() == 2);
  CHECK(second["page"].GetUint() == 2);
  CHECK(second["per_page"].GetUint() == 2);
  auto both = first;
  for (const auto& id : ids(second)) both.push_back(id);
  CHECK(both == four);
  // The first API's offset/limit still page the same way.
  CHECK(ids(get_json("/api/search?q=budget&limit=2&offset=2&facets=0")) == ids(second));
}

TEST_CASE("search: filters by several types, collectivité, year and period") {
  auto r = get_json("/api/search?type=communique&type=arrete&limit=100&extracts=0");
  std::set<std::string> types;
  for (const auto& hit : r["hits"].GetArray()) types.insert(hit["type"].GetString());
  CHECK(types == std::set<std::string>{"arrete", "communique"});

  auto all = get_json("/api/search?per_page=0");
  REQUIRE(all["facets"].HasMember("org"));
  REQUIRE(all["facets"]["org"]["values"].Size() > 0);
  const auto& org = all["facets"]["org"]["values"][0];
  auto by_org = get_json("/api/search?per_page=0&org=" + percent_encode(org["key"].GetString()));
  CHECK(by_org["total"].GetUint() == org["count"].GetUint());
  auto by_alias =
      get_json("/api/search?limit=0&collectivite=" + percent_encode(org["key"].GetString()));
  CHECK(by_alias["total"].GetUint() == org["count"].GetUint());

  auto period =
      get_json("/api/search?from=2023-01-01&to=2023-12-31&per_page=100&facets=0&extracts=0");
  REQUIRE(period["hits"].Size() > 0);
  for (const auto& hit : period["hits"].GetArray())
    CHECK(std::string(hit["date"].GetString()).rfind("2023", 0) == 0);
  auto year = get_json("/api/search?year=2023&per_page=0");
  CHECK(year["total"].GetUint() == period["total"].GetUint());
  // The first API's names are aliases.
  CHECK(get_json("/api/search?annee=2023&limit=0")["total"].GetUint() == year["total"].GetUint());
  CHECK(get_json("/api/search?du=2023-01-01&au=2023-12-31&limit=0&facets=0")["total"].GetUint() ==
        period["total"].GetUint());
}

TEST_CASE("search: nothing as typed → the corrected search, and \"corrected\" says so") {
  auto plain = get_json("/api/search?q=budget&per_page=0");
  CHECK(plain["corrected"].IsArray());
  CHECK(plain["corrected"].Size() == 0);

  // A misspelt word: the results of the suggestion, the query as typed.
  auto fixed = get_json("/api/search?q=numeriqeu&per_page=3");
  CHECK(std::string(fixed["query"].GetString()) == "numeriqeu");
  CHECK(fixed["total"].GetUint() ==
        get_json("/api/search?q=numerique&per_page=0")["total"].GetUint());
  CHECK(fixed["hits"].Size() == 3);
  REQUIRE(fixed["corrected"].Size() == 1);
  CHECK(std::string(fixed["corrected"][0]["field"].GetString()) == "q");
  CHECK(std::string(fixed["corrected"][0]["from"].GetString()) == "numeriqeu");
  CHECK(std::string(fixed["corrected"][0]["to"].GetString()) == "numerique");
  CHECK(std::string(fixed["suggestion"].GetString()).empty());  // applied, not suggested

  // correct=0: the words as typed, the suggestion offered.
  auto exact = get_json("/api/search?q=numeriqeu&correct=0");
  CHECK(exact["total"].GetUint() == 0);
  CHECK(exact["corrected"].Size() == 0);
  CHECK(std::string(exact["suggestion"].GetString()) == "numerique");

  // A collectivité as people name it, as a parameter and as a field.
  const std::string full = "Commune de Val-d'Aubrac";
  auto by_param = get_json("/api/search?per_page=0&org=Aubrac");
  CHECK(by_param["total"].GetUint() ==
        get_json("/api/search?per_page=0&org=" + percent_encode(full))["total"].GetUint());
  REQUIRE(by_param["corrected"].Size() == 1);
  CHECK(std::string(by_param["corrected"][0]["field"].GetString()) == "organisation");
  CHECK(std::string(by_param["corrected"][0]["from"].GetString()) == "Aubrac");
  CHECK(std::string(by_param["corrected"][0]["to"].GetString()) == full);
  auto by_field =
      get_json("/api/search?per_page=0&q=" + percent_encode("budget collectivite:aubrac"));
  CHECK(by_field["total"].GetUint() > 0);
  REQUIRE(by_field["corrected"].Size() == 1);
  CHECK(std::string(by_field["corrected"][0]["to"].GetString()) ==
        "budget collectivite:\"" + full + "\"");
  // Words that are in no collectivité's name: nothing to correct.
  auto unknown = get_json("/api/search?per_page=0&org=Atlantide");
  CHECK(unknown["total"].GetUint() == 0);
  CHECK(unknown["corrected"].Size() == 0);
  // Exports hold what was asked.
  CHECK(get(port(), "/api/export?q=numeriqeu&format=jsonl").body.empty());
}

TEST_CASE("document by id: '/', '#', spaces and accents percent-encoded; ?id= form; 404") {
  auto pdf = get_json("/api/documents/" + percent_encode(kPdfWithSpaces));
  CHECK(std::string(pdf["id"].GetString()) == kPdfWithSpaces);
  CHECK(std::string(pdf["text"].GetString()).size() > 100);
  // Slashes may also stay raw: the id is everything after /api/document/.
  auto raw_slashes =
      get_json("/api/documents/val-d-aubrac/proces-verbaux/CM%2022%20septembre%202020.pdf");
  CHECK(std::string(raw_slashes["id"].GetString()) == kPdfWithSpaces);
  // The first API's route is an alias.
  CHECK(
      std::string(get_json("/api/document/" + percent_encode(kPdfWithSpaces))["id"].GetString()) ==
      kPdfWithSpaces);
  const std::string fragment = fragment_id();
  auto record = get_json("/api/documents/" + percent_encode(fragment));
  CHECK(std::string(record["id"].GetString()) == fragment);
  auto by_param = get_json("/api/document?id=" + percent_encode(fragment));
  CHECK(std::string(by_param["id"].GetString()) == fragment);
  auto accented =
      get_json("/api/documents/" +
               percent_encode("cc-pays-de-lisiere/rapports/Rapport d'activité 2023.pdf"));
  CHECK(std::string(accented["title"].GetString()).size() > 0);

  auto missing = get_json("/api/documents/" + percent_encode("nowhere/nothing.md#x"), 404);
  CHECK(missing["error"]["code"].GetInt() == 404);
  CHECK(missing["error"]["status"].GetInt() == 404);
  get_json("/api/document?id=", 400);
  get_json("/api/documents/bad%zzescape", 400);
}

TEST_CASE("similar documents: /api/documents/{id}/similar, ids with '/', '#' and spaces") {
  auto r = get_json("/api/documents/" + percent_encode(kPdfWithSpaces) + "/similar?per_page=3");
  CHECK(std::string(r["id"].GetString()) == kPdfWithSpaces);
  REQUIRE(r["hits"].Size() > 0);
  CHECK(r["hits"].Size() <= 3);
  for (const auto& hit : r["hits"].GetArray())
    CHECK(std::string(hit["id"].GetString()) != kPdfWithSpaces);
  // Raw slashes in the id: the literal "/similar" suffix still names the route.
  auto raw =
      get_json("/api/documents/val-d-aubrac/proces-verbaux/CM%2022%20septembre%202020.pdf/similar");
  CHECK(std::string(raw["id"].GetString()) == kPdfWithSpaces);
  // An id with a '#'.
  const std::string fragment = fragment_id();
  auto record = get_json("/api/documents/" + percent_encode(fragment) + "/similar");
  CHECK(std::string(record["id"].GetString()) == fragment);
  // An encoded "%2Fsimilar" is part of the id: no such document.
  get_json("/api/documents/" + percent_encode(kPdfWithSpaces + "/similar"), 404);
  // The first API's routes are aliases.
  auto alias = get_json("/api/similar/" + percent_encode(kPdfWithSpaces) + "?limit=3");
  CHECK(ids(alias) == ids(r));
  get_json("/api/documents/" + percent_encode("nowhere.md") + "/similar", 404);
  get_json("/api/similar/" + percent_encode("nowhere.md"), 404);
  get_json("/api/documents/" + percent_encode(kPdfWithSpaces) + "/similar?per_page=0", 400);
  get_json("/api/documents/" + percent_encode(kPdfWithSpaces) + "/similar?per_page=101", 400);
}

TEST_CASE("export: every hit as CSV (BOM, RFC 4180) or JSON lines, as an attachment") {
  auto count = get_json("/api/search?type=communique&per_page=0");
  const unsigned total = count["total"].GetUint();
  REQUIRE(total > 3);

  auto csv = get(port(), "/api/export?type=communique&format=csv");
  CHECK(csv.status == 200);
  CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
  CHECK(csv.header("content-disposition") == "attachment; filename=\"vigie-export.csv\"");
  REQUIRE(csv.body.rfind(
              "\xEF\xBB\xBF"
              "id,title,type,date,organisation,url,score,page_url,number,persons,also,vote,pour,"
              "contre,abstention,largest_amount,amounts,legal_references,cited_numbers\r\n",
              0) == 0);
  // Count records, not lines: a quoted field may hold a line break.
  unsigned records = 0;
  bool quoted = false;
  for (std::size_t i = 3; i < csv.body.size(); ++i) {
    if (csv.body[i] == '"') quoted = !quoted;
    if (!quoted && csv.body[i] == '\n') ++records;
  }
  CHECK(records == total + 1);
  CHECK_FALSE(quoted);

  auto jsonl = get(port(), "/api/export?type=communique&format=jsonl");
  CHECK(jsonl.status == 200);
  CHECK(jsonl.header("content-disposition") == "attachment; filename=\"vigie-export.jsonl\"");
  std::istringstream lines(jsonl.body);
  std::string line;
  std::set<std::string> seen;
  while (std::getline(lines, line)) seen.insert(parse_json(line)["id"].GetString());
  CHECK(seen.size() == total);

  // More than one internal page: everything, in one stream (every file).
  auto everything = get(port(), "/api/export?format=jsonl&all_files=1");
  auto health = parse_json(get(port(), "/health").body);
  CHECK(static_cast<unsigned>(std::count(everything.body.begin(), everything.body.end(), '\n')) ==
        health["documents"].GetUint());

  auto two = get(port(), "/api/export?type=communique&format=jsonl&limit=2");
  CHECK(std::count(two.body.begin(), two.body.end(), '\n') == 2);
  get_json("/api/export?format=xml", 400);
  get_json("/api/export?q=x&limit=100001", 400);                           // over search.export_cap
  CHECK(get(port(), "/api/export?year=2023&format=jsonl").status == 200);  // the API's names
}

TEST_CASE("health and metrics") {
  auto health = get_json("/health");
  CHECK(std::string(health["status"].GetString()) == "ok");
  CHECK(health["documents"].GetUint() > 50);
  CHECK(std::string(health["generation"].GetString()).rfind("gen-", 0) == 0);
  get_json("/api/search?q=budget");
  auto metrics = get(port(), "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.header("content-type").rfind("text/plain; version=0.0.4", 0) == 0);
  CHECK(metrics.body.find("vigie_http_requests_total{route=\"/api/search\",status=\"200\"}") !=
        std::string::npos);
  CHECK(metrics.body.find(
            "vigie_http_request_duration_seconds_bucket{route=\"/api/search\",le=\"0.1\"}") !=
        std::string::npos);
  CHECK(metrics.body.find("vigie_index_documents " +
                          std::to_string(health["documents"].GetUint())) != std::string::npos);
  CHECK(metrics.body.find("vigie_index_generation_switches_total 0") != std::string::npos);
  CHECK(metrics.body.find("vigie_index_reopens_total{kind=\"generation\"} 0") != std::string::npos);
}

TEST_CASE("bad parameters → 400 with a message saying what is accepted") {
  struct Row {
    const char* query;
    const char* in_message;
  };
  const Row rows[] = {
      {"limit=abc", "limit"},
      {"per_page=abc", "per_page"},
      {"per_page=101", "entre 0 et 100"},
      {"page=0", "page"},
      {"page=1001", "10 000"},
      {"page=101&per_page=100", "page × per_page"},
      {"offset=9995", "offset + per_page"},
      {"page=2&offset=10", "pas les deux"},
      {"per_page=5&limit=5", "n’en donnez qu’un"},
      {"from=2023-01-01&du=2023-01-01", "n’en donnez qu’un"},
      {"from=hier", "from"},
      {"year=12", "year"},
      {"offset=-1", "offset"},
      {"limit=100000", "entre 0 et"},
      {"sort=bogus", "relevance"},
      {"du=2023-13-45", "AAAA-MM-JJ"},
      {"au=hier", "au"},
      {"type=bogus", "communique"},
      {"facets=maybe", "facets"},
      {"correct=peut-etre", "correct"},
      {"annee=12", "annee"},
      {"limit=1&limit=2", "plusieurs fois"},
      {"q=%E9t%E9%", "%"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.query);
    auto r = get_json(std::string("/api/search?") + row.query, 400);
    CHECK(r["error"]["code"].GetInt() == 400);
    CHECK(std::string(r["error"]["message"].GetString()).find(row.in_message) != std::string::npos);
  }
  // Invalid UTF-8 in q is the parser's business: never a 5xx.
  for (const char* q :
       {"%FF%FE", "%C3", "%ED%A0%80", "\"unbalanced", "(((", "NEAR/5", "*", "a%00b"}) {
    CAPTURE(q);
    auto reply = get(port(), std::string("/api/search?q=") + q);
    CHECK(reply.status < 500);
    CHECK_NOTHROW(parse_json(reply.body));
  }
}

TEST_CASE("HTTP behaviour: unknown route, wrong method, HEAD, pipelining") {
  get_json("/api/unknown", 404);
  auto wrong = http(port(), "POST", "/api/search", "q=x");
  CHECK(wrong.status == 405);
  CHECK(wrong.header("allow") == "GET, HEAD");
  auto head = http(port(), "HEAD", "/api/search?q=budget");
  CHECK(head.status == 200);
  CHECK(head.body.empty());

  // Three requests in one write; the server answers all three, in order.
  const std::string one = "GET /health HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string last = "GET /api/nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  auto answer = raw_exchange(port(), one + one + last);
  std::size_t oks = 0, pos = 0;
  while ((pos = answer.find("HTTP/1.1 200", pos)) != std::string::npos) ++oks, ++pos;
  CHECK(oks == 2);
  CHECK(answer.find("HTTP/1.1 404") > answer.rfind("HTTP/1.1 200"));
}

TEST_CASE("concurrent clients: 8 threads × 50 keep-alive requests, zero errors") {
  const int p = port();
  const std::string fragment = fragment_id();
  std::atomic<int> errors{0}, done{0};
  std::mutex first_error_mutex;
  std::string first_error;
  auto note = [&](const std::string& what) {
    ++errors;
    std::lock_guard lock(first_error_mutex);
    if (first_error.empty()) first_error = what;
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(p));
      session.setTimeout(Poco::Timespan(60, 0));
      const std::string targets[] = {
          "/api/search?q=num%C3%A9rique&limit=5",
          "/api/search?q=budget&sort=date&type=deliberation",
          "/api/documents/" + percent_encode(fragment), "/health",
          "/api/documents/" + percent_encode(kPdfWithSpaces) + "/similar?per_page=3"};
      for (int i = 0; i < 50; ++i) {
        try {
          auto reply = http_on(session, "GET", targets[(i + t) % 5]);
          if (reply.status != 200)
            note(targets[(i + t) % 5] + " → " + std::to_string(reply.status) + " " + reply.body);
        } catch (const std::exception& e) {
          note(targets[(i + t) % 5] + " → exception " + e.what());
          session.reset();
        }
        ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(done == 400);
  CAPTURE(first_error);
  CHECK(errors == 0);
}
