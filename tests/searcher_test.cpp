// Searcher end to end: a real index built by the indexer from the demo corpus
// and the real press release, then searches as the CLI and the API run them.
#include "vigie/searcher.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>

#include "matcher/index_columns.h"
#include "pipeline/index_run.h"
#include "test_support.h"
#include "vigie/config.h"

namespace fs = std::filesystem;

namespace {

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

// One index for the whole file: building it is the slow part.
const fs::path& shared_index() {
  static vigie::test::ScratchDir dir("vigie-searcher");
  static const fs::path db = [] {
    vigie::IndexOptions options;
    options.db = dir.path() / "index";
    options.roots = {{"demo", vigie::test::source_dir() / "corpus"},
                     {"reel", vigie::test::shared_corpus() / "communiques"}};
    options.threads = 2;
    vigie::run_index(shipped_config(), options);
    return options.db;
  }();
  return db;
}

// A small index of its own, from text files written by the test, rebuilt or
// updated as the test goes (one indexing thread).
class SmallIndex {
 public:
  SmallIndex() {
    options_.db = dir_.path() / "index";
    options_.roots = {{"", dir_.path() / "docs"}};
    options_.threads = 1;
  }
  void write(const std::string& name, const std::string& text) {
    vigie::test::write_file(dir_.path() / "docs" / name, text);
  }
  void index(bool full = false) {
    options_.full = full;
    vigie::run_index(config_, options_);
  }
  const fs::path& db() const { return options_.db; }
  const vigie::Config& config() const { return config_; }

 private:
  vigie::test::ScratchDir dir_;
  vigie::IndexOptions options_;
  const vigie::Config config_ = shipped_config();
};

// A SmallIndex holding one document on « pistes cyclables », a Searcher on
// it, and how many documents the query « cyclables » finds now.
struct OneCyclingDocument {
  SmallIndex small;
  std::unique_ptr<vigie::Searcher> searcher;
  OneCyclingDocument() {
    small.write("a.txt", "Premier document sur les pistes cyclables.\n");
    small.index();
    searcher = std::make_unique<vigie::Searcher>(small.db(), small.config());
  }
  Xapian::doccount cycling() {
    vigie::SearchRequest request;
    request.query = "cyclables";
    return searcher->search(request).total;
  }
};

vigie::SearchResponse search(const std::string& query, vigie::SearchRequest request = {}) {
  static const vigie::Config config = shipped_config();
  vigie::Searcher searcher(shared_index(), config);
  request.query = query;
  return searcher.search(request);
}

}  // namespace

TEST_CASE("a plain query finds the press release with a highlighted extract") {
  auto r = search("Interconnectés forum Toulouse");
  REQUIRE(!r.hits.empty());
  CHECK(r.hits[0].id == "reel/interconnectes-forum-2023.md");
  CHECK(r.hits[0].type == "communique");
  CHECK(r.hits[0].extract_html.find("<mark>") != std::string::npos);
  CHECK(r.hits[0].score > 0);
}

TEST_CASE("a hit in a PDF knows the page of its extract; other formats have none") {
  const std::string pdf = "demo/val-d-aubrac/proces-verbaux/CM 22 septembre 2020.pdf";
  struct Case {
    const char* query;
    std::string id;
    int page;
  } cases[] = {
      {"\"radar pédagogique\"", pdf, 2},  // page 2 of 2
      {"\"légalement convoqué\" Val-d'Aubrac", pdf, 1},
      {"Interconnectés forum Toulouse", "reel/interconnectes-forum-2023.md", 0},
  };
  for (const auto& c : cases) {
    CAPTURE(c.query);
    const auto r = search(c.query);
    const auto hit = std::find_if(r.hits.begin(), r.hits.end(),
                                  [&](const vigie::Hit& h) { return h.id == c.id; });
    REQUIRE(hit != r.hits.end());
    CHECK(hit->page == c.page);
    CHECK(hit->extract_html.find("<mark>") != std::string::npos);
  }
  // No extracts asked: no page either (it is the extract's).
  vigie::SearchRequest bare;
  bare.extracts = false;
  const auto r = search("\"radar pédagogique\"", bare);
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits[0].page == 0);
}

