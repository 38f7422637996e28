// analyzer_bench: throughput of FrenchAnalyzer on real French public-policy
// text, in MB/s and tokens/s.
//
//   analyzer_bench [CORPUS_DIR]
//
// Text: every council-session JSON under CORPUS_DIR (the deliberations'
// "titre" and "text", read with RapidJSON) and every Markdown file but
// README.md. Default CORPUS_DIR: ../shared/corpus next to the
// repository (found from the executable's and the current directory's
// ancestors). The documents are concatenated into one buffer, repeated until
// it holds at least 20 MB, then analysed one document at a time (as the
// indexer calls the analyzer) — 5 runs per thread count, median reported.
//
// One analyzer per thread, reused across runs (as the indexer does); its
// stem cache is therefore warm after the first run, like on a real corpus
// whose vocabulary repeats. Output: a short Markdown table on stdout.
#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "vigie/french_analyzer.h"

namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMinBufferBytes = 20u << 20;
constexpr int kRuns = 5;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// ../shared/corpus relative to the repository root: try the ancestors of the
// executable (build/release/bench/analyzer_bench) and of the current folder.
std::optional<fs::path> find_default_corpus(const char* argv0) {
  std::vector<fs::path> starts;
  std::error_code ec;
  fs::path exe = fs::canonical("/proc/self/exe", ec);
  if (ec) exe = fs::absolute(argv0, ec);
  if (!ec) starts.push_back(exe.parent_path());
  starts.push_back(fs::current_path(ec));
  for (const fs::path& start : starts) {
    for (fs::path dir = start; !dir.empty(); dir = dir.parent_path()) {
      for (const fs::path& candidate :
           {dir / ".." / "shared" / "corpus", dir / "shared" / "corpus"}) {
        if (fs::is_directory(candidate / "chemere", ec)) return fs::weakly_canonical(candidate, ec);
      }
      if (dir == dir.root_path()) break;
    }
  }
  return std::nullopt;
}

// The texts of one council-session JSON file: each deliberation's title and
// text. Files of another shape give nothing.
void add_json_minutes(const fs::path& path, std::vector<std::string>& texts) {
  const std::string bytes = read_file(path);
  rapidjson::Document root;
  root.Parse<rapidjson::kParseIterativeFlag>(bytes.data(), bytes.size());
  if (root.HasParseError() || !root.IsObject()) return;
  const auto deliberations = root.FindMember("deliberations");
  if (deliberations == root.MemberEnd() || !deliberations->value.IsArray()) return;
  for (const auto& entry : deliberations->value.GetArray()) {
    if (!entry.IsObject()) continue;
    std::string text;
    for (const char* key : {"titre", "text"}) {
      const auto field = entry.FindMember(key);
      if (field == entry.MemberEnd() || !field->value.IsString()) continue;
      text.append(field->value.GetString(), field->value.GetStringLength());
      text += '\n';
    }
    if (!text.empty()) texts.push_back(std::move(text));
  }
}

std::vector<std::string> collect_texts(const fs::path& corpus) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(corpus, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    const fs::path& p = it->path();
    if (p.filename().string().starts_with(".")) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    // README.md files describe a corpus; they are not part of it.
    const std::string ext = p.extension().string();
    if (it->is_regular_file(ec) && (ext == ".json" || ext == ".md") && p.filename() != "README.md")
      files.push_back(p);
  }
  std::sort(files.begin(), files.end());  // the same buffer on every run and machine
  std::vector<std::string> texts;
  for (const fs::path& p : files) {
    if (p.extension() == ".json") {
      add_json_minutes(p, texts);
    } else {
      texts.push_back(read_file(p));
    }
  }
  return texts;
}

// The corpus text in one buffer, and each document's place in it.
struct Workload {
  std::string buffer;
  std::vector<std::string_view> documents;
  std::size_t corpus_documents = 0;
  std::size_t corpus_bytes = 0;
  int repeats = 0;
};

Workload make_workload(const std::vector<std::string>& texts) {
  Workload w;
  w.corpus_documents = texts.size();
  for (const auto& t : texts) w.corpus_bytes += t.size();
  if (w.corpus_bytes == 0) return w;
  w.repeats = static_cast<int>((kMinBufferBytes + w.corpus_bytes - 1) / w.corpus_bytes);
  w.buffer.reserve(w.corpus_bytes * static_cast<std::size_t>(w.repeats));
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (int r = 0; r < w.repeats; ++r) {
    for (const auto& t : texts) {
      spans.push_back({w.buffer.size(), t.size()});
      w.buffer += t;
    }
  }
  for (auto [at, size] : spans) w.documents.push_back(std::string_view(w.buffer).substr(at, size));
  return w;
}

struct Count {
  std::uint64_t tokens = 0;
  std::uint64_t bytes = 0;
};

