#include "matcher/posting_cache.h"

#include <cmath>

namespace vigie {

std::vector<std::pair<Xapian::docid, Xapian::termcount>> read_postings(const Xapian::Database& db,
                                                                       const std::string& term) {
  std::vector<std::pair<Xapian::docid, Xapian::termcount>> postings;
  const Xapian::doccount frequency = db.get_termfreq(term);
  if (frequency == 0) return postings;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(term));
  enquire.set_weighting_scheme(Xapian::TfIdfWeight("nnn"));
  const Xapian::MSet mset = enquire.get_mset(0, frequency, frequency);
  postings.reserve(mset.size());
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    const double weight = it.get_weight();
    const double wdf = std::round(weight);
    if (std::abs(weight - wdf) >= 0.01 || wdf < 0) {
      // A weight is its wdf exactly; should one ever not be, the posting
      // list is read as it is (a message a posting) rather than guessed.
      postings.clear();
      for (auto post = db.postlist_begin(term); post != db.postlist_end(term); ++post)
        postings.emplace_back(*post, post.get_wdf());
      return postings;
    }
    postings.emplace_back(*it, static_cast<Xapian::termcount>(wdf));
  }
  std::sort(postings.begin(), postings.end());
  return postings;
}
VIGIE_POPCOUNT_CLONES std::size_t PostingCache::Postings::find(Xapian::docid id) const {
  if (!dense()) {
    const std::size_t i = lower_bound(id, 0);
    return i < ids_.size() && ids_[i] == id ? i : npos;
  }
  const std::size_t w = id / 64;
  if (w >= words_.size()) return npos;
  const std::uint64_t bit = std::uint64_t{1} << (id % 64);
  if ((words_[w] & bit) == 0) return npos;
  return before_[w] + static_cast<std::size_t>(std::popcount(words_[w] & (bit - 1)));
}

std::size_t PostingCache::Postings::lower_bound(Xapian::docid id, std::size_t from) const {
  return static_cast<std::size_t>(
      std::lower_bound(ids_.begin() + static_cast<std::ptrdiff_t>(from), ids_.end(), id) -
      ids_.begin());
}

Xapian::termcount PostingCache::Postings::large_wdf(std::size_t index) const {
  const auto at =
      std::lower_bound(large_.begin(), large_.end(), index,
                       [](const auto& entry, std::size_t i) { return entry.first < i; });
  return at != large_.end() && at->first == index ? at->second : 255;
}

void PostingCache::Postings::start(Xapian::docid last_docid, Xapian::doccount frequency,
                                   bool dense) {
  wdfs_.reserve(frequency);
  if (dense)
    words_.assign(last_docid / 64 + 1, 0);
  else
    ids_.reserve(frequency);
}

void PostingCache::Postings::add(Xapian::docid id, Xapian::termcount wdf) {
  if (!words_.empty())
    words_[id / 64] |= std::uint64_t{1} << (id % 64);
  else
    ids_.push_back(id);
  if (wdf >= 255) large_.emplace_back(static_cast<std::uint32_t>(wdfs_.size()), wdf);
  wdfs_.push_back(static_cast<std::uint8_t>(std::min<Xapian::termcount>(wdf, 255)));
}

VIGIE_POPCOUNT_CLONES void PostingCache::Postings::finish() {
  if (words_.empty()) return;
  before_.resize(words_.size());
  std::uint32_t before = 0;
  for (std::size_t w = 0; w < words_.size(); ++w) {
    before_[w] = before;
    before += static_cast<std::uint32_t>(std::popcount(words_[w]));
  }
}

std::shared_ptr<const PostingCache::Postings> PostingCache::find_kept(
    const std::string& key) const {
  std::lock_guard lock(mutex_);
  auto it = kept_.find(key);
  return it != kept_.end() ? it->second : nullptr;
}

bool PostingCache::has_room(std::size_t bytes) const {
  std::lock_guard lock(mutex_);
  return bytes_ + bytes <= max_bytes_;
}

std::shared_ptr<const PostingCache::Postings> PostingCache::keep(
    const std::string& key, std::shared_ptr<Postings> postings) {
  std::lock_guard lock(mutex_);
  if (auto it = kept_.find(key); it != kept_.end()) return it->second;
  if (bytes_ + postings->bytes() > max_bytes_) return postings;  // filled meanwhile: used this once
  bytes_ += postings->bytes();
  kept_.emplace(key, postings);
  return postings;
}

std::size_t PostingCache::estimated_bytes(const Xapian::Database& db, Xapian::doccount frequency,
                                          bool dense) {
  return dense ? (db.get_lastdocid() / 64 + 1) * 12 + frequency : std::size_t{frequency} * 5;
}

std::shared_ptr<const PostingCache::Postings> PostingCache::get(const Xapian::Database& db,
                                                                const std::string& term) {
  if (auto kept = find_kept(term)) return kept;
  const Xapian::doccount frequency = db.get_termfreq(term);
  if (frequency == 0 || (!through_matcher_ && frequency < db.get_doccount() * kMinShare))
    return nullptr;
  const bool dense = frequency >= db.get_doccount() * kDenseShare;
  if (!has_room(estimated_bytes(db, frequency, dense))) return nullptr;
  // Read outside the lock (two searches may both read a new term once).
  auto postings = std::make_shared<Postings>();
  postings->start(db.get_lastdocid(), frequency, dense);
  if (through_matcher_) {
    for (const auto& [id, wdf] : read_postings(db, term)) postings->add(id, wdf);
  } else {
    for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it)
      postings->add(*it, it.get_wdf());
  }
  postings->finish();
  return keep(term, std::move(postings));
}

std::shared_ptr<const PostingCache::Postings> PostingCache::get_union(
    const Xapian::Database& db, const std::vector<std::string>& terms) {
  if (terms.size() == 1) return get(db, terms.front());
  std::string key(1, '\1');  // no term starts so
  Xapian::doccount most = 0;
  double sum = 0;
  for (const auto& t : terms) {
    key += t;
    key += '\0';
    const Xapian::doccount f = db.get_termfreq(t);
    most = std::max(most, f);
    sum += f;
  }
  if (auto kept = find_kept(key)) return kept;
  if (most == 0 || (!through_matcher_ && most < db.get_doccount() * kMinShare)) return nullptr;
  const auto frequency = static_cast<Xapian::doccount>(std::min<double>(sum, db.get_doccount()));
  const bool dense = most >= db.get_doccount() * kDenseShare;
  if (!has_room(estimated_bytes(db, frequency, dense))) return nullptr;
  // The summed wdfs by id (4 MB at 1M documents, for this reading only).
  std::vector<Xapian::termcount> sums(std::size_t{db.get_lastdocid()} + 1, 0);
  for (const auto& t : terms) {
    if (const auto member = get(db, t)) {
      member->for_each([&](Xapian::docid id, Xapian::termcount wdf) { sums[id] += wdf; });
      continue;
    }
    if (through_matcher_) {
      for (const auto& [id, wdf] : read_postings(db, t)) sums[id] += wdf;
      continue;
    }
    for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it) sums[*it] += it.get_wdf();
  }
  auto postings = std::make_shared<Postings>();
  postings->start(db.get_lastdocid(), frequency, dense);
  for (Xapian::docid id = 1; id < sums.size(); ++id)
    if (sums[id] != 0) postings->add(id, sums[id]);
  postings->finish();
  return keep(key, std::move(postings));
}

std::size_t PostingCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace vigie
