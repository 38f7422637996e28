// The indexer end to end, on real files: ../shared/corpus and our corpus/,
// into real Xapian databases on disk, through run_index and the vigie-index
// program (exit codes). Crash safety: indexer_crash_test.cpp.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xapian.h>

#include <chrono>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "index/data_dictionary.h"
#include "index/document_data.h"
#include "index/index_schema.h"
#include "index/position_stream.h"
#include "index/schema.h"
#include "index/stream_store.h"
#include "pipeline/index_run.h"
#include "pipeline/index_state.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/french_analyzer.h"
#include "vigie/index_directory.h"
#include "vigie/searcher.h"
#include "vigie/term_forms.h"
#include "vigie/text_normalization.h"
#include "vigie/title_text.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

vigie::Config shipped_config() {
  return vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
}

vigie::IndexReport index(const fs::path& db, std::vector<vigie::IndexRoot> roots, bool full = false,
                         int threads = 2, vigie::Config config = shipped_config()) {
  vigie::IndexOptions options;
  options.db = db;
  options.roots = std::move(roots);
  options.full = full;
  options.threads = threads;
  return vigie::run_index(config, options);
}

Xapian::Database open(const fs::path& db) { return Xapian::Database((db / "current").string()); }

// A document's data as the search side reads it: through the generation's
// data dictionary when it has one.
vigie::SourceDocument read_data(const Xapian::Document& doc,
                                const vigie::DataDictionary* dictionary) {
  return vigie::decode_document_data(
      vigie::stored_data_json(vigie::stored_data_of(doc), dictionary));
}

vigie::SourceDocument read_data(const Xapian::Database& db, const Xapian::Document& doc) {
  return read_data(doc, vigie::DataDictionary::load(db).get());
}

vigie::SourceDocument by_id(const Xapian::Database& db, const std::string& id) {
  const std::string term = vigie::schema::id_term(id);
  auto it = db.postlist_begin(term);
  REQUIRE_MESSAGE(it != db.postlist_end(term), "no document " << id);
  return read_data(db, db.get_document(*it));
}

// Every document's id and data: two indexes with the same snapshot hold the
// same documents and texts.
std::map<std::string, std::string> snapshot(const Xapian::Database& db) {
  std::map<std::string, std::string> out;
  const auto dictionary = vigie::DataDictionary::load(db);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    auto data = read_data(db.get_document(*it), dictionary.get());
    out[data.id] = data.title + "\n" + data.date.iso() + "\n" + data.body;
  }
  return out;
}

Xapian::doccount count(const Xapian::Database& db, const std::string& term) {
  return db.get_termfreq(term);
}

// Everything a document is in the index, by docid: data, values, and every
// term with its wdf and positions. Plus the spelling and synonym tables.
std::vector<std::string> exact_contents(const Xapian::Database& db) {
  std::vector<std::string> out;
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
    auto doc = db.get_document(*it);
    std::string record = "docid " + std::to_string(*it) + "\n" + doc.get_data() + "\n";
    for (auto v = doc.values_begin(); v != doc.values_end(); ++v)
      record += "value " + std::to_string(v.get_valueno()) + "=" + *v + "\n";
    for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) {
      record += *t + " " + std::to_string(t.get_wdf()) + ":";
      for (auto p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
        record += " " + std::to_string(*p);
      record += "\n";
    }
    out.push_back(std::move(record));
  }
  std::string spelling = "spelling\n";
  for (auto w = db.spellings_begin(); w != db.spellings_end(); ++w)
    spelling += *w + " " + std::to_string(w.get_termfreq()) + "\n";
  out.push_back(std::move(spelling));
  std::string synonyms = "synonyms\n";
  for (auto k = db.synonym_keys_begin(); k != db.synonym_keys_end(); ++k) {
    synonyms += *k + " =";
    for (auto s = db.synonyms_begin(*k); s != db.synonyms_end(*k); ++s) synonyms += " " + *s;
    synonyms += "\n";
  }
  out.push_back(std::move(synonyms));
  return out;
}

void copy_tree(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  fs::copy(from, to, fs::copy_options::recursive);
}

int run_program(const std::vector<std::string>& args) {
  std::string command;
  for (const auto& a : args) command += "'" + a + "' ";
  command += " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

fs::path vigie_index_program() { return vigie::test::binary_dir() / "indexer" / "vigie-index"; }

}  // namespace

// The shared corpus is indexed once for all the subcases below (doctest runs
// a test case's body again for each SUBCASE).
struct SharedCorpusIndex {
  ScratchDir dir{"vigie-shared-corpus"};
  vigie::IndexReport report = index(dir.path() / "index", {{"", vigie::test::shared_corpus()}});
};

const SharedCorpusIndex& shared_corpus_index() {
  static const SharedCorpusIndex built;
  return built;
}

