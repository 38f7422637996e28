// Bitmap ranking: a shortlist weighed by us, then ranked by Xapian's matcher,
// gives the page the whole matcher gives — on an index of the demo corpus and
// the real council minutes, for the kinds of query the bench runs.
#include "matcher/bitmap_ranking.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "matcher/block_maxima.h"
#include "matcher/index_columns.h"
#include "matcher/matcher_leaves.h"
#include "matcher/position_filter_source.h"
#include "pipeline/index_run.h"
#include "query/query_parser.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/index_directory.h"
#include "vigie/synonyms.h"

namespace fs = std::filesystem;

namespace {

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

struct Page {
  std::vector<Xapian::docid> ids;
  std::vector<double> weights;
  std::vector<int> percents;
};

Page page_of(const Xapian::MSet& mset) {
  Page page;
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    page.ids.push_back(*it);
    page.weights.push_back(it.get_weight());
    page.percents.push_back(it.get_percent());
  }
  return page;
}

}  // namespace

TEST_CASE(
    "a shortlist, ranked by Xapian or by its own weights, is the whole matcher's page, weights and "
    "percentages included") {
  vigie::test::ScratchDir dir("vigie-bitmap-ranking");
  const vigie::Config config = shipped_config();
  vigie::IndexOptions options;
  options.db = dir.path() / "index";
  options.roots = {{"demo", vigie::test::source_dir() / "corpus"},
                   {"chemere", vigie::test::shared_corpus() / "chemere" / "pv-json"}};
  options.threads = 2;
  vigie::run_index(config, options);
  auto live = vigie::IndexDirectory(options.db).live_generation();
  REQUIRE(live);
  Xapian::Database db(live->string());
  REQUIRE(db.get_doccount() > 300);
  const auto columns = vigie::IndexColumns::read(db);
  std::vector<std::string> warnings;
  vigie::QueryParser parser(config.search, vigie::load_synonyms(config.analysis.synonyms, warnings),
                            vigie::load_stopwords(config.analysis.stopwords, warnings));
  const auto& b = config.search.bm25;
  const Xapian::BM25Weight weight(b.k1, b.k2, b.k3, b.b, b.min_normlen);

  // Words, families, pairs and triples (relaxed when few hold them all),
  // prefixes, unaccented words, titles, fields, dates, OR, negation.
  const char* queries[] = {"conseil",
                           "commune",
                           "budget",
                           "eau",
                           "école",
                           "ecole",
                           "delibere",
                           "travaux",
                           "conseil municipal",
                           "budget primitif commune",
                           "eau assainissement",
                           "voirie travaux route",
                           "subvention association sportive",
                           "salle des fêtes",
                           "délib*",
                           "trav*",
                           "cantine OR restaurant",
                           "budget -investissement",
                           "titre:budget",
                           "titre:conseil eau",
                           "type:deliberation budget",
                           "annee:2012 conseil",
                           "date:2010..2014 commune",
                           "maire adjoint délégation",
                           "zzzz conseil",
                           "Vice-président syndicat",
                           "\"conseil municipal\" budget",
                           "\"salle des fêtes\" OR gymnase"};
  vigie::PostingCache cache;
  // Blocks of 64 ids, used whatever the number of matches: ~27 blocks here.
  vigie::BlockMaxima maxima(0, 64);
  int blocked_compared = 0;
  int shortened = 0;  // queries whose shortlist is much smaller than their matches
  int compared = 0;
  int weighed_compared = 0;
  for (const char* text : queries) {
    const std::string typed = text;
    CAPTURE(typed);
    vigie::MatcherLeaves leaves(&columns->dates);
    const vigie::ParsedQuery parsed = parser.parse(text, db, leaves);
    for (const auto& query : {parsed.query, parsed.strict_query}) {
      vigie::BitmapSources sources;
      sources.ranges = leaves.date_ranges();
      sources.positions = leaves.positions();  // phrases (a hyphenated word is one), checked here
      for (const auto& part : leaves.positions()) REQUIRE(part.checks->attach(db));
      auto matches = vigie::match_bitmap(db, query, sources);
      REQUIRE(matches);
      const std::string description = query.get_description();
      CAPTURE(description);
      for (auto [offset, limit] :
           {std::pair<Xapian::doccount, Xapian::doccount>{0, 10}, {10, 10}, {0, 50}}) {
        CAPTURE(offset);
        CAPTURE(limit);
        Xapian::Enquire enquire(db);
        enquire.set_query(query);
        enquire.set_weighting_scheme(weight);
        const Page expected = page_of(enquire.get_mset(offset, limit));
        // Percentages as the searcher computes them: from the whole ranking's best hit.
        auto set_percents = [&](Page& page, const Xapian::MSet& best) {
          if (best.empty()) return;
          auto factor =
              vigie::percent_factor(db, query, sources, *best.begin(), best.begin().get_weight());
          REQUIRE(factor);
          for (std::size_t i = 0; i < page.percents.size(); ++i)
            page.percents[i] = vigie::percent(page.weights[i], *factor);
        };
        std::vector<vigie::WeighedDocument> weighed;
        auto list = vigie::shortlist(db, query, *matches, sources, columns->lengths, b,
                                     std::size_t{offset} + limit, nullptr, &weighed);
        REQUIRE(list);
        {  // ranked by the shortlist's own weights (what the searcher does): the same page
          const auto documents =
              std::make_shared<const std::vector<vigie::WeighedDocument>>(weighed);
          Page own = page_of(vigie::rank_weighed(db, documents, offset, limit));
          set_percents(own, vigie::rank_weighed(db, documents, 0, 1));
          CHECK(own.ids == expected.ids);
          CHECK(own.percents == expected.percents);
          REQUIRE(own.weights.size() == expected.weights.size());
          for (std::size_t i = 0; i < own.weights.size(); ++i)
            CHECK(own.weights[i] == doctest::Approx(expected.weights[i]).epsilon(1e-9));
          ++weighed_compared;
        }
        {  // the same with the frequent terms' postings from memory (posting_cache.h)
          vigie::BitmapSources cached = sources;
          cached.postings = &cache;
          auto again = vigie::shortlist(db, query, *matches, cached, columns->lengths, b,
                                        std::size_t{offset} + limit);
          REQUIRE(again);
          std::vector<Xapian::docid> x, y;
          list->for_each([&](Xapian::docid id) { x.push_back(id); });
          again->for_each([&](Xapian::docid id) { y.push_back(id); });
          CHECK(x == y);
        }
        {  // the same weighed block by block, the best bounds first (block_maxima.h),
           // with and without families (duplicate_groups.h): the same documents and weights
          for (const vigie::DuplicateGroups* families :
               {static_cast<const vigie::DuplicateGroups*>(nullptr), &columns->duplicates}) {
            std::vector<vigie::WeighedDocument> whole, by_blocks;
            vigie::BitmapSources blocked = sources;
            blocked.maxima = &maxima;
            blocked.postings = &cache;  // the families' unions too
            REQUIRE(vigie::shortlist(db, query, *matches, sources, columns->lengths, b,
                                     std::size_t{offset} + limit, nullptr, &whole, families));
            REQUIRE(vigie::shortlist(db, query, *matches, blocked, columns->lengths, b,
                                     std::size_t{offset} + limit, nullptr, &by_blocks, families));
            REQUIRE(whole.size() == by_blocks.size());
            for (std::size_t i = 0; i < whole.size(); ++i) {
              CHECK(whole[i].id == by_blocks[i].id);
              CHECK(whole[i].weight == doctest::Approx(by_blocks[i].weight).epsilon(1e-12));
            }
            ++blocked_compared;
          }
        }
        shortened += list->count() * 4 < matches->count();
        auto among = std::make_shared<vigie::MatchBitmap>(std::move(*list));
        Page got = page_of(vigie::rank_among(db, query, weight, among, offset, limit));
        set_percents(got, vigie::rank_among(db, query, weight, among, 0, 1));
        CHECK(got.ids == expected.ids);
        CHECK(got.weights == expected.weights);
        {
          std::string a, e;
          for (auto x : got.percents) a += std::to_string(x) + " ";
          for (auto x : expected.percents) e += std::to_string(x) + " ";
          CAPTURE(a);
          CAPTURE(e);
          CHECK(got.percents == expected.percents);
        }
        ++compared;
      }
    }
  }
  CHECK(compared >= 150);
  CHECK(weighed_compared == compared);
  CHECK(blocked_compared == 2 * compared);
  CHECK(maxima.bytes() > 0);
  CHECK(maxima.skipped() > 500);  // blocks were skipped, and the pages stayed the same
  CHECK(shortened >= 30);
  CHECK(cache.bytes() > 0);

  // What is not weighed here: MatchAll, Xapian's own phrases.
  const vigie::MatchBitmap all = *vigie::match_bitmap(db, Xapian::Query::MatchAll);
  CHECK_FALSE(vigie::shortlist(db, Xapian::Query::MatchAll, all, {}, columns->lengths, b, 10));
  const Xapian::Query words[] = {Xapian::Query("conseil"), Xapian::Query("municipal")};
  const Xapian::Query phrase(Xapian::Query::OP_PHRASE, std::begin(words), std::end(words), 2);
  CHECK_FALSE(vigie::shortlist(db, phrase, all, {}, columns->lengths, b, 10));
  // Nor BM25's k2 (a correction by document and query length).
  vigie::Bm25Config with_k2 = b;
  with_k2.k2 = 1.0;
  const Xapian::Query word("conseil");
  const vigie::MatchBitmap with_word = *vigie::match_bitmap(db, word);
  CHECK(vigie::shortlist(db, word, with_word, {}, columns->lengths, b, 10));
  CHECK_FALSE(vigie::shortlist(db, word, with_word, {}, columns->lengths, with_k2, 10));
}
