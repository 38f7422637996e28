// Ranking regressions: a handful of queries from the relevance collection
// (bench/relevance/queries.json, docs/ranking.md) whose clearly relevant
// document must stay in the top 3 with the shipped configuration. Only
// stable cases: each is at rank 1 or 2 everywhere in the tuning grid's
// plateau. The full measurement is bench/relevance/run.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "pipeline/index_run.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/searcher.h"

namespace fs = std::filesystem;

namespace {

const vigie::Config& shipped_config() {
  static const vigie::Config config =
      vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  return config;
}

const fs::path& demo_index() {
  static vigie::test::ScratchDir dir("vigie-relevance");
  static const fs::path db = [] {
    vigie::IndexOptions options;
    options.db = dir.path() / "index";
    // Unnamed root: ids are the paths inside corpus/, as in the collection.
    options.roots = {{"", vigie::test::source_dir() / "corpus"}};
    options.threads = 2;
    vigie::run_index(shipped_config(), options);
    return options.db;
  }();
  return db;
}

std::vector<std::string> top_ids(const std::string& query, std::size_t n) {
  vigie::Searcher searcher(demo_index(), shipped_config());
  vigie::SearchRequest request;
  request.query = query;
  request.limit = n;
  std::vector<std::string> ids;
  for (const auto& hit : searcher.search(request).hits) ids.push_back(hit.id);
  return ids;
}

struct Case {
  const char* style;
  const char* query;
  const char* expected;  // must be in the top 3
};

const Case kCases[] = {
    {"keywords", "cantine bio", "val-d-aubrac/communiques/2021-09-02-rentree-scolaire-cantine.odt"},
    {"keywords", "délégué à la protection des données RGPD",
     "syndicat-mixte-lisiere-numerique/pv-json/2019-10-08.json#2019/032"},
    {"keywords", "tarif solidaire TER",
     "region-armorique-centre/communiques/2024-04-09-ter-cadencement.md"},
    {"question", "qui a été élu président de la communauté de communes en 2020 ?",
     "cc-pays-de-lisiere/deliberations/2020-07-16-deliberation-2020-072-election-president.md"},
    {"unaccented", "cybersecurite hameconnage",
     "reseau-territoires-connectes/communiques/2024-02-01-cybersecurite-hameconnage.html"},
    {"unaccented", "deliberation pistes cyclables",
     "saint-julien-sur-lisiere/proces-verbaux/CM 8 avril 2022.pdf"},
    {"unaccented", "renovation energetique ecole Jules-Ferry",
     "val-d-aubrac/pv-json/2023-03-14.json#2023/016"},
    {"elision", "l’inclusion numérique",
     "reseau-territoires-connectes/communiques/2023-03-14-inclusion-numerique.md"},
    {"elision", "l'arrêté de la fête votive",
     "val-d-aubrac/arretes/arrete-2022-031-circulation-fete-votive.html"},
    {"acronym", "CNR",
     "reseau-territoires-connectes/communiques/"
     "2022-10-05-conseil-national-refondation-numerique.docx"},
};

}  // namespace

TEST_CASE("relevance: clearly relevant documents stay in the top 3") {
  for (const auto& c : kCases) {
    CAPTURE(c.style);
    CAPTURE(c.query);
    const auto ids = top_ids(c.query, 3);
    const bool found = std::find(ids.begin(), ids.end(), c.expected) != ids.end();
    std::string top;
    for (const auto& id : ids) top += "\n  " + id;
    INFO("expected " << c.expected << " in the top 3, got:" << top);
    CHECK(found);
  }
}
