// IndexDirectory: the on-disk layout of an index (docs/architecture.md, "Index generations").
//
//   var/index/
//     current          Xapian stub file naming the live generation ("auto gen-000003")
//     gen-000003/      a Xapian database (the live one)
//     gen-000002/      the previous one, kept for a grace period
//     .lock            held (flock) by the one indexer allowed to write
//
// Readers open `current` (a stub: Xapian follows it); a full rebuild writes a
// new generation then atomically renames a new stub over `current`.
// Not thread-safe for writers (one indexer at a time: see IndexLock); reading
// functions are safe to call from any thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace vigie {

class IndexError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class IndexDirectory {
 public:
  explicit IndexDirectory(std::filesystem::path root);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path stub_path() const { return root_ / "current"; }
  bool exists() const;  // a readable stub naming a generation or a remote shard is present

  // The generation the stub names (absolute path), if any: the folder of its
  // first local line, or the generation holding that shard (gen-N/shard-00).
  std::optional<std::filesystem::path> live_generation() const;
  // Whether the stub lists a remote shard (`remote HOST:PORT`): a stub for
  // searchers, which vigie-index does not write into (docs/admin-guide.md).
  bool lists_remote_shards() const;
  // The shard databases of `generation` when it was built in several
  // (vigie-index --shards N: gen-N/shard-00, shard-01…), in order; empty
  // for a generation that is one database.
  static std::vector<std::filesystem::path> shards_of(const std::filesystem::path& generation);
  // Every gen-NNNNNN folder, oldest first.
  std::vector<std::filesystem::path> generations() const;
  // A path for a generation newer than every existing one (not created).
  std::filesystem::path next_generation() const;

  // Makes `generation` live: writes a temporary stub then renames it over
  // `current` (atomic on POSIX), after fsync, so readers see old or new.
  // A generation of several shards gets a line per shard (shards_of()).
  void switch_to(const std::filesystem::path& generation) const;

  // Removes generations other than the live one beyond the newest `keep`
  // (the live one counts), once they have been retired for at least `grace`;
  // also removes generations that were never live (an interrupted rebuild).
  // Only call it while holding the IndexLock. Returns the removed paths.
  std::vector<std::filesystem::path> remove_retired(int keep, std::chrono::seconds grace) const;
  // Removes generations that were never made live (left by a rebuild that
  // was interrupted), so they are never mistaken for a previous generation.
  // Only call it while holding the IndexLock.
  std::vector<std::filesystem::path> remove_abandoned() const;

 private:
  std::filesystem::path root_;
};

// Exclusive writer lock on an index directory (flock on root/.lock), released
// on destruction or process death (so kill -9 never leaves a stale lock).
class IndexLock {
 public:
  // Throws IndexError("another vigie-index is writing ...") when held elsewhere.
  explicit IndexLock(const std::filesystem::path& root);
  ~IndexLock();
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace vigie
