// Document families (docs/families.md): the signatures of texts
// (common/index/family_signature.h), their assignment after each run
// (indexer/pipeline/family_assignment.h), measured on the real minutes of
// ../shared/corpus against a labelled list of pairs
// (tests/fixtures/families/chemere_pairs.tsv), and kept right by
// incremental runs.
#include <doctest/doctest.h>
#include <xapian.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "index/family_signature.h"
#include "index/schema.h"
#include "pipeline/family_assignment.h"
#include "pipeline/index_run.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/searcher.h"
#include "vigie/text_normalization.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

vigie::ShingleSketch sketch_of(std::string_view text) {
  vigie::ShingleSketch sketch;
  std::istringstream words{std::string(text)};
  for (std::string word; words >> word;) sketch.add_word(vigie::shingle_word_hash(word));
  return sketch;
}

double similarity(std::string_view a, std::string_view b) {
  return vigie::signature_similarity(sketch_of(a).signature(), sketch_of(b).signature());
}

std::string numbered_words(int from, int count) {
  std::string out;
  for (int i = from; i < from + count; ++i) out += "mot" + std::to_string(i) + " ";
  return out;
}

vigie::IndexReport index(const fs::path& db, const fs::path& root, bool full = false) {
  vigie::IndexOptions options;
  options.db = db;
  options.roots = {{"", root}};
  options.full = full;
  options.threads = 2;
  return vigie::run_index(vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json"),
                          options);
}

// Document id → family key, for the documents in a family.
std::map<std::string, std::string> families_of(const fs::path& db_dir) {
  const Xapian::Database db((db_dir / "current").string());
  std::map<std::string, std::string> out;
  for (auto v = db.valuestream_begin(vigie::schema::kSlotFamily);
       v != db.valuestream_end(vigie::schema::kSlotFamily); ++v) {
    auto t = db.termlist_begin(v.get_docid());
    t.skip_to("Q");
    out[(*t).substr(1)] = *v;
  }
  return out;
}

bool same_family(const std::map<std::string, std::string>& families, const std::string& a,
                 const std::string& b) {
  const auto x = families.find(a), y = families.find(b);
  return x != families.end() && y != families.end() && x->second == y->second;
}

void copy_into(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

}  // namespace

TEST_CASE("a text's signature is alike for copies and unlike for other texts") {
  const std::string text = numbered_words(0, 400);
  CHECK(similarity(text, text) == 1.0);
  // A few words changed (a page header, a line break): still one text.
  std::string edited = text;
  edited.replace(edited.find("mot100 "), 7, "entête ");
  edited.replace(edited.find("mot300 "), 7, "page2 ");
  CHECK(similarity(text, edited) > 0.9);
  // Half the text: the Jaccard of their shingles, ~0.5.
  CHECK(similarity(text, numbered_words(0, 200)) == doctest::Approx(0.5).epsilon(0.25));
  // Another text.
  CHECK(similarity(text, numbered_words(1000, 400)) < 0.1);
  // Order matters: the same words in another order are another text.
  std::string reversed;
  for (int i = 399; i >= 0; --i) reversed += "mot" + std::to_string(i) + " ";
  CHECK(similarity(text, reversed) < 0.1);
  // Under three words: no shingle, no signature.
  CHECK(sketch_of("deux mots").empty());
}

TEST_CASE("the signature of a whole is that of its parts' texts together") {
  vigie::ShingleSketch whole = sketch_of(numbered_words(0, 50));
  whole.merge(sketch_of(numbered_words(100, 300)));
  vigie::ShingleSketch read_at_once = sketch_of(numbered_words(0, 50));
  read_at_once.break_text();
  for (int i = 100; i < 400; ++i)
    read_at_once.add_word(vigie::shingle_word_hash("mot" + std::to_string(i)));
  CHECK(whole.signature() == read_at_once.signature());
}

TEST_CASE("a signature survives its value slot, and a damaged one is refused") {
  const vigie::ShingleSketch sketch = sketch_of(numbered_words(0, 40));
  const auto value = vigie::decode_signature(vigie::encode_signature(sketch));
  REQUIRE(value);
  CHECK(value->bins == sketch.signature());
  CHECK(value->shingles == 38);
  CHECK_FALSE(vigie::decode_signature("short"));
  CHECK_FALSE(vigie::decode_signature(""));
}

