// PositionFilterSource: a Xapian posting source matching the documents whose
// position stream (position_stream.h) holds a phrase or a PROCHE — what
// OP_PHRASE and OP_NEAR do with Xapian's position lists, which Vigie's
// index does not have (index_schema.h, docs/architecture.md "The two engines").
//
// positional_query() puts it as a filter on the AND of the pattern's terms:
// the AND ranks (a phrase weighs what its words weigh, as with OP_PHRASE)
// and gives the candidates; the source reads each candidate's stream (one
// value, in docid order: a sequential read of the value stream) and keeps
// those where the words stand as asked. Its own next() walks the postings of
// the pattern's rarest slot, for when Xapian lets it lead.
//
// Each shard of a search gets its own clone, initialised with that shard:
// the words are looked up in that shard's vocabulary.
//
// The source and its clones share a PositionChecks with the searcher
// (positional_search.h), which may relax the part (accept every candidate:
// to rank and count candidates from the postings alone) or verify
// documents itself first (the source then answers from those verdicts).
// Thread-safety: one source per query; clone() gives the matcher its own.
// Errors: Xapian errors from reading the index propagate (the searcher
// retries on DatabaseModifiedError); a damaged stream matches nothing.
#pragma once

#include <xapian.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "index/position_stream.h"
#include "index/stream_store.h"
#include "matcher/match_bitmap.h"
#include "matcher/shard_vocabularies.h"

namespace vigie {

// The documents of a database holding a word a PositionMatcher finds
// spelled out only (PositionMatcher::spelled_words()): the other streams are
// matched without looking their spelled words up (position_filter_source.cpp).
struct SpelledDocuments {
  MatchBitmap holding;
  Xapian::docid last = 0;  // the database's last document id then
  bool may_spell(Xapian::docid id) const;
};

// One phrase or PROCHE of a query, as its posting source and the searcher
// share it.
class PositionChecks {
 public:
  explicit PositionChecks(PositionPattern pattern) : pattern_(std::move(pattern)) {}

  const PositionPattern& pattern() const { return pattern_; }

  // While relaxed, the part matches every document with its words, as if
  // their positions were right (no stream is read).
  void set_relaxed(bool relaxed) { relaxed_ = relaxed; }
  bool relaxed() const { return relaxed_; }

  // Verifies documents of `db` from now on, remembering each verdict — only
  // for a database of one shard (false, and nothing done, otherwise: each
  // shard has its own document ids and vocabulary).
  // `streams`: the database's stream file (stream_store.h): the streams a
  // --full build kept out of Xapian's values (DocumentStreams); it must
  // outlive the checks' use.
  bool attach(const Xapian::Database& db, const StreamStore* streams = nullptr);
  // A database of several shards: each document's stream is decoded with
  // its shard's vocabulary (`vocabularies` must outlive the checks' use).
  bool attach(const Xapian::Database& db, const ShardVocabularies& vocabularies);
  bool attached() const { return matcher_.has_value() || !shard_matchers_.empty(); }
  // The stream file a PositionFilterSource reads, attached or not, when
  // its database is one shard (`streams` must outlive the checks' use).
  void read_streams_from(const StreamStore* streams) { file_ = streams; }
  const StreamStore* streams_file() const { return file_; }
  // Whether document `id` of the attached database holds the pattern: its
  // stream read the first time, the verdict remembered. Ascending ids read
  // the stream sequentially.
  bool verify(Xapian::docid id);
  // The verdict on `id` if verify() gave one already.
  std::optional<bool> known(Xapian::docid id) const {
    if (!checked_ || !checked_->test(id)) return std::nullopt;
    return matched_->test(id);
  }

 private:
  PositionPattern pattern_;
  bool relaxed_ = false;
  Xapian::Database db_;
  const StreamStore* file_ = nullptr;
  std::optional<DocumentStreams> streams_;
  std::optional<PositionMatcher> matcher_;
  std::vector<PositionMatcher> shard_matchers_;  // several shards: by shard
  std::optional<MatchBitmap> checked_, matched_;
  // The documents holding a word the matcher finds spelled only (nullopt:
  // any may): position_filter_source.cpp, spelled_documents().
  std::optional<SpelledDocuments> spelled_;
  bool may_spell(Xapian::docid id) const;
};

// The pattern's slot whose words are in the fewest documents of `db`, and
// about how many documents hold them (the AND's candidates are at most that).
struct RarestSlot {
  std::size_t slot = 0;
  Xapian::doccount documents = 0;
};
RarestSlot rarest_slot(const Xapian::Database& db, const PositionPattern& pattern);

class PositionFilterSource : public Xapian::PostingSource {
 public:
  explicit PositionFilterSource(std::shared_ptr<PositionChecks> checks);

  void init(const Xapian::Database& db) override;
  Xapian::doccount get_termfreq_min() const override { return 0; }
  // Reported a little above the rarest slot's frequency, so that Xapian's
  // AND reads the words' postings first and asks this source (a stream
  // read, the expensive part) only about documents that hold them all.
  Xapian::doccount get_termfreq_est() const override { return estimate_ + 1; }
  Xapian::doccount get_termfreq_max() const override { return estimate_ + 1; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool check(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return at_end_; }
  Xapian::docid get_docid() const override { return current_; }
  PositionFilterSource* clone() const override;
  std::string get_description() const override;

 private:
  // Moves to the first matching document at `from` or after.
  void advance_from(Xapian::docid from);
  bool stream_matches(Xapian::docid did);

  std::shared_ptr<PositionChecks> checks_;
  const PositionPattern& pattern_;
  bool verdicts_ = false;  // checks_ is attached to this source's database
  Xapian::Database db_;
  std::optional<DocumentStreams> streams_;  // unattached: values, then checks_'s stream file
  std::optional<PositionMatcher> matcher_;
  // As PositionChecks::spelled_, read on the first stream this source
  // matches itself: attached, the checks' verdicts answer instead.
  std::optional<SpelledDocuments> spelled_;
  bool spelled_read_ = false;
  std::vector<Xapian::PostingIterator> leader_;  // the rarest slot's postings
  Xapian::doccount estimate_ = 0;
  Xapian::docid current_ = 0;
  bool at_end_ = false;
};

// `parts` (the pattern's terms, or ORs of terms, one per slot) that also
// stand in the document as `pattern` asks.
Xapian::Query positional_query(const PositionPattern& pattern,
                               const std::vector<Xapian::Query>& parts);

// The same, recording the part in `record`.
Xapian::Query positional_query(const PositionPattern& pattern,
                               const std::vector<Xapian::Query>& parts,
                               std::vector<PositionalPart>& record);

}  // namespace vigie
