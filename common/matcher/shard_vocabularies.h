// ShardVocabularies: the position-stream vocabulary (position_stream.h) of
// each shard of a combined database. Each shard learnt its own codes from
// its own sample, so a stream is decoded with the codes of the shard it was
// read from: shard (id − 1) % n of combined document id `id`.
// Loaded once per revision of the shards (index_columns.h), from each
// shard's user metadata (which Xapian's remote backend serves).
// Thread-safety: immutable once built. Errors: Xapian errors propagate.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "index/position_stream.h"

namespace vigie {

class ShardVocabularies {
 public:
  explicit ShardVocabularies(const std::vector<Xapian::Database>& shards) {
    for (const auto& shard : shards) vocabularies_.push_back(StreamVocabulary::load(shard));
  }
  std::size_t size() const { return vocabularies_.size(); }
  std::size_t shard_of(Xapian::docid id) const { return (id - 1) % vocabularies_.size(); }
  const StreamVocabulary& of_shard(std::size_t shard) const { return vocabularies_[shard]; }

 private:
  std::vector<StreamVocabulary> vocabularies_;
};

}  // namespace vigie
