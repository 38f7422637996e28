// Phrases and PROCHE on the words' forms (query_terms.h, slot_query()) on
// the real minutes of Chémeré (../shared/corpus): « zone de développement
// éolien » finds the deliberation titled « zones de développement éolien »,
// ="…" keeps the exact forms, stopwords stand for themselves, the exact
// matches are a subset of the phrase's, and pages stay consistent.
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

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

vigie::SearchResponse search(vigie::Searcher& searcher, const std::string& query,
                             std::size_t offset = 0, std::size_t limit = 50) {
  // The phrase's matches only.
  return vigie::test::search_page(
      searcher, query, {.offset = offset, .limit = limit, .fill_with_some_words = false});
}

using vigie::test::files_shown;
using vigie::test::hit_ids;

bool includes(const std::set<std::string>& all, const std::set<std::string>& part) {
  return std::includes(all.begin(), all.end(), part.begin(), part.end());
}

// « Etude et création de zones de développement éolien » (its title and text).
const std::string kZones = "chemere/pv-json/2012-09-12.json#delib-7";
// « Projet éolien » (2015): « Les zones de développement éolien (ZDE) ont été
// supprimées ».
const std::string kProject = "chemere/pv-json/2015-02-24.json#2015/19";

}  // namespace

TEST_CASE("a phrase finds its words' other forms; =\"…\" only the forms typed") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  const auto forms = search(searcher, "\"zone de développement éolien\"");
  const auto exact = search(searcher, "=\"zone de développement éolien\"");
  const auto plural = search(searcher, "=\"zones de développement éolien\"");
  CAPTURE(hit_ids(forms));
  CHECK(files_shown(forms).count(kZones) == 1);
  CHECK(files_shown(forms).count(kProject) == 1);
  CHECK(files_shown(exact).count(kZones) == 0);
  CHECK(files_shown(exact).count(kProject) == 0);
  CHECK(files_shown(plural).count(kZones) == 1);
  // Both exact spellings' documents, and nothing the words' forms do not
  // explain: the phrase's total is at least each exact one's, at most their
  // sum plus the other forms' (checked: no document is lost).
  REQUIRE_FALSE(exact.hits.empty());
  CHECK(includes(files_shown(forms), files_shown(exact)));
  CHECK(includes(files_shown(forms), files_shown(plural)));
  CHECK(forms.total >= std::max(exact.total, plural.total));
}

TEST_CASE("a phrase's stopwords stand for themselves; its order still counts") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  // « de » is not a form of « du » (both stopwords): no document says « zone
  // du développement éolien ».
  CHECK(files_shown(search(searcher, "\"zones du développement éolien\"")).count(kZones) == 0);
  CHECK(search(searcher, "\"éolien développement de zones\"").hits.empty());
}

TEST_CASE("titre:\"…\" and PROCHE take the words' forms too; =mot in PROCHE does not") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  CHECK(files_shown(search(searcher, "titre:\"zone de développement éolien\"")).count(kZones) == 1);
  // In the title only: « Projet éolien » says it in its text.
  CHECK(files_shown(search(searcher, "titre:\"zone de développement éolien\"")).count(kProject) ==
        0);
  CHECK(files_shown(search(searcher, "zone PROCHE/3 éoliens")).count(kZones) == 1);
  CHECK(files_shown(search(searcher, "=zone PROCHE/3 éolien")).count(kZones) == 0);
  CHECK(files_shown(search(searcher, "=zones PROCHE/3 éolien")).count(kZones) == 1);
}

TEST_CASE("a phrase with other forms: pages neither repeat nor skip a hit") {
  vigie::Searcher searcher(vigie::test::shared_corpus_index(), shipped_config());
  for (const std::string query : {"\"zone de développement éolien\"", "\"rythme scolaire\"",
                                  "\"salle de sport\" tarifs", "\"délibération du conseil\""}) {
    CAPTURE(query);
    const auto whole = search(searcher, query, 0, 60);
    REQUIRE_FALSE(whole.hits.empty());
    std::vector<std::string> paged;
    for (std::size_t offset = 0; offset < 60; offset += 10) {
      const auto page = hit_ids(search(searcher, query, offset, 10));
      paged.insert(paged.end(), page.begin(), page.end());
    }
    CHECK(paged == hit_ids(whole));
  }
}
