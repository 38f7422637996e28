// A phrase, PROCHE or title phrase that few documents hold as asked
// (Searcher: SearchResponse::loosened_total) on the real minutes of Chémeré
// (../shared/corpus): the documents holding its words otherwise follow the
// matches on the first page, flagged and not counted; the query's filters
// still apply; nothing is loosened for a page past the first, an export, a
// negated phrase, or a phrase with matches enough.
#include <doctest/doctest.h>

#include <set>
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

vigie::SearchResponse search(vigie::Searcher& searcher, const std::string& query,
                             std::size_t offset = 0, bool fill = true) {
  return vigie::test::search_page(searcher, query,
                                  {.offset = offset, .fill_with_some_words = fill});
}

std::size_t loosened_hits(const vigie::SearchResponse& r) {
  std::size_t n = 0;
  for (const auto& hit : r.hits) n += hit.loosened;
  return n;
}

// Every file the loosened hits (or the others) show.
std::set<std::string> shown(const vigie::SearchResponse& r, bool loosened) {
  return vigie::test::files_shown(r,
                                  [&](const vigie::Hit& hit) { return hit.loosened == loosened; });
}

// « DE-2013/6 – Recours administratifs »: « recours » in its title, no « préfet ».
const std::string kAppeals = "chemere/pv-json/2013-01-22.json#2013/6";

}  // namespace

TEST_CASE("a PROCHE nothing holds: the documents with its words follow, flagged, not counted") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  const auto found = search(searcher, "préfet PROCHE/10 recours");
  CHECK(found.total == 0);
  CHECK(found.loosened_total > 10);
  REQUIRE(found.hits.size() == 10);
  for (const auto& hit : found.hits) {
    CHECK(hit.loosened);
    CHECK_FALSE(hit.all_words);
  }
  CHECK(shown(found, true).count(kAppeals) == 1);
  // Without the fill (an export, a JSON-lines page): nothing.
  CHECK(search(searcher, "préfet PROCHE/10 recours", 0, false).hits.empty());
}

TEST_CASE("a title phrase with few matches: the phrase elsewhere follows them, none twice") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  const auto found = search(searcher, "titre:\"rythmes scolaires\"");
  REQUIRE(found.total > 0);
  REQUIRE(found.total < vigie::kPartialBelow);
  // The matches first, then the loosened ones.
  std::size_t i = 0;
  while (i < found.hits.size() && !found.hits[i].loosened) ++i;
  CHECK(i == found.total);
  CHECK(loosened_hits(found) == found.hits.size() - i);
  CHECK(loosened_hits(found) > 0);
  for (; i < found.hits.size(); ++i) CHECK(found.hits[i].loosened);
  // None of the matches (nor their families) among the loosened ones.
  const auto matched = shown(found, false);
  for (const auto& id : shown(found, true)) CHECK(matched.count(id) == 0);
  // The session records say « rythmes scolaires » in their text, not their title.
  CHECK(shown(found, true).count("chemere/pv-json/2013-02-20.json") == 1);
}

TEST_CASE("loosening keeps the filters; not past the first page, for matches enough, or negated") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  const auto in_2012 = search(searcher, "\"amendes de police\" annee:2012");
  for (const auto& hit : in_2012.hits) {
    CAPTURE(hit.id);
    CHECK(hit.date.starts_with("2012"));
  }
  CHECK(loosened_hits(search(searcher, "préfet PROCHE/10 recours", 10)) == 0);
  const auto many = search(searcher, "\"conseil municipal\"");
  CHECK(many.total >= vigie::kPartialBelow);
  CHECK(loosened_hits(many) == 0);
  CHECK(many.loosened_total == 0);
  // With a negated phrase, nothing is loosened: its words anywhere would be
  // excluded.
  const auto appeals = search(searcher, "\"recours administratifs\"");
  REQUIRE(appeals.total < vigie::kPartialBelow);
  CHECK(loosened_hits(appeals) > 0);
  CHECK(loosened_hits(search(searcher, "\"recours administratifs\" -\"préfet de région\"")) == 0);
}