TEST_CASE("the real shared corpus: deliberations, sessions, PDFs, HTML and the press release") {
  const auto& report = shared_corpus_index().report;
  CHECK(report.failed.empty());
  for (const auto& f : report.failed) MESSAGE(f.path << ": " << f.reason);
  CHECK(report.documents > 1000);
  auto db = open(shared_corpus_index().dir.path() / "index");

  SUBCASE("a known deliberation by its number and title") {
    const std::string number_term = std::string(vigie::schema::kNumberPrefix) + "2010/83";
    REQUIRE(count(db, number_term) >= 1);
    auto data = read_data(db, db.get_document(*db.postlist_begin(number_term)));
    CHECK(data.title.find("Télétransmission des actes administratifs") != std::string::npos);
    CHECK(data.date.iso() == "2010-06-22");
    CHECK(data.type == vigie::DocType::Deliberation);
    CHECK(data.organisation == "Commune de Chémeré");
  }
  SUBCASE("sessions from JSON are procès-verbaux listing their deliberations") {
    auto session = by_id(db, "chemere/pv-json/2010-06-22.json");
    CHECK(session.type == vigie::DocType::ProcesVerbal);
    CHECK(session.body.find("Télétransmission") != std::string::npos);
  }
  SUBCASE("PDF and HTML minutes give text and the session date") {
    auto pdf = by_id(db, "chemere/pdf/CM 22 juin 2010.pdf");
    CHECK(pdf.body.size() > 1000);
    CHECK(pdf.date.iso() == "2010-06-22");
    CHECK(pdf.type == vigie::DocType::ProcesVerbal);
    auto html = by_id(db, "chemere/html/CM 22 juin 2010.html");
    CHECK(html.body.size() > 1000);
    CHECK(html.date.iso() == "2010-06-22");
  }
  SUBCASE("the press release") {
    auto press = by_id(db, "communiques/interconnectes-forum-2023.md");
    CHECK(press.type == vigie::DocType::Communique);
    CHECK(press.date.year == 2023);
    CHECK(press.date.month == 3);
    CHECK(press.organisation == "Les Interconnectés");
  }
  SUBCASE("words are searchable through the analyzer's terms") {
    CHECK(count(db, "teletransmission") >= 1);
    // Stems are no terms: the synonym table lists each stem family's forms.
    CHECK(count(db, "Zdeliber") == 0);
    std::set<std::string> deliber(db.synonyms_begin("Zdeliber"), db.synonyms_end("Zdeliber"));
    CHECK(deliber.count("deliberation") == 1);
    CHECK(deliber.count("deliberations") == 1);
    CHECK(count(db, "deliberation") + count(db, "deliberations") > 100);
    CHECK(count(db, std::string(vigie::schema::kTypePrefix) + "deliberation") > 500);
  }
  SUBCASE("the collection's own README.md is not a document (indexer.exclude)") {
    CHECK(count(db, vigie::schema::id_term("README.md")) == 0);
  }
  SUBCASE("minutes in every format are procès-verbaux named after their session") {
    struct Case {
      const char* id;
      const char* title;
    } cases[] = {
        // An office suite titled it by its first deliberation, « Ø DE-2012/68 – … ».
        {"chemere/html/CM juin 2012.html", "Conseil municipal de juin 2012"},
        // The PDF's first-page heading « CONSEIL MUNICIPAL SEANCE DU 12 DECEMBRE 2012 ».
        {"chemere/pdf/CM 12 décembre 2012.pdf", "Conseil municipal du 12 décembre 2012"},
        // No heading: the document properties' « CM 15 octobre 2008 ».
        {"chemere/pdf/CM 15 octobre 2008.pdf", "Conseil municipal du 15 octobre 2008"},
        {"chemere/html/CM 22 juin 2010.html", "Conseil municipal du 22 juin 2010"},
        {"chemere/pv-json/2010-06-22.json", "Conseil municipal du 22 juin 2010"},
    };
    for (const auto& c : cases) {
      CAPTURE(c.id);
      const auto doc = by_id(db, c.id);
      CHECK(doc.type == vigie::DocType::ProcesVerbal);
      CHECK(doc.title == c.title);
    }
  }
  SUBCASE("every title is a title, no text shows a private-use glyph") {
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const auto doc = read_data(db, db.get_document(*it));
      CAPTURE(doc.id);
      CAPTURE(doc.title);
      std::size_t chars = 0;
      for (char c : doc.title) chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      CHECK(chars <= vigie::kTitleMaxChars);
      CHECK_FALSE(vigie::opens_in_a_sentence(doc.title));
      CHECK(vigie::drop_private_use(doc.body) == doc.body);
    }
  }
  SUBCASE("non-SCDL CSV files are skipped as unsupported, not indexed as garbage") {
    bool presences_skipped = false;
    for (const auto& s : report.skipped)
      if (s.path.find("presences") != std::string::npos) presences_skipped = true;
    CHECK(presences_skipped);
  }
}

TEST_CASE("indexer.exclude: a README is left out by default, in by a config's empty list") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  copy_tree(vigie::test::shared_corpus() / "communiques", root / "communiques");
  fs::copy_file(vigie::test::shared_corpus() / "README.md", root / "README.md");
  const std::string readme = vigie::schema::id_term("README.md");

  vigie::Config everything = shipped_config();
  everything.indexer.exclude.clear();
  index(dir.path() / "index", {{"", root}}, false, 1, everything);
  CHECK(count(open(dir.path() / "index"), readme) == 1);
  // The defaults again, incrementally: the README leaves the index.
  const auto report = index(dir.path() / "index", {{"", root}}, false, 1);
  CHECK(report.deleted == 1);
  auto db = open(dir.path() / "index");
  CHECK(count(db, readme) == 0);
  CHECK(count(db, vigie::schema::id_term("communiques/interconnectes-forum-2023.md")) == 1);
}

TEST_CASE("the demo corpus indexes every format without failures") {
  ScratchDir dir;
  auto report = index(dir.path() / "index", {{"", vigie::test::source_dir() / "corpus"}});
  for (const auto& f : report.failed) MESSAGE(f.path << ": " << f.kind << ": " << f.reason);
  CHECK(report.failed.empty());
  auto db = open(dir.path() / "index");
  for (const char* format :
       {"pdf", "html", "markdown", "text", "json-minutes", "csv-scdl", "odt", "docx"}) {
    CAPTURE(format);
    CHECK(count(db, std::string(vigie::schema::kFormatPrefix) + format) >= 1);
  }
  for (auto type : vigie::all_doc_types()) {
    if (type == vigie::DocType::Autre) continue;
    CAPTURE(vigie::doc_type_label(type));
    CHECK(count(db, std::string(vigie::schema::kTypePrefix) +
                        std::string(vigie::doc_type_key(type))) >= 1);
  }
}

