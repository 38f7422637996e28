// The index knows its set-up (issue 18, items 5, 9, 10), on the real
// programs over ../shared/corpus indexed with a config of this test's own
// (the shipped one, plus a synonym group no other file holds):
// - vigie-server --db DIR alone serves the sources of the recorded roots; a
//   config's indexer.roots restricts them, never widens (source_roots, table);
// - vigie-search run from a folder outside the repository, without
//   --config, gives the ids, in order, of /api/search of a server run with
//   the config, and expands the synonyms recorded in the index;
// - its CSV equals /api/export's byte for byte, with page, number, persons;
// - the « Personnes » facet counts exactly what its filter finds.
#include "vigie/index_setup.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <map>

#include "http/http_query.h"
#include "matcher/index_columns.h"
#include "matcher/multi_value_column.h"
#include "server_test_support.h"
#include "vigie/index_directory.h"
#include "vigie/searcher.h"

namespace fs = std::filesystem;
using namespace vigie::test;
using vigie::http::percent_encode;

namespace {

struct Fixture {
  ScratchDir dir{"vigie-index-setup"};
  fs::path config = dir.path() / "conf" / "vigie.json";
  fs::path index = dir.path() / "index";
  fs::path away = dir.path() / "away";  // a working directory with no config/ in reach
  std::unique_ptr<ServerProcess> configured, bare;
  Fixture() {
    write_file(config, read_file(shipped_config()));
    write_file(config.parent_path() / "synonyms.txt",
               read_file(source_dir() / "config" / "synonyms.txt") + "\npipeau | assainissement\n");
    write_file(config.parent_path() / "stopwords-fr.txt",
               read_file(source_dir() / "config" / "stopwords-fr.txt"));
    fs::create_directories(away);
    if (::chdir(away.c_str()) != 0) throw std::runtime_error("chdir");
    const int rc = run_indexer(index, {shared_corpus()}, false, config);
    if (rc != 0) throw std::runtime_error("vigie-index failed with " + std::to_string(rc));
    configured = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", config.string(), "--db", index.string()},
        dir.path() / "configured.log");
    bare = std::make_unique<ServerProcess>(std::vector<std::string>{"--db", index.string()},
                                           dir.path() / "bare.log");
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

std::string quote(const std::string& arg) {
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// vigie-search from `away`, with no --config: only the index to go by.
std::string vigie_search(const std::vector<std::string>& args) {
  std::string command = "cd " + quote(fixture().away.string()) + " && " +
                        quote((binary_dir() / "cli" / "vigie-search").string()) + " --db " +
                        quote(fixture().index.string());
  for (const auto& a : args) command += " " + quote(a);
  command += " 2>/dev/null";
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) out.append(buffer.data(), n);
  ::pclose(pipe);
  return out;
}

std::vector<std::string> ids_of(const rapidjson::Value& response) {
  std::vector<std::string> ids;
  for (const auto& hit : response["hits"].GetArray()) ids.emplace_back(hit["id"].GetString());
  return ids;
}

rapidjson::Document api_search(const std::string& query_string) {
  auto reply = get(fixture().configured->port(), "/api/search?" + query_string);
  CAPTURE(query_string);
  REQUIRE(reply.status == 200);
  return parse_json(reply.body);
}

std::string first_id(const std::string& q) {
  auto r = api_search("per_page=1&q=" + percent_encode(q));
  REQUIRE(r["hits"].Size() == 1);
  return r["hits"][0]["id"].GetString();
}

}  // namespace

TEST_CASE("source_roots: the recorded roots, restricted by a config, never widened") {
  ScratchDir tmp("vigie-source-roots");
  const fs::path a = tmp.path() / "a", b = tmp.path() / "b", inside = a / "sub";
  fs::create_directories(inside);
  fs::create_directories(b);
  vigie::IndexSetup setup;
  setup.roots = {{"", a}, {"named", b}};
  struct Case {
    const char* name;
    bool recorded;
    std::vector<fs::path> configured;
    std::vector<std::string> served;  // names, or "" + folder name for unnamed roots
  };
  const std::vector<Case> cases = {
      {"no config roots: every recorded root", true, {}, {"a", "named"}},
      {"the same folders", true, {a, b}, {"a", "named"}},
      {"a configured folder holding a recorded root", true, {tmp.path()}, {"a", "named"}},
      {"one of two", true, {a}, {"a"}},
      {"NAME=PATH: the folder decides, the recorded name stays",
       true,
       {"other=" + b.string()},
       {"named"}},
      {"a folder inside a recorded root does not widen to it", true, {inside}, {}},
      {"a folder the index does not know adds nothing", true, {tmp.path() / "c"}, {}},
      {"no record: the configured roots, as before", false, {inside}, {"sub"}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    std::optional<vigie::IndexSetup> record;
    if (c.recorded) record = setup;
    std::vector<std::string> served;
    for (const auto& r : vigie::source_roots(record, c.configured))
      served.push_back(r.name.empty() ? r.dir.filename().string() : r.name);
    CHECK(served == c.served);
  }
}

TEST_CASE("vigie-server --db alone serves the sources of the roots the index recorded") {
  auto& f = fixture();
  const std::string id = first_id("assainissement");
  const std::string source = "/source/" + percent_encode(id);
  CHECK(get(f.bare->port(), source).status == 200);
  // The shipped config's roots ("corpus", from the working directory) hold
  // none of the index's: it restricts them to nothing.
  CHECK(get(f.configured->port(), source).status == 404);
  const auto page = get(f.bare->port(), "/document/" + percent_encode(id));
  REQUIRE(page.status == 200);
  CHECK(page.body.find("non disponible sur ce serveur") == std::string::npos);
  CHECK(page.body.find("href=\"/source/") != std::string::npos);

  // A config's roots restrict: the index's folder (or one holding it) is
  // served, a folder without it or inside it is not.
  const fs::path elsewhere = f.dir.path() / "elsewhere";
  fs::create_directories(elsewhere);
  const std::vector<std::pair<fs::path, int>> cases = {{shared_corpus(), 200},
                                                       {shared_corpus().parent_path(), 200},
                                                       {elsewhere, 404},
                                                       {shared_corpus() / "chemere", 404}};
  for (const auto& [root, status] : cases) {
    CAPTURE(root);
    const fs::path restricting = f.dir.path() / "restricting.json";
    write_file(restricting, "{\"indexer\": {\"roots\": [\"" + root.string() + "\"]}}");
    ServerProcess restricted({"--config", restricting.string(), "--db", f.index.string()},
                             f.dir.path() / "restricted.log");
    CHECK(get(restricted.port(), source).status == status);
  }
  // Traversal is still refused by id: only indexed documents have sources.
  CHECK(get(f.bare->port(), "/source/..%2F..%2Fetc%2Fpasswd").status == 404);
}

TEST_CASE("vigie-search outside the repository answers as /api/search on the same index") {
  for (const std::string q : {"IA", "délib*", "conseil municipal", "pipeau", "eau potable"}) {
    CAPTURE(q);
    const auto api = api_search("per_page=20&q=" + percent_encode(q));
    const auto cli = parse_json(vigie_search({"--format", "json", "--limit", "20", q}));
    REQUIRE(cli.IsObject());
    CHECK(cli["total"].GetUint() == api["total"].GetUint());
    CHECK(ids_of(cli) == ids_of(api));
    CHECK(!ids_of(cli).empty());
  }
  // The synonyms came from the index: this group is in no file the CLI can reach.
  const auto pipeau = parse_json(vigie_search({"--format", "json", "pipeau"}));
  CHECK(pipeau["total"].GetUint() == api_search("per_page=0&q=assainissement")["total"].GetUint());
  const auto ia = parse_json(vigie_search({"--format", "json", "IA"}));
  CHECK(ia["synonyms"].Size() > 0);
}

TEST_CASE("the CLI's CSV is /api/export's, byte for byte, with page, number and persons") {
  for (const std::string q : {"assainissement", "délibération budget", "IA"}) {
    CAPTURE(q);
    const auto api = get(fixture().configured->port(), "/api/export?q=" + percent_encode(q));
    REQUIRE(api.status == 200);
    const std::string cli = vigie_search({"--format", "csv", "--limit", "0", q});
    CHECK(cli.size() > 200);
    CHECK(cli == api.body);
  }
  const std::string csv = vigie_search({"--format", "csv", "--limit", "3", "assainissement"});
  CHECK(
      csv.starts_with("\xEF\xBB\xBFid,title,type,date,organisation,url,score,page_url,number,"
                      "persons,also,vote,pour,contre,abstention,largest_amount,amounts,"
                      "legal_references,cited_numbers\r\n"));
  CHECK(csv.find(",/document/chemere%2F") != std::string::npos);
  const std::string based = vigie_search(
      {"--format", "csv", "--limit", "3", "--base-url", "http://vigie.example/", "assainissement"});
  CHECK(based.find(",http://vigie.example/document/chemere%2F") != std::string::npos);
  // JSON lines carry the same three fields.
  const std::string jsonl = vigie_search({"--format", "jsonl", "--limit", "1", "assainissement"});
  const auto line = parse_json(jsonl);
  CHECK(std::string(line["page_url"].GetString()).starts_with("/document/"));
  CHECK(line["persons"].IsArray());
  CHECK(line["number"].IsString());
}

TEST_CASE("the Personnes facet counts exactly what its filter finds") {
  for (const std::string q : {"", "assainissement", "budget"}) {
    CAPTURE(q);
    const auto r = api_search("per_page=0&q=" + percent_encode(q));
    REQUIRE(r["facets"].HasMember("person"));
    const auto& person = r["facets"]["person"];
    CHECK(person["exact"].GetBool());
    REQUIRE(person["values"].Size() > 0);
    std::size_t checked = 0;
    for (const auto& v : person["values"].GetArray()) {
      if (++checked > 4) break;
      const std::string label = v["label"].GetString();
      CAPTURE(label);
      const unsigned count = v["count"].GetUint();
      CHECK(api_search("per_page=0&q=" + percent_encode(q) +
                       "&person=" + percent_encode(label))["total"]
                .GetUint() == count);
      CHECK(api_search("per_page=0&q=" + percent_encode(q) +
                       "&personne=" + percent_encode(v["key"].GetString()))["total"]
                .GetUint() == count);
      const std::string in_query = (q.empty() ? "" : q + " ") + "personne:\"" + label + "\"";
      CHECK(api_search("per_page=0&q=" + percent_encode(in_query))["total"].GetUint() == count);
    }
  }
  // The page lists them, and a click filters.
  const auto page = get(fixture().configured->port(), "/recherche?q=budget");
  REQUIRE(page.status == 200);
  CHECK(page.body.find("id=\"facette-personnes\"") != std::string::npos);
  const auto at = page.body.find("personne=");
  REQUIRE(at != std::string::npos);
  CHECK(api_search("per_page=0&person=" + percent_encode("Nobody Atall"))["total"].GetUint() == 0);
}

TEST_CASE("the persons column: its size and read time on the real corpus") {
  const auto live = vigie::IndexDirectory(fixture().index).live_generation();
  REQUIRE(live);
  const Xapian::Database db(live->string());
  auto started = std::chrono::steady_clock::now();
  const vigie::MultiValueColumn bare(db, "XP",
                                     [](const std::string& key, Xapian::docid) { return key; });
  const double bare_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  started = std::chrono::steady_clock::now();
  const auto columns = vigie::IndexColumns::read(db, *live);
  const double all_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  const auto& persons = columns->facets.multi().at(0);
  std::size_t pairs = 0;
  for (Xapian::docid id = 1; id <= db.get_lastdocid(); ++id) pairs += persons.codes(id).size();
  MESSAGE("persons column: " << db.get_doccount() << " documents, " << persons.distinct_values()
                             << " persons, " << pairs << " pairs, " << persons.memory_bytes()
                             << " bytes; read " << bare_ms << " ms without labels, every column "
                             << all_ms << " ms");
  CHECK(persons.distinct_values() == bare.distinct_values());
  CHECK(persons.distinct_values() > 10);
  // CSR: 4 bytes per document and per pair, plus the names.
  CHECK(persons.memory_bytes() <
        4 * (db.get_lastdocid() + 2 + pairs) + 200 * persons.distinct_values());
}

TEST_CASE("incremental runs keep the other roots and record edited synonyms") {
  ScratchDir tmp("vigie-setup-incremental");
  const fs::path db = tmp.path() / "index", conf = tmp.path() / "conf" / "vigie.json";
  write_file(conf, "{\"analysis\": {\"synonyms\": \"synonyms.txt\"}}");
  write_file(conf.parent_path() / "synonyms.txt", "vélo | bicyclette\n");
  write_file(tmp.path() / "a" / "one.md", "# Un\n\nLa piste pour le vélo.\n");
  write_file(tmp.path() / "b" / "two.md", "# Deux\n\nLe tramway et la trottinette.\n");
  const std::string a = "a=" + (tmp.path() / "a").string(), b = "b=" + (tmp.path() / "b").string();
  REQUIRE(run_indexer(db, {a}, false, conf) == 0);
  REQUIRE(run_indexer(db, {b}, false, conf) == 0);  // incremental: a's documents stay
  auto names = [&] {
    std::vector<std::string> out;
    const auto setup = vigie::live_setup(db);
    REQUIRE(setup);
    for (const auto& r : setup->roots) out.push_back(r.name);
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(names() == std::vector<std::string>{"a", "b"});
  CHECK(vigie::live_setup(db)->synonyms == "vélo | bicyclette\n");
  // Edited synonyms take effect at the next run, with no file changed.
  write_file(conf.parent_path() / "synonyms.txt", "vélo | bicyclette\ntrottinette | patinette\n");
  vigie::Config config;
  vigie::Searcher searcher(db, config);
  vigie::SearchRequest request;
  request.query = "patinette";
  CHECK(searcher.search(request).total == 0);
  REQUIRE(run_indexer(db, {a}, false, conf) == 0);
  CHECK(names() == std::vector<std::string>{"a", "b"});
  CHECK(searcher.search(request).total == 1);  // the same Searcher follows the new revision
}
