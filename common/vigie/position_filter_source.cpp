#include "vigie/position_filter_source.h"

#include <algorithm>
#include <limits>

#include "vigie/schema.h"

namespace vigie {

PositionFilterSource::PositionFilterSource(PositionPattern pattern) : pattern_(std::move(pattern)) {}

void PositionFilterSource::init(const Xapian::Database& db) {
  db_ = db;
  values_ = db.valuestream_begin(schema::kSlotPositions);
  values_docid_ = 0;
  // The rarest slot leads; a slot's documents are those of its words
  // (title words are exact terms too: their postings are a superset).
  std::size_t rarest = 0;
  estimate_ = std::numeric_limits<Xapian::doccount>::max();
  for (std::size_t i = 0; i < pattern_.slots.size(); ++i) {
    Xapian::doccount sum = 0;
    for (const auto& word : pattern_.slots[i])
      sum = std::min<Xapian::doccount>(db.get_doccount(), sum + db.get_termfreq(std::string(schema::kExactPrefix) + word));
    if (sum < estimate_) {
      estimate_ = sum;
      rarest = i;
    }
  }
  if (pattern_.slots.empty()) estimate_ = 0;
  // The rarest slot also anchors the matcher's scan of each stream.
  matcher_.emplace(pattern_, [&db](const std::string& word) { return StreamVocabulary::lookup(db, word); }, rarest);
  leader_.clear();
  if (!pattern_.slots.empty())
    for (const auto& word : pattern_.slots[rarest])
      leader_.push_back(db.postlist_begin(std::string(schema::kExactPrefix) + word));
  current_ = 0;  // before the first document; the matcher calls next() first
  at_end_ = leader_.empty();
  set_maxweight(0);  // a filter: it adds no weight
}

bool PositionFilterSource::stream_matches(Xapian::docid did) {
  const Xapian::ValueIterator end = db_.valuestream_end(schema::kSlotPositions);
  // Candidates come in docid order; a step back (a check() before a
  // next()) starts the stream again.
  if (did < values_docid_) values_ = db_.valuestream_begin(schema::kSlotPositions);
  values_docid_ = did;
  if (values_ == end) return false;
  values_.skip_to(did);
  if (values_ == end || values_.get_docid() != did) return false;
  return matcher_->matches(*values_);
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

PositionFilterSource* PositionFilterSource::clone() const { return new PositionFilterSource(pattern_); }

std::string PositionFilterSource::get_description() const {
  std::string out = pattern_.kind == PositionPattern::Kind::Phrase ? "PositionFilter(phrase" : "PositionFilter(near";
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

Xapian::Query positional_query(const PositionPattern& pattern, const std::vector<Xapian::Query>& parts) {
  return Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()),
                       Xapian::Query((new PositionFilterSource(pattern))->release()));
}

}  // namespace vigie