TEST_CASE("queries typed without accents find accented words") {
  auto accented = search("délibération");
  auto plain = search("deliberation");
  CHECK(accented.total > 0);
  CHECK(plain.total == accented.total);
  auto r = search("communique de presse numerique");
  CHECK(r.total > 0);
}

TEST_CASE("documents with all the words rank first; a notice when none has them all") {
  auto r = search("budget cantine");
  REQUIRE(!r.hits.empty());
  CHECK(r.notice.empty());
  // No document holds both: none is a result, those with one word are apart.
  auto partial = search("cantine zygomorphe");
  CHECK(partial.total == 0);
  CHECK(!partial.notice.empty());
  CHECK(partial.partial_total > 0);
  REQUIRE_FALSE(partial.hits.empty());  // listed, flagged
  for (const auto& hit : partial.hits) CHECK_FALSE(hit.all_words);
}

TEST_CASE("a question's results are the documents with any of its words, ranked by BM25 alone") {
  // « zygomorphe » is in no document: as keywords nothing holds every word.
  const auto keywords = search("coûte cantine zygomorphe");
  CHECK(keywords.total == 0);
  const auto question = search("combien coûte la cantine zygomorphe ?");
  CHECK(question.question);
  CHECK(question.total == keywords.partial_total);  // any of the words: counted
  CHECK(question.partial_total == 0);
  CHECK(question.notice.find("question") != std::string::npos);
  REQUIRE_FALSE(question.hits.empty());
  for (const auto& hit : question.hits) CHECK_FALSE(hit.all_words);
  // The same words as keywords with « au moins un des mots » count alike.
  vigie::SearchRequest any;
  any.any_words = true;
  CHECK(search("coûte cantine zygomorphe", any).total == question.total);
  // Off in the configuration: a question is searched as keywords.
  vigie::Config config = shipped_config();
  config.search.questions_any_words = false;
  vigie::Searcher searcher(shared_index(), config);
  vigie::SearchRequest request;
  request.query = "combien coûte la cantine zygomorphe ?";
  const auto off = searcher.search(request);
  CHECK_FALSE(off.question);
  CHECK(off.total == 0);
}

