// Sessions whose matching words stand in separate deliberations
// (search_pass.cpp, spread_over_parts()) on the real minutes of Chémeré
// (../shared/corpus): the deliberation is the hit, the session listed in
// it; a session that holds a word none of its deliberations holds, or one
// of whose deliberations holds all its words, is ranked by weight as before.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ranking_support.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace {

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

vigie::SearchResponse search(vigie::Searcher& searcher, const std::string& query, bool any_words,
                             std::size_t offset = 0, std::size_t limit = 10) {
  return vigie::test::search_page(searcher, query,
                                  {.offset = offset, .limit = limit, .any_words = any_words});
}

// The files of a session's minutes: its JSON record, HTML and PDF (one family).
std::vector<std::string> session_files(const std::string& day, const std::string& title) {
  return {"chemere/pv-json/" + day + ".json", "chemere/html/CM " + title + ".html",
          "chemere/pdf/CM " + title + ".pdf"};
}

// Whether `hit` shows one of `files` (as itself, a copy, or merged into it).
bool shows(const vigie::Hit& hit, const std::vector<std::string>& files) {
  auto named = [&](const std::string& id) {
    return std::find(files.begin(), files.end(), id) != files.end();
  };
  if (named(hit.id)) return true;
  for (const auto& member : hit.also)
    if (named(member.id)) return true;
  for (const auto& member : hit.merged)
    if (named(member.id)) return true;
  return false;
}

// The hit showing one of `files`, or nullptr.
const vigie::Hit* hit_showing(const vigie::SearchResponse& r,
                              const std::vector<std::string>& files) {
  for (const auto& hit : r.hits)
    if (shows(hit, files)) return &hit;
  return nullptr;
}

}  // namespace

TEST_CASE("a session whose words stand in separate deliberations is shown inside one of them") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  // 10 September 2013: « emprunt » and « bâtiment » in the loan for the
  // commercial building, « administratif » elsewhere; its minutes held all
  // three and ranked third, above the deliberations about the loan.
  const auto r = search(searcher, "emprunt bâtiment administratif", true);
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits.front().id == "chemere/pv-json/2014-02-26.json#2014/24");
  const auto files = session_files("2013-09-10", "10 septembre 2013");
  const vigie::Hit* session = hit_showing(r, files);
  REQUIRE(session != nullptr);
  CHECK(session->id == "chemere/pv-json/2013-09-10.json#2013/91");
}

TEST_CASE(
    "a session that one of its deliberations explains, or that holds more, keeps the rule of "
    "weights") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  // The session's day: its deliberations end with « Séance du 15 février
  // 2012. », so one of them holds every word, and stays the hit.
  const auto day = search(searcher, "conseil municipal du 15 février 2012", true);
  REQUIRE_FALSE(day.hits.empty());
  CHECK(day.hits.front().id.starts_with("chemere/pv-json/2012-02-15.json#"));
  const vigie::Hit* session = hit_showing(day, session_files("2012-02-15", "15 février 2012"));
  REQUIRE(session != nullptr);
  CHECK(session == &day.hits.front());
}

TEST_CASE("every word required: a session whose words are spread ranks after the others") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  // 26 October 2004: water tariffs in one deliberation, the canteen's rules
  // in another; its minutes ranked first for « tarifs cantine ».
  const auto files = session_files("2004-10-26", "26 octobre 2004");
  const auto r = search(searcher, "tarifs cantine", false, 0, 50);
  REQUIRE(r.hits.size() >= 10);
  std::size_t rank = 0;
  for (std::size_t i = 0; i < r.hits.size(); ++i)
    if (shows(r.hits[i], files)) rank = i + 1;
  CHECK(rank > 5);  // still a result: it holds both words
  // Pages neither repeat nor skip a hit with lowered weights.
  for (const char* query : {"tarifs cantine", "emprunt bâtiment administratif"}) {
    CAPTURE(query);
    const auto whole = search(searcher, query, false, 0, 80);
    std::vector<std::string> paged;
    for (std::size_t offset = 0; offset < 80; offset += 10)
      for (const auto& hit : search(searcher, query, false, offset, 10).hits)
        paged.push_back(hit.id);
    std::vector<std::string> ids;
    for (const auto& hit : whole.hits) ids.push_back(hit.id);
    CHECK(paged == ids);
  }
}
