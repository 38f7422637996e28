// Config: the shipped file loads; unknown keys and wrong types are errors that
// name the key.
#include "vigie/config.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_support.h"

using vigie::ConfigError;
using vigie::parse_config;

TEST_CASE("the shipped config/vigie.json loads with its folder defaults") {
  auto config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  CHECK(config.server.port == 8080);
  CHECK(config.index.path == "var/index");
  REQUIRE(config.defaults_for("chemere/pdf/CM 22 juin 2010.pdf") != nullptr);
  CHECK(config.defaults_for("chemere/pdf/x.pdf")->organisation == "Commune de Chémeré");
  CHECK(config.defaults_for("other/x.pdf") == nullptr);
  CHECK(std::filesystem::exists(config.analysis.stopwords));
  CHECK(std::filesystem::exists(config.analysis.synonyms));
}

TEST_CASE("defaults: an empty object is a valid config") {
  auto config = parse_config("{}", "empty.json");
  CHECK(config.server.bind == "127.0.0.1");
  CHECK(config.search.bm25.k1 == doctest::Approx(1.2));
}

TEST_CASE("server and search limits: defaults and configured values") {
  auto defaults = parse_config("{}", "empty.json");
  CHECK(defaults.search.export_cap == 100000);
  CHECK(defaults.server.max_connections_per_client == 32);
  auto set = parse_config(
      "{\"search\": {\"export_cap\": 500}, \"server\": {\"max_connections_per_client\": 0}}",
      "c.json");
  CHECK(set.search.export_cap == 500);
  CHECK(set.server.max_connections_per_client == 0);
}

TEST_CASE("server connections and workers: defaults, values, and `threads` as the old name") {
  auto defaults = parse_config("{}", "empty.json");
  CHECK(defaults.server.max_connections == 1024);
  CHECK(defaults.server.workers == 0);  // one per core, resolved by the server
  CHECK(defaults.server.queue == 256);
  CHECK(defaults.server.queue_timeout_ms == 2000);
  CHECK(defaults.server.request_timeout_ms == 10000);
  auto set = parse_config(
      "{\"server\": {\"max_connections\": 300, \"workers\": 3, \"queue\": 0, "
      "\"queue_timeout_ms\": 0, \"request_timeout_ms\": 2500}}",
      "c.json");
  CHECK(set.server.max_connections == 300);
  CHECK(set.server.workers == 3);
  CHECK(set.server.queue == 0);
  CHECK(set.server.queue_timeout_ms == 0);
  CHECK(set.server.request_timeout_ms == 2500);
  CHECK(parse_config("{\"server\": {\"threads\": 12}}", "old.json").server.max_connections == 12);
}

TEST_CASE("indexer.exclude: README, MANIFEST, LICENSE… by default; a config's list replaces it") {
  const auto defaults = parse_config("{}", "empty.json").indexer.exclude;
  for (const char* pattern : {"README", "README.*", "MANIFEST", "LICENSE.*", "COPYING"}) {
    CAPTURE(pattern);
    CHECK(std::find(defaults.begin(), defaults.end(), pattern) != defaults.end());
  }
  CHECK(parse_config("{\"indexer\": {\"exclude\": [\"*.bak\"]}}", "c.json").indexer.exclude ==
        std::vector<std::string>{"*.bak"});
  CHECK(parse_config("{\"indexer\": {\"exclude\": []}}", "c.json").indexer.exclude.empty());
  // The shipped file keeps the defaults.
  CHECK(vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json").indexer.exclude ==
        defaults);
}

TEST_CASE("comments and trailing commas are allowed") {
  auto config = parse_config("// c\n{ \"server\": { \"port\": 9000, /* x */ }, }", "c.json");
  CHECK(config.server.port == 9000);
}

TEST_CASE("errors name the key and say what is expected") {
  struct Row {
    const char* json;
    const char* message_part;
  };
  const Row rows[] = {
      {"{\"server\": {\"prot\": 1}}", "server.prot: unknown key"},
      {"{\"servr\": {}}", "servr: unknown key"},
      {"{\"server\": {\"port\": \"80\"}}", "server.port: expected an integer between 0 and 65535"},
      {"{\"server\": {\"port\": 70000}}", "server.port: expected an integer"},
      {"{\"server\": {\"port\": 80.5}}", "server.port: expected an integer"},
      {"{\"server\": []}", "server: expected an object"},
      {"{\"server\": {\"max_connections_per_client\": -1}}",
       "server.max_connections_per_client: expected an integer between 0 and 100000"},
      {"{\"server\": {\"max_connections\": 0}}",
       "server.max_connections: expected an integer between 1 and 16384"},
      {"{\"server\": {\"threads\": 8, \"max_connections\": 64}}",
       "server.max_connections: same setting as server.threads; give only one"},
      {"{\"server\": {\"workers\": -1}}", "server.workers: expected an integer between 0 and 1024"},
      {"{\"server\": {\"request_timeout_ms\": 10}}",
       "server.request_timeout_ms: expected an integer between 100"},
      {"{\"search\": {\"export_cap\": 0}}", "search.export_cap: expected an integer between 1"},
      {"{\"search\": {\"bm25\": {\"b\": 2}}}", "search.bm25.b: expected a number between 0 and 1"},
      {"{\"indexer\": {\"roots\": \"corpus\"}}", "indexer.roots: expected an array of strings"},
      {"{\"indexer\": {\"roots\": [1]}}", "indexer.roots[0]: expected a string"},
      {"{\"indexer\": {\"folders\": [{\"organisation\": \"X\"}]}}",
       "indexer.folders[0].path: missing"},
      {"{\"indexer\": {\"folders\": [{\"path\": \"a/\", \"type\": \"poème\"}]}}",
       "indexer.folders[0].type: unknown document type"},
      {"{\"indexer\": {\"folders\": [{\"path\": \"a/\", \"type_by_format\": {\"pdf\": 3}}]}}",
       "indexer.folders[0].type_by_format.pdf: expected a string"},
      {"{\"indexer\": {\"exclude\": \"README\"}}", "indexer.exclude: expected an array of strings"},
      {"{\"indexer\": {\"exclude\": [\"\"]}}", "indexer.exclude[0]: empty pattern"},
      {"{\"server\": {\"port\": 1", "invalid JSON at byte"},
      {"[]", "expected an object"},
      {"", "invalid JSON"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.json);
    std::string message;
    try {
      parse_config(row.json, "bad.json");
    } catch (const ConfigError& e) {
      message = e.what();
    }
    CHECK(message.find(row.message_part) != std::string::npos);
    CHECK(message.starts_with("bad.json"));
  }
}

TEST_CASE("the longest folder prefix wins") {
  auto config = parse_config(
      R"({"indexer": {"folders": [{"path": "a", "organisation": "A"},
                                  {"path": "a/b/", "organisation": "B"}]}})",
      "f.json");
  CHECK(config.defaults_for("a/b/c.txt")->organisation == "B");
  CHECK(config.defaults_for("a/c.txt")->organisation == "A");
}

TEST_CASE("a missing file is a clear error") {
  CHECK_THROWS_WITH_AS(vigie::load_config("/nonexistent/vigie.json"),
                       doctest::Contains("cannot read"), ConfigError);
}

TEST_CASE("text after the configuration object is an error") {
  CHECK_THROWS_WITH_AS(parse_config("{} {\"server\": {}}", "t.json"),
                       doctest::Contains("invalid JSON"), ConfigError);
}
