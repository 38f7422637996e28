// The position streams of a --full build of one database, kept out of its
// block shards (index layout 8, common/index/stream_store.h: as values too
// they were 19 % of the index, 90 of 474 MB at 100k) and written into the
// merged generation's stream file once the blocks are compacted.
// StreamSpill: one block's streams in a file beside its shard, one record
// per document in docid order (u32 length, then the stream).
// write_spilled_streams(): reads the blocks back in the merged docids'
// order — compaction renumbers each block after the previous block's last
// id, its document count (a block shard deletes nothing).
// Thread-safety: a StreamSpill is one writer thread's. Errors: IndexError
// (naming the file) when a spill cannot be written or read, or the spills
// do not add up to the merged database.
#pragma once

#include <xapian.h>

#include <cstdio>
#include <filesystem>
#include <string_view>
#include <vector>

namespace vigie {

class StreamSpill {
 public:
  explicit StreamSpill(std::filesystem::path path);
  ~StreamSpill();
  StreamSpill(const StreamSpill&) = delete;
  StreamSpill& operator=(const StreamSpill&) = delete;

  void add(std::string_view stream);
  // Flushes and closes the file (before the spill is read back).
  void close();

 private:
  std::filesystem::path path_;
  std::FILE* file_ = nullptr;
};

struct SpilledBlock {
  std::filesystem::path streams;  // its StreamSpill's file
  Xapian::docid documents = 0;    // how many it holds
};

// Writes the stream file (StreamStore) of the database at `generation`, the
// compaction of `blocks` in this order.
void write_spilled_streams(const std::filesystem::path& generation,
                           const std::vector<SpilledBlock>& blocks);

}  // namespace vigie
