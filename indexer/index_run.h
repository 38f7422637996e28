// run_index: one vigie-index run — crawl, plan, extract on N threads, write on
// one thread (DESIGN.md "Data flow").
//
// - Incremental by default: new files added; changed files (size+mtime, then
//   content hash) re-extracted; documents of vanished files deleted; an
//   unchanged corpus is a no-op. Files that failed before and did not change
//   are reported again from the index's memory, not re-extracted.
// - `full` builds a new generation and switches it in atomically; the old one
//   serves until the switch (IndexDirectory).
// - Crash safety: each file's documents are written in one Xapian
//   transaction, and commits only happen between files, so a kill -9 leaves
//   the last committed state and the next run completes the work.
// - Memory is bounded: at most `window` files are in flight between the
//   extraction threads and the writer, and results are written in crawl order
//   (so 1 or N threads give the same index).
//
// Errors: bad files are reported in the IndexReport, never thrown. Throws
// IndexError when the index itself cannot be opened, locked or written.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "file_crawler.h"
#include "index_report.h"
#include "vigie/config.h"

namespace vigie {

struct IndexOptions {
  std::filesystem::path db;     // the index directory (holds `current` and generations)
  std::vector<IndexRoot> roots;
  bool full = false;
  bool dry_run = false;
  int threads = 0;              // 0 = all cores
  bool progress = false;        // progress on stderr (a bar on a terminal, lines otherwise)
  // Documents written between two commits (also bounded by text size).
  std::size_t commit_every_documents = 20000;
};

IndexReport run_index(const Config& config, const IndexOptions& options);

}  // namespace vigie
