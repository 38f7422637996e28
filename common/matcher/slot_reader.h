// SlotReader: every document's value in a slot, and every document's
// length, read from a database in one pass the way its backend serves it
// best — the columns (index_columns.h) are built from it.
//
// Why: one local database streams its values (Database::valuestream_begin)
// and lengths (the all-documents posting list) cheaply, but Xapian 1.4's
// remote backend answers both with one round trip per document: 160 and
// 64 µs a document over loopback, 13 s to open the columns of 10,000
// documents in 2 shards, hours at a million. Its matcher, though, sends a
// whole MSet in one message: a match-all query collapsed on a slot (with
// room for every document in each group) returns every document's value as
// its collapse key, and BM25's document-length term alone (k1 = 0, k2 = 1,
// b = 0: 2 / (1 + length ÷ average length)) returns every length — 10 ms for
// 5,000 documents. So a database of shards is read shard by shard that way,
// local shards too (one code path, the one the shard tests drive), and the
// shards' ids are mapped to the combined database's.
//
// Thread-safety: like the Xapian handles it reads (one thread at a time).
#pragma once

#include <xapian.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace vigie {

class SlotReader {
 public:
  // `shards`: the databases `db` combines (search/shard_set.h), or null for
  // one local database. Both must outlive the reader.
  explicit SlotReader(const Xapian::Database& db,
                      const std::vector<Xapian::Database>* shards = nullptr)
      : db_(db), shards_(shards) {}

  using Visit = std::function<void(Xapian::docid, std::string&&)>;
  // Calls `visit(id, value)` for every document of `db` up to its last id
  // with a non-empty value in `slot`, in ascending id order.
  void for_each_value(Xapian::valueno slot, const Visit& visit) const;
  // Every document's length by id (0 for ids without a document), as BM25
  // reads it: the sum of its wdfs.
  std::vector<std::uint32_t> lengths() const;

 private:
  const Xapian::Database& db_;
  const std::vector<Xapian::Database>* shards_;
};

}  // namespace vigie
