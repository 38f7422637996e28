// vigie-search: the researchers' command line.
//   vigie-search [--config FILE] [--db DIR] [--format text|json|jsonl|csv] [--limit N]
//                [--offset N] [--sort relevance|date|-date|oldest|amount] [--base-url URL]
//                [--explain] [--all-files] [--any-words] [--exact] QUERY
//   vigie-search --analyze TEXT
// Exit codes: 0 hits, 1 no hits, 2 usage or bad query (message on stderr).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

#include "analyze_command.h"
#include "search_output.h"
#include "vigie/config.h"
#include "vigie/index_setup.h"
#include "vigie/searcher.h"

namespace {

constexpr const char* kUsage =
    "usage: vigie-search [--config FILE] [--db DIR] [--format text|json|jsonl|csv] [--limit N]\n"
    "                    [--offset N] [--sort relevance|date|-date|oldest|amount] [--base-url "
    "URL]\n"
    "                    [--explain] [--all-files] [--any-words] [--exact] QUERY\n"
    "       vigie-search --analyze TEXT\n"
    "\n"
    "  --format F   text (default), json (one response), jsonl or csv (one hit per line)\n"
    "  --limit N    hits to print (default 10); 0 with csv/jsonl streams every hit\n"
    "  --sort S     relevance (default), date / -date (newest first), oldest,\n"
    "               amount (largest amount first, documents without one last)\n"
    "  --base-url U csv/jsonl: document page links U/document/ID (default: /document/ID)\n"
    "  --explain    matched terms and their weights for each hit\n"
    "  --all-files  every file, not one result per family of copies (docs/families.md)\n"
    "  --any-words  documents with some of the words are results too (default: all the words)\n"
    "  --exact      the words as typed: when nothing matches, do not search the correction\n"
    "               (csv and jsonl never do, like /api/export)\n"
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

// The command line, every option parsed into its type here, once.
struct Options {
  std::string config_path, db, base_url;
  // nullopt: an unknown --format, refused once the whole line is read.
  std::optional<vigie::OutputFormat> format = vigie::OutputFormat::Text;
  vigie::SearchRequest request;
};

bool takes_value(const std::string& option) {
  return option == "--config" || option == "--db" || option == "--format" || option == "--sort" ||
         option == "--limit" || option == "--offset" || option == "--base-url";
}

// Sets `option` to `value` (nullptr: the line ended first); the usage error
// when it is refused.
std::optional<std::string> set_option(Options& o, const std::string& option, const char* value) {
  if (option == "--limit" || option == "--offset") {
    std::size_t n = 0;
    if (!parse_count(value, n)) return option + " needs a number ≥ 0";
    (option == "--limit" ? o.request.limit : o.request.offset) = n;
    return std::nullopt;
  }
  if (!value) return option + " needs a value";
  if (option == "--config") o.config_path = value;
  if (option == "--db") o.db = value;
  if (option == "--base-url") o.base_url = value;
  if (option == "--format") o.format = vigie::parse_output_format(value);
  if (option == "--sort") {
    auto sort = vigie::parse_sort_order(value);
    if (!sort) return "--sort must be relevance, date, -date, oldest or amount";
    o.request.sort = *sort;
  }
  return std::nullopt;
}

// The options; or the exit code when the command is done already (--help,
// --analyze) or refused (a usage error, printed).
std::variant<Options, int> parse_command_line(int argc, char** argv) {
  Options o;
  bool have_query = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--analyze") {
      if (!next) return usage_error("--analyze needs a text");
      vigie::print_analysis(next, std::cout);
      return 0;
    } else if (takes_value(arg)) {
      if (auto error = set_option(o, arg, next)) return usage_error(*error);
      ++i;
    } else if (arg == "--explain") {
      o.request.explain = true;
    } else if (arg == "--all-files") {
      o.request.collapse_duplicates = false;
    } else if (arg == "--any-words") {
      o.request.any_words = true;
    } else if (arg == "--exact") {
      o.request.correct = false;
    } else if (arg.starts_with("--")) {
      return usage_error("unknown option " + arg);
    } else {
      o.request.query += (have_query ? " " : "") + arg;
      have_query = true;
    }
  }
  if (!have_query) return usage_error("no query");
  if (!o.format) return usage_error("--format must be text, json, jsonl or csv");
  // An export holds what was asked, as /api/export does: a line cannot say
  // it was corrected.
  if (*o.format == vigie::OutputFormat::Csv || *o.format == vigie::OutputFormat::JsonLines)
    o.request.correct = false;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_command_line(argc, argv);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const Options& options = std::get<Options>(parsed);

  vigie::Config config;
  std::string config_path = options.config_path;
  try {
    if (config_path.empty() && std::filesystem::exists("config/vigie.json"))
      config_path = "config/vigie.json";
    if (!config_path.empty()) config = vigie::load_config(config_path);
  } catch (const vigie::ConfigError& e) {
    std::cerr << "vigie-search: " << e.what() << "\n";
    return 2;
  }
  try {
    const auto db = options.db.empty() ? config.index.path : std::filesystem::path(options.db);
    // Run outside the repository (no config file found), the CLI takes the
    // search settings the index recorded; synonyms and stop words always
    // come from the index (index_setup.h): the API's answers, from any
    // directory.
    if (config_path.empty()) vigie::adopt_recorded_search(config.search, db);
    vigie::Searcher searcher(db, config);
    searcher.check_shards();  // a wrong stub of shards: exit 2 naming it
    vigie::SearchOutput output(*options.format, ::isatty(STDOUT_FILENO) == 1, std::cout,
                               options.base_url);
    return output.run(searcher, options.request, config.search.max_page_size) > 0 ? 0 : 1;
  } catch (const vigie::QuerySyntaxError& e) {
    std::cerr << "vigie-search: invalid query: " << e.what() << "\n";
    return 2;
  } catch (const vigie::IndexUnavailable& e) {
    std::cerr << "vigie-search: " << e.what() << "\n";
    return 2;
  }
}
