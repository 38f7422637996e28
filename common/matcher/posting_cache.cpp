#include "matcher/posting_cache.h"

namespace vigie {

std::shared_ptr<const PostingCache::Postings> PostingCache::get(const Xapian::Database& db,
                                                                const std::string& term) {
  {
    std::lock_guard lock(mutex_);
    if (auto it = kept_.find(term); it != kept_.end()) return it->second;
  }
  const Xapian::doccount frequency = db.get_termfreq(term);
  if (frequency == 0 || frequency < db.get_doccount() * kMinShare) return nullptr;
  const std::size_t bytes =
      std::size_t{frequency} * (sizeof(Xapian::docid) + sizeof(Xapian::termcount));
  {
    std::lock_guard lock(mutex_);
    if (bytes_ + bytes > max_bytes_) return nullptr;
  }
  // Read outside the lock (two searches may both read a new term once).
  auto postings = std::make_shared<Postings>();
  postings->ids.reserve(frequency);
  postings->wdfs.reserve(frequency);
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) {
    postings->ids.push_back(*it);
    postings->wdfs.push_back(it.get_wdf());
  }
  std::lock_guard lock(mutex_);
  if (auto it = kept_.find(term); it != kept_.end()) return it->second;
  if (bytes_ + bytes > max_bytes_) return postings;  // filled meanwhile: used this once
  kept_.emplace(term, postings);
  bytes_ += bytes;
  return postings;
}

std::size_t PostingCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace vigie
