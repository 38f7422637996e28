// StreamStore: a generation's position streams (position_stream.h) in a
// file of their own beside its Xapian tables, memory-mapped by searchers.
//
// Why: a phrase or a PROCHE checks its candidates' streams one document at
// a time (positional_search.h: up to search.phrase_checks of them). Read
// through Xapian, each check of a sparse candidate is a B-tree descent and
// a pread() of an 8 KB block (~2.5 µs: a third of a phrase's time went to
// the kernel copying blocks); from a mapped file it is an offset lookup.
//
// The file (kFileName) is written by vigie-index at the end of every run
// that leaves the generation changed, from the streams of its committed
// revision, and names that revision: a searcher uses it only when it holds
// exactly the revision it searches (the generation's UUID, revision and last
// document id); otherwise (an older file, a run killed before writing it,
// a damaged file) the searcher reads the streams through Xapian as before —
// same answers, slower phrases (StreamStoreSlot looks for the file again
// while it is missing). The pages the mapping touches are page
// cache (RssFile), which the kernel may drop, not the server's own memory.
//
// Layout (native little-endian, x86-64): "VIGIEPS1", u32 revision, u32 last
// document id, 40 bytes of UUID (NUL-padded), then u64 offsets[last + 2]
// from the file's start, then the streams: document d's is the bytes
// [offsets[d], offsets[d + 1]); empty when it has none.
//
// Thread-safety: an opened store is immutable and shared between threads.
// Errors: write() throws StreamStoreError (and leaves no file behind);
// open() never throws on a bad or stale file (nullptr).
#pragma once

#include <xapian.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>

namespace vigie {

class StreamStoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class StreamStore {
 public:
  static constexpr std::string_view kFileName = "positions.vigie";

  // Writes the streams of `db` (the revision it has open) to
  // `generation_dir`/kFileName, through a temporary file renamed into place.
  static void write(const Xapian::Database& db, const std::filesystem::path& generation_dir);
  // The store of `generation_dir` when it holds the revision `db` has open;
  // nullptr when there is none, it is stale, or it is damaged.
  static std::shared_ptr<const StreamStore> open(const Xapian::Database& db,
                                                 const std::filesystem::path& generation_dir);

  // The stream of document `id`; empty when it has none.
  std::string_view stream(Xapian::docid id) const {
    if (id > last_docid_) return {};
    return std::string_view(base_ + offsets_[id],
                            static_cast<std::size_t>(offsets_[id + 1] - offsets_[id]));
  }
  Xapian::docid last_docid() const { return last_docid_; }

  ~StreamStore();
  StreamStore(const StreamStore&) = delete;
  StreamStore& operator=(const StreamStore&) = delete;

 private:
  StreamStore(const char* base, std::size_t size, Xapian::docid last_docid);

  const char* base_;
  std::size_t size_;
  Xapian::docid last_docid_;
  const std::uint64_t* offsets_;
};

// A revision's store as searches find it: opened when first asked for and,
// while there is none, looked for again at most once per `retry` — an
// indexer writes the file just after its commit, and a server that opened
// the new revision in between must not do without it for the revision's
// whole life.
// Thread-safety: thread-safe.
class StreamStoreSlot {
 public:
  explicit StreamStoreSlot(std::filesystem::path generation_dir,
                           std::chrono::steady_clock::duration retry = std::chrono::seconds(1))
      : generation_dir_(std::move(generation_dir)), retry_(retry) {}
  // The store for the revision `db` has open, or nullptr (none yet, or no
  // generation directory).
  std::shared_ptr<const StreamStore> get(const Xapian::Database& db) const;

 private:
  const std::filesystem::path generation_dir_;
  const std::chrono::steady_clock::duration retry_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const StreamStore> store_;
  mutable std::optional<std::chrono::steady_clock::time_point> looked_;
};

}  // namespace vigie