TEST_CASE(
    "incremental runs: unchanged is a no-op, a touched file only re-indexes itself, deletions "
    "remove") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  copy_tree(vigie::test::shared_corpus() / "communiques", root / "communiques");
  copy_tree(vigie::test::shared_corpus() / "chemere" / "pv-json", root / "chemere" / "pv-json");
  const fs::path db = dir.path() / "index";
  auto first = index(db, {{"", root}});
  CHECK(first.added > 100);
  const auto before = snapshot(open(db));

  auto again = index(db, {{"", root}});
  CHECK(again.added == 0);
  CHECK(again.updated == 0);
  CHECK(again.deleted == 0);
  CHECK(again.documents == 0);
  CHECK(again.unchanged == first.added);
  CHECK(snapshot(open(db)) == before);

  // Same bytes, new mtime: fingerprints refreshed, nothing re-extracted.
  fs::last_write_time(root / "communiques/interconnectes-forum-2023.md",
                      fs::file_time_type::clock::now());
  auto touched = index(db, {{"", root}});
  CHECK(touched.documents == 0);
  CHECK(touched.unchanged == first.added);

  // A changed file: only its documents are rewritten.
  const fs::path session = root / "chemere/pv-json/2010-06-22.json";
  std::string json = vigie::test::read_file(session);
  // The file spells accents as \u escapes: change an ASCII word.
  const std::string word = "administratifs";
  auto at = json.find(word);
  REQUIRE(at != std::string::npos);
  json.replace(at, word.size(), "teleprocedure");
  vigie::test::write_file(session, json);
  auto changed = index(db, {{"", root}});
  CHECK(changed.updated == 1);
  CHECK(changed.added == 0);
  auto db_changed = open(db);
  CHECK(count(db_changed, "teleprocedure") >= 1);
  CHECK(snapshot(db_changed).size() == before.size());

  // A deleted file: its documents go.
  fs::remove(session);
  auto deleted = index(db, {{"", root}});
  CHECK(deleted.deleted == 1);
  auto db_deleted = open(db);
  CHECK(count(db_deleted, vigie::schema::source_key("chemere/pv-json/2010-06-22.json")) == 0);
  CHECK(count(db_deleted, "teleprocedure") == 0);
}

TEST_CASE("1 and 2 extraction threads build the same index") {
  ScratchDir dir;
  const fs::path root = vigie::test::shared_corpus() / "chemere" / "pv-json";
  index(dir.path() / "one", {{"", root}}, true, 1);
  index(dir.path() / "two", {{"", root}}, true, 2);
  auto one = open(dir.path() / "one");
  auto two = open(dir.path() / "two");
  CHECK(snapshot(one) == snapshot(two));
  CHECK(one.get_doccount() == two.get_doccount());
  CHECK(one.get_total_length() == two.get_total_length());
  // --full writes one shard per block of files and merges them: the same
  // docids (crawl order), terms, positions, values, data, spelling, synonyms.
  const auto contents = exact_contents(one);
  CHECK(contents == exact_contents(two));
  CHECK(one.get_lastdocid() == one.get_doccount());
  // Both trained the same data dictionary (data_dictionary.h) from the same
  // sample files: the stored bytes above are equal.
  REQUIRE(vigie::DataDictionary::load(one));
  CHECK(vigie::DataDictionary::load(one)->id() == vigie::DataDictionary::load(two)->id());
  CHECK(one.synonyms_begin("Zconseil") != one.synonyms_end("Zconseil"));
  CHECK(one.get_spelling_suggestion("conseyl") == "conseil");
  CHECK(one.synonym_keys_begin() != one.synonym_keys_end());
  // No shard is left behind.
  CHECK_FALSE(fs::exists(*vigie::IndexDirectory(dir.path() / "one").live_generation() / "shards"));
}

TEST_CASE(
    "--full: blocks whose words pass the memory bound keep them in their shards; the index is the "
    "same") {
  ScratchDir dir;
  const fs::path root = vigie::test::shared_corpus() / "chemere" / "pv-json";
  index(dir.path() / "held", {{"", root}}, true, 2);
  vigie::IndexOptions options;
  options.db = dir.path() / "bounded";
  options.roots = {{"", root}};
  options.full = true;
  options.threads = 2;
  // Some blocks' words fit, the later ones do not: both ways in one build.
  options.word_tables_held = 15000;
  vigie::run_index(shipped_config(), options);
  auto held = open(dir.path() / "held");
  auto bounded = open(dir.path() / "bounded");
  const auto contents = exact_contents(held);
  CHECK(contents == exact_contents(bounded));
  // Not vacuous: both hold spelling words and families.
  CHECK(contents[contents.size() - 2].size() > 1000);
  CHECK(contents.back().size() > 1000);
  CHECK(held.get_spelling_suggestion("conseyl") == "conseil");
}

TEST_CASE(
    "--full: a document id given by two files keeps the later file's document, with 1 or 2 "
    "threads") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  // A session without an extension ("s", sniffed as JSON minutes) gives ids
  // "s#<fragment>"; an HTML file literally named "s#<fragment>" comes after
  // it in crawl order and gives the same id.
  fs::create_directories(root);
  fs::copy_file(vigie::test::shared_corpus() / "chemere" / "pv-json" / "2004-01-14.json",
                root / "s");
  vigie::test::write_file(root / "a.txt", "Un premier texte du conseil municipal.\n");
  index(dir.path() / "probe", {{"", root}}, true, 1);
  const auto first_ids = snapshot(open(dir.path() / "probe"));
  REQUIRE(first_ids.size() >= 3);
  auto deliberation = first_ids.lower_bound("s#");
  REQUIRE(deliberation != first_ids.end());
  const std::string clashing = deliberation->first;
  REQUIRE(clashing.starts_with("s#"));
  vigie::test::write_file(
      root / clashing,
      "<html><head><title>Texte en double</title></head><body><p>Le texte qui gagne.</p>"
      "</body></html>\n");
  vigie::test::write_file(root / "z.txt", "Un dernier texte du conseil municipal.\n");
  index(dir.path() / "one", {{"", root}}, true, 1);
  index(dir.path() / "two", {{"", root}}, true, 2);
  auto one = open(dir.path() / "one");
  auto two = open(dir.path() / "two");
  CHECK(exact_contents(one) == exact_contents(two));
  CHECK(one.get_doccount() == first_ids.size() + 1);  // + z.txt; the clash replaced a document
  CHECK(count(one, vigie::schema::id_term(clashing)) == 1);
  CHECK(by_id(one, clashing).title == "Texte en double");
}

