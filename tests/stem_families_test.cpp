// Stem families (index schema 2, common/index/index_schema.h): vigie-index
// writes no stem terms but lists each word under its stem-family keys in the
// synonym table, keeps them when the user's synonyms change, and rebuilds in
// full an index of the older layout instead of mixing the two. Real indexes
// on disk through run_index; the query side is in query_parser_test.cpp.
#include <doctest/doctest.h>
#include <xapian.h>

#include <map>
#include <set>
#include <string>

#include "build/document_builder.h"
#include "build/synonym_file.h"
#include "index/index_schema.h"
#include "index/schema.h"
#include "pipeline/index_run.h"
#include "query/query_parser.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/index_directory.h"
#include "vigie/searcher.h"
#include "vigie/term_forms.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

vigie::Config config_with_synonyms(const fs::path& synonyms) {
  auto config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  config.analysis.synonyms = synonyms;
  return config;
}

vigie::IndexReport index(const fs::path& db, const fs::path& root, const vigie::Config& config,
                         bool full, int threads = 2) {
  vigie::IndexOptions options;
  options.db = db;
  options.roots = {vigie::IndexRoot::parse(root.string())};
  options.full = full;
  options.threads = threads;
  return vigie::run_index(config, options);
}

Xapian::Database open(const fs::path& db) { return Xapian::Database((db / "current").string()); }

// The synonym table split in two: stem families and the user's groups.
struct Tables {
  std::map<std::string, std::set<std::string>> families, user;
};
Tables tables(const Xapian::Database& db) {
  Tables out;
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
    auto& table = vigie::is_stem_family_key(*k) ? out.families : out.user;
    table[*k] = std::set<std::string>(db.synonyms_begin(*k), db.synonyms_end(*k));
  }
  return out;
}

std::set<std::string> forms(const Xapian::Database& db, const std::string& key) {
  return {db.synonyms_begin(key), db.synonyms_end(key)};
}

void write_corpus(const fs::path& root) {
  vigie::test::write_file(
      root / "a.md", "# Tarifs de la cantine\n\nLa municipalité fixe les tarifs des cantines.\n");
  vigie::test::write_file(root / "b.md",
                          "# Séance du conseil\n\nLes délibérations de la séance sont publiées.\n");
  // One exact form, two stems: « beneficie » typed without accents, then
  // « bénéficié » (both fold to beneficie), in one document.
  vigie::test::write_file(
      root / "c.md",
      "# Note\n\nUne délibération sur la voirie communale. Le bourg beneficie des travaux, "
      "la commune a bénéficié d'une aide.\n");
}

}  // namespace

TEST_CASE("vigie-index lists each word under its stem families instead of writing stem terms") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  write_corpus(root);
  vigie::test::write_file(dir.path() / "synonyms.txt", "IA | intelligence artificielle\n");
  const auto config = config_with_synonyms(dir.path() / "synonyms.txt");
  for (int threads : {1, 2}) {
    CAPTURE(threads);
    const fs::path db_dir = dir.path() / ("db" + std::to_string(threads));
    index(db_dir, root, config, true, threads);
    auto db = open(db_dir);
    CHECK(vigie::index_schema::version_of(db) == vigie::index_schema::kCurrent);
    for (const char* prefix : {"Z", "XZ", "XSZ"})
      CHECK(db.allterms_begin(prefix) == db.allterms_end(prefix));
    CHECK(forms(db, "Zcantin") == std::set<std::string>{"cantine", "cantines"});
    CHECK(forms(db, "Zdeliber") == std::set<std::string>{"deliberation", "deliberations"});
    // « municipalité » typed without accents stems to municipalit.
    CHECK(forms(db, "XZmunicipalit") == std::set<std::string>{"municipalite"});
    CHECK(forms(db, "Zmunicipal") == std::set<std::string>{"municipalite"});
    CHECK(forms(db, "ia") == std::set<std::string>{"intelligence artificielle"});
    CHECK(forms(db, "Zbenefic") == std::set<std::string>{"beneficie"});
    CHECK(forms(db, "Zbenefici") == std::set<std::string>{"beneficie"});
    CHECK(forms(db, "XZbenefic") == std::set<std::string>{"beneficie"});
  }
  // An incremental run adds the families of the new words.
  vigie::test::write_file(root / "d.md",
                          "# Cantine\n\nLes municipalités et leur cantine scolaire.\n");
  auto report = index(dir.path() / "db2", root, config, false);
  CHECK_FALSE(report.full);
  CHECK(report.added == 1);
  auto db = open(dir.path() / "db2");
  CHECK(forms(db, "Zmunicipal") == std::set<std::string>{"municipalite", "municipalites"});
  CHECK(forms(db, "Zcantin") == std::set<std::string>{"cantine", "cantines"});
  CHECK(vigie::index_schema::version_of(db) == vigie::index_schema::kCurrent);
}

