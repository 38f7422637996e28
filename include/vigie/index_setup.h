// IndexSetup: what a generation was built with — its roots, the folder rules,
// the synonyms and stop words files' text, the search settings — recorded by
// vigie-index in the generation's user metadata (schema::kSetupKey), so that
// the programs that read the index need nothing else to answer alike:
//
// - vigie-server --db DIR serves the source files under the recorded roots
//   (a config file's indexer.roots may only restrict them: source_roots());
// - the Searcher expands synonyms and drops stop words as recorded, whatever
//   files the reader's config names or its working directory (a query reads
//   the same vocabulary the index was built with: a config file edited
//   afterwards takes effect at the next vigie-index run, incremental or not);
// - a program run without a config file (vigie-search outside the
//   repository, vigie-server --db DIR) takes the recorded search settings
//   (BM25, limits), which change rankings: adopt_recorded_search(). With a
//   config file, its search settings win: it is the admin's word.
//
// Why the index and not a config lookup: the CLI and the server may run from
// any directory, with or without config/vigie.json in reach; the index is the
// one thing both must open. The record is a few KB (the demo config: 2.4 KB).
// Thread-safety: free functions on the handles given. Errors: a record that
// cannot be read (damaged, or from a newer Vigie) is reported as nullopt by
// recorded_setup, with the reason in `problem`; Xapian errors propagate.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "vigie/config.h"

namespace vigie {

struct IndexedRoot {
  std::string name;           // "" for an unnamed root (ids are relative to it)
  std::filesystem::path dir;  // absolute, as the indexer resolved it
};

struct IndexSetup {
  std::vector<IndexedRoot> roots;
  std::vector<FolderDefaults> folders;
  std::string synonyms;   // the synonyms file's text; "" when there was none
  std::string stopwords;  // the stop words file's text; "" when there was none
  SearchConfig search;
};

// Writes `setup` into `db`'s metadata (effective at its next commit).
void record_setup(Xapian::WritableDatabase& db, const IndexSetup& setup);
// The setup recorded in `db`; nullopt for an index written before Vigie
// recorded it, or a record it cannot read (then `problem` says why).
std::optional<IndexSetup> recorded_setup(const Xapian::Database& db,
                                         std::string* problem = nullptr);

// The roots whose files may be served: the recorded ones, restricted by the
// config's `configured` roots when there are any ("NAME=PATH" or PATH, as in
// indexer.roots): a recorded root is kept when its folder is one of the
// configured folders or lies inside one; its name stays the recorded one,
// since document ids carry it. Without a record (`setup` nullopt), the
// configured roots, as before. A config never adds a root the index lacks.
std::vector<IndexedRoot> source_roots(const std::optional<IndexSetup>& setup,
                                      const std::vector<std::filesystem::path>& configured);

// The setup recorded in the live generation of the index at `index_dir`;
// nullopt when there is no index yet, it cannot be opened, or it has no
// record (the Searcher reports an unusable index on the first search).
std::optional<IndexSetup> live_setup(const std::filesystem::path& index_dir);

// For a program started without a config file: `search` takes the settings
// recorded in the index at `index_dir`, when it has them, except
// result_cache_mb (the reading program's own memory, not an answer).
void adopt_recorded_search(SearchConfig& search, const std::filesystem::path& index_dir);

// "NAME=PATH" or "PATH" (the indexer's rule: a name never holds '/'), with
// PATH made absolute and canonical when it exists.
IndexedRoot parse_root_argument(const std::string& argument);

}  // namespace vigie