TEST_CASE("--full builds a new generation and switches atomically; old ones are cleaned up") {
  ScratchDir dir;
  const fs::path root = vigie::test::shared_corpus() / "communiques";
  const fs::path db = dir.path() / "index";
  index(db, {{"", root}}, true);
  vigie::IndexDirectory directory(db);
  auto first = directory.live_generation();
  REQUIRE(first);
  Xapian::Database reader((db / "current").string());  // a reader on the old generation
  index(db, {{"", root}}, true);
  auto second = directory.live_generation();
  CHECK(*second != *first);
  CHECK(fs::exists(*first));  // kept: keep_generations = 2 and within the grace period
  CHECK(reader.get_doccount() == open(db).get_doccount());
  auto no_grace = shipped_config();
  no_grace.index.grace_seconds = 0;
  index(db, {{"", root}}, true, 2, no_grace);
  index(db, {{"", root}}, true, 2, no_grace);
  CHECK(directory.generations().size() == 2);  // live + the previous one (keep_generations = 2)
}

TEST_CASE("a second indexer on the same index fails fast") {
  ScratchDir dir;
  vigie::IndexLock held(dir.path() / "index");
  CHECK_THROWS_WITH_AS(
      index(dir.path() / "index", {{"", vigie::test::shared_corpus() / "communiques"}}),
      doctest::Contains("another vigie-index"), vigie::IndexError);
}

TEST_CASE("bad files are reported and skipped; the batch goes on") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  vigie::test::write_file(root / "bon.txt", "Un texte du conseil municipal sur le budget.\n");
  vigie::test::write_file(root / "vide.txt", "");
  vigie::test::write_file(root / "tronque.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog");
  vigie::test::write_file(root / "image.png",
                          std::string("\x89PNG\r\n\x1a\n", 8) + std::string(100, '\0'));
  vigie::test::write_file(root / "faux.docx", "PK\x03\x04 not really a zip");
  vigie::test::write_file(root / "latin1.txt",
                          "D\xe9lib\xe9ration du conseil sur l'\xe9"
                          "cole.\n");
  auto report = index(dir.path() / "index", {{"", root}});
  CHECK(report.added == 2);
  CHECK(report.failed.size() == 3);
  CHECK(report.skipped.size() == 1);
  auto db = open(dir.path() / "index");
  CHECK(count(db, "deliberation") == 1);
  // Unchanged broken files are remembered, not re-extracted, and still reported.
  auto again = index(dir.path() / "index", {{"", root}});
  CHECK(again.failed.size() == 3);
  CHECK(again.documents == 0);
}

// Remembered problems ("skip:" metadata) of the files still present, by path.
std::set<std::string> remembered_problems(const Xapian::Database& db) {
  std::set<std::string> terms;
  for (auto key = db.metadata_keys_begin("skip:"); key != db.metadata_keys_end("skip:"); ++key)
    if (!db.get_metadata(*key).empty()) terms.insert((*key).substr(5));
  return terms;
}

TEST_CASE("a broken file deleted from its root is forgotten; other roots' problems stay") {
  ScratchDir dir;
  const fs::path a = dir.path() / "a", b = dir.path() / "b", db = dir.path() / "index";
  vigie::test::write_file(a / "bon.txt", "Le conseil municipal vote le budget.\n");
  vigie::test::write_file(a / "casse.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog");
  vigie::test::write_file(b / "casse.pdf", "%PDF-1.4\n1 0 obj << /Type");
  // Two roots in one index, indexed by separate runs (as an admin adding a folder).
  index(db, {{"", a}});
  index(db, {{"b", b}});
  const std::string in_a = vigie::schema::source_key("casse.pdf");
  const std::string in_b = vigie::schema::source_key("b/casse.pdf");
  CHECK(remembered_problems(open(db)) == std::set<std::string>{in_a, in_b});

  fs::remove(a / "casse.pdf");
  auto report = index(db, {{"", a}});
  CHECK(report.failed.empty());
  CHECK(remembered_problems(open(db)) == std::set<std::string>{in_b});  // b was not indexed: kept

  // Back again: read afresh and reported again.
  vigie::test::write_file(a / "casse.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog");
  CHECK(index(db, {{"", a}}).failed.size() == 1);
  fs::remove(b / "casse.pdf");
  index(db, {{"b", b}});
  CHECK(remembered_problems(open(db)) == std::set<std::string>{in_a});
}

TEST_CASE("remembered problems of the first record format still read (no root: kept)") {
  auto old = vigie::decode_problem("12:345\tfailed\tcorrupt\tPDF illisible\tavec tabulation");
  REQUIRE(old);
  CHECK(old->quick_fingerprint == "12:345");
  CHECK_FALSE(old->skipped);
  CHECK(old->kind == "corrupt");
  CHECK(old->root_term.empty());
  CHECK(old->reason == "PDF illisible\tavec tabulation");
  vigie::RememberedProblem problem{"1:2", true, "empty", "fichier vide", "XA/racine"};
  auto back = vigie::decode_problem(vigie::encode_problem(problem));
  REQUIRE(back);
  CHECK(back->quick_fingerprint == "1:2");
  CHECK(back->skipped);
  CHECK(back->root_term == "XA/racine");
  CHECK(back->reason == "fichier vide");
  CHECK_FALSE(vigie::decode_problem(""));
}