TEST_CASE(
    "several words: the documents with all of them are the results; those with some are apart") {
  SmallIndex small;
  // 12 documents with both words, 5 with « piste » only, 3 with neither.
  for (int i = 0; i < 12; ++i)
    small.write("both-" + std::to_string(i) + ".txt",
                "Compte rendu " + std::to_string(i) + " : la piste cyclable du quartier.\n");
  for (int i = 0; i < 5; ++i)
    small.write("piste-" + std::to_string(i) + ".txt",
                "Note " + std::to_string(i) + " : une piste de ski rouverte.\n");
  for (int i = 0; i < 3; ++i)
    small.write("other-" + std::to_string(i) + ".txt",
                "Délibération " + std::to_string(i) + " sur la cantine.\n");
  small.index();
  vigie::Searcher searcher(small.db(), small.config());
  vigie::SearchRequest request;
  request.limit = 50;
  request.query = "piste cyclable";
  auto ten_or_more = searcher.search(request);
  CHECK(ten_or_more.total == 12);  // the documents with both words, counted exactly
  CHECK(ten_or_more.total_exact);
  CHECK(ten_or_more.hits.size() == 12);
  CHECK(ten_or_more.notice.empty());

  CHECK(ten_or_more.partial_total == 0);  // 10 or more with all: nothing apart
  for (const auto& hit : ten_or_more.hits) CHECK(hit.all_words);

  // Filtered down to fewer than 10 with both words: the 5 with « piste »
  // alone are a separate answer, not counted in the total.
  request.query = "piste cyclable -\"compte rendu 0\" -\"compte rendu 1\" -\"compte rendu 2\"";
  auto fewer = searcher.search(request);
  // They fill the page after the 9, flagged.
  CHECK(fewer.total == 9);
  CHECK(fewer.partial_total == 5);
  REQUIRE(fewer.hits.size() == 14);
  for (std::size_t i = 0; i < 9; ++i) {
    CHECK(fewer.hits[i].id.starts_with("both-"));
    CHECK(fewer.hits[i].all_words);
  }
  for (std::size_t i = 9; i < 14; ++i) {
    CHECK(fewer.hits[i].id.starts_with("piste-"));
    CHECK_FALSE(fewer.hits[i].all_words);
  }
  // A page of 5: the all-words ones first; the partial count all the same.
  request.limit = 5;
  const auto five = searcher.search(request);
  REQUIRE(five.hits.size() == 5);
  for (const auto& hit : five.hits) CHECK(hit.all_words);
  CHECK(five.partial_total == 5);
  request.limit = 50;
  CHECK(fewer.notice.empty());
  Xapian::doccount by_type = 0;
  for (const auto& v : fewer.facets.at(0).values) by_type += v.count;
  CHECK(by_type == 9);  // facets count the results, not the partial answer

  // « au moins un des mots »: both are results, those with all first.
  request.any_words = true;
  auto any = searcher.search(request);
  CHECK(any.total == 14);
  REQUIRE(any.hits.size() == 14);
  for (std::size_t i = 0; i < 9; ++i) CHECK(any.hits[i].all_words);
  for (std::size_t i = 9; i < 14; ++i) {
    CHECK(any.hits[i].id.starts_with("piste-"));
    CHECK_FALSE(any.hits[i].all_words);
  }
  CHECK(any.partial_total == 0);
  request.any_words = false;

  request.query = "cantine cyclable";
  auto none = searcher.search(request);
  CHECK(none.total == 0);
  CHECK(none.partial_total == 15);
  CHECK(none.hits.size() == 15);
  CHECK_FALSE(none.notice.empty());
}

TEST_CASE("facets count types, organisations, years and persons; filters narrow") {
  auto all = search("numérique");
  REQUIRE(all.facets.size() == 6);  // then vote and amount (decisions_search_test)
  CHECK(all.facets[3].name == "person");
  CHECK(all.facets[4].name == "vote");
  CHECK(all.facets[5].name == "amount");
  CHECK(all.facets[0].name == "type");
  CHECK(all.facets[0].exact);
  Xapian::doccount communiques = 0;
  for (const auto& v : all.facets[0].values)
    if (v.key == "communique") communiques = v.count;
  REQUIRE(communiques > 0);
  vigie::SearchRequest filtered;
  filtered.types = {vigie::DocType::Communique};
  auto only = search("numérique", filtered);
  CHECK(only.total == communiques);
  for (const auto& h : only.hits) CHECK(h.type == "communique");
  const auto& years = all.facets[2].values;
  CHECK(std::is_sorted(years.begin(), years.end(),
                       [](const auto& a, const auto& b) { return a.key < b.key; }));
}

TEST_CASE("sort by date, newest or oldest first, and pagination") {
  vigie::SearchRequest newest;
  newest.sort = vigie::SortOrder::Newest;
  newest.limit = 20;
  auto r = search("conseil", newest);
  REQUIRE(r.hits.size() >= 5);
  for (std::size_t i = 1; i < r.hits.size(); ++i)
    if (!r.hits[i].date.empty()) CHECK(r.hits[i - 1].date >= r.hits[i].date);
  vigie::SearchRequest page2 = newest;
  page2.offset = 5;
  page2.limit = 5;
  auto second = search("conseil", page2);
  REQUIRE(second.hits.size() == 5);
  CHECK(second.hits[0].id == r.hits[5].id);
}

