// vigie-search: the researchers' command line.
//   vigie-search [--config FILE] [--db DIR] [--format text|json|jsonl|csv] [--limit N]
//                [--offset N] [--sort relevance|date|-date|oldest] [--explain] QUERY
//   vigie-search --analyze TEXT
// Exit codes: 0 hits, 1 no hits, 2 usage or bad query (message on stderr).
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>

#include "analyze_command.h"
#include "search_output.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace {

constexpr const char* kUsage =
    "usage: vigie-search [--config FILE] [--db DIR] [--format text|json|jsonl|csv] [--limit N]\n"
    "                    [--offset N] [--sort relevance|date|-date|oldest] [--explain] QUERY\n"
    "       vigie-search --analyze TEXT\n"
    "\n"
    "  --format F   text (default), json (one response), jsonl or csv (one hit per line)\n"
    "  --limit N    hits to print (default 10); 0 with csv/jsonl streams every hit\n"
    "  --sort S     relevance (default), date / -date (newest first), oldest\n"
    "  --explain    matched terms and their weights for each hit\n"
    "  --analyze    print the French analyzer's tokens (position, exact, stem, offsets)\n"
    "Query language: docs/query-language.md. Exit codes: 0 hits, 1 no hits, 2 usage or bad "
    "query.\n";

int usage_error(const std::string& message) {
  std::cerr << "vigie-search: " << message << "\n\n" << kUsage;
  return 2;
}

bool parse_count(const char* text, std::size_t& out) {
  if (!text || !*text) return false;
  char* end = nullptr;
  long long n = std::strtoll(text, &end, 10);
  if (*end || n < 0 || n > 100000000) return false;
  out = static_cast<std::size_t>(n);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, db, format = "text", query;
  vigie::SearchRequest request;
  bool have_query = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--analyze") {
      if (!next) return usage_error("--analyze needs a text");
      vigie::print_analysis(next, std::cout);
      return 0;
    } else if (arg == "--config" || arg == "--db" || arg == "--format" || arg == "--sort") {
      if (!next) return usage_error(arg + " needs a value");
      ++i;
      if (arg == "--config") config_path = next;
      if (arg == "--db") db = next;
      if (arg == "--format") format = next;
      if (arg == "--sort") {
        auto sort = vigie::parse_sort_order(next);
        if (!sort) return usage_error("--sort must be relevance, date, -date or oldest");
        request.sort = *sort;
      }
    } else if (arg == "--limit" || arg == "--offset") {
      ++i;
      std::size_t n = 0;
      if (!parse_count(next, n)) return usage_error(arg + " needs a number ≥ 0");
      (arg == "--limit" ? request.limit : request.offset) = n;
    } else if (arg == "--explain") {
      request.explain = true;
    } else if (arg.starts_with("--")) {
      return usage_error("unknown option " + arg);
    } else {
      query += (have_query ? " " : "") + arg;
      have_query = true;
    }
  }
  if (!have_query) return usage_error("no query");
  if (format != "text" && format != "json" && format != "jsonl" && format != "csv")
    return usage_error("--format must be text, json, jsonl or csv");

  vigie::Config config;
  try {
    if (config_path.empty() && std::filesystem::exists("config/vigie.json"))
      config_path = "config/vigie.json";
    if (!config_path.empty()) config = vigie::load_config(config_path);
  } catch (const vigie::ConfigError& e) {
    std::cerr << "vigie-search: " << e.what() << "\n";
    return 2;
  }
  request.query = query;
  try {
    vigie::Searcher searcher(db.empty() ? config.index.path : std::filesystem::path(db), config);
    vigie::SearchOutput output(format, ::isatty(STDOUT_FILENO) == 1, std::cout);
    return output.run(searcher, request, config.search.max_page_size) > 0 ? 0 : 1;
  } catch (const vigie::QuerySyntaxError& e) {
    std::cerr << "vigie-search: invalid query: " << e.what() << "\n";
    return 2;
  } catch (const vigie::IndexUnavailable& e) {
    std::cerr << "vigie-search: " << e.what() << "\n";
    return 2;
  }
}