Count analyze_all(vigie::FrenchAnalyzer& analyzer, const std::vector<std::string_view>& documents,
                  std::size_t begin, std::size_t end) {
  Count count;
  auto sink = [&count](const vigie::Token&) { ++count.tokens; };
  for (std::size_t i = begin; i < end; ++i) {
    analyzer.analyze(documents[i], sink);
    count.bytes += documents[i].size();
  }
  return count;
}

struct Measure {
  int threads = 0;
  double median_mb_s = 0, min_mb_s = 0, max_mb_s = 0, median_tokens_s = 0;
  std::uint64_t tokens = 0;
};

// Splits the documents into `threads` parts of about equal bytes; each thread
// has its own analyzer (an analyzer is not thread-safe), kept across runs.
Measure measure(const Workload& w, int threads) {
  std::vector<std::size_t> cuts{0};
  const std::size_t share = w.buffer.size() / static_cast<std::size_t>(threads);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < w.documents.size() && cuts.size() < static_cast<std::size_t>(threads);
       ++i) {
    bytes += w.documents[i].size();
    if (bytes >= share * cuts.size()) cuts.push_back(i + 1);
  }
  while (cuts.size() <= static_cast<std::size_t>(threads)) cuts.push_back(w.documents.size());
  cuts.back() = w.documents.size();

  std::vector<std::unique_ptr<vigie::FrenchAnalyzer>> analyzers;
  for (int t = 0; t < threads; ++t) analyzers.push_back(std::make_unique<vigie::FrenchAnalyzer>());

  std::vector<double> mb_s, tokens_s;
  Measure m;
  m.threads = threads;
  for (int run = 0; run < kRuns; ++run) {
    std::vector<Count> counts(static_cast<std::size_t>(threads));
    const auto started = std::chrono::steady_clock::now();
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const auto i = static_cast<std::size_t>(t);
        counts[i] = analyze_all(*analyzers[i], w.documents, cuts[i], cuts[i + 1]);
      });
    }
    for (auto& worker : workers) worker.join();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    Count total;
    for (const auto& c : counts) {
      total.tokens += c.tokens;
      total.bytes += c.bytes;
    }
    mb_s.push_back(static_cast<double>(total.bytes) / (1024.0 * 1024.0) / seconds);
    tokens_s.push_back(static_cast<double>(total.tokens) / seconds);
    m.tokens = total.tokens;
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  m.median_mb_s = median(mb_s);
  m.median_tokens_s = median(tokens_s);
  m.min_mb_s = *std::min_element(mb_s.begin(), mb_s.end());
  m.max_mb_s = *std::max_element(mb_s.begin(), mb_s.end());
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 ||
      (argc == 2 && (std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h"))) {
    std::cerr << "usage: analyzer_bench [CORPUS_DIR]   (default: ../shared/corpus)\n";
    return argc > 2 ? 2 : 0;
  }
  fs::path corpus;
  if (argc == 2) {
    corpus = argv[1];
  } else if (auto found = find_default_corpus(argv[0])) {
    corpus = *found;
  } else {
    std::cerr << "analyzer_bench: ../shared/corpus not found; give the corpus folder as argument\n";
    return 2;
  }
  if (!fs::is_directory(corpus)) {
    std::cerr << "analyzer_bench: " << corpus.string() << " is not a folder\n";
    return 2;
  }

  const Workload w = make_workload(collect_texts(corpus));
  if (w.documents.empty()) {
    std::cerr << "analyzer_bench: no JSON minutes or Markdown text under " << corpus.string()
              << "\n";
    return 1;
  }

  std::vector<int> thread_counts{1, 2};
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  if (cores > 2) thread_counts.push_back(cores);

  const double mb = static_cast<double>(w.buffer.size()) / (1024.0 * 1024.0);
  std::printf("## FrenchAnalyzer throughput\n\n");
  std::printf(
      "Corpus: %s — %zu documents, %.2f MB of text, repeated %d× → %.1f MB per run; "
      "%d runs per row, median; %d hardware threads.\n\n",
      corpus.string().c_str(), w.corpus_documents,
      static_cast<double>(w.corpus_bytes) / (1024.0 * 1024.0), w.repeats, mb, kRuns, cores);
  std::printf(
      "| threads | MB/s (median) | MB/s (min–max) | tokens/s (median) | tokens per run |\n");
  std::printf(
      "|--------:|--------------:|---------------:|------------------:|---------------:|\n");
  for (int threads : thread_counts) {
    const Measure m = measure(w, threads);
    std::printf("| %d | %.1f | %.1f–%.1f | %.2f M | %.2f M |\n", m.threads, m.median_mb_s,
                m.min_mb_s, m.max_mb_s, m.median_tokens_s / 1e6,
                static_cast<double>(m.tokens) / 1e6);
    std::fflush(stdout);
  }
  return 0;
}
