// ShardSet: the databases an index stub lists (index/shard_stub.h), opened
// one by one and combined into one Xapian::Database, which merges their
// matches with collection-wide statistics (docs/architecture.md, "Shards").
// Vigie opens them itself rather than letting Xapian follow the stub so that
// it can: give remote shards a timeout (search.shard_timeout_ms; a stub has
// no timeout field in Xapian 1.4), check each shard's layout and analyser
// set-up and name the one that differs, leave a dead remote shard out
// (missing(): the answers say so) instead of failing every search, and read
// what Xapian 1.4's remote backend does not serve — the synonym table, where
// the stem families live, and the spelling table — from a local copy of the
// remote shard (same UUID: the generation it was copied from).
//
// Document ids of the combined database interleave the shards': the
// combined id of shard i's document d is (d − 1) × n + i + 1.
// Thread-safety: one per Searcher, like any Xapian handle.
// Errors: IndexUnavailable naming the shard and what to do.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "index/shard_stub.h"
#include "vigie/searcher.h"

namespace vigie {

class ShardSet {
 public:
  // Opens the shards of `lines`. A remote shard that cannot be reached is
  // left out when `tolerate_down` (and at least one shard answers), else
  // IndexUnavailable; a local shard that cannot be opened, a shard of
  // another layout or analyser set-up, or no shard at all answering: always
  // IndexUnavailable. Local copies of remote shards are looked for in the
  // stub's copy_dirs (their folders and their folders' folders).
  // `down`: remote shards (ShardLine::name()) known to have just failed,
  // left out without waiting for them again (with `tolerate_down`).
  ShardSet(ShardStub stub, unsigned timeout_ms, bool tolerate_down,
           const std::vector<std::string>& down = {});
  // The remote shard a Xapian error came from ("HOST:PORT", from its
  // context "remote:tcp(HOST:PORT)"), or "" when it does not say.
  static std::string failed_shard(const Xapian::Error& error);

  Xapian::Database& combined() { return combined_; }
  // The shards answering, in stub order (handles sharing the combined one's).
  const std::vector<Xapian::Database>& shards() const { return shards_; }
  // The shards left out (ShardLine::name()), in stub order.
  const std::vector<std::string>& missing() const { return missing_; }
  // More than one shard, or a remote one: the companion engine's per-shard
  // paths and Xapian's built-in matcher only (docs/architecture.md).
  bool sharded() const { return stub_.shards.size() > 1 || any_remote_; }
  // Some shard is remote: postings are read through Xapian's matcher
  // (posting_cache.h).
  bool any_remote() const { return any_remote_; }
  // Synonyms and spelling: the local shards and the local copies of the
  // remote ones (a remote shard without one has neither).
  const Xapian::Database& vocabulary() const { return vocabulary_; }
  // The shards' revisions, "r1.r2…": a new commit in any changes it.
  std::string revision() const;
  // Reopens every shard (Database::reopen()); true when any changed.
  bool reopen();
  const ShardStub& stub() const { return stub_; }

 private:
  std::size_t missing_before(std::size_t open_index) const;

  ShardStub stub_;
  std::vector<Xapian::Database> shards_;
  std::vector<std::string> missing_;
  Xapian::Database combined_;
  Xapian::Database vocabulary_;
  bool any_remote_ = false;
};

}  // namespace vigie