TEST_CASE("date filters from request fields; a partial date stands for its period") {
  vigie::SearchRequest request;
  request.dates = {vigie::Date{2023, 1, 1}, vigie::Date{2023, 12, 31}};
  request.limit = 50;
  auto r = search("", request);
  REQUIRE(r.total > 0);
  for (const auto& h : r.hits) CHECK(h.date.starts_with("2023"));
  // The year as a period: the same documents, and those dated by the year only.
  vigie::SearchRequest year = request;
  year.dates = {vigie::Date{2023}, vigie::Date{2023}};
  auto by_year = search("", year);
  CHECK(by_year.total >= r.total);
  for (const auto& h : by_year.hits) CHECK(h.date.starts_with("2023"));
  // Reversed bounds are an empty period (the query language swaps them, with a warning).
  request.dates = {vigie::Date{2023, 12, 31}, vigie::Date{2023, 1, 1}};
  CHECK(search("", request).total == 0);
}

TEST_CASE("explain lists the matched terms with weights") {
  vigie::SearchRequest request;
  request.explain = true;
  auto r = search("cantine", request);
  REQUIRE(!r.hits.empty());
  CHECK(!r.hits[0].explanation.empty());
  CHECK(r.hits[0].explanation[0].weight > 0);
}

TEST_CASE("documents by id, similar documents and full-text highlighting") {
  vigie::Searcher searcher(shared_index(), shipped_config());
  auto doc = searcher.document("reel/interconnectes-forum-2023.md");
  REQUIRE(doc);
  CHECK(doc->body.find("Toulouse") != std::string::npos);
  CHECK(!searcher.document("reel/absent.md"));
  auto similar = searcher.similar("reel/interconnectes-forum-2023.md", 5);
  CHECK(!similar.empty());
  for (const auto& h : similar) CHECK(h.id != "reel/interconnectes-forum-2023.md");
  const std::string marked = searcher.highlight_all(doc->body, "Toulouse");
  CHECK(marked.find("<mark id=\"premier-resultat\">Toulouse</mark>") != std::string::npos);
  CHECK(searcher.document_count() > 40);
}

TEST_CASE("an XSS payload in a document is escaped in extracts") {
  auto r = search("hameçonnage script");
  REQUIRE(!r.hits.empty());
  for (const auto& h : r.hits) {
    CHECK(h.extract_html.find("<script") == std::string::npos);
    CHECK(h.title.find("<script") == std::string::npos);
  }
}

TEST_CASE("a new generation is picked up without reopening by hand") {
  OneCyclingDocument index;
  CHECK(index.cycling() == 1);
  index.small.write("b.txt", "Second document : pistes cyclables et covoiturage.\n");
  index.small.index(/*full=*/true);
  CHECK(index.cycling() == 2);
  // An incremental commit to the live generation is seen too.
  index.small.write("c.txt", "Troisième : cyclables.\n");
  index.small.index();
  CHECK(index.cycling() == 3);
}

TEST_CASE("a pinned searcher keeps one index state across commits and generations") {
  OneCyclingDocument index;
  vigie::Searcher& searcher = *index.searcher;
  CHECK(index.cycling() == 1);
  // A commit lands before the pin: pin() picks it up, then holds that state.
  index.small.write("b.txt", "Second document : pistes cyclables.\n");
  index.small.index();
  {
    vigie::SearcherPin pin(searcher);
    CHECK(index.cycling() == 2);
    index.small.write("c.txt", "Troisième : cyclables.\n");
    index.small.index();  // an incremental commit
    CHECK(index.cycling() == 2);
    CHECK(searcher.document_count() == 2);
    index.small.index(/*full=*/true);  // a new generation
    CHECK(index.cycling() == 2);
  }
  CHECK(index.cycling() == 3);
  CHECK(searcher.index_state().starts_with("gen-000002@"));

  // Pinned from what is open (the response cache's way): the state last
  // read, even with a newer commit on disk.
  const std::string state = searcher.index_state();
  index.small.write("d.txt", "Quatrième : cyclables.\n");
  index.small.index();
  {
    vigie::SearcherPin pin(searcher, vigie::SearcherPin::From::Open);
    CHECK(index.cycling() == 3);
    CHECK(searcher.index_state() == state);
  }
  CHECK(index.cycling() == 4);
}

