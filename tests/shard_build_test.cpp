// split_by_size: how a --full build cuts the crawl order into shard blocks
// (shard_build.h). The blocks must cover every file once, in order, and be of
// about equal bytes; the build itself is tested end to end in
// indexer_integration_test.cpp ("1 and 2 extraction threads ...").
#include "pipeline/shard_build.h"

#include <doctest/doctest.h>

#include <numeric>

namespace {

using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

struct SplitCase {
  const char* name;
  std::vector<std::uint64_t> sizes;
  std::size_t blocks;
  Ranges expected;
};

}  // namespace

TEST_CASE("split_by_size cuts the crawl order into contiguous blocks of about equal bytes") {
  const SplitCase cases[] = {
      {"no files: one empty block (one shard, for the synonyms)", {}, 8, {{0, 0}}},
      {"fewer files than blocks: one file each", {10, 10, 10}, 8, {{0, 1}, {1, 2}, {2, 3}}},
      {"equal files, two blocks", {5, 5, 5, 5}, 2, {{0, 2}, {2, 4}}},
      {"one big file first", {100, 1, 1, 1}, 2, {{0, 1}, {1, 4}}},
      {"one big file last", {1, 1, 1, 100}, 2, {{0, 4}}},
      {"empty files still count", {0, 0, 0, 0}, 2, {{0, 2}, {2, 4}}},
      {"one block", {3, 4, 5}, 1, {{0, 3}}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CHECK(vigie::split_by_size(c.sizes, c.blocks) == c.expected);
  }
}

TEST_CASE("split_by_size covers every file exactly once, in order, whatever the sizes") {
  std::vector<std::uint64_t> sizes;
  for (std::uint64_t i = 0; i < 1000; ++i) sizes.push_back((i * 7919) % 5000);
  for (std::size_t blocks : {1, 2, 3, 8, 999, 1000, 5000}) {
    CAPTURE(blocks);
    auto ranges = vigie::split_by_size(sizes, blocks);
    REQUIRE(!ranges.empty());
    CHECK(ranges.size() <= blocks);
    CHECK(ranges.front().first == 0);
    CHECK(ranges.back().second == sizes.size());
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      CHECK(ranges[i].first < ranges[i].second);
      if (i > 0) CHECK(ranges[i].first == ranges[i - 1].second);
    }
  }
}
