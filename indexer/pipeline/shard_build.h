// The --full build on N threads: the planned files are cut into contiguous
// blocks of the crawl order (of about equal bytes); each extraction thread
// takes the next block and both analyses AND writes its files into a shard of
// its own (a Xapian::WritableDatabase under <generation>/shards/), so the
// Xapian writing, which used to be one thread's bottleneck, runs on every
// core. The shards are then merged into the generation with Xapian's
// compaction, which renumbers each shard's documents after the previous
// one's: documents get their crawl-order docids whatever the number of
// threads, and the merged tables come out compacted (full blocks).
//
// - A document id written twice (two files giving the same id) keeps its
//   last document, at that document's docid; the earlier ones are deleted
//   after the merge. So the index does not depend on where blocks end.
// - The spelling words (frequencies add up) and the stem families (sets) of
//   every block are gathered in memory and written once into the merged
//   generation, after the compaction; past a memory bound, a block writes
//   its own into its shard and the compaction merges them. The user's
//   synonyms and the index schema version (index_schema.h) are written into
//   the first shard.
// - No commit per file nor per document: a shard commits when it is done (or
//   every 256 MB of text), without fsync (DB_NO_SYNC) — a shard that a crash
//   interrupts is thrown away with its unfinished generation anyway
//   (IndexDirectory::remove_abandoned); only the compaction's output, which
//   Xapian syncs, is ever made live.
//
// Thread-safety: build_generation_in_shards runs its own threads; call it
// from one thread. Errors: bad files go to the report; a failure to write
// rethrows the Xapian::Error (or other exception) of the first failing block
// after every thread has stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <utility>
#include <vector>

#include "pipeline/file_indexing.h"
#include "pipeline/index_report.h"

namespace vigie {

struct ShardBuildOptions {
  std::size_t threads = 1;
  bool progress = false;           // ProgressMeter on stderr
  std::filesystem::path synonyms;  // config.analysis.synonyms
  std::size_t word_tables_held =
      1000000;  // spelling words / family pairs kept for the merged generation
  // --shards N: the generation is N databases, <generation>/shard-00…, each
  // file in the shard its source term hashes to (shard_routing.h).
  std::size_t output_shards = 1;
};

// Writes `tasks` (in crawl order, none already indexed) into the new, empty
// generation folder `generation` (or its shard folders: output_shards);
// fills added, documents, text_bytes, bytes_read, warnings, skipped and
// failed of `report`. With several output shards, every shard holds the
// schema, the data dictionary, the stream vocabulary and the synonyms (one
// training for all: one set of codes), families are assigned over them all,
// and the spelling words and stem families gathered go into the first
// (a combined database reads every shard's: search/shard_set.h).
void build_generation_in_shards(const std::filesystem::path& generation,
                                const std::vector<FileTask>& tasks, const Extraction& extraction,
                                const SearchConfig& search, const ShardBuildOptions& options,
                                IndexReport& report);

// [begin, end) ranges cutting `sizes` into at most `blocks` contiguous runs of
// about equal total size (every item in exactly one range, none empty;
// one empty range when there are no items).
std::vector<std::pair<std::size_t, std::size_t>> split_by_size(
    const std::vector<std::uint64_t>& sizes, std::size_t blocks);

}  // namespace vigie
