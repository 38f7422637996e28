#include "api/searcher_pool.h"

namespace vigie::http {

SearcherPool::SearcherPool(std::filesystem::path index_dir, Config config, std::size_t capacity)
    : index_dir_(std::move(index_dir)),
      config_(std::move(config)),
      capacity_(capacity == 0 ? 1 : capacity),
      responses_(config_.search.result_cache_mb << 20) {}

SearcherPool::~SearcherPool() = default;

SearcherPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), searcher_(std::move(other.searcher_)), discard_(other.discard_) {
  other.pool_ = nullptr;
}

SearcherPool::Lease::~Lease() {
  if (pool_ && searcher_) pool_->give_back(std::move(searcher_), discard_);
}

SearcherPool::Lease SearcherPool::acquire(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  const bool available =
      freed_.wait_for(lock, wait, [&] { return !idle_.empty() || created_ < capacity_; });
  if (!available) throw PoolBusy("every searcher is busy");
  if (!idle_.empty()) {
    auto searcher = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(searcher));
  }
  ++created_;  // reserve the slot, then build outside the lock (opening a database does I/O)
  lock.unlock();
  try {
    return Lease(this, std::make_unique<Searcher>(index_dir_, config_, columns_));
  } catch (...) {
    lock.lock();
    --created_;
    freed_.notify_one();
    throw;
  }
}

void SearcherPool::give_back(std::unique_ptr<Searcher> searcher, bool discard) {
  if (discard) searcher.reset();  // closes its database before taking the lock
  std::lock_guard lock(mutex_);
  if (discard)
    --created_;
  else
    idle_.push_back(std::move(searcher));
  freed_.notify_one();
}

}  // namespace vigie::http
