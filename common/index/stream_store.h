// StreamStore: a generation's position streams (position_stream.h) in a
// file of their own beside its Xapian tables, memory-mapped by searchers.
//
// Why: a phrase or a PROCHE checks its candidates' streams one document at
// a time (positional_search.h: up to search.phrase_checks of them). Read
// through Xapian, each check of a sparse candidate is a B-tree descent and
// a pread() of an 8 KB block (~2.5 µs: a third of a phrase's time went to
// the kernel copying blocks); from a mapped file it is an offset lookup.
//
// Where the streams are (index layout 8, index_schema.h): a --full build of
// one database writes its documents' streams here only, not in value
// kSlotPositions (the same bytes twice were 19 % of the index: 90 of 474 MB
// at 100k, bench/README.md); the documents an incremental run writes carry
// theirs in kSlotPositions too. A document's stream is therefore its
// kSlotPositions value when it has one, else the file's. (A generation of
// shards keeps every stream in kSlotPositions: a remote shard serves values,
// not files; it has no stream file.)
//
// The file (kFileName) is written by vigie-index at the end of every run
// that leaves the generation changed, from its committed revision (the
// previous file of the generation and the kSlotPositions values, merged),
// and names that revision: complete() when a searcher holds exactly that
// revision (the generation's UUID, revision and last document id) — then
// the file alone answers. A file of an older revision of the generation
// (an incremental run committed and has not written the file yet, or was
// killed before) is still the stream of every document without a value:
// readers take the value first, then the file. StreamStoreSlot looks for a
// complete file again while it has none. The pages the mapping touches are
// page cache (RssFile), which the kernel may drop, not the server's own
// memory. A generation whose file is missing or damaged cannot answer
// phrases on its --full documents: the next vigie-index run rebuilds it in
// full (index_run.cpp).
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
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
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
  // `generation_dir`/kFileName, through a temporary file renamed into place:
  // each document's kSlotPositions value, else its stream in the
  // generation's previous file. When no document has a value and the last
  // id is the previous file's (a --full build's later commits, a run that
  // only deleted), the previous file is stamped with the revision instead
  // of being copied; so too when `unchanged` (the caller wrote no document
  // since the previous file: an incremental run over an unchanged tree,
  // which copied 1.5 GB at a million documents once any had a value).
  static void write(const Xapian::Database& db, const std::filesystem::path& generation_dir,
                    bool unchanged = false);
  // Writes the file for `db` from `stream_of`, asked for every id from 1
  // to the last in ascending order (a --full build's streams, kept out of
  // the database: shard_build.cpp). The view must live until the next call.
  using StreamOf = std::function<std::string_view(Xapian::docid)>;
  static void write(const Xapian::Database& db, const std::filesystem::path& generation_dir,
                    const StreamOf& stream_of);
  // The store of `generation_dir` when it holds the revision `db` has open;
  // nullptr when there is none, it is stale, or it is damaged.
  static std::shared_ptr<const StreamStore> open(const Xapian::Database& db,
                                                 const std::filesystem::path& generation_dir);
  // The store of `db`'s generation, complete() or of an older revision;
  // nullptr when there is none, it is another database's, or it is damaged.
  static std::shared_ptr<const StreamStore> open_generation(
      const Xapian::Database& db, const std::filesystem::path& generation_dir);

  // Whether it holds the revision it was opened for: then stream() is every
  // document's; otherwise only that of documents without a kSlotPositions value.
  bool complete() const { return complete_; }

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
  static std::shared_ptr<StreamStore> map(const Xapian::Database& db,
                                          const std::filesystem::path& generation_dir);

  const char* base_;
  std::size_t size_;
  Xapian::docid last_docid_;
  const std::uint64_t* offsets_;
  bool complete_ = false;
};

// The stream of document `id` of a single database: its kSlotPositions
// value, else its stream in `store` (nullptr: none). A complete() store is
// read alone. Ascending ids read the values sequentially (`values`, last at
// `*at`: a step back starts them again).
// Not for several shards (their ids are not the file's).
class DocumentStreams {
 public:
  DocumentStreams(const Xapian::Database& db, const StreamStore* store) : db_(db), store_(store) {}
  std::string_view stream(Xapian::docid id);

 private:
  Xapian::Database db_;
  const StreamStore* store_;
  std::optional<Xapian::ValueIterator> values_;
  Xapian::docid at_ = 0;
  std::string value_;
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
  // The store for the revision `db` has open: complete() when there is
  // one, else the generation's older one while a complete one is looked
  // for again, or nullptr (none at all, or no generation directory).
  std::shared_ptr<const StreamStore> get(const Xapian::Database& db) const;

 private:
  const std::filesystem::path generation_dir_;
  const std::chrono::steady_clock::duration retry_;
  mutable std::mutex mutex_;
  mutable std::shared_ptr<const StreamStore> store_;
  mutable std::optional<std::chrono::steady_clock::time_point> looked_;
};

}  // namespace vigie
