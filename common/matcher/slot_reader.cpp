#include "matcher/slot_reader.h"

#include <algorithm>
#include <cmath>

namespace vigie {
namespace {

// The combined id of shard `shard`'s document `id` among `n` shards.
Xapian::docid combined_id(Xapian::docid id, std::size_t shard, std::size_t n) {
  return static_cast<Xapian::docid>((id - 1) * n + shard + 1);
}

// Every document of `shard`, matched by a query that weighs nothing but what
// `weighting` adds, each with its collapse key on `slot` (none: no
// collapsing). Ids ascend: equal weights are ranked by id.
Xapian::MSet every_document(const Xapian::Database& shard, const Xapian::Weight& weighting,
                            Xapian::valueno slot) {
  Xapian::Enquire enquire(shard);
  enquire.set_query(Xapian::Query::MatchAll);
  enquire.set_weighting_scheme(weighting);
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  const Xapian::doccount n = shard.get_doccount();
  if (slot != Xapian::BAD_VALUENO) enquire.set_collapse_key(slot, n + 1);  // nothing collapsed
  return enquire.get_mset(0, n, n);
}

using Pairs = std::vector<std::pair<Xapian::docid, std::string>>;

// The values of `slot` in every shard, by combined id, ascending.
Pairs shard_values(const std::vector<Xapian::Database>& shards, Xapian::valueno slot) {
  Pairs pairs;
  for (std::size_t s = 0; s < shards.size(); ++s) {
    const Xapian::MSet mset = every_document(shards[s], Xapian::BoolWeight(), slot);
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      std::string value = it.get_collapse_key();
      if (!value.empty()) pairs.emplace_back(combined_id(*it, s, shards.size()), std::move(value));
    }
  }
  std::sort(pairs.begin(), pairs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  return pairs;
}

// A shard's document lengths, by its own ids, from BM25's length term.
void add_shard_lengths(const Xapian::Database& shard, std::size_t s, std::size_t n,
                       std::vector<std::uint32_t>& lengths) {
  const double average = shard.get_avlength();
  const Xapian::MSet mset =
      every_document(shard, Xapian::BM25Weight(0, 1, 0, 0, 0), Xapian::BAD_VALUENO);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const Xapian::docid id = combined_id(*it, s, n);
    if (id >= lengths.size()) continue;  // a concurrent commit: the next revision's
    const double weight = it.get_weight();
    const double length = weight > 0 ? (2.0 / weight - 1.0) * average : -1;
    const double rounded = std::round(length);
    // The weight carries the length exactly for any length an index holds
    // (checked on every document of the test shards); should rounding ever
    // be in doubt, the length is asked for (one round trip) rather than guessed.
    lengths[id] = length >= 0 && std::abs(length - rounded) < 0.01
                      ? static_cast<std::uint32_t>(rounded)
                      : shard.get_doclength(*it);
  }
}

}  // namespace

void SlotReader::for_each_value(Xapian::valueno slot, const Visit& visit) const {
  const Xapian::docid last = db_.get_lastdocid();
  if (!shards_) {
    for (auto v = db_.valuestream_begin(slot); v != db_.valuestream_end(slot); ++v) {
      if (v.get_docid() > last) break;  // a concurrent commit: the next revision's columns
      std::string value = *v;
      if (!value.empty()) visit(v.get_docid(), std::move(value));
    }
    return;
  }
  for (auto& [id, value] : shard_values(*shards_, slot))
    if (id <= last) visit(id, std::move(value));
}

std::vector<std::uint32_t> SlotReader::lengths() const {
  std::vector<std::uint32_t> lengths(db_.get_lastdocid() + 1, 0);
  if (!shards_) {
    for (auto it = db_.postlist_begin(std::string()); it != db_.postlist_end(std::string()); ++it)
      if (*it < lengths.size()) lengths[*it] = it.get_doclength();
    return lengths;
  }
  for (std::size_t s = 0; s < shards_->size(); ++s)
    add_shard_lengths((*shards_)[s], s, shards_->size(), lengths);
  return lengths;
}

}  // namespace vigie
