// ResponseCache: bodies of answers already computed (an /api/search JSON,
// a /recherche page), least recently used first out, within a byte budget.
//
// Why: a search costs about a millisecond of CPU; the same popular query
// asked again (a journalist's page reloaded, a shared link, pagination back
// and forth) should cost a lookup. Keys carry the index state the answer was
// computed on (the generation and Xapian revision a Searcher sees, see
// Searcher::index_state()), so a commit or a new generation simply makes
// the next request miss: nothing is ever invalidated by hand, nothing stale
// is ever served. Entries of older states age out with the LRU order.
//
// Thread-safe (one mutex; values are shared, immutable strings).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace vigie::http {

class ResponseCache {
 public:
  using Body = std::shared_ptr<const std::string>;

  // max_bytes 0: a cache that keeps nothing.
  explicit ResponseCache(std::size_t max_bytes);

  Body get(const std::string& key);  // nullptr on a miss
  void put(const std::string& key, Body body);

  struct Stats {
    std::uint64_t hits = 0, misses = 0, entries = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    Body body;
  };
  static std::size_t cost(const std::string& key, const Body& body);
  void evict_to(std::size_t budget);

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace vigie::http
