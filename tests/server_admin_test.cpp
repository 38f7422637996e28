// Index changes seen by a running vigie-server: a generation switch made by
// vigie-index behind its back, and a reindex asked through the admin API
// (token checks, one run at a time, status with the indexer's report).
#include <doctest/doctest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "server_test_support.h"

namespace fs = std::filesystem;
using namespace vigie::test;

namespace {

constexpr const char* kToken = "t0k3n-for-tests-only";

// A config whose indexer root is a folder the test can add files to.
fs::path write_config(const fs::path& dir, const std::string& token) {
  const auto src = source_dir() / "config";
  write_file(dir / "vigie.json",
             "{\n"
             "  \"index\": {\"path\": \"" +
                 (dir / "index").string() +
                 "\"},\n"
                 "  \"indexer\": {\"roots\": [\"" +
                 (dir / "docs").string() +
                 "\"], \"threads\": 2},\n"
                 "  \"server\": {\"threads\": 4, \"admin_token\": \"" +
                 token +
                 "\"},\n"
                 "  \"analysis\": {\"stopwords\": \"" +
                 (src / "stopwords-fr.txt").string() + "\", \"synonyms\": \"" +
                 (src / "synonyms.txt").string() + "\"}\n}\n");
  return dir / "vigie.json";
}

unsigned documents(int port) {
  auto reply = get(port, "/health");
  if (reply.status != 200) return 0;
  return parse_json(reply.body)["documents"].GetUint();
}

std::string new_press_release(int n) {
  return "---\ntitle: Communiqué de test numéro " + std::to_string(n) + "\ndate: 2024-05-0" +
         std::to_string(n) +
         "\ntype: communiqué\n---\n\nLe syndicat annonce l’ouverture d’un guichet zygomorphe "
         "numéro " +
         std::to_string(n) + " pour les habitants.\n";
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

}  // namespace

TEST_CASE("a generation switch by vigie-index --full is picked up live, without restart") {
  ScratchDir dir("vigie-server-live");
  const fs::path db = dir.path() / "index";
  REQUIRE(run_indexer(db, {shared_corpus() / "communiques"}) == 0);
  ServerProcess server({"--config", shipped_config().string(), "--db", db.string(), "--quiet"},
                       dir.path() / "server.log");
  const int port = server.port();
  const unsigned before = documents(port);
  REQUIRE(before >= 1);
  auto first = parse_json(get(port, "/health").body);
  const std::string generation = first["generation"].GetString();
  CHECK(parse_json(get(port, "/api/search?q=lisi%C3%A8re&per_page=0").body)["total"].GetUint() ==
        0);

  REQUIRE(run_indexer(db, {shared_corpus() / "communiques", source_dir() / "corpus"},
                      /*full=*/true) == 0);
  CHECK(eventually([&] { return documents(port) > before; }));
  auto after = parse_json(get(port, "/health").body);
  CHECK(std::string(after["generation"].GetString()) != generation);
  auto found = parse_json(get(port, "/api/search?q=lisi%C3%A8re&per_page=0").body);
  CHECK(found["total"].GetUint() > 0);
  CHECK(get(port, "/metrics").body.find("vigie_index_generation_switches_total 0") ==
        std::string::npos);
}

TEST_CASE(
    "admin reindex: 401 without or with a wrong token, 202 then a real run with the right one") {
  ScratchDir dir("vigie-server-admin");
  const auto config = write_config(dir.path(), kToken);
  copy_tree(shared_corpus() / "communiques", dir.path() / "docs" / "communiques");
  write_file(dir.path() / "docs" / "communiques" / "test-1.md", new_press_release(1));
  REQUIRE(run_indexer(dir.path() / "index", {dir.path() / "docs"}, false, config) == 0);
  ServerProcess server({"--config", config.string()}, dir.path() / "server.log");
  const int port = server.port();
  const unsigned before = documents(port);
  REQUIRE(before >= 2);

  const std::pair<std::string, std::string> good{"Authorization", std::string("Bearer ") + kToken};
  SUBCASE("refusals do nothing") {
    CHECK(http(port, "POST", "/api/admin/reindex").status == 401);
    CHECK(
        http(port, "POST", "/api/admin/reindex", "", {{"Authorization", "Bearer wrong"}}).status ==
        401);
    CHECK(http(port, "POST", "/api/admin/reindex", "",
               {{"Authorization", std::string("Basic ") + kToken}})
              .status == 401);
    CHECK(http(port, "GET", "/api/admin/reindex").status == 401);
    auto wrong = http(port, "GET", "/api/admin/status", "", {{"Authorization", "Bearer wrong"}});
    CHECK(wrong.status == 401);
    CHECK(wrong.header("www-authenticate").find("Bearer") == 0);
    CHECK(parse_json(wrong.body)["error"]["code"].GetInt() == 401);
    auto status = parse_json(http(port, "GET", "/api/admin/status", "", {good}).body);
    CHECK(status["runs"].GetUint() == 0);
    CHECK_FALSE(status["running"].GetBool());
    // GET /api/admin/reindex is the same status, under the first API's name.
    CHECK(parse_json(http(port, "GET", "/api/admin/reindex", "", {good}).body)["runs"].GetUint() ==
          0);
    CHECK(http(port, "POST", "/api/admin/reindex", "[1]", {good}).status == 400);
    CHECK(http(port, "POST", "/api/admin/reindex", "{\"full\": 1}", {good}).status == 400);
  }
  SUBCASE("a new file, a reindex through the API, the server sees it") {
    write_file(dir.path() / "docs" / "communiques" / "test-2.md", new_press_release(2));
    auto started = http(port, "POST", "/api/admin/reindex", "", {good});
    CHECK(started.status == 202);
    auto body = parse_json(started.body);
    CHECK(body["runs"].GetUint() == 1);
    // A second request while the first runs is refused (or, if the first is
    // already done, starts a second run).
    auto again = http(port, "POST", "/api/admin/reindex", "", {good});
    CHECK((again.status == 409 || again.status == 202));
    REQUIRE(eventually([&] {
      return !parse_json(http(port, "GET", "/api/admin/reindex", "", {good}).body)["running"]
                  .GetBool();
    }));
    auto status = parse_json(http(port, "GET", "/api/admin/reindex", "", {good}).body);
    CAPTURE(http(port, "GET", "/api/admin/reindex", "", {good}).body);
    CHECK(status["exit_code"].GetInt() == 0);
    REQUIRE(status["report"].IsObject());
    CHECK(eventually([&] { return documents(port) == before + 1; }));
    auto found = get(port, "/api/search?q=zygomorphe&facets=0&extracts=0");
    CAPTURE(found.body);
    CHECK(parse_json(found.body)["hits"].Size() == 2);
  }
  SUBCASE("a full rebuild through the API switches generations") {
    const std::string generation = parse_json(get(port, "/health").body)["generation"].GetString();
    auto started = http(port, "POST", "/api/admin/reindex", "{\"full\": true}", {good});
    REQUIRE(started.status == 202);
    CHECK(parse_json(started.body)["full"].GetBool());
    REQUIRE(eventually([&] {
      return !parse_json(http(port, "GET", "/api/admin/reindex", "", {good}).body)["running"]
                  .GetBool();
    }));
    CHECK(parse_json(http(port, "GET", "/api/admin/reindex", "", {good}).body)["exit_code"]
              .GetInt() == 0);
    CHECK(eventually([&] {
      return std::string(parse_json(get(port, "/health").body)["generation"].GetString()) !=
             generation;
    }));
    CHECK(documents(port) == before);
  }
}

TEST_CASE("admin token from VIGIE_ADMIN_TOKEN; a missing indexer program is reported, not fatal") {
  ScratchDir dir("vigie-server-admin-env");
  const auto config = write_config(dir.path(), "");
  ServerProcess server(
      {"--config", config.string(), "--quiet"}, dir.path() / "server.log",
      {"VIGIE_ADMIN_TOKEN=from-env", "VIGIE_INDEX_PROGRAM=/nonexistent/vigie-index"});
  const int port = server.port();
  CHECK(http(port, "POST", "/api/admin/reindex", "",
             {{"Authorization", "Bearer " + std::string(kToken)}})
            .status == 401);
  auto reply = http(port, "POST", "/api/admin/reindex", "", {{"Authorization", "Bearer from-env"}});
  CHECK(reply.status == 500);
  CHECK(parse_json(reply.body)["error"]["message"].GetString() != std::string());
  auto status = parse_json(
      http(port, "GET", "/api/admin/reindex", "", {{"Authorization", "Bearer from-env"}}).body);
  CHECK_FALSE(status["running"].GetBool());
  CHECK(std::string(status["error"].GetString()).find("/nonexistent/vigie-index") !=
        std::string::npos);
  CHECK(get(port, "/metrics").status == 200);
}

namespace {

// A client that keeps searching (and reading documents) on one keep-alive
// connection until stopped, counting every answer that is not a 200.
class BusyClient {
 public:
  explicit BusyClient(int port) : thread_([this, port] { run(port); }) {}
  ~BusyClient() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int requests() const { return requests_; }
  int errors() const { return errors_; }
  std::string first_error() {
    std::lock_guard lock(mutex_);
    return first_error_;
  }