TEST_CASE("vigie-index: exit codes and the JSON report") {
  ScratchDir dir;
  const auto program = vigie_index_program().string();
  CHECK(run_program({program, "--no-such-option"}) == 2);
  CHECK(run_program({program, "--threads", "zero", "x"}) == 2);
  const fs::path report = dir.path() / "report.json";
  CHECK(run_program({program, "--quiet", "--db", (dir.path() / "index").string(), "--report",
                     report.string(), (vigie::test::shared_corpus() / "communiques").string()}) ==
        0);
  const std::string json = vigie::test::read_file(report);
  CHECK(json.find("\"added\": 1") != std::string::npos);
  CHECK(json.find("\"failed\": []") != std::string::npos);
  // Nothing indexable at all: exit 1.
  vigie::test::write_file(dir.path() / "broken" / "a.pdf", "%PDF-1.4 garbage");
  CHECK(run_program({program, "--quiet", "--db", (dir.path() / "index2").string(),
                     (dir.path() / "broken").string()}) == 1);
}

TEST_CASE("an interrupted rebuild's generation is removed, never kept as the previous one") {
  ScratchDir dir;
  const fs::path root = vigie::test::shared_corpus() / "communiques";
  const fs::path db = dir.path() / "index";
  auto no_grace = shipped_config();
  no_grace.index.grace_seconds = 0;
  index(db, {{"", root}}, true, 2, no_grace);
  vigie::IndexDirectory directory(db);
  const fs::path good = *directory.live_generation();
  const fs::path abandoned = directory.next_generation();  // as a killed --full leaves it
  fs::create_directories(abandoned);
  vigie::test::write_file(abandoned / "iamglass", "half-written");
  index(db, {{"", root}}, true, 2, no_grace);
  // The half-written folder was removed before the rebuild (which may reuse its name).
  CHECK(open(db).get_doccount() == 1);
  CHECK(fs::exists(good));  // the real previous generation is the one kept
  CHECK(directory.generations().size() == 2);
}

namespace {

// Minutes sharing their phrasing, each with its own number and amounts: what
// a data dictionary learns from.
std::string minutes_markdown(unsigned i) {
  static const char* const objects[] = {
      "la réfection de la voirie communale", "l'extension de la salle des fêtes",
      "le budget primitif de l'assainissement", "la cantine scolaire"};
  return "---\ntitle: \"Délibération " + std::to_string(i) + " : " + objects[i % 4] +
         "\"\ndate: \"2021-03-" + std::to_string(10 + i % 18) +
         "\"\ntype: \"deliberation\"\n---\n\nLe Conseil municipal, après en avoir délibéré, décide "
         "à l'unanimité "
         "des membres présents d'approuver " +
         objects[(i * 3) % 4] + " pour un montant de " + std::to_string(1000 + i * 37) +
         " euros hors taxes. Monsieur le Maire est autorisé à signer toutes "
         "les pièces relatives à ce dossier.\n";
}

bool is_zstd_frame(const std::string& data) { return data.rfind("\x28\xB5\x2F\xFD", 0) == 0; }

}  // namespace

TEST_CASE(
    "--full trains a data dictionary; incremental runs store new documents with it; a tiny corpus "
    "stays JSON") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  for (unsigned i = 0; i < 200; ++i)
    vigie::test::write_file(root / ("d" + std::to_string(i) + ".md"), minutes_markdown(i));
  const fs::path db_path = dir.path() / "index";
  REQUIRE(index(db_path, {{"", root}}, true).failed.empty());
  std::uint32_t dictionary_id = 0;
  {
    auto db = open(db_path);
    const auto dictionary = vigie::DataDictionary::load(db);
    REQUIRE(dictionary);
    dictionary_id = dictionary->id();
    std::size_t stored = 0, json = 0;
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      const std::string data = vigie::stored_data_of(db.get_document(*it));
      CHECK(is_zstd_frame(data));
      stored += data.size();
      json += vigie::stored_data_json(data, dictionary.get()).size();
    }
    CHECK(stored * 3 < json);  // zlib alone: ~0.5
    auto doc = by_id(db, "d17.md");
    CHECK(doc.title == "Délibération 17 : l'extension de la salle des fêtes");
    CHECK(doc.body.find("montant de 1629 euros") != std::string::npos);
  }

  // An incremental run compresses what it adds with the generation's dictionary.
  vigie::test::write_file(
      root / "nouvelle.md",
      "---\ntitle: \"Piscine\"\n---\n\nLa piscine intercommunale rouvrira au printemps.\n");
  vigie::test::write_file(root / "d5.md",
                          minutes_markdown(5) + "\nAmendement : la séance est levée à 22 h.\n");
  const auto report = index(db_path, {{"", root}});
  CHECK(report.added == 1);
  CHECK(report.updated == 1);
  {
    auto db = open(db_path);
    REQUIRE(vigie::DataDictionary::load(db));
    CHECK(vigie::DataDictionary::load(db)->id() == dictionary_id);
    const std::string id_term = vigie::schema::id_term("nouvelle.md");
    CHECK(is_zstd_frame(vigie::stored_data_of(db.get_document(*db.postlist_begin(id_term)))));
    CHECK(by_id(db, "d5.md").body.find("séance est levée") != std::string::npos);
  }
  // The search side reads it: titles, extracts, the document endpoint.
  vigie::Searcher searcher(db_path, shipped_config());
  vigie::SearchRequest request;
  request.query = "piscine intercommunale";
  const auto response = searcher.search(request);
  REQUIRE(response.hits.size() == 1);
  CHECK(response.hits[0].title == "Piscine");
  CHECK(response.hits[0].extract_html.find("<mark>piscine</mark>") != std::string::npos);
  REQUIRE(searcher.document("d5.md"));
  CHECK(searcher.document("d5.md")->body.find("séance est levée") != std::string::npos);
  // Its position stream spells the words the generation's vocabulary lacks:
  // phrases and PROCHE find them all the same.
  CHECK_FALSE(vigie::StreamVocabulary::load(open(db_path)).code("rouvrira"));
  CHECK(vigie::StreamVocabulary::load(open(db_path)).code("conseil"));
  for (const auto& [query, found] :
       std::vector<std::pair<std::string, std::size_t>>{{"\"piscine intercommunale rouvrira\"", 1},
                                                        {"\"intercommunale piscine\"", 0},
                                                        {"piscine NEAR/1 rouvrira", 1},
                                                        {"piscine NEAR/0 rouvrira", 0},
                                                        {"\"séance est levée\"", 1},
                                                        {"\"conseil municipal\"", 200}}) {
    CAPTURE(query);
    request.query = query;
    CHECK(searcher.search(request).total == found);
  }

  // Too little to learn from: no dictionary, the data stays JSON.
  const fs::path small = dir.path() / "small";
  vigie::test::write_file(small / "a.txt", "Un texte court.\n");
  vigie::test::write_file(small / "b.txt", "Un autre texte court.\n");
  index(dir.path() / "small-index", {{"", small}}, true);
  auto db = open(dir.path() / "small-index");
  CHECK_FALSE(vigie::DataDictionary::load(db));
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
    CHECK(vigie::stored_data_of(db.get_document(*it)).front() == '{');
  CHECK(by_id(db, "b.txt").body.find("Un autre texte court.") == 0);
}