TEST_CASE("short notes that differ by a number are not one text") {
  // Regression: eight-word notes were estimated at 0.7 and joined.
  ScratchDir dir;
  for (int i = 0; i < 12; ++i)
    vigie::test::write_file(
        dir.path() / "root" / ("note-" + std::to_string(i) + ".txt"),
        "Compte rendu " + std::to_string(i) + " : la piste cyclable du quartier.\n");
  vigie::test::write_file(dir.path() / "root" / "copie.txt",
                          "Compte rendu 3 : la piste cyclable du quartier.\n");
  const vigie::IndexReport report = index(dir.path() / "db", dir.path() / "root", true);
  CHECK(report.families == 1);  // the identical copy only
  const auto families = families_of(dir.path() / "db");
  CHECK(same_family(families, "copie.txt", "note-3.txt"));
  CHECK(families.size() == 2);
}

TEST_CASE("decisions written from one template differ by their numbers: not one text") {
  // The same deliberation, the same day, for other amounts (0.87 alike in
  // words); and one of them copied into a second format, which is one text.
  ScratchDir dir;
  const auto text = [](int amount) {
    return "Le Conseil municipal, après en avoir délibéré, décide à l'unanimité des membres "
           "présents d'approuver la réfection de la voirie communale pour un montant de " +
           std::to_string(amount) +
           " euros hors taxes. Monsieur le Maire est autorisé à signer toutes les pièces "
           "relatives à ce dossier, et à solliciter les subventions correspondantes auprès du "
           "Département.\n";
  };
  for (int i = 0; i < 6; ++i)
    vigie::test::write_file(dir.path() / "root" / ("d" + std::to_string(i) + ".txt"),
                            text(1000 + 37 * i));
  vigie::test::write_file(dir.path() / "root" / "d2.md",
                          "# Réfection de la voirie\n\n" + text(1000 + 37 * 2));
  const vigie::IndexReport report = index(dir.path() / "db", dir.path() / "root", true);
  CHECK(report.families == 1);
  const auto families = families_of(dir.path() / "db");
  CHECK(same_family(families, "d2.txt", "d2.md"));
  CHECK(families.size() == 2);
}

TEST_CASE("numbers: the share two texts have in common") {
  vigie::ShingleSketch a, b;
  for (const char* n : {"2015/33", "54798.66", "2014", "1068"})
    a.add_number(vigie::shingle_word_hash(n));
  for (const char* n : {"2015/34", "578974.14", "2014", "1068"})
    b.add_number(vigie::shingle_word_hash(n));
  CHECK(vigie::numbers_similarity(a.numbers(), a.numbers()) == 1.0);
  CHECK(vigie::numbers_similarity(a.numbers(), b.numbers()) == doctest::Approx(2.0 / 6));
  CHECK(vigie::numbers_similarity(a.numbers(), {}) == 1.0);  // no numbers: no say
  CHECK(vigie::is_significant_number("2015/33"));
  CHECK(vigie::is_significant_number("1068"));
  CHECK_FALSE(vigie::is_significant_number("12"));  // page numbers, days
  CHECK_FALSE(vigie::is_significant_number("l2121"));
}

TEST_CASE("dates agree when they may be one document's") {
  struct Case {
    const char* a;
    const char* b;
    bool agree;
  };
  const Case cases[] = {
      {"20150707", "20150707", true},  {"20150707", "20150708", false},
      {"20150700", "20150707", true},  {"20150000", "20151231", true},
      {"20150707", "", true},          {"20140707", "20150707", false},
      {"20150600", "20150707", false}, {"garbage", "20150707", true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.a);
    CAPTURE(c.b);
    CHECK(vigie::dates_agree(c.a, c.b) == c.agree);
    CHECK(vigie::dates_agree(c.b, c.a) == c.agree);
  }
}

