// run_index: one vigie-index run — crawl, plan, extract on N threads, write
// (docs/architecture.md, "Data flow").
//
// - Incremental by default: new files added; changed files (size+mtime, then
//   content hash) re-extracted; documents of vanished files deleted; an
//   unchanged corpus is a no-op. Files that failed before and did not change
//   are reported again from the index's memory, not re-extracted. One writer
//   thread; at most `window` files are in flight between the extraction
//   threads and it, and results are written in crawl order.
// - `full` (and the first run) builds a new generation and switches it in
//   atomically; the old one serves until the switch (IndexDirectory). Every
//   thread extracts AND writes a shard of its own, then the shards are merged
//   by Xapian's compaction (shard_build.h). Docids follow the crawl order
//   either way, so 1 or N threads give the same index.
// - Crash safety: in an incremental run each file's documents are written in
//   one Xapian transaction, and commits only happen between files, so a
//   kill -9 leaves the last committed state and the next run completes the
//   work. A killed --full leaves an unfinished generation that was never
//   live; the next run (of either kind) removes it.
//
// Errors: bad files are reported in the IndexReport, never thrown. Throws
// IndexError when the index itself cannot be opened, locked or written.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "pipeline/file_crawler.h"
#include "pipeline/index_report.h"
#include "vigie/config.h"

namespace vigie {

struct IndexOptions {
  std::filesystem::path db;  // the index directory (holds `current` and generations)
  std::vector<IndexRoot> roots;
  bool full = false;
  bool dry_run = false;
  int threads = 0;        // 0 = all cores
  bool progress = false;  // progress on stderr (a bar on a terminal, lines otherwise)
  // Documents written between two commits (also bounded by text size).
  std::size_t commit_every_documents = 20000;
  // --full: spelling words, or stem-family pairs, held in memory for the
  // merged generation (shard_build.h); past it, shards keep their own.
  std::size_t word_tables_held = 1000000;
  // --shards N: a --full build writes N shards (shard_build.h); 0 keeps the
  // live generation's number (1 for a first run). A number other than the
  // live generation's makes the run a full rebuild.
  std::size_t shards = 0;
};

IndexReport run_index(const Config& config, const IndexOptions& options);

}  // namespace vigie
