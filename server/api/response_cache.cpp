#include "api/response_cache.h"

namespace vigie::http {

ResponseCache::ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::size_t ResponseCache::cost(const std::string& key, const Body& body) {
  // The strings plus the list node and the map entry that hold them.
  return 2 * key.size() + body->size() + 128;
}

ResponseCache::Body ResponseCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  order_.splice(order_.begin(), order_, it->second);
  return it->second->body;
}

void ResponseCache::put(const std::string& key, Body body) {
  if (!body) return;
  const std::size_t size = cost(key, body);
  if (size > max_bytes_ / 4) return;  // one answer never takes a quarter of the cache
  std::lock_guard lock(mutex_);
  auto it = index_.find(key);
  if (it != index_.end()) {
    bytes_ -= cost(it->second->key, it->second->body);
    order_.erase(it->second);
    index_.erase(it);
  }
  evict_to(max_bytes_ - size);
  order_.push_front({key, std::move(body)});
  index_.emplace(key, order_.begin());
  bytes_ += size;
}

void ResponseCache::evict_to(std::size_t budget) {
  while (bytes_ > budget && !order_.empty()) {
    const Entry& last = order_.back();
    bytes_ -= cost(last.key, last.body);
    index_.erase(last.key);
    order_.pop_back();
  }
}

ResponseCache::Stats ResponseCache::stats() const {
  std::lock_guard lock(mutex_);
  return {hits_, misses_, order_.size(), bytes_};
}

}  // namespace vigie::http
