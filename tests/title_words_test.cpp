// Title words (matcher/title_words.h) on the real minutes of Chémeré
// (../shared/corpus): a top candidate whose title holds the query's words
// ranks above one that only mentions them, without breaking pages,
// percentages, phrases, date order or the all-words tier.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "ranking_support.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace {

vigie::Config config_with_title_boost(double boost) {
  vigie::Config config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  config.search.title_boost = boost;
  return config;
}

vigie::SearchResponse search(vigie::Searcher& searcher, const std::string& query,
                             std::size_t offset = 0, std::size_t limit = 10,
                             vigie::SortOrder sort = vigie::SortOrder::Relevance,
                             bool any_words = false) {
  return vigie::test::search_page(
      searcher, query, {.offset = offset, .limit = limit, .sort = sort, .any_words = any_words});
}

std::vector<std::string> ids(const vigie::SearchResponse& found) {
  return vigie::test::hit_ids(found);
}

std::size_t rank_of(const vigie::SearchResponse& found, const std::string& id) {
  const auto all = ids(found);
  const auto at = std::find(all.begin(), all.end(), id);
  return at == all.end() ? SIZE_MAX : static_cast<std::size_t>(at - all.begin()) + 1;
}

// « DE-2014/85 – Conseil municipal : Règlement intérieur ».
const std::string kRules = "chemere/pv-json/2014-09-16.json#2014/85";

}  // namespace

TEST_CASE("a question's answer titled with its words ranks first") {
  vigie::Searcher with(vigie::test::shared_corpus_index(), config_with_title_boost(0.5));
  vigie::Searcher without(vigie::test::shared_corpus_index(), config_with_title_boost(0));
  const std::string question = "quel est le règlement intérieur du conseil municipal ?";
  // BM25 alone: other deliberations of the council, which say « conseil
  // municipal » and « règlement » in their text, come first.
  CHECK(rank_of(search(without, question), kRules) > 1);
  CHECK(rank_of(search(with, question), kRules) == 1);
  // The same as keywords (all the words first).
  CHECK(rank_of(search(with, "règlement intérieur conseil municipal"), kRules) == 1);
}

TEST_CASE("a hyphenated word (a phrase) ranks by title words too") {
  vigie::Searcher with(vigie::test::shared_corpus_index(), config_with_title_boost(0.5));
  vigie::Searcher without(vigie::test::shared_corpus_index(), config_with_title_boost(0));
  // « halte-garderie » is searched as the phrase « halte garderie »: its
  // candidates are checked, then ranked like any other query's.
  const std::string question = "quand a été créée la halte-garderie ?";
  const auto found = search(with, question, 0, 4);
  REQUIRE(found.hits.size() >= 2);
  for (std::size_t i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK(found.hits[i].title.starts_with("Halte garderie"));
  }
  // BM25 alone: « Projet multi-accueil intercommunal » first.
  CHECK_FALSE(search(without, question, 0, 1).hits.at(0).title.starts_with("Halte garderie"));
}

TEST_CASE("title words: pages neither repeat nor skip a hit; percentages stay within 100") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), config_with_title_boost(0.5));
  for (const char* query :
       {"quel est le règlement intérieur du conseil municipal ?", "tarifs de la cantine",
        "salle des fêtes location", "quand a été créée la halte-garderie ?"}) {
    CAPTURE(query);
    const auto whole = search(searcher, query, 0, 80);
    std::vector<std::string> paged;
    for (std::size_t offset = 0; offset < 80; offset += 10) {
      const auto page = ids(search(searcher, query, offset, 10));
      paged.insert(paged.end(), page.begin(), page.end());
    }
    CHECK(paged == ids(whole));
    CHECK(std::set<std::string>(paged.begin(), paged.end()).size() == paged.size());
    // Xapian's percentages: one factor times the weight (the best hit's
    // share of the query's parts), so they never rise down the ranking.
    REQUIRE_FALSE(whole.hits.empty());
    for (std::size_t i = 0; i < whole.hits.size(); ++i) {
      CHECK(whole.hits[i].score <= 100.0);
      if (i > 0) CHECK(whole.hits[i].score <= whole.hits[i - 1].score);
    }
  }
}

TEST_CASE("title words leave phrases, date order and the all-words tier alone") {
  vigie::Searcher with(vigie::test::shared_corpus_index(), config_with_title_boost(10));
  vigie::Searcher without(vigie::test::shared_corpus_index(), config_with_title_boost(0));
  CHECK(ids(search(with, "\"règlement intérieur\"", 0, 20)) ==
        ids(search(without, "\"règlement intérieur\"", 0, 20)));
  CHECK(ids(search(with, "règlement intérieur", 0, 20, vigie::SortOrder::Newest)) ==
        ids(search(without, "règlement intérieur", 0, 20, vigie::SortOrder::Newest)));
  // Even a boost of 10 does not lift a document with some of the words
  // over one with all of them.
  const auto found =
      search(with, "règlement intérieur cimetière", 0, 50, vigie::SortOrder::Relevance, true);
  REQUIRE_FALSE(found.hits.empty());
  CHECK(found.hits.front().all_words);
  bool some_seen = false;
  for (const auto& hit : found.hits) {
    if (!hit.all_words) some_seen = true;
    CHECK_FALSE((some_seen && hit.all_words));
  }
}