TEST_CASE(
    "an index of an older layout is refused by searches with the command that rebuilds it, and "
    "rebuilt by the next run") {
  ScratchDir dir;
  const fs::path db_path = dir.path() / "index";
  const std::vector<vigie::IndexRoot> roots{
      {"", vigie::test::shared_corpus() / "chemere" / "html"}};
  REQUIRE(index(db_path, roots, true).failed.empty());
  auto search = [&] {
    vigie::Searcher searcher(db_path, shipped_config());
    vigie::SearchRequest request;
    request.query = "conseil municipal";
    return searcher.search(request).hits.size();
  };
  const std::size_t hits = search();
  REQUIRE(hits >= 5);
  {
    // What layout 3 wrote: the stored data as Xapian's document data.
    Xapian::WritableDatabase db(vigie::IndexDirectory(db_path).live_generation()->string(),
                                Xapian::DB_OPEN);
    for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it) {
      Xapian::Document doc = db.get_document(*it);
      doc.set_data(doc.get_value(vigie::schema::kSlotData));
      doc.remove_value(vigie::schema::kSlotData);
      db.replace_document(*it, doc);
    }
    db.set_metadata(std::string(vigie::index_schema::kMetadataKey), "3");
    db.commit();
  }
  CHECK_THROWS_WITH_AS(search(), doctest::Contains("layout version 3"), vigie::IndexUnavailable);
  CHECK_THROWS_WITH_AS(search(), doctest::Contains("rebuild it with vigie-index --full"),
                       vigie::IndexUnavailable);
  std::vector<std::string> notes;
  CHECK(vigie::index_schema::must_rebuild(db_path / "current", notes));

  CHECK(index(db_path, roots, false).full);  // an incremental run rebuilds it
  CHECK(search() == hits);
}

TEST_CASE("a damaged data dictionary stops an incremental run with a clear error") {
  ScratchDir dir;
  const fs::path root = dir.path() / "docs";
  for (unsigned i = 0; i < 200; ++i)
    vigie::test::write_file(root / ("d" + std::to_string(i) + ".md"), minutes_markdown(i));
  const fs::path db_path = dir.path() / "index";
  index(db_path, {{"", root}}, true);
  {
    Xapian::WritableDatabase db(vigie::IndexDirectory(db_path).live_generation()->string(),
                                Xapian::DB_OPEN);
    REQUIRE(vigie::DataDictionary::load(db));
    db.set_metadata(std::string(vigie::DataDictionary::kMetadataKey), "garbage");
    db.commit();
  }
  vigie::test::write_file(root / "new.md", minutes_markdown(1000));
  fs::remove(root / "d3.md");
  try {
    index(db_path, {{"", root}});
    FAIL("an incremental run on a damaged dictionary must fail");
  } catch (const vigie::IndexError& e) {
    CHECK(std::string(e.what()).find("data dictionary is damaged") != std::string::npos);
    CHECK(std::string(e.what()).find("--full") != std::string::npos);
  }
  // Nothing was changed: the vanished file's document is still there, the new one is not.
  CHECK(count(open(db_path), vigie::schema::id_term("d3.md")) == 1);
  CHECK(count(open(db_path), vigie::schema::id_term("new.md")) == 0);
  // A --full run rebuilds it.
  CHECK(index(db_path, {{"", root}}, true).failed.empty());
  CHECK(vigie::DataDictionary::load(open(db_path)));
}