TEST_CASE("Searchers sharing columns read them once per index revision, and count alike") {
  SmallIndex small;
  small.write("a.md", "# Piste cyclable\n\nLa commune ouvre une piste cyclable.\n");
  small.write("b.md", "# Piste\n\nLa piste cyclable est prolongée.\n");
  small.write("copie.md", "# Piste\n\nLa piste cyclable est prolongée.\n");  // the same text as b
  small.index();
  auto shared = std::make_shared<vigie::SharedColumns>();
  vigie::Searcher first(small.db(), small.config(), shared),
      second(small.db(), small.config(), shared);
  vigie::SearchRequest request;
  request.query = "cyclable";
  const auto one = first.search(request);
  const auto two = second.search(request);
  CHECK(shared->reads() == 1);
  CHECK(one.total == 2);  // b and its copy collapse into one hit
  CHECK(two.total == 2);
  REQUIRE(two.facets.size() == 6);
  REQUIRE(two.facets[0].values.size() == 1);
  CHECK(two.facets[0].values[0].count == 2);
  small.write("c.md", "# Vélo\n\nUne autre piste cyclable.\n");
  small.index();  // a commit: a new revision
  CHECK(first.search(request).total == 3);
  CHECK(second.search(request).total == 3);
  CHECK(shared->reads() == 2);
}

TEST_CASE("no index yet: IndexUnavailable, not a crash") {
  vigie::test::ScratchDir dir;
  vigie::Searcher searcher(dir.path() / "nothing", shipped_config());
  vigie::SearchRequest request;
  request.query = "budget";
  CHECK_THROWS_AS(searcher.search(request), vigie::IndexUnavailable);
}

TEST_CASE(
    "counts are exact up to search.exact_facets_under matches when the matcher counts, estimates "
    "beyond") {
  auto config = shipped_config();
  config.search.exact_facets_under = 3;
  vigie::Searcher searcher(shared_index(), config);
  vigie::SearchRequest request;
  request.query = "conseil";
  // Relevance order: counted from the posting lists, exact whatever the budget.
  auto broad = searcher.search(request);
  REQUIRE(broad.total > 3);
  CHECK(broad.total_exact);
  CHECK(broad.facets[0].exact);
  // Date order: counted from the posting lists too, but for phrases: the
  // matcher counts them, up to the budget.
  request.sort = vigie::SortOrder::Newest;
  CHECK(searcher.search(request).facets[0].exact);
  request.query = "\"conseil municipal\"";
  CHECK_FALSE(searcher.search(request).facets[0].exact);
  // Phrases in relevance order: their candidates checked up to
  // search.phrase_checks (positional_search.h), whatever this budget.
  request.sort = vigie::SortOrder::Relevance;
  auto phrase = searcher.search(request);
  REQUIRE(phrase.total > 3);
  CHECK(phrase.total_exact);
  CHECK(phrase.facets[0].exact);
  request.query = "=toulouse";
  auto narrow = searcher.search(request);
  REQUIRE(narrow.total >= 1);
  REQUIRE(narrow.total <= 3);
  CHECK(narrow.total_exact);
  CHECK(narrow.facets[0].exact);
}

