// search_bench: in-process query latency of vigie::Searcher, as /api/search
// serves it — top 10, facets, highlighted extracts, and the JSON answer.
//
//   search_bench --db DIR [--config FILE] [--queries FILE] [--runs N] [--no-facets]
// --no-facets: no facet counts, as the peers answer (Lucene's row counts none).
//
// Reads KIND<TAB>QUERY lines (bench/queries.txt), runs every query once to
// warm the caches, then N timed passes (default 3). Prints one JSON object:
// per pass p50/p95/p99/mean in ms, the median of the passes, the same per
// kind of query, and how many queries failed. Single thread: one Searcher,
// as one server worker holds.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "vigie/config.h"
#include "vigie/search_json.h"
#include "vigie/searcher.h"

namespace {

struct Query {
  std::string kind, text;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const double rank = p * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(rank);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (v[hi] - v[lo]) * (rank - static_cast<double>(lo));
}

double median(std::vector<double> v) { return percentile(std::move(v), 0.5); }

std::string stats_json(const std::vector<double>& ms) {
  double sum = 0;
  for (double x : ms) sum += x;
  char buf[256];
  std::snprintf(buf, sizeof buf, "{\"p50\":%.4f,\"p95\":%.4f,\"p99\":%.4f,\"mean\":%.4f,\"n\":%zu}",
                percentile(ms, 0.5), percentile(ms, 0.95), percentile(ms, 0.99),
                ms.empty() ? 0 : sum / static_cast<double>(ms.size()), ms.size());
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db, config_path = "config/vigie.json", queries_path = "bench/queries.txt";
  int runs = 3;
  bool facets = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--db")
      db = next();
    else if (arg == "--config")
      config_path = next();
    else if (arg == "--queries")
      queries_path = next();
    else if (arg == "--runs")
      runs = std::max(1, std::atoi(next().c_str()));
    else if (arg == "--no-facets")
      facets = false;
    else {
      std::cerr << "usage: search_bench --db DIR [--config FILE] [--queries FILE] [--runs N] "
                   "[--no-facets]\n";
      return 2;
    }
  }
  if (db.empty()) {
    std::cerr << "search_bench: --db DIR is required\n";
    return 2;
  }
  std::vector<Query> queries;
  std::ifstream in(queries_path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    queries.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  if (queries.empty()) {
    std::cerr << "search_bench: no queries in " << queries_path << "\n";
    return 2;
  }
  const vigie::Config config = vigie::load_config(config_path);
  vigie::Searcher searcher(db, config);

  std::size_t errors = 0, empty = 0, json_bytes = 0;
  auto one = [&](const Query& q) {
    vigie::SearchRequest request;
    request.query = q.text;
    request.limit = 10;
    request.facets = facets;
    const auto started = std::chrono::steady_clock::now();
    try {
      const vigie::SearchResponse response = searcher.search(request);
      json_bytes += vigie::search_response_json(response).size();
      if (response.hits.empty()) ++empty;
    } catch (const std::exception& e) {
      ++errors;
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
        .count();
  };

  // Warm-up pass (caches, stem cache, pages, the columns): its time and the
  // first query's are reported, the cost of a searcher's first requests.
  double warmup_ms = 0, first_ms = 0;
  for (const auto& q : queries) {
    const double ms = one(q);
    if (&q == &queries.front()) first_ms = ms;
    warmup_ms += ms;
  }
  errors = empty = 0;

  std::vector<std::vector<double>> passes;
  std::map<std::string, std::vector<std::vector<double>>> by_kind;
  for (int r = 0; r < runs; ++r) {
    std::vector<double> all;
    std::map<std::string, std::vector<double>> kinds;
    for (const auto& q : queries) {
      const double ms = one(q);
      all.push_back(ms);
      kinds[q.kind].push_back(ms);
    }
    passes.push_back(all);
    for (auto& [k, v] : kinds) by_kind[k].push_back(v);
  }

  auto median_of = [&](const std::vector<std::vector<double>>& p) {
    std::vector<double> p50, p95, p99, mean;
    for (const auto& v : p) {
      p50.push_back(percentile(v, 0.5));
      p95.push_back(percentile(v, 0.95));
      p99.push_back(percentile(v, 0.99));
      double s = 0;
      for (double x : v) s += x;
      mean.push_back(s / static_cast<double>(v.size()));
    }
    char buf[256];
    std::snprintf(buf, sizeof buf, "{\"p50\":%.4f,\"p95\":%.4f,\"p99\":%.4f,\"mean\":%.4f}",
                  median(p50), median(p95), median(p99), median(mean));
    return std::string(buf);
  };

  std::cout << "{\"engine\":\"vigie\",\"queries\":" << queries.size() << ",\"runs\":" << runs
            << ",\"documents\":" << searcher.document_count() << ",\"errors\":" << errors / runs
            << ",\"empty\":" << empty / runs
            << ",\"json_bytes_per_query\":" << json_bytes / (queries.size() * (runs + 1))
            << ",\"warmup_ms\":" << warmup_ms << ",\"first_ms\":" << first_ms
            << ",\"median\":" << median_of(passes) << ",\"passes\":[";
  for (std::size_t i = 0; i < passes.size(); ++i)
    std::cout << (i ? "," : "") << stats_json(passes[i]);
  std::cout << "],\"by_kind\":{";
  bool first = true;
  for (const auto& [k, p] : by_kind) {
    std::cout << (first ? "" : ",") << "\"" << k << "\":" << median_of(p);
    first = false;
  }
  std::cout << "}}\n";
  return errors == 0 ? 0 : 1;
}
