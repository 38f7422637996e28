// SearcherPool: the Searchers the worker threads borrow, one per request.
// Xapian handles are not thread-safe and copies share internals, so each
// Searcher is used by one thread at a time; a pool (rather than a
// thread_local) bounds how many databases are open, survives Poco recycling
// idle threads, and lets a Searcher that failed oddly be thrown away.
//
// Searchers are built lazily (up to `capacity`) and keep their open
// database between requests; each Searcher notices a new generation or
// revision by itself (searcher.h), so the pool never reopens anything. They
// share the per-revision document columns (index_columns.h).
// Thread-safe. acquire() throws PoolBusy when no Searcher frees up in time
// (→ 503 + Retry-After) and whatever the Searcher constructor throws
// (IndexUnavailable when there is no index yet).
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "api/response_cache.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace vigie::http {

class PoolBusy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SearcherPool {
 public:
  SearcherPool(std::filesystem::path index_dir, Config config, std::size_t capacity);
  ~SearcherPool();
  SearcherPool(const SearcherPool&) = delete;
  SearcherPool& operator=(const SearcherPool&) = delete;

  // A borrowed Searcher, returned to the pool on destruction (or dropped,
  // after discard(), when a request failed in a way that may have left it
  // inconsistent).
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Searcher& operator*() const { return *searcher_; }
    Searcher* operator->() const { return searcher_.get(); }
    void discard() { discard_ = true; }

   private:
    friend class SearcherPool;
    Lease(SearcherPool* pool, std::unique_ptr<Searcher> searcher)
        : pool_(pool), searcher_(std::move(searcher)) {}
    SearcherPool* pool_;
    std::unique_ptr<Searcher> searcher_;
    bool discard_ = false;
  };

  Lease acquire(std::chrono::milliseconds wait);

  const std::filesystem::path& index_dir() const { return index_dir_; }
  const Config& config() const { return config_; }
  // Answers computed by these Searchers (config.search.result_cache_mb).
  ResponseCache& responses() { return responses_; }

 private:
  void give_back(std::unique_ptr<Searcher> searcher, bool discard);

  const std::filesystem::path index_dir_;
  const Config config_;  // Searchers keep a reference: it must outlive them
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<Searcher>> idle_;
  std::size_t created_ = 0;  // idle + lent
  ResponseCache responses_;
  // Per-revision document columns, read once for all the pool's Searchers.
  const std::shared_ptr<SharedColumns> columns_ = make_shared_columns();
};

}  // namespace vigie::http