// The measure of the method: the labelled pairs of the real minutes.
TEST_CASE("families of the real minutes: the labelled pairs") {
  ScratchDir dir;
  const vigie::IndexReport report = index(dir.path() / "db", vigie::test::shared_corpus(), true);
  REQUIRE(report.failed.empty());
  const auto families = families_of(dir.path() / "db");
  std::ifstream pairs(vigie::test::source_dir() / "tests/fixtures/families/chemere_pairs.tsv");
  REQUIRE(pairs);
  int same = 0, same_found = 0, different = 0, different_joined = 0;
  for (std::string line; std::getline(pairs, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string label, a, b;
    std::getline(fields, label, '\t');
    std::getline(fields, a, '\t');
    std::getline(fields, b, '\t');
    const bool joined = same_family(families, a, b);
    if (label == "same") {
      ++same;
      same_found += joined;
      if (!joined) MESSAGE("missed: " << a << " | " << b);
    } else {
      ++different;
      different_joined += joined;
      if (joined) MESSAGE("wrongly joined: " << a << " | " << b);
    }
  }
  REQUIRE(same >= 50);
  REQUIRE(different >= 50);
  const double recall = static_cast<double>(same_found) / same;
  const double precision = static_cast<double>(same_found) / (same_found + different_joined);
  MESSAGE("families: " << report.families << " of " << report.family_members
                       << " documents; labelled pairs: recall " << recall << " (" << same_found
                       << "/" << same << "), precision " << precision << " (" << different_joined
                       << " of " << different << " near misses joined)");
  CHECK(recall >= 0.97);
  CHECK(precision >= 0.99);

  // What a journalist sees: everyday queries, no session twice in a top 10
  // (two formats of one session's minutes, or minutes beside one of their
  // deliberations).
  const vigie::Config config =
      vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  vigie::Searcher searcher(dir.path() / "db", config);
  for (const char* q : {"assainissement", "salle des fêtes", "Télétransmission des actes",
                        "cantine scolaire", "budget primitif", "indemnités du maire", "école",
                        "voirie communale", "subvention", "conseil municipal", "lotissement",
                        "eau potable", "personnel communal", "emprunt", "urbanisme"}) {
    CAPTURE(q);
    vigie::SearchRequest request;
    request.query = q;
    const vigie::SearchResponse r = searcher.search(request);
    REQUIRE_FALSE(r.hits.empty());
    std::set<std::string> minutes, deliberations;  // the sessions' days they show
    for (const auto& hit : r.hits) {
      CAPTURE(hit.id);
      if (hit.type == "proces-verbal") CHECK(minutes.insert(hit.date).second);
      if (!hit.part_of.empty()) deliberations.insert(hit.date);
    }
    for (const auto& day : minutes) {
      CAPTURE(day);
      CHECK_FALSE(deliberations.count(day));
    }
    // A facet value's count is what its filter finds, sessions included.
    for (const auto& value : r.facets.at(0).values) {
      CAPTURE(value.key);
      vigie::SearchRequest filtered = request;
      filtered.types = {*vigie::parse_doc_type(value.key)};
      filtered.limit = 0;
      CHECK(searcher.search(filtered).total == value.count);
    }
  }
}

TEST_CASE("incremental runs keep families right as members come and go") {
  ScratchDir dir;
  const fs::path root = dir.path() / "root";
  const fs::path db = dir.path() / "db";
  const fs::path chemere = vigie::test::shared_corpus() / "chemere";
  copy_into(chemere / "html/CM 7 juillet 2015.html", root / "html/CM 7 juillet 2015.html");
  copy_into(chemere / "pv-json/2015-07-07.json", root / "pv-json/2015-07-07.json");
  copy_into(chemere / "html/CM 19 mai 2015.html", root / "html/CM 19 mai 2015.html");
  index(db, root, true);
  const std::string html = "html/CM 7 juillet 2015.html", pdf = "pdf/CM 7 juillet 2015.pdf",
                    json = "pv-json/2015-07-07.json";
  auto families = families_of(db);
  CHECK(same_family(families, html, json));
  CHECK_FALSE(families.count("html/CM 19 mai 2015.html"));
  CHECK_FALSE(families.count(json + "#2015/65"));  // a deliberation is a part, not a copy

  SUBCASE("a member added joins the family") {
    copy_into(chemere / pdf, root / pdf);
    CHECK(index(db, root).families == 1);
    families = families_of(db);
    CHECK(same_family(families, pdf, html));
    CHECK(same_family(families, pdf, json));
  }
  SUBCASE("a member removed leaves no family of one") {
    fs::remove(root / json);
    CHECK(index(db, root).families == 0);
    CHECK(families_of(db).empty());
  }
  SUBCASE("a member changed to another session's text leaves for that session's family") {
    copy_into(chemere / "pv-json/2015-05-19.json", root / json);
    index(db, root);
    families = families_of(db);
    CHECK_FALSE(same_family(families, json, html));
    CHECK(same_family(families, json, "html/CM 19 mai 2015.html"));
  }
}