TEST_CASE(
    "a reindex with changed synonyms replaces the user's groups and keeps the stem families") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  write_corpus(root);
  const fs::path synonyms = dir.path() / "synonyms.txt";
  vigie::test::write_file(synonyms,
                          "IA | intelligence artificielle\nPLU | plan local d'urbanisme\n");
  index(dir.path() / "db", root, config_with_synonyms(synonyms), true);
  const Tables before = tables(open(dir.path() / "db"));
  REQUIRE(before.families.size() > 10);
  CHECK(before.user.count("ia") == 1);
  CHECK(before.user.count("plu") == 1);

  // Changed synonyms, no file changed: an incremental run rewrites the
  // user's groups only.
  vigie::test::write_file(synonyms, "CNR | Conseil national de la refondation\n");
  auto report = index(dir.path() / "db", root, config_with_synonyms(synonyms), false);
  CHECK_FALSE(report.full);
  const Tables after = tables(open(dir.path() / "db"));
  CHECK(after.families == before.families);
  CHECK(after.user.count("ia") == 0);
  CHECK(after.user.count("plu") == 0);
  CHECK(after.user.count("cnr") == 1);

  // And write_synonyms itself, on the generation.
  {
    Xapian::WritableDatabase db(
        vigie::IndexDirectory(dir.path() / "db").live_generation()->string(), Xapian::DB_OPEN);
    std::vector<std::string> warnings;
    vigie::test::write_file(synonyms, "");
    vigie::write_synonyms(db, synonyms, warnings);
    db.commit();
  }
  const Tables emptied = tables(open(dir.path() / "db"));
  CHECK(emptied.user.empty());
  CHECK(emptied.families == before.families);
}

TEST_CASE("an incremental run on an index of the older layout becomes a full rebuild and says so") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  write_corpus(root);
  const auto config = config_with_synonyms(vigie::test::source_dir() / "config" / "synonyms.txt");
  const fs::path db_dir = dir.path() / "db";
  index(db_dir, root, config, true);
  const fs::path first = *vigie::IndexDirectory(db_dir).live_generation();
  {
    // What an index of schema 1 looks like to the indexer: no version key
    // (its stem terms do not matter here).
    Xapian::WritableDatabase db(first.string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(vigie::index_schema::kMetadataKey), "");
    db.commit();
  }
  REQUIRE(vigie::index_schema::version_of(open(db_dir)) == vigie::index_schema::kStemTerms);
  // Searches refuse it until then (no search code reads an older layout).
  CHECK_THROWS_WITH_AS(vigie::Searcher(db_dir, config).document_count(),
                       doctest::Contains("rebuild it with vigie-index --full"),
                       vigie::IndexUnavailable);

  auto report = index(db_dir, root, config, false);
  CHECK(report.full);
  CHECK(report.added == 3);  // every file again, not "3 unchanged"
  bool said = false;
  for (const auto& w : report.warnings)
    said = said || w.find("rebuilding it in full") != std::string::npos;
  CHECK(said);
  CHECK(report.to_json().find("rebuilding it in full") != std::string::npos);
  const fs::path second = *vigie::IndexDirectory(db_dir).live_generation();
  CHECK(second != first);
  auto db = open(db_dir);
  CHECK(vigie::index_schema::version_of(db) == vigie::index_schema::kCurrent);
  CHECK(forms(db, "Zcantin") == std::set<std::string>{"cantine", "cantines"});

  // The next incremental run is an ordinary one.
  auto again = index(db_dir, root, config, false);
  CHECK_FALSE(again.full);
  CHECK(again.unchanged == 3);
  CHECK(again.warnings.empty());
}