TEST_CASE("identical texts are one hit with a count, whatever the filters keep") {
  // Three copies of one text (two from the mairie, one from the syndicat)
  // and one other text: the copies are one hit; a filter that leaves out the
  // first copy still finds a later one.
  vigie::test::ScratchDir dir("vigie-duplicates");
  const fs::path root = dir.path() / "docs";
  const std::string text =
      "Le conseil approuve le règlement du service de l'eau potable et son annexe tarifaire.\n";
  vigie::test::write_file(root / "mairie" / "a.txt", text);
  vigie::test::write_file(root / "mairie" / "b.txt", text);
  vigie::test::write_file(root / "syndicat" / "c.txt", text);
  vigie::test::write_file(root / "mairie" / "autre.txt",
                          "Le conseil approuve le budget du service de l'eau pour l'année.\n");
  auto config = shipped_config();
  config.indexer.folders = {{"mairie/", "Mairie de Brévilly", "", "", {}},
                            {"syndicat/", "Syndicat des eaux de Brévilly", "", "", {}}};
  vigie::IndexOptions options;
  options.db = dir.path() / "index";
  options.roots = {{"d", root}};
  options.threads = 1;
  vigie::run_index(config, options);
  vigie::Searcher searcher(options.db, config);

  vigie::SearchRequest request;
  request.query = "conseil service eau";  // in all four texts
  auto collapsed = searcher.search(request);
  REQUIRE(collapsed.hits.size() == 2);
  CHECK(collapsed.total == 2);
  CHECK(collapsed.total_exact);
  const auto& copies =
      collapsed.hits[0].id == "d/mairie/autre.txt" ? collapsed.hits[1] : collapsed.hits[0];
  CHECK(copies.id == "d/mairie/a.txt");  // equal weights: the first copy stands for the others
  CHECK(copies.duplicates == 2);
  REQUIRE(copies.also.size() == 2);
  CHECK(copies.also[0].id == "d/mairie/b.txt");
  CHECK(copies.also[1].id == "d/syndicat/c.txt");
  Xapian::doccount counted = 0;
  for (const auto& v : collapsed.facets.at(0).values) counted += v.count;
  CHECK(counted == 2);  // facets count hits, not copies

  request.collapse_duplicates = false;
  CHECK(searcher.search(request).hits.size() == 4);

  request.collapse_duplicates = true;
  request.organisations = {"Syndicat des eaux de Brévilly"};
  auto later_copy = searcher.search(request);
  REQUIRE(later_copy.hits.size() == 1);
  CHECK(later_copy.hits[0].id == "d/syndicat/c.txt");
}

TEST_CASE("nothing as typed: the corrected search answers, and says what it corrected") {
  struct Row {
    std::string query;
    std::vector<std::string> organisations;
    std::vector<vigie::Correction> corrections;  // empty: as typed (found, or nothing to try)
  };
  const std::string aubrac = "Commune de Val-d'Aubrac";
  const Row rows[] = {
      {"numeriqeu", {}, {{"q", "numeriqeu", "numerique"}}},
      {"numérique", {}, {}},
      {"budget", {"Aubrac"}, {{"organisation", "Aubrac", aubrac}}},
      {"budget", {"val d'aubrac"}, {{"organisation", "val d'aubrac", aubrac}}},
      {"budget collectivite:aubrac",
       {},
       {{"q", "budget collectivite:aubrac", "budget collectivite:\"" + aubrac + "\""}}},
      {"budget collectivite:\"val-d aubrac\"",
       {},
       {{"q", "budget collectivite:\"val-d aubrac\"", "budget collectivite:\"" + aubrac + "\""}}},
      // A word in no collectivité’s name, a known name, nothing to suggest: untouched.
      {"budget", {"Atlantide"}, {}},
      {"budget", {aubrac}, {}},
      {"zzzxqwv", {}, {}},
  };
  for (const auto& row : rows) {
    CAPTURE(row.query);
    vigie::SearchRequest request;
    request.organisations = row.organisations;
    auto r = search(row.query, request);
    REQUIRE(r.corrected.size() == row.corrections.size());
    CHECK(r.query == row.query);
    for (std::size_t i = 0; i < row.corrections.size(); ++i) {
      CHECK(r.corrected[i].field == row.corrections[i].field);
      CHECK(r.corrected[i].from == row.corrections[i].from);
      CHECK(r.corrected[i].to == row.corrections[i].to);
    }
    if (!row.corrections.empty()) {
      CHECK(r.total > 0);
      // Off, the same request finds nothing.
      request.correct = false;
      CHECK(search(row.query, request).total == 0);
    }
  }
}
