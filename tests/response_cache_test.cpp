// ResponseCache: hits, least-recently-used eviction within the byte budget,
// and the refusal of oversized answers. (That a new index revision is never
// served a stale answer is driven through the real server by
// server_acceptance_test's "searches during a reindex" cases.)
#include "api/response_cache.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using vigie::http::ResponseCache;

namespace {
ResponseCache::Body body(std::size_t bytes, char fill = 'x') {
  return std::make_shared<const std::string>(bytes, fill);
}
}  // namespace

TEST_CASE("a cached answer is returned until evicted; misses and hits are counted") {
  ResponseCache cache(1 << 20);
  CHECK(cache.get("gen-000001@3 /api/search?q=eau") == nullptr);
  cache.put("gen-000001@3 /api/search?q=eau", body(1000, 'e'));
  auto hit = cache.get("gen-000001@3 /api/search?q=eau");
  REQUIRE(hit);
  CHECK(*hit == std::string(1000, 'e'));
  // Another revision of the index is another key: never the old answer.
  CHECK(cache.get("gen-000001@4 /api/search?q=eau") == nullptr);
  const auto stats = cache.stats();
  CHECK(stats.hits == 1);
  CHECK(stats.misses == 2);
  CHECK(stats.entries == 1);
}

TEST_CASE("the least recently used answers leave first when the budget is reached") {
  ResponseCache cache(64 * 1024);  // six answers of 10 kB fit, with their bookkeeping
  for (int i = 0; i < 6; ++i) cache.put("k" + std::to_string(i), body(10 * 1024));
  CHECK(cache.stats().entries == 6);
  CHECK(cache.get("k0"));  // k0 is now the most recently used
  cache.put("k6", body(10 * 1024));
  CHECK(cache.get("k1") == nullptr);
  CHECK(cache.get("k2"));
  cache.put("k7", body(10 * 1024));
  CHECK(cache.get("k0"));
  CHECK(cache.get("k3") == nullptr);
  CHECK(cache.get("k7"));
  CHECK(cache.stats().bytes <= 64 * 1024);
}

TEST_CASE("an answer bigger than a quarter of the cache is not kept; a zero budget keeps nothing") {
  ResponseCache cache(64 * 1024);
  cache.put("big", body(20 * 1024));
  CHECK(cache.get("big") == nullptr);
  ResponseCache off(0);
  off.put("k", body(10));
  CHECK(off.get("k") == nullptr);
  CHECK(off.stats().entries == 0);
}

TEST_CASE("replacing a key keeps one entry and the byte count right") {
  ResponseCache cache(1 << 20);
  cache.put("k", body(100));
  cache.put("k", body(300));
  CHECK(cache.stats().entries == 1);
  CHECK(cache.get("k")->size() == 300);
}