TEST_CASE(
    "the real shared corpus: totals and facets read from the posting lists equal the matcher's "
    "full count") {
  // Relevance order counts from the posting lists (match_bitmap.h); date
  // order counts what the matcher examines, here every match.
  vigie::Config config = shipped_config();
  config.search.exact_facets_under = 100000000;
  vigie::Searcher searcher(shared_corpus_index().dir.path() / "index", config);
  const char* const queries[] = {"conseil",
                                 "délibération",
                                 "budget commune",
                                 "travaux voirie école",
                                 "conseil -budget",
                                 "délib*",
                                 "type:délibération budget",
                                 "municipal OU communal",
                                 "titre:conseil",
                                 "annee:2010..2012 subvention",
                                 "assainissement station",
                                 "xyzzy introuvable",
                                 "conseil date:2010-01-01..2011-06-30",
                                 "date:..2009-12-31 budget",
                                 "date:2012 -conseil"};
  for (const char* query : queries) {
    CAPTURE(query);
    vigie::SearchRequest request;
    request.query = query;
    if (std::string(query) == "assainissement station")
      request.dates.from = vigie::Date{2008, 3};  // the form's range
    const auto by_relevance = searcher.search(request);
    request.sort = vigie::SortOrder::Newest;
    const auto by_date = searcher.search(request);
    CHECK(by_relevance.total == by_date.total);
    CHECK(by_relevance.total_exact);
    REQUIRE(by_relevance.facets.size() == by_date.facets.size());
    for (std::size_t f = 0; f < by_date.facets.size(); ++f) {
      CAPTURE(by_date.facets[f].name);
      CHECK(by_relevance.facets[f].exact);
      std::map<std::string, Xapian::doccount> a, b;
      for (const auto& v : by_relevance.facets[f].values) a[v.key] = v.count;
      for (const auto& v : by_date.facets[f].values) b[v.key] = v.count;
      CHECK(a == b);
    }
    std::set<std::string> relevance_ids;
    for (const auto& h : by_relevance.hits) relevance_ids.insert(h.id);
    CHECK(relevance_ids.size() == std::min<std::size_t>(10, by_relevance.total));
  }
  // The posting lists count every match whatever search.exact_facets_under
  // (it bounds what the matcher examines: date order, phrases).
  config.search.exact_facets_under = 10;
  vigie::Searcher budgeted(shared_corpus_index().dir.path() / "index", config);
  vigie::SearchRequest request;
  request.query = "conseil";
  const auto counted = budgeted.search(request);
  CHECK(counted.total > 100);
  CHECK(counted.total_exact);
  CHECK(counted.facets.at(0).exact);
  CHECK(counted.total == searcher.search(request).total);
  // Date order counts from the posting lists too (the same families and
  // sessions as relevance order).
  request.sort = vigie::SortOrder::Newest;
  CHECK(budgeted.search(request).facets.at(0).exact);
  CHECK(budgeted.search(request).total == counted.total);
  request.sort = vigie::SortOrder::Relevance;
  request.query = "conseil date:2005..2015";  // date ranges: from the in-memory dates
  const auto dated = budgeted.search(request);
  CHECK(dated.total > 10);
  CHECK(dated.facets.at(0).exact);
  request.query = "\"conseil municipal\"";  // positions: the matcher counts
  CHECK_FALSE(budgeted.search(request).facets.at(0).exact);

  // Beyond search.exact_facet_counts_up_to matches the facets count a sample
  // (one 64-id block in n, families by their key), scaled to the exact total:
  // flagged, close to the exact counts; the total stays exact.
  vigie::Config sampled_config = config;
  sampled_config.search.exact_facet_counts_up_to = 1000;
  vigie::Searcher sampling(shared_corpus_index().dir.path() / "index", sampled_config);
  request = vigie::SearchRequest{};
  request.query = "conseil";
  const auto exact = searcher.search(request);
  const auto estimated = sampling.search(request);
  REQUIRE(exact.total > 1000);
  CHECK(estimated.total == exact.total);
  CHECK(estimated.total_exact);
  CHECK(exact.facets.at(0).exact);
  for (std::size_t f = 0; f < exact.facets.size(); ++f) {
    CAPTURE(exact.facets[f].name);
    CHECK_FALSE(estimated.facets[f].exact);
    std::map<std::string, Xapian::doccount> counts;
    for (const auto& v : estimated.facets[f].values) counts[v.key] = v.count;
    for (const auto& v : exact.facets[f].values) {
      if (v.count < 200) continue;  // a sample's error is relative to √count
      CAPTURE(v.key);
      CHECK(counts[v.key] == doctest::Approx(v.count).epsilon(0.25));
    }
  }
  CHECK(estimated.hits.size() == exact.hits.size());
  for (std::size_t i = 0; i < exact.hits.size(); ++i)
    CHECK(estimated.hits[i].id == exact.hits[i].id);
}

namespace {

// Whether `tokens` (a document's position stream, read back) hold the words
// of `slots` at consecutive positions (a phrase), or — `span` > 0 — each at
// a position of its own within `span` positions (two slots: PROCHE).
// Whether `word` (an exact form of a stream) fills the slot of a phrase or
// PROCHE word typed `slot` (folded): that form, or, for a word that is not a
// stopword, the word in another number or gender (query_terms.cpp,
// slot_query(), takes those of its stem family: on this corpus, the same).
bool fills(const std::string& slot, const std::string& word) {
  if (word == slot) return true;
  static const std::set<std::string> stopwords = {"de", "la", "le", "il", "y", "a"};
  if (stopwords.count(slot)) return false;
  static std::map<std::pair<std::string, std::string>, bool> known;
  auto [it, fresh] = known.try_emplace({slot, word}, false);
  if (fresh) it->second = vigie::same_inflection(slot, word);
  return it->second;
}

bool holds(const vigie::StreamTokens& stream, const std::vector<std::string>& slots,
           std::uint32_t span, bool title_only) {
  const auto& tokens = stream.tokens;  // in position order
  auto word_at = [&](std::uint32_t position, const std::string& slot) {
    auto [first, last] =
        std::equal_range(tokens.begin(), tokens.end(), std::pair(position, std::string()),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
    return std::any_of(first, last, [&](const auto& t) { return fills(slot, t.second); });
  };
  if (span > 0) {
    std::vector<std::uint32_t> a, b;
    for (const auto& [position, word] : tokens) {
      if (fills(slots[0], word)) a.push_back(position);
      if (fills(slots[1], word)) b.push_back(position);
    }
    for (auto pa : a)
      for (auto pb : b)
        if (pa != pb && (pa > pb ? pa - pb : pb - pa) < span) return true;
    return false;
  }
  for (const auto& [start, word] : tokens) {
    if (!fills(slots[0], word) || (title_only && start + slots.size() > stream.title_end)) continue;
    bool all = true;
    for (std::size_t j = 1; j < slots.size() && all; ++j)
      all = word_at(start + static_cast<std::uint32_t>(j), slots[j]);
    if (all) return true;
  }
  return false;
}

}  // namespace

TEST_CASE(
    "the real shared corpus: each document's position stream holds its words; phrases and PROCHE "
    "find what they hold") {
  const fs::path index_path = shared_corpus_index().dir.path() / "index";
  auto db = open(index_path);
  CHECK(vigie::index_schema::version_of(db) == vigie::index_schema::kCurrent);
  CHECK_FALSE(db.has_positions());  // Xapian's position table stays empty
  const auto vocabulary = vigie::StreamVocabulary::load(db);
  CHECK(vocabulary.size() > 1000);
  const auto dictionary = vigie::DataDictionary::load(db);
  vigie::FrenchAnalyzer analyzer;
  std::map<std::string, vigie::StreamTokens> streams;  // by document id
  std::size_t n = 0, stream_bytes = 0, tokens = 0;
  // A --full build of one database keeps the streams in its stream file
  // only (index layout 8, stream_store.h).
  CHECK(db.valuestream_begin(vigie::schema::kSlotPositions) ==
        db.valuestream_end(vigie::schema::kSlotPositions));
  const auto generation = vigie::IndexDirectory(index_path).live_generation();
  REQUIRE(generation);
  const auto store = vigie::StreamStore::open(db, *generation);
  REQUIRE(store);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it, ++n) {
    const Xapian::Document doc = db.get_document(*it);
    const std::string_view value = store->stream(*it);
    auto stream = vigie::read_position_stream(value, vocabulary);
    REQUIRE(stream);
    stream_bytes += value.size();
    tokens += stream->tokens.size();
    const vigie::SourceDocument data = read_data(doc, dictionary.get());
    if (n % 7 == 0) {
      // The title's words from 0, the body's 100 positions after them
      // (document_builder.cpp), as the analyzer reads the stored text.
      CAPTURE(data.id);
      std::vector<std::pair<std::uint32_t, std::string>> expected;
      std::uint32_t title_end = 0;
      analyzer.analyze(data.title, [&](const vigie::Token& t) {
        expected.emplace_back(t.position, t.exact);
        title_end = t.position + 1;
      });
      analyzer.analyze(
          data.body, [&](const vigie::Token& t) { expected.emplace_back(t.position, t.exact); },
          title_end + 100);
      CHECK(stream->title_end == title_end);
      CHECK(stream->tokens == expected);
    }
    streams[data.id] = std::move(*stream);
  }
  REQUIRE(n > 500);
  CHECK(stream_bytes < tokens * 3);  // two bytes a word, and the spelled words

