// vigie-index: turns folders of documents into the Vigie index.
//   vigie-index [--config FILE] [--db DIR] [--full] [--threads N] [--report FILE]
//               [--dry-run] [--quiet] [NAME=]PATH...
// Exit codes: 0 done (bad files are reported, not fatal); 1 the index could
// not be written, or nothing at all could be indexed; 2 usage error.
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "pipeline/index_run.h"
#include "vigie/config.h"
#include "vigie/index_directory.h"

namespace {

constexpr const char* kUsage =
    "usage: vigie-index [--config FILE] [--db DIR] [--full] [--threads N] [--shards N]\n"
    "                   [--report FILE] [--dry-run] [--quiet] [NAME=]PATH...\n"
    "\n"
    "Indexes the files under each PATH (default: indexer.roots from the config).\n"
    "  --config FILE  configuration (default: config/vigie.json when present)\n"
    "  --db DIR       index directory (default: index.path from the config)\n"
    "  --full         rebuild a new generation and switch to it atomically\n"
    "  --threads N    extraction threads (default: all cores)\n"
    "  --shards N     build the generation as N shards, each file in the one its path hashes to\n"
    "                 (default: as many as the live generation has, else 1; docs/admin-guide.md)\n"
    "  --report FILE  write a JSON report (added, updated, deleted, skipped[], failed[], ...)\n"
    "  --dry-run      show what would change, write nothing\n"
    "  --quiet        no progress, only errors and the summary\n"
    "  NAME=PATH      prefix document ids with NAME (to index several roots into one index)\n";

int usage_error(const std::string& message) {
  std::cerr << "vigie-index: " << message << "\n\n" << kUsage;
  return 2;
}

// An option's whole number in [1, most], or -1 (missing, not a number, out of range).
long count_of(const char* text, long most) {
  if (!text) return -1;
  char* end = nullptr;
  const long n = std::strtol(text, &end, 10);
  return *end || n < 1 || n > most ? -1 : n;
}

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, db, report_path;
  vigie::IndexOptions options;
  bool quiet = false;
  int threads = -1;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--config") {
      const char* v = value();
      if (!v) return usage_error("--config needs a file");
      config_path = v;
    } else if (arg == "--db") {
      const char* v = value();
      if (!v) return usage_error("--db needs a directory");
      db = v;
    } else if (arg == "--report") {
      const char* v = value();
      if (!v) return usage_error("--report needs a file");
      report_path = v;
    } else if (arg == "--threads") {
      const long n = count_of(value(), 256);
      if (n < 1) return usage_error("--threads needs a number between 1 and 256");
      threads = static_cast<int>(n);
    } else if (arg == "--shards") {
      const long n = count_of(value(), 64);
      if (n < 1) return usage_error("--shards needs a number between 1 and 64");
      options.shards = static_cast<std::size_t>(n);
    } else if (arg == "--full") {
      options.full = true;
    } else if (arg == "--dry-run") {
      options.dry_run = true;
    } else if (arg == "--quiet" || arg == "-q") {
      quiet = true;
    } else if (arg.starts_with("-") && arg != "-") {
      return usage_error("unknown option " + arg);
    } else {
      paths.push_back(arg);
    }
  }

  vigie::Config config;
  try {
    if (config_path.empty() && std::filesystem::exists("config/vigie.json"))
      config_path = "config/vigie.json";
    if (!config_path.empty()) config = vigie::load_config(config_path);
  } catch (const vigie::ConfigError& e) {
    std::cerr << "vigie-index: " << e.what() << "\n";
    return 2;
  }
  options.db = db.empty() ? config.index.path : std::filesystem::path(db);
  options.threads = threads > 0 ? threads : config.indexer.threads;
  options.progress = !quiet;
  try {
    if (paths.empty())
      for (const auto& r : config.indexer.roots)
        options.roots.push_back(vigie::IndexRoot::parse(r.string()));
    for (const auto& p : paths) options.roots.push_back(vigie::IndexRoot::parse(p));
  } catch (const std::invalid_argument& e) {
    return usage_error(e.what());
  }
  if (options.roots.empty())
    return usage_error("no folder to index (give PATH or set indexer.roots)");

  vigie::IndexReport report;
  try {
    report = vigie::run_index(config, options);
  } catch (const vigie::IndexError& e) {
    std::cerr << "vigie-index: " << e.what() << "\n";
    return 1;
  }

  if (!quiet || !report.failed.empty()) {
    for (const auto& p : report.failed)
      std::cerr << "failed: " << p.path << ": " << p.kind << ": " << p.reason << "\n";
  }
  if (!quiet) {
    for (const auto& p : report.skipped)
      std::cerr << "skipped: " << p.path << ": " << p.reason << "\n";
    for (const auto& w : report.warnings) std::cerr << "warning: " << w << "\n";
  }
  std::cerr << "vigie-index: " << report.summary() << "\n";
  if (!report_path.empty()) {
    std::ofstream out(report_path, std::ios::trunc);
    out << report.to_json();
    if (!out) {
      std::cerr << "vigie-index: cannot write the report to " << report_path << "\n";
      return 1;
    }
  }
  const bool nothing_indexed =
      report.documents == 0 && report.added + report.updated + report.unchanged == 0;
  if (!options.dry_run && nothing_indexed && !report.failed.empty()) {
    std::cerr << "vigie-index: nothing could be indexed (see the failures above)\n";
    return 1;
  }
  return 0;
}
