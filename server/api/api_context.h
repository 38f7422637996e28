// ApiContext: what the JSON API route groups share — the Searcher pool, the
// metrics and the configuration — and the one place that borrows a Searcher
// for a request, converts pool exhaustion into 503 and reports the index
// changes the Searcher picked up to the metrics. Owned by HttpServer,
// outlives every request; thread-safe (its members are).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include "api/searcher_pool.h"
#include "http/http_error.h"
#include "http/metrics.h"
#include "vigie/config.h"

namespace vigie::http {

inline constexpr std::chrono::milliseconds kSearcherWait{5000};

struct ApiContext {
  SearcherPool& pool;
  Metrics& metrics;
  const Config& config;

  // Runs fn(Searcher&) with a borrowed Searcher. A Searcher that threw
  // something other than our two expected errors is dropped, not reused.
  // Counts, when it goes away, the generations and revisions a Searcher
  // opened while it was borrowed.
  class ReloadWatch {
   public:
    ReloadWatch(Metrics& metrics, Searcher& searcher)
        : metrics_(metrics), searcher_(searcher), before_(searcher.reloads()) {}
    ~ReloadWatch() {
      const auto after = searcher_.reloads();
      metrics_.count_reloads(after.generations - before_.generations,
                             after.revisions - before_.revisions);
    }
    ReloadWatch(const ReloadWatch&) = delete;
    ReloadWatch& operator=(const ReloadWatch&) = delete;

   private:
    Metrics& metrics_;
    Searcher& searcher_;
    const Searcher::Reloads before_;
  };

  template <typename Fn>
  auto with_searcher(Fn&& fn) {
    auto lease = borrow();
    ReloadWatch watch(metrics, *lease);
    try {
      auto result = fn(*lease);
      metrics.observe_generation(lease->generation());
      return result;
    } catch (const QuerySyntaxError&) {
      throw;
    } catch (const IndexUnavailable&) {
      throw;
    } catch (const HttpError&) {
      throw;
    } catch (...) {
      lease.discard();
      throw;
    }
  }

  // A body rendered by render(Searcher&) → std::string, from the pool's
  // response cache when this request target was answered on the index
  // state the Searcher sees now (response_cache.h). Only for answers that
  // depend on nothing but the target and the index.
  template <typename Fn>
  ResponseCache::Body cached(const std::string& target, Fn&& render) {
    return with_searcher([&](Searcher& searcher) {
      const std::string key = searcher.index_state() + ' ' + target;
      auto& cache = pool.responses();
      if (auto body = cache.get(key)) return body;
      // Rendered from the very state the key names (and without checking
      // the index a second time).
      const SearcherPin pin(searcher, SearcherPin::From::Open);
      ResponseCache::Body body = std::make_shared<const std::string>(render(searcher));
      cache.put(key, body);
      return body;
    });
  }

  SearcherPool::Lease borrow() {
    try {
      return pool.acquire(kSearcherWait);
    } catch (const PoolBusy&) {
      metrics.count_rejected("searchers_busy");
      throw HttpError(503, "Le serveur est occupé ; réessayez dans un instant.",
                      {{"Retry-After", "1"}});
    }
  }
};

}  // namespace vigie::http