 private:
  void run(int port) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    session.setTimeout(Poco::Timespan(30, 0));
    const char* targets[] = {"/api/search?q=conseil&per_page=5",
                             "/api/search?q=num%C3%A9rique&sort=date&facets=0",
                             "/api/search?type=communique&per_page=20&extracts=0"};
    for (int i = 0; !stop_; ++i) {
      const std::string target = targets[i % 3];
      try {
        auto reply = http_on(session, "GET", target);
        if (reply.status != 200)
          note(target + " → " + std::to_string(reply.status) + " " + reply.body);
      } catch (const std::exception& e) {
        note(target + " → exception " + e.what());
        session.reset();
      }
      ++requests_;
    }
  }
  void note(const std::string& what) {
    ++errors_;
    std::lock_guard lock(mutex_);
    if (first_error_.empty()) first_error_ = what;
  }

  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0}, errors_{0};
  std::mutex mutex_;
  std::string first_error_;
  std::thread thread_;
};

bool reindex_done(int port, const std::pair<std::string, std::string>& auth) {
  auto reply = http(port, "GET", "/api/admin/status", "", {auth});
  return reply.status == 200 && !parse_json(reply.body)["running"].GetBool();
}

}  // namespace

TEST_CASE(
    "searches keep answering during a reindex over a bigger corpus, then see it: "
    "incremental, then --full, no restart") {
  ScratchDir dir("vigie-server-busy");
  const auto config = write_config(dir.path(), kToken);
  copy_tree(shared_corpus() / "communiques", dir.path() / "docs" / "communiques");
  REQUIRE(run_indexer(dir.path() / "index", {dir.path() / "docs"}, false, config) == 0);
  ServerProcess server({"--config", config.string(), "--quiet"}, dir.path() / "server.log");
  const int port = server.port();
  const unsigned before = documents(port);
  REQUIRE(before >= 1);
  const std::pair<std::string, std::string> good{"Authorization", std::string("Bearer ") + kToken};
  CHECK(parse_json(get(port, "/api/search?q=lisi%C3%A8re&per_page=0").body)["total"].GetUint() ==
        0);

  // The bigger corpus: the demo collectivités and Chémeré's session minutes.
  copy_tree(source_dir() / "corpus", dir.path() / "docs" / "demo");
  copy_tree(shared_corpus() / "chemere" / "pv-json", dir.path() / "docs" / "chemere" / "pv-json");

  BusyClient client(port);
  auto started = http(port, "POST", "/api/admin/reindex", "", {good});
  REQUIRE(started.status == 202);
  CHECK(http(port, "POST", "/api/admin/reindex", "", {good}).status == 409);  // one at a time
  REQUIRE(eventually([&] { return reindex_done(port, good); }, std::chrono::seconds(600)));
  CHECK(parse_json(http(port, "GET", "/api/admin/status", "", {good}).body)["exit_code"].GetInt() ==
        0);
  const unsigned grown = documents(port);
  CHECK(grown > before + 100);
  CHECK(parse_json(get(port, "/api/search?q=lisi%C3%A8re&per_page=0").body)["total"].GetUint() > 0);
  CHECK(
      parse_json(get(port, "/api/search?q=Ch%C3%A9mer%C3%A9&per_page=0").body)["total"].GetUint() >
      0);
  const int during_incremental = client.requests();

  const std::string generation = parse_json(get(port, "/health").body)["generation"].GetString();
  REQUIRE(http(port, "POST", "/api/admin/reindex", "{\"full\": true}", {good}).status == 202);
  REQUIRE(eventually([&] { return reindex_done(port, good); }, std::chrono::seconds(600)));
  CHECK(eventually([&] {
    return std::string(parse_json(get(port, "/health").body)["generation"].GetString()) !=
           generation;
  }));
  CHECK(documents(port) == grown);
  client.stop();
  CAPTURE(client.first_error());
  CHECK(client.errors() == 0);
  CHECK(during_incremental > 5);
  CHECK(client.requests() > during_incremental);
  const std::string metrics = get(port, "/metrics").body;
  CHECK(metrics.find("vigie_index_reopens_total{kind=\"generation\"} 0") == std::string::npos);
  CHECK(metrics.find("vigie_index_reopens_total{kind=\"revision\"} 0") == std::string::npos);
}
