#include "matcher/position_filter_source.h"

#include <algorithm>
#include <limits>

#include "index/schema.h"
#include "index/stream_store.h"

namespace vigie {

RarestSlot rarest_slot(const Xapian::Database& db, const PositionPattern& pattern) {
  // A slot's documents are those of its words (title words are exact terms
  // too: their postings are a superset).
  RarestSlot rarest{0, pattern.slots.empty() ? 0 : std::numeric_limits<Xapian::doccount>::max()};
  for (std::size_t i = 0; i < pattern.slots.size(); ++i) {
    Xapian::doccount sum = 0;
    for (const auto& word : pattern.slots[i])
      sum = std::min<Xapian::doccount>(
          db.get_doccount(), sum + db.get_termfreq(std::string(schema::kExactPrefix) + word));
    if (sum < rarest.documents) rarest = {i, sum};
  }
  return rarest;
}

namespace {

// The pattern's matcher for the streams of `db`, anchored on `anchor`.
PositionMatcher matcher_for(const Xapian::Database& db, const PositionPattern& pattern,
                            std::size_t anchor) {
  return PositionMatcher(
      pattern, [&db](const std::string& word) { return StreamVocabulary::lookup(db, word); },
      anchor);
}

// The documents of `db` holding one of the words `matcher` can only find
// spelled out in a stream (PositionMatcher::spelled_words(): a phrase's
// rarer forms); title words are exact terms too. Nullopt when there are
// none, or when they are common (an index without a vocabulary spells every
// word): reading their postings for each search would cost more than it
// saves (a look-up per spelled word of each stream checked, ~1,000 a
// search), and every stream is looked through instead.
std::optional<SpelledDocuments> spelled_documents(const Xapian::Database& db,
                                                  const PositionMatcher& matcher) {
  const auto& words = matcher.spelled_words();
  if (words.empty()) return std::nullopt;
  double postings = 0;
  for (const auto& word : words)
    postings += db.get_termfreq(std::string(schema::kExactPrefix) + word);
  if (postings > db.get_doccount() / 16.0) return std::nullopt;
  SpelledDocuments spelled{MatchBitmap(db.get_lastdocid()), db.get_lastdocid()};
  for (const auto& word : words) {
    const std::string term = std::string(schema::kExactPrefix) + word;
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
      spelled.holding.set(*it);
  }
  return spelled;
}

}  // namespace

bool SpelledDocuments::may_spell(Xapian::docid id) const {
  return id > last || holding.test(id);  // a document added since: not known
}

bool PositionChecks::may_spell(Xapian::docid id) const {
  return !spelled_ || spelled_->may_spell(id);
}

bool PositionChecks::attach(const Xapian::Database& db, const StreamStore* streams) {
  if (db.size() != 1) return false;
  db_ = db;
  streams_.emplace(db, streams);
  matcher_.emplace(matcher_for(db, pattern_, rarest_slot(db, pattern_).slot));
  spelled_ = spelled_documents(db, *matcher_);
  checked_.emplace(db.get_lastdocid());
  matched_.emplace(db.get_lastdocid());
  return true;
}

bool PositionChecks::attach(const Xapian::Database& db, const ShardVocabularies& vocabularies) {
  if (db.size() != vocabularies.size()) return false;
  db_ = db;
  streams_.reset();
  const std::size_t anchor = rarest_slot(db, pattern_).slot;
  shard_matchers_.clear();
  for (std::size_t shard = 0; shard < vocabularies.size(); ++shard) {
    const StreamVocabulary& vocabulary = vocabularies.of_shard(shard);
    shard_matchers_.emplace_back(
        pattern_, [&vocabulary](const std::string& word) { return vocabulary.code(word); }, anchor);
  }
  checked_.emplace(db.get_lastdocid());
  matched_.emplace(db.get_lastdocid());
  return true;
}

bool PositionChecks::verify(Xapian::docid id) {
  if (auto verdict = known(id)) return *verdict;
  bool matched;
  if (!shard_matchers_.empty()) {
    // A remote shard serves a document's values with it (one round trip);
    // a value stream would fetch every document on the way.
    const std::string stream = db_.get_document(id).get_value(schema::kSlotPositions);
    matched = !stream.empty() && shard_matchers_[(id - 1) % shard_matchers_.size()].matches(stream);
  } else {
    const std::string_view stream = streams_->stream(id);
    matched = !stream.empty() && matcher_->matches(stream, may_spell(id));
  }
  if (id <= db_.get_lastdocid()) {  // a document added since attach() is read each time
    checked_->set(id);
    if (matched) matched_->set(id);
  }
  return matched;
}

PositionFilterSource::PositionFilterSource(std::shared_ptr<PositionChecks> checks)
    : checks_(std::move(checks)), pattern_(checks_->pattern()) {}

void PositionFilterSource::init(const Xapian::Database& db) {
  db_ = db;
  streams_.emplace(db, db.size() == 1 ? checks_->streams_file() : nullptr);
  // The rarest slot leads, and anchors the matcher's scan of each stream.
  const RarestSlot rarest = rarest_slot(db, pattern_);
  estimate_ = rarest.documents;
  matcher_.emplace(matcher_for(db, pattern_, rarest.slot));
  spelled_.reset();  // read when a stream is first matched here (not attached)
  spelled_read_ = false;
  leader_.clear();
  if (!pattern_.slots.empty())
    for (const auto& word : pattern_.slots[rarest.slot])
      leader_.push_back(db.postlist_begin(std::string(schema::kExactPrefix) + word));
  current_ = 0;  // before the first document; the matcher calls next() first
  at_end_ = leader_.empty();
  set_maxweight(0);  // a filter: it adds no weight
}

bool PositionFilterSource::stream_matches(Xapian::docid did) {
  if (checks_->relaxed()) return true;
  // Attached: the search has one shard, this one (PositionChecks::attach).
  if (checks_->attached()) return checks_->verify(did);
  const std::string_view stream = streams_->stream(did);
  if (!spelled_read_) {
    spelled_ = spelled_documents(db_, *matcher_);
    spelled_read_ = true;
  }
  return !stream.empty() && matcher_->matches(stream, !spelled_ || spelled_->may_spell(did));
}

void PositionFilterSource::advance_from(Xapian::docid from) {
  while (true) {
    Xapian::docid next = 0;
    for (auto& it : leader_) {
      if (it == Xapian::PostingIterator()) continue;
      it.skip_to(from);
      if (it != Xapian::PostingIterator() && (next == 0 || *it < next)) next = *it;
    }
    if (next == 0) {
      at_end_ = true;
      return;
    }
    current_ = next;
    if (stream_matches(next)) return;
    from = next + 1;
  }
}

void PositionFilterSource::next(double) { advance_from(current_ + 1); }

void PositionFilterSource::skip_to(Xapian::docid did, double) {
  if (did > current_ && !at_end_) advance_from(did);
}

bool PositionFilterSource::check(Xapian::docid did, double) {
  // When `did` does not match, next() and skip_to() go on from after it, as
  // Xapian allows.
  current_ = did;
  return stream_matches(did);
}

PositionFilterSource* PositionFilterSource::clone() const {
  return new PositionFilterSource(checks_);
}

std::string PositionFilterSource::get_description() const {
  std::string out = pattern_.kind == PositionPattern::Kind::Phrase ? "PositionFilter(phrase"
                                                                   : "PositionFilter(near";
  if (pattern_.kind == PositionPattern::Kind::Near) {
    out += '/';
    out += std::to_string(pattern_.span);
  }
  if (pattern_.title_only) out += " title";
  for (const auto& slot : pattern_.slots) {
    out += " ";
    for (std::size_t i = 0; i < slot.size(); ++i) {
      if (i) out += '|';
      out += slot[i];
    }
  }
  return out + ")";
}

Xapian::Query positional_query(const PositionPattern& pattern,
                               const std::vector<Xapian::Query>& parts,
                               std::vector<PositionalPart>& record) {
  auto checks = std::make_shared<PositionChecks>(pattern);
  Xapian::Query source((new PositionFilterSource(checks))->release());
  record.push_back({source, checks});
  return Xapian::Query(Xapian::Query::OP_FILTER,
                       Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()), source);
}

Xapian::Query positional_query(const PositionPattern& pattern,
                               const std::vector<Xapian::Query>& parts) {
  std::vector<PositionalPart> unused;
  return positional_query(pattern, parts, unused);
}

}  // namespace vigie
