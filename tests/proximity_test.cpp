// Proximity of the query's words (matcher/proximity.h) on the real minutes of
// Chémeré (../shared/corpus): consecutive words found together rank a
// document above one that holds them apart, without breaking pages,
// percentages, phrases or date order.
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

vigie::Config config_with_boost(double boost) {
  vigie::Config config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  config.search.proximity_boost = boost;
  config.search.title_boost = 0;  // proximity alone (title words: title_words_test.cpp)
  return config;
}

std::vector<vigie::Hit> hits(vigie::Searcher& searcher, const std::string& query,
                             std::size_t offset = 0, std::size_t limit = 10,
                             vigie::SortOrder sort = vigie::SortOrder::Relevance) {
  return vigie::test::search_page(searcher, query, {.offset = offset, .limit = limit, .sort = sort})
      .hits;
}

std::vector<std::string> ids(const std::vector<vigie::Hit>& found) {
  std::vector<std::string> out;
  for (const auto& h : found) out.push_back(h.id);
  return out;
}

// The deliberations fixing the mayor's allowances (« indemnités de fonction
// du maire », « l’indemnité du maire »).
const std::set<std::string> kMayorsAllowances = {"chemere/pv-json/2014-04-22.json#delib-5",
                                                 "chemere/pv-json/2008-03-26.json#2008/47"};

// Allowances of someone else, where « maire » is only the rapporteur
// (« Monsieur le Maire, rapporteur ») or a loan's « indemnités actuarielles ».
bool someone_elses_allowance(const vigie::Hit& hit) {
  for (const char* word : {"gardiennage", "Receveur", "ragondins", "Emprunt"})
    if (hit.title.find(word) != std::string::npos) return true;
  return false;
}

// The rank of the last of kMayorsAllowances, and of the first other allowance.
struct Ranks {
  std::size_t last_mayors = 0, first_other = SIZE_MAX;
};
Ranks ranks(const std::vector<vigie::Hit>& found) {
  Ranks r;
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (kMayorsAllowances.count(found[i].id)) r.last_mayors = i + 1;
    if (someone_elses_allowance(found[i])) r.first_other = std::min(r.first_other, i + 1);
  }
  return r;
}

}  // namespace

TEST_CASE("the mayor's allowances rank above other allowances the mayor reports on") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), config_with_boost(1.0));
  vigie::Searcher bm25_only(vigie::test::shared_corpus_index(), config_with_boost(0));
  for (const char* query : {"indemnités du maire", "indemnité du maire"}) {
    CAPTURE(query);
    const auto found = hits(searcher, query, 0, 20);
    const Ranks with = ranks(found);
    CAPTURE(with.last_mayors);
    CAPTURE(with.first_other);
    CHECK(with.last_mayors == 2);
    CHECK(with.last_mayors < with.first_other);
    for (const auto& h : found) CHECK(h.score <= 100);
  }
  // What BM25 alone gave: the singular's gardiennage and receveur first.
  const Ranks before = ranks(hits(bm25_only, "indemnité du maire", 0, 20));
  CHECK(before.first_other < before.last_mayors);
}

TEST_CASE("proximity: pages do not repeat or skip a hit, whatever the page size") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), config_with_boost(1.0));
  for (const char* query :
       {"indemnité du maire", "salle des fêtes", "télétransmission des actes"}) {
    CAPTURE(query);
    const auto whole = ids(hits(searcher, query, 0, 80));
    std::vector<std::string> paged;
    for (std::size_t offset = 0; offset < 80; offset += 10) {
      const auto page = ids(hits(searcher, query, offset, 10));
      paged.insert(paged.end(), page.begin(), page.end());
    }
    CHECK(paged == whole);
    CHECK(std::set<std::string>(whole.begin(), whole.end()).size() == whole.size());
  }
}

TEST_CASE("proximity leaves phrases, date order and single words alone") {
  vigie::Searcher with(vigie::test::shared_corpus_index(), config_with_boost(1.0));
  vigie::Searcher without(vigie::test::shared_corpus_index(), config_with_boost(0));
  for (const char* query : {"\"indemnités de fonction\"", "indemnités", "indemnités OR maire"})
    CHECK(ids(hits(with, query, 0, 20)) == ids(hits(without, query, 0, 20)));
  CHECK(ids(hits(with, "indemnité du maire", 0, 20, vigie::SortOrder::Newest)) ==
        ids(hits(without, "indemnité du maire", 0, 20, vigie::SortOrder::Newest)));
}
