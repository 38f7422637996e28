// vigie-search, the researchers' CLI, run as a program over a real index:
// formats, streaming every hit, exit codes.
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <sstream>

#include "index/index_schema.h"
#include "pipeline/index_run.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/index_directory.h"

namespace fs = std::filesystem;

namespace {

const fs::path& demo_index() {
  static vigie::test::ScratchDir dir("vigie-cli");
  static const fs::path db = [] {
    vigie::IndexOptions options;
    options.db = dir.path() / "index";
    options.roots = {{"", vigie::test::source_dir() / "corpus"}};
    options.threads = 2;
    vigie::run_index(vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json"),
                     options);
    return options.db;
  }();
  return db;
}

struct Run {
  int exit_code = -1;
  std::string out;
};

std::string quote(const std::string& arg) {
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// Runs vigie-search on `db` (the demo index by default); `out` gets its
// standard output, and its error output too with `with_errors`.
Run vigie_search(const std::vector<std::string>& args, const fs::path& db = demo_index(),
                 bool with_errors = false) {
  std::string command = quote((vigie::test::binary_dir() / "cli" / "vigie-search").string()) +
                        " --config " +
                        quote((vigie::test::source_dir() / "config" / "vigie.json").string()) +
                        " --db " + quote(db.string());
  for (const auto& a : args) command += " " + quote(a);
  command += with_errors ? " 2>&1" : " 2>/dev/null";
  Run run;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), n);
  int status = ::pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

std::size_t lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("text output: titles and extracts, exit 0 when there are hits") {
  auto run = vigie_search({"inclusion numérique"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("documents for « inclusion numérique »") != std::string::npos);
  CHECK(run.out.find("1. ") != std::string::npos);
  CHECK(run.out.find("[numérique]") != std::string::npos);  // matches bracketed when not a TTY
}

TEST_CASE("json output is one valid response") {
  auto run = vigie_search({"--format", "json", "--limit", "3", "budget"});
  CHECK(run.exit_code == 0);
  rapidjson::Document json;
  json.Parse(run.out.c_str());
  REQUIRE_FALSE(json.HasParseError());
  REQUIRE(json.HasMember("hits"));
  CHECK(json["hits"].Size() == 3);
}

TEST_CASE("csv and jsonl with --limit 0 stream every hit") {
  auto all = vigie_search({"--format", "json", "--limit", "1", "conseil"});
  rapidjson::Document json;
  json.Parse(all.out.c_str());
  REQUIRE_FALSE(json.HasParseError());
  REQUIRE(json.HasMember("total"));
  const auto& total_value = json["total"];
  const unsigned total =
      total_value.IsObject() ? total_value["estimate"].GetUint() : total_value.GetUint();
  REQUIRE(total > 10);
  auto jsonl = vigie_search({"--format", "jsonl", "--limit", "0", "conseil"});
  CHECK(jsonl.exit_code == 0);
  CHECK(lines(jsonl.out) == total);
  auto csv = vigie_search({"--format", "csv", "--limit", "0", "conseil"});
  CHECK(csv.exit_code == 0);
  // The same bytes as the API's export: a byte-order mark (for Excel), CRLF.
  CHECK(csv.out.starts_with(
      "\xEF\xBB\xBF"
      "id,title,type,date,organisation,url,score,page_url,number,persons,also,vote,pour,"
      "contre,abstention,largest_amount,amounts,legal_references,cited_numbers\r\n"));
  CHECK(lines(csv.out) >= total + 1);  // titles may hold quoted newlines, never fewer rows
}

TEST_CASE(
    "a misspelling that finds nothing: the correction's hits, said; --exact and exports: none") {
  auto run = vigie_search({"numeriqeu"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("Résultats pour : numerique (rien pour « numeriqeu »)") != std::string::npos);
  CHECK(run.out.find("1. ") != std::string::npos);
  auto json = vigie_search({"--format", "json", "numeriqeu"});
  CHECK(json.out.find(
            "\"corrected\":[{\"field\":\"q\",\"from\":\"numeriqeu\",\"to\":\"numerique\"}]") !=
        std::string::npos);
  auto exact = vigie_search({"--exact", "numeriqeu"});
  CHECK(exact.exit_code == 1);
  CHECK(exact.out.find("Essayez avec : numerique") != std::string::npos);
  CHECK(vigie_search({"--format", "csv", "--limit", "0", "numeriqeu"}).exit_code == 1);
}

TEST_CASE("exit codes: 1 without hits, 2 for usage errors and bad queries") {
  CHECK(vigie_search({"zzyzxqwv"}).exit_code == 1);
  CHECK(vigie_search({"--format", "xml", "budget"}).exit_code == 2);
  CHECK(vigie_search({"--limit", "-3", "budget"}).exit_code == 2);
  CHECK(vigie_search({"--bogus", "budget"}).exit_code == 2);
  CHECK(vigie_search({}).exit_code == 2);
  CHECK(vigie_search({std::string(10000, 'a') + " b"}).exit_code == 2);
}

TEST_CASE("an index of an older layout: exit 2 and the command that rebuilds it") {
  vigie::test::ScratchDir dir("vigie-cli-old");
  vigie::IndexOptions options;
  options.db = dir.path() / "index";
  options.roots = {{"", vigie::test::source_dir() / "corpus"}};
  vigie::run_index(vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json"),
                   options);
  {
    Xapian::WritableDatabase db(vigie::IndexDirectory(options.db).live_generation()->string(),
                                Xapian::DB_OPEN);
    db.set_metadata(std::string(vigie::index_schema::kMetadataKey), "3");
    db.commit();
  }
  const Run run = vigie_search({"conseil"}, options.db, true);
  CHECK(run.exit_code == 2);
  CHECK(run.out.find("layout version 3") != std::string::npos);
  CHECK(run.out.find("rebuild it with vigie-index --full") != std::string::npos);
}

TEST_CASE("usage errors: exit 2, the message names the option and says why") {
  struct Row {
    std::vector<std::string> args;
    const char* message;
  };
  const Row rows[] = {
      {{"--sort", "hasard", "budget"}, "--sort must be relevance, date, -date, oldest or amount"},
      {{"--sort"}, "--sort needs a value"},
      {{"--format", "xml", "budget"}, "--format must be text, json, jsonl or csv"},
      {{"--format", "xml"}, "no query"},                            // the missing query first
      {{"--format", "xml", "--format", "csv", "budget"}, nullptr},  // the last one counts
      {{"--limit", "-3", "budget"}, "--limit needs a number ≥ 0"},
      {{"--offset", "3x", "budget"}, "--offset needs a number ≥ 0"},
      {{"--limit"}, "--limit needs a number ≥ 0"},
      {{"--db"}, "--db needs a value"},
      {{"--bogus", "budget"}, "unknown option --bogus"},
      {{"--analyze"}, "--analyze needs a text"},
      {{}, "no query"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.args.empty() ? std::string() : row.args.front());
    const Run run = vigie_search(row.args, demo_index(), true);
    if (!row.message) {
      CHECK(run.exit_code == 0);
      continue;
    }
    CHECK(run.exit_code == 2);
    CHECK(run.out.starts_with("vigie-search: " + std::string(row.message) + "\n\nusage:"));
  }
}

TEST_CASE("--explain prints matched terms") {
  auto run = vigie_search({"--explain", "--limit", "1", "cantine"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.find("cantine") != std::string::npos);
}
