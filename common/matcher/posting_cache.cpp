#include "matcher/posting_cache.h"

namespace vigie {
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

std::shared_ptr<const PostingCache::Postings> PostingCache::get(const Xapian::Database& db,
                                                                const std::string& term) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = kept_.find(term); it != kept_.end()) return it->second;
  }
  const Xapian::doccount frequency = db.get_termfreq(term);
  if (frequency == 0 || frequency < db.get_doccount() * kMinShare) return nullptr;
  const bool dense = frequency >= db.get_doccount() * kDenseShare;
  const std::size_t words = db.get_lastdocid() / 64 + 1;
  const std::size_t bytes = dense ? words * 12 + frequency : std::size_t{frequency} * 5;
  {
    std::lock_guard lock(mutex_);
    if (bytes_ + bytes > max_bytes_) return nullptr;
  }
  // Read outside the lock (two searches may both read a new term once).
  auto postings = std::make_shared<Postings>();
  postings->wdfs_.reserve(frequency);
  if (dense)
    postings->words_.assign(words, 0);
  else
    postings->ids_.reserve(frequency);
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    const Xapian::docid id = *it;
    const Xapian::termcount wdf = it.get_wdf();
    if (dense)
      postings->words_[id / 64] |= std::uint64_t{1} << (id % 64);
    else
      postings->ids_.push_back(id);
    if (wdf >= 255)
      postings->large_.emplace_back(static_cast<std::uint32_t>(postings->wdfs_.size()), wdf);
    postings->wdfs_.push_back(static_cast<std::uint8_t>(std::min<Xapian::termcount>(wdf, 255)));
  }
  if (dense) {
    postings->before_.resize(words);
    std::uint32_t before = 0;
    for (std::size_t w = 0; w < words; ++w) {
      postings->before_[w] = before;
      before += static_cast<std::uint32_t>(std::popcount(postings->words_[w]));
    }
  }
  std::lock_guard lock(mutex_);
  if (auto it = kept_.find(term); it != kept_.end()) return it->second;
  if (bytes_ + postings->bytes() > max_bytes_) return postings;  // filled meanwhile: used this once
  bytes_ += postings->bytes();
  kept_.emplace(term, std::move(postings));
  return kept_.at(term);
}

std::size_t PostingCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace vigie