TEST_CASE(
    "an older-layout index holding other roots is not rebuilt from one root: a clear error, "
    "nothing changed") {
  ScratchDir dir;
  const fs::path a = dir.path() / "a", b = dir.path() / "b", db_dir = dir.path() / "db";
  write_corpus(a);
  vigie::test::write_file(b / "d.md", "# Voirie\n\nLa commune refait la voirie du bourg.\n");
  const auto config = config_with_synonyms(vigie::test::source_dir() / "config" / "synonyms.txt");
  vigie::IndexOptions options;
  options.db = db_dir;
  options.roots = {vigie::IndexRoot::parse("a=" + a.string()),
                   vigie::IndexRoot::parse("b=" + b.string())};
  options.full = true;
  options.threads = 2;
  vigie::run_index(config, options);
  const fs::path live = *vigie::IndexDirectory(db_dir).live_generation();
  {
    Xapian::WritableDatabase db(live.string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(vigie::index_schema::kMetadataKey), "");
    db.commit();
  }
  // An incremental run of root « a » alone (as a cron job per root does).
  options.roots = {vigie::IndexRoot::parse("a=" + a.string())};
  options.full = false;
  CHECK_THROWS_WITH_AS(vigie::run_index(config, options),
                       doctest::Contains("roots not given to this run (b)"), vigie::IndexError);
  CHECK(*vigie::IndexDirectory(db_dir).live_generation() == live);
  CHECK(open(db_dir).get_doccount() == 4);
  // Given every root, the upgrade goes ahead.
  options.roots = {vigie::IndexRoot::parse("a=" + a.string()),
                   vigie::IndexRoot::parse("b=" + b.string())};
  auto report = vigie::run_index(config, options);
  CHECK(report.full);
  CHECK(open(db_dir).get_doccount() == 4);
  CHECK(vigie::index_schema::version_of(open(db_dir)) == vigie::index_schema::kCurrent);
}

TEST_CASE(
    "a builder lists a word's families in its first document, and again after forgetting the file "
    "that did") {
  const auto config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  vigie::DocumentBuilder builder(config.search);
  const vigie::SourceStamp stamp{vigie::schema::source_key("a.md"), "XAtest", "1:1:1"};
  auto listed = [](const vigie::BuiltDocument& built, const std::string& exact) {
    std::set<std::string> keys;
    for (const auto& word : built.stem_forms)
      if (word.exact == exact) keys.insert(word.keys.begin(), word.keys.end());
    return keys;
  };
  vigie::SourceDocument doc;
  doc.id = "a.md";
  doc.title = "Tarifs de la cantine";
  doc.body = "La municipalité fixe les tarifs des cantines.";

  builder.start_file();
  const auto first = builder.build(doc, stamp);
  REQUIRE_FALSE(listed(first, "cantine").empty());
  CHECK(listed(builder.build(doc, stamp), "cantine").empty());  // the same file: listed already
  builder.start_file();
  CHECK(
      listed(builder.build(doc, stamp), "cantine").empty());  // a file that was kept: still listed

  // The file that listed them is forgotten: the next document lists them again.
  builder.start_file();
  doc.body = "Les tarifs de la restauration scolaire et de la cantine.";
  const auto dropped = builder.build(doc, stamp);
  REQUIRE_FALSE(listed(dropped, "restauration").empty());
  builder.forget_file();
  builder.start_file();
  const auto again = builder.build(doc, stamp);
  CHECK(listed(again, "restauration") == listed(dropped, "restauration"));
  CHECK(listed(again, "scolaire") == listed(dropped, "scolaire"));
  CHECK(listed(again, "cantine").empty());  // listed by a file that was kept
}

TEST_CASE("a builder's documents are right across the analyzer forgetting its forms mid-document") {
  const auto config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  vigie::DocumentBuilder builder(config.search);
  const vigie::SourceStamp stamp{vigie::schema::source_key("a.md"), "XAtest", "1:1:1"};
  vigie::SourceDocument doc;
  doc.id = "a.md";
  doc.title = "Conseil municipal";
  // 120,000 distinct words (past the analyzer's 100,000 forms), with
  // « conseil » and « Conseil » before, among and after them.
  doc.body = "Le conseil. ";
  for (int i = 0; i < 120000; ++i) {
    doc.body += 'q';
    for (int n = i;; n /= 26) {
      doc.body += static_cast<char>('a' + n % 26);
      if (n < 26) break;
    }
    doc.body += i % 20000 == 0 ? " Conseil " : " ";
  }
  doc.body += "conseil.";
  builder.start_file();
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    const auto built = builder.build(doc, stamp);
    std::map<std::string, Xapian::termcount> wdf;
    for (auto t = built.document.termlist_begin(); t != built.document.termlist_end(); ++t)
      wdf[*t] = t.get_wdf();
    const auto title = static_cast<Xapian::termcount>(config.search.title_weight);
    CHECK(wdf["conseil"] ==
          title + 1 + 6 + 1);  // title, « Le conseil », 6 « Conseil », « conseil. »
    CHECK(wdf["Sconseil"] == 1);
    std::size_t made_up = 0, once = 0;
    for (const auto& [term, count] : wdf)
      if (term.starts_with('q')) ++made_up, once += count == 1;
    CHECK(made_up == 120000);
    CHECK(once == made_up);
  }
}