  vigie::Config config = shipped_config();
  config.search.exact_facets_under = 100000000;  // the matcher counts phrases: every match
  config.search.phrase_checks = 100000000;       // every candidate checked
  vigie::Searcher searcher(index_path, config);
  // The same searches checking a sample of 100 candidates (positional_search.h).
  vigie::Config sampling_config = config;
  sampling_config.search.phrase_checks = 100;
  vigie::Searcher sampling(index_path, sampling_config);
  int estimated = 0;  // cases counted from a sample
  struct Case {
    std::string query;
    std::vector<std::string> slots;
    std::uint32_t span;  // PROCHE: n words between + 2
    bool title_only;
  };
  const Case cases[] = {
      {"\"conseil municipal\"", {"conseil", "municipal"}, 0, false},
      {"\"de la commune\"", {"de", "la", "commune"}, 0, false},
      {"\"il y a\"", {"il", "y", "a"}, 0, false},
      {"« budget primitif »", {"budget", "primitif"}, 0, false},
      {"\"le conseil municipal approuve\"", {"le", "conseil", "municipal", "approuve"}, 0, false},
      {"budget NEAR/3 commune", {"budget", "commune"}, 5, false},
      {"séance PROCHE/1 levée", {"seance", "levee"}, 3, false},
      {"titre:\"conseil municipal\"", {"conseil", "municipal"}, 0, true}};
  int selective = 0;  // cases where positions matter (fewer than the AND of the words)
  for (const Case& c : cases) {
    CAPTURE(c.query);
    std::set<std::string> expected;
    std::size_t with_all_words = 0;
    for (const auto& [id, stream] : streams) {
      if (holds(stream, c.slots, c.span, c.title_only)) expected.insert(id);
      with_all_words += std::all_of(c.slots.begin(), c.slots.end(), [&](const std::string& w) {
        return std::any_of(stream.tokens.begin(), stream.tokens.end(),
                           [&](const auto& t) { return fills(w, t.second); });
      });
    }
    CHECK(!expected.empty());
    CHECK(expected.size() <= with_all_words);
    selective += expected.size() < with_all_words;
    vigie::SearchRequest request;
    request.query = c.query;
    request.limit = 50;
    request.collapse_duplicates = false;   // documents, as `expected` counts them
    request.fill_with_some_words = false;  // the matches only
    const auto response = searcher.search(request);
    CHECK(response.total_exact);
    CHECK(response.total == expected.size());
    for (const auto& hit : response.hits) CHECK(expected.count(hit.id) == 1);

    // Sampled: the same pages (the relaxed query's best candidates, checked
    // in rank order), totals and facets estimated and flagged so.
    auto ids_of = [](const vigie::SearchResponse& r) {
      std::vector<std::string> ids;
      for (const auto& hit : r.hits) ids.push_back(hit.id);
      return ids;
    };
    const auto sampled = sampling.search(request);
    CHECK(ids_of(sampled) == ids_of(response));
    vigie::SearchRequest second_page = request;
    second_page.offset = 10;
    second_page.limit = 10;
    CHECK(ids_of(sampling.search(second_page)) == ids_of(searcher.search(second_page)));
    if (with_all_words > 100) {
      ++estimated;
      CHECK_FALSE(sampled.total_exact);
      CHECK(sampled.total_lower <= expected.size());
      CHECK(sampled.total_upper >= expected.size());
      // The candidates: the documents with the words (in the title, for titre:).
      if (c.title_only)
        CHECK(sampled.total_upper <= with_all_words);
      else
        CHECK(sampled.total_upper == with_all_words);
      // A deterministic sample of ~100: within a factor of two.
      CHECK(sampled.total * 2 >= expected.size());
      CHECK(sampled.total <= expected.size() * 2);
      for (const auto& facet : sampled.facets) CHECK_FALSE(facet.exact);
    } else {
      CHECK(sampled.total_exact);
      CHECK(sampled.total == expected.size());
    }
    // An export's count checks every candidate, whatever the sample size.
    vigie::SearchRequest exact = request;
    exact.exact_total = true;
    const auto counted = sampling.search(exact);
    CHECK(counted.total_exact);
    CHECK(counted.total == expected.size());
  }
  CHECK(selective >= 4);
  CHECK(estimated >= 3);
}
