// Config: the one configuration file (config/vigie.json), read with RapidJSON
// (comments and trailing commas allowed). Every key is documented in
// docs/configuration.md. Unknown keys and wrong types are errors that name the
// key ("server.port: expected an integer between 1 and 65535").
// Plain value type; read once at start-up, then shared read-only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigie {

// Defaults applied to every file under a folder (path inside the indexed
// root, e.g. "chemere/" when indexing ../shared/corpus). The longest matching
// prefix wins.
struct FolderDefaults {
  std::string path_prefix;
  std::string organisation;
  std::string place;
  std::string type;  // a doc type label or key; empty = infer
  // Per-format type overrides: {"pdf": "procès-verbal"}.
  std::vector<std::pair<std::string, std::string>> type_by_format;
};

struct IndexConfig {
  std::filesystem::path path = "var/index";  // holds gen-NNNNNN/ and the `current` stub
  int keep_generations = 2;  // generations kept, the live one included (2 = live + previous)
  int grace_seconds = 60;    // before an old generation is removed
};

struct IndexerConfig {
  std::vector<std::filesystem::path>
      roots;        // folders indexed when none are given ("NAME=PATH" allowed)
  int threads = 0;  // 0 = all cores
  std::uint64_t max_file_bytes = 200ull << 20;
  std::uint64_t max_unzipped_bytes = 256ull << 20;  // ODT/DOCX: total uncompressed size cap
  double max_zip_ratio = 200.0;                     // ODT/DOCX: uncompressed/compressed cap
  int max_pdf_pages = 5000;
  std::uint64_t max_text_bytes = 32ull << 20;  // extracted text per document is cut here
  std::vector<FolderDefaults> folders;
  // Glob patterns of files (and folders) the crawler skips: a collection's
  // own notes are not its documents (../shared/corpus/README.md was the
  // first hit of an empty search). A config's list replaces this one; []
  // indexes everything. Hidden files (.DS_Store, .git) are always skipped.
  std::vector<std::string> exclude = {
      "README",    "README.*",    "LISEZMOI",  "LISEZMOI.*",  "MANIFEST", "MANIFEST.*",
      "LICENSE",   "LICENSE.*",   "LICENCE",   "LICENCE.*",   "COPYING",  "COPYING.*",
      "CHANGELOG", "CHANGELOG.*", "Thumbs.db", "desktop.ini", "~$*",      "*~"};
};

struct Bm25Config {
  double k1 = 1.2, k2 = 0.0, k3 = 1.0, b = 0.75, min_normlen = 0.5;
};

struct SearchConfig {
  Bm25Config bm25;
  int title_weight = 3;                // wdf multiplier for title words in the body
  std::size_t max_query_bytes = 4096;  // longer queries are rejected with a message
  std::size_t max_query_terms = 256;
  std::size_t wildcard_limit = 200;  // prefix expansion cap
  std::size_t exact_facets_under = 20000;
  // Relevance order with the matches read from the posting lists: result
  // sets up to this many get exact facet counts; larger ones are counted
  // on a sample of about this many, scaled (flagged exact: false). Totals
  // stay exact. Why: the tally is O(matches) — 23 % of a search at 1M
  // documents (bench/README.md, issue 19); 20,000 as exact_facets_under.
  std::size_t exact_facet_counts_up_to = 20000;
  // Phrases and PROCHE in relevance order: up to this many candidates (the
  // documents with all their words) have their positions checked, giving
  // exact counts; beyond, a sample of this many does (estimates).
  std::size_t phrase_checks = 1000;
  // An index of several shards (docs/admin-guide.md, "Shards"): how long a
  // remote shard may take to connect or answer one request before the
  // others answer without it (SearchResponse::missing_shards).
  unsigned shard_timeout_ms = 2000;
  // Consecutive words of the query standing within proximity_span positions
  // of each other raise the weight of a top BM25 candidate by up to
  // × (1 + proximity_boost) (matcher/proximity.h; values measured in
  // docs/ranking.md). 0 = off.
  double proximity_boost = 0.25;
  std::size_t proximity_span = 3;
  // The query's plain words found in a top BM25 candidate's title raise
  // its weight by up to × (1 + title_boost): the share of the words' title
  // idf it holds (matcher/title_words.h; values measured in
  // docs/ranking.md). 0 = off.
  double title_boost = 0.5;
  // A query written as a question (query/question_form.h) is searched by
  // its words, none required, ranked by BM25 without the all-words tier
  // (docs/ranking.md, "Questions"). False: as keywords.
  bool questions_any_words = true;
  std::size_t snippet_chars = 300;
  std::size_t max_page_size = 100;
  std::size_t export_cap = 100000;   // hits in one /api/export (and its `limit` maximum)
  std::size_t result_cache_mb = 32;  // vigie-server's cache of answered searches; 0 = none
};

struct ServerConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;
  // Connections served at once, one thread each (mostly blocked in recv:
  // cheap). The key `threads` is its former name, still accepted.
  int max_connections = 1024;
  // Requests doing CPU work (search, page, export) at once; 0 = one per core.
  int workers = 0;
  // Requests waiting for a worker, each at most queue_timeout_ms, before 503.
  int queue = 256;
  int queue_timeout_ms = 2000;
  int request_timeout_ms = 10000;  // a request's head and body must arrive within this
  int timeout_ms = 5000;
  int keepalive_max_requests = 100;
  std::size_t max_header_bytes = 16 * 1024;
  std::size_t max_body_bytes = 64 * 1024;
  int max_connections_per_client = 32;  // open connections from one address; 0 = no cap
  std::string admin_token;              // also VIGIE_ADMIN_TOKEN; empty = admin API disabled (403)
};

struct AnalysisConfig {
  std::filesystem::path stopwords = "stopwords-fr.txt";  // relative to the config file
  std::filesystem::path synonyms = "synonyms.txt";
};

struct Config {
  std::filesystem::path source;  // the file it was read from (empty for defaults)
  IndexConfig index;
  IndexerConfig indexer;
  SearchConfig search;
  ServerConfig server;
  AnalysisConfig analysis;

  // Folder defaults for a root-relative path ("chemere/pdf/CM.pdf"), if any.
  const FolderDefaults* defaults_for(const std::string& relative_path) const;
};

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads and validates a config file. Relative `index.path` and
// `indexer.roots` are resolved against the current directory; `analysis.*`
// files against the config file's folder. Throws ConfigError naming the key.
Config load_config(const std::filesystem::path& file);
// Same, from text (for tests and fuzzing); `origin` names it in messages.
Config parse_config(const std::string& json_text, const std::filesystem::path& origin);

}  // namespace vigie
