// QueryParser: a real small index built with the indexer's DocumentBuilder
// (spelling, stem families and synonyms included, as index_run does; and the
// same documents as an index of schema 1, with stem terms), then tables of
// (query → documents expected) and a hostile table (malformed input →
// best-effort query plus warning, or QuerySyntaxError).
#include "vigie/query_parser.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "document_builder.h"
#include "synonym_file.h"
#include "test_support.h"
#include "vigie/document.h"
#include "vigie/french_analyzer.h"
#include "vigie/index_schema.h"
#include "vigie/schema.h"
#include "vigie/term_forms.h"
#include "vigie/synonyms.h"

namespace {

using vigie::Date;
using vigie::DocType;

struct DocSpec {
  const char* id;
  DocType type;
  Date date;
  const char* organisation;
  std::vector<std::string> persons;
  const char* place;
  const char* number;
  const char* title;
  const char* body;
};

// clang-format off
const DocSpec kDocs[] = {
    {"delib80", DocType::Deliberation, {2010, 6, 22}, "Commune de Chémeré", {"Marie Dupont"}, "Chémeré", "2010/80",
     "Délibération n° 2010/80 : tarifs de la cantine scolaire",
     "Le conseil municipal de Chémeré, réuni sous la présidence de Marie Dupont, fixe les tarifs de la cantine "
     "scolaire pour l’année 2010-2011. La municipalité délibère à l’unanimité."},
    {"delib83", DocType::Deliberation, {2010, 6, 22}, "Commune de Chémeré", {}, "", "2010/83",
     "Délibération n° 2010/83 : subvention au comité des fêtes",
     "Le conseil municipal attribue une subvention de 500 euros au comité des fêtes. Le vice-président de "
     "l’intercommunalité présente le budget annexe."},
    {"ia-programme", DocType::Communique, {2023, 3, 15}, "Réseau des Territoires Connectés", {}, "", "",
     "Communiqué : l’intelligence artificielle au service des territoires",
     "Le réseau lance un programme sur l’intelligence artificielle (IA) pour les collectivités. Contact presse : "
     "presse@territoires-connectes.fr. Les données publiques restent ouvertes."},
    {"ia-formation", DocType::Communique, {2023, 9, 1}, "Réseau des Territoires Connectés", {}, "", "",
     "Formation à l’IA pour les agents",
     "Une formation à l’IA destinée aux agents territoriaux, ouverte à tous les services."},
    {"strategie", DocType::Rapport, {2022, 11, 10}, "Communauté de communes du Val-d’Aubrac", {}, "", "",
     "Rapport sur la stratégie numérique",
     "La stratégie numérique prévoit l’usage de l’intelligence artificielle dans les services à la population. "
     "Le numérique responsable est une priorité."},
    {"cnr", DocType::Communique, {2023, 1, 10}, "Préfecture de la Lisière", {}, "", "",
     "Conseil national de la refondation : réunion locale",
     "Le Conseil national de la refondation se réunit à Saint-Julien-sur-Lisière avec les élus du territoire."},
    {"pv2012", DocType::ProcesVerbal, {2012, 2, 14}, "Commune de Saint-Julien-sur-Lisière", {"Jean Martin"},
     "Saint-Julien-sur-Lisière", "", "Procès-verbal du conseil municipal du 14 février 2012",
     "Le maire Jean Martin ouvre la séance. Le CNR est évoqué. Le conseil approuve le plan local d’urbanisme."},
    {"epci", DocType::Deliberation, {2015, 5, 5}, "Communauté de communes du Val-d’Aubrac", {}, "", "2015/12",
     "Délibération 2015/12 : transfert de la compétence voirie",
     "Transfert de la compétence voirie à l’établissement public de coopération intercommunale."},
    {"manifeste", DocType::Manifeste, {2020, 1, 20}, "Liste Ensemble pour Chémeré", {"Marie Dupont"}, "", "",
     "Manifeste pour une municipalité écologique",
     "Nous voulons une municipalité écologique, des pistes cyclables et une cantine bio. Marie Dupont conduit "
     "la liste."},
    {"arrete2008", DocType::Arrete, {2008, 7, 1}, "Commune de Chémeré", {}, "", "",
     "Arrêté portant réglementation de la circulation",
     "Le maire arrête : la circulation est interdite rue de l’Église pendant les travaux de voirie."},
    {"rob2019", DocType::Rapport, {2019, 12, 0}, "Commune de Chémeré", {}, "", "",
     "Rapport d’orientation budgétaire 2020",
     "Le budget primitif prévoit des investissements. La cantine scolaire sera rénovée."},
    {"secheresse", DocType::Communique, {2021, 4, 4}, "Préfecture de la Lisière", {}, "", "",
     "Sécheresse : mesures de restriction",
     "Le préfet annonce des mesures exceptionnelles contre la grave sécheresse estivale."},
    {"vicepresident", DocType::Deliberation, {2017, 9, 30}, "Communauté de communes du Val-d’Aubrac",
     {"Claire Colucci"}, "", "2017/45", "Élection du vice-président",
     "Madame Claire Colucci est élue vice-présidente de la communauté de communes."},
    {"cantine", DocType::Communique, {2018, 6, 1}, "Commune de Chémeré", {}, "", "",
     "La cantine, la cantine, la cantine",
     "Cantine cantine cantine : menus de la cantine, horaires de la cantine, tarifs de la cantine."},
    {"contact", DocType::Communique, {2016, 3, 3}, "Commune de Saint-Julien-sur-Lisière", {}, "", "",
     "Contact presse",
     "Écrire à ccolucci@interconnectes.fr ou appeler la mairie de Saint-Julien-sur-Lisière. Porte-parole : "
     "Claire Colucci."},
    {"delib2011", DocType::Deliberation, {2011, 1, 15}, "Commune de Chémeré", {}, "", "2011/02",
     "Délibération 2011/02 : délibérations budgétaires",
     "Le conseil délibère sur le budget. Les délibérations sont publiées."},
    {"note", DocType::Autre, {}, "", {}, "", "", "Note interne", "Une note interne sur le budget et la voirie."},
};
// clang-format on

// What an indexer of schema 1 added to every document: Z/XZ stem terms
// without positions, and XSZ title stems (today's stem-family keys were
// these terms).
void add_schema1_stem_terms(Xapian::Document& doc, const std::string& title, const std::string& body,
                            int title_weight) {
  vigie::FrenchAnalyzer analyzer;
  for (const auto& t : analyzer.analyze(title)) {
    for (const auto& key : vigie::index_stem_terms(t)) doc.add_term(key, static_cast<Xapian::termcount>(title_weight));
    doc.add_term(std::string(vigie::schema::kTitleStemPrefix) + t.stem);
  }
  for (const auto& t : analyzer.analyze(body))
    for (const auto& key : vigie::index_stem_terms(t)) doc.add_term(key);
}

enum class Schema { Current, StemTerms };

// The index of kDocs, built once for the whole test program (per schema).
class TestIndex {
 public:
  explicit TestIndex(Schema schema = Schema::Current) : dir_("query-parser") {
    const std::string path = (dir_.path() / "db").string();
    {
      Xapian::WritableDatabase db(path, Xapian::DB_CREATE_OR_OVERWRITE);
      vigie::DocumentBuilder builder(config_);
      vigie::StemFamilyWriter families;
      for (const auto& spec : kDocs) {
        vigie::SourceDocument doc;
        doc.id = spec.id;
        doc.type = spec.type;
        doc.date = spec.date;
        doc.organisation = spec.organisation;
        doc.persons = spec.persons;
        doc.place = spec.place;
        doc.number = spec.number;
        doc.title = spec.title;
        doc.body = spec.body;
        doc.format = "text";
        vigie::BuiltDocument built =
            builder.build(doc, {vigie::schema::source_key(spec.id), "XAtest", "1:1:1"});
        if (schema == Schema::StemTerms)
          add_schema1_stem_terms(built.document, doc.title, doc.body, config_.title_weight);
        else
          families.add(built);
        ids_[db.replace_document(built.id_term, built.document)] = spec.id;
        for (const auto& [word, count] : built.spelling) db.add_spelling(word, count);
      }
      if (schema == Schema::Current) {
        families.write(db);
        vigie::index_schema::mark_current(db);
      }
      std::vector<std::string> warnings;
      vigie::write_synonyms(db, config_file("synonyms.txt"), warnings);
      REQUIRE(warnings.empty());
      db.commit();
    }
    db_ = Xapian::Database(path);
  }

  static std::filesystem::path config_file(const char* name) {
    return vigie::test::source_dir() / "config" / name;
  }

  std::vector<std::string> search(const Xapian::Query& query) const {
    Xapian::Enquire enquire(db_);
    enquire.set_query(query);
    std::vector<std::string> out;
    const Xapian::MSet mset = enquire.get_mset(0, 100);
    for (auto it = mset.begin(); it != mset.end(); ++it) out.push_back(ids_.at(*it));
    return out;
  }

  const Xapian::Database& db() const { return db_; }
  const vigie::SearchConfig& config() const { return config_; }

 private:
  vigie::test::ScratchDir dir_;
  vigie::SearchConfig config_;
  Xapian::Database db_;
  std::map<Xapian::docid, std::string> ids_;
};

TestIndex& test_index() {
  static TestIndex index;
  return index;
}

TestIndex& schema1_index() {
  static TestIndex index(Schema::StemTerms);
  return index;
}

vigie::QueryParser make_parser(const vigie::SearchConfig& config) {
  std::vector<std::string> warnings;
  auto synonyms = vigie::load_synonyms(TestIndex::config_file("synonyms.txt"), warnings);
  auto stopwords = vigie::load_stopwords(TestIndex::config_file("stopwords-fr.txt"), warnings);
  REQUIRE(warnings.empty());
  REQUIRE(!stopwords.empty());
  return vigie::QueryParser(config, std::move(synonyms), std::move(stopwords));
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : " | ") + i;
  return out;
}

std::set<std::string> all_ids() {
  std::set<std::string> ids;
  for (const auto& d : kDocs) ids.insert(d.id);
  return ids;
}

// How a row's expected ids are compared with the ranked results.
enum class Expect {
  Set,      // exactly these documents, in any order
  First,    // these documents, in any order, before all the others
  Ordered,  // exactly these documents in this order
  All,      // every document of the index
};

struct Row {
  const char* query;
  Expect expect;
  std::vector<std::string> ids;
  const char* warning = nullptr;  // a substring of some warning; nullptr = no warning at all
};

// clang-format off
const Row kRows[] = {
    // Plain words, stems, accents, elisions, stopwords.
    {"cantine", Expect::Set, {"delib80", "manifeste", "rob2019", "cantine"}},
    {"cantines", Expect::Set, {"delib80", "manifeste", "rob2019", "cantine"}},
    // Snowball stems « municipalité » like « municipal »; typed without
    // accents it only meets the unaccented stem (XZ), hence the difference.
    {"municipalité", Expect::Set, {"delib80", "manifeste", "delib83", "pv2012"}},
    {"municipalite", Expect::Set, {"delib80", "manifeste"}},
    {"MUNICIPALITES", Expect::Set, {"delib80", "manifeste"}},
    {"la cantine", Expect::Set, {"delib80", "manifeste", "rob2019", "cantine"}},
    {"l’intelligence", Expect::Set, {"ia-programme", "strategie"}},
    {"l'intelligence", Expect::Set, {"ia-programme", "strategie"}},
    {"numerique", Expect::Set, {"strategie"}},
    {"=numérique", Expect::Set, {"strategie"}},
    {"numeriques", Expect::Set, {"strategie"}},
    {"=numeriques", Expect::Set, {}},
    {"=MUNICIPALITES", Expect::Set, {}},
    // Several words: all-word documents first, then fewer (never zero for one absent word).
    {"cantine municipalité", Expect::First, {"delib80", "manifeste"}},
    {"cantine scolaire", Expect::First, {"delib80", "rob2019"}},
    {"cantine zygomatique", Expect::Set, {"delib80", "manifeste", "rob2019", "cantine"}},
    // Words that analyse to several tokens.
    {"Vice-président", Expect::Set, {"delib83", "vicepresident"}},
    {"vice-présidente", Expect::Set, {"vicepresident"}},
    {"2010/80", Expect::Set, {"delib80"}},
    {"presse@territoires-connectes.fr", Expect::Set, {"ia-programme"}},
    {"Saint-Julien-sur-Lisière", Expect::Set, {"cnr", "contact"}},
    {"porte-parole", Expect::Set, {"contact"}},
    // Phrases: exact forms in order, stopwords kept.
    {"\"cantine scolaire\"", Expect::Set, {"delib80", "rob2019"}},
    {"\"scolaire cantine\"", Expect::Set, {}},
    {"«\u00a0rue de l’Église\u00a0»", Expect::Set, {"arrete2008"}},
    {"\"rue l’Église\"", Expect::Set, {}},
    {"\"cantines scolaires\"", Expect::Set, {}},
    // Proximity on exact forms: n words at most between the two.
    {"préfet NEAR/7 sécheresse", Expect::Set, {"secheresse"}},
    {"préfet NEAR/6 sécheresse", Expect::Set, {}},
    {"sécheresse PROCHE/7 préfet", Expect::Set, {"secheresse"}},
    {"prefet NEAR secheresse", Expect::Set, {"secheresse"}},
    {"délib* NEAR/4 cantine", Expect::Set, {"delib80"}},
    {"délib* NEAR/3 cantine", Expect::Set, {}},
    {"\"comité des fêtes\" NEAR/3 subvention", Expect::Set, {"delib83"}},
    // Boolean operators (capitals only), + and -, parentheses.
    {"cantine AND municipalité", Expect::Set, {"delib80", "manifeste"}},
    {"cantine ET municipalité", Expect::Set, {"delib80", "manifeste"}},
    {"circulation OR refondation", Expect::Set, {"arrete2008", "cnr"}},
    {"circulation OU refondation", Expect::Set, {"arrete2008", "cnr"}},
    {"cantine NOT scolaire", Expect::Set, {"manifeste", "cantine"}},
    {"cantine SAUF scolaire", Expect::Set, {"manifeste", "cantine"}},
    {"cantine -scolaire", Expect::Set, {"manifeste", "cantine"}},
    {"cantine -\"cantine scolaire\"", Expect::Set, {"manifeste", "cantine"}},
    {"cantine -(scolaire OR bio)", Expect::Set, {"cantine"}},
    {"(circulation OR refondation) AND maire", Expect::Set, {"arrete2008"}},
    {"((circulation OR (refondation)) AND (maire))", Expect::Set, {"arrete2008"}},
    {"+cantine bio", Expect::First, {"manifeste"}},
    {"+cantine +bio", Expect::Set, {"manifeste"}},
    {"voirie -type:deliberation", Expect::Set, {"arrete2008", "note"}},
    // Prefixes.
    {"délib*", Expect::Set, {"delib80", "delib83", "epci", "delib2011"}},
    {"DELIB*", Expect::Set, {"delib80", "delib83", "epci", "delib2011"}},
    {"l’intellig*", Expect::Set, {"ia-programme", "strategie"}},
    {"vice-pré*", Expect::Set, {"delib83", "vicepresident"}},
    {"2010/8*", Expect::Set, {"delib80", "delib83"}},
    // Fields.
    {"titre:cantine", Expect::Set, {"delib80", "cantine"}},
    {"titre:\"cantine scolaire\"", Expect::Set, {"delib80"}},
    {"titre:municipalite", Expect::Set, {"manifeste"}},
    {"titre:délib*", Expect::Set, {"delib80", "delib83", "epci", "delib2011"}},
    {"type:communique", Expect::Set, {"ia-programme", "ia-formation", "cnr", "secheresse", "cantine", "contact"}},
    {"type:arrêté", Expect::Set, {"arrete2008"}},
    {"type:communiqué type:arrêté voirie", Expect::Set, {"arrete2008"}},
    {"cantine type:deliberation", Expect::Set, {"delib80"}},
    {"-type:communique cantine", Expect::Set, {"delib80", "manifeste", "rob2019"}},
    {"type:PV", Expect::Set, {"pv2012"}},
    {"type:\"procès-verbal\"", Expect::Set, {"pv2012"}},
    {"titre:\"vice-président\"", Expect::Set, {"vicepresident"}},
    {"titre:Vice-président", Expect::Set, {"vicepresident"}},
    {"collectivite:\"Liste Ensemble pour Chémeré\"", Expect::Set, {"manifeste"}},
    {"collectivite:Chémeré", Expect::Set, {}},  // the whole name is needed (facet key)
    {"collectivite:\"Commune de Chémeré\"", Expect::Set, {"delib80", "delib83", "arrete2008", "rob2019", "cantine", "delib2011"}},
    {"org:\"commune de chemere\" budget", Expect::Set, {"delib83", "rob2019", "delib2011"}},
    {"organisation:\"Préfecture de la Lisière\"", Expect::Set, {"cnr", "secheresse"}},
    {"collectivité:\"Préfecture de la Lisière\" OR type:arrete", Expect::Set, {"cnr", "secheresse", "arrete2008"}},
    {"lieu:Chémeré", Expect::Set, {"delib80"}},
    {"lieu:saint-julien-sur-lisiere", Expect::Set, {"pv2012"}},
    {"personne:\"Marie Dupont\"", Expect::Set, {"delib80", "manifeste"}},
    {"personne:\"Marie Dupont\" -type:manifeste", Expect::Set, {"delib80"}},
    {"numero:2010/83", Expect::Set, {"delib83"}},
    {"annee:2010", Expect::Set, {"delib80", "delib83"}},
    {"annee:2010..2011", Expect::Set, {"delib80", "delib83", "delib2011"}},
    {"année:2023 annee:2010", Expect::Set, {"delib80", "delib83", "ia-programme", "ia-formation", "cnr"}},
    {"annee:2010 type:communique", Expect::Set, {}},
    // Dates: ranges on the "YYYYMMDD" slot; partial dates cover their period.
    {"date:2010-06-22", Expect::Set, {"delib80", "delib83"}},
    {"date:22/06/2010", Expect::Set, {"delib80", "delib83"}},
    {"date:2010-06", Expect::Set, {"delib80", "delib83"}},
    {"date:..2010", Expect::Set, {"delib80", "delib83", "arrete2008"}},
    {"date:2023..", Expect::Set, {"ia-programme", "ia-formation", "cnr"}},
    {"date:2023-01-01..2023-06-30", Expect::Set, {"ia-programme", "cnr"}},
    {"date:01/01/2023..30/06/2023", Expect::Set, {"ia-programme", "cnr"}},
    {"date:2019-12", Expect::Set, {"rob2019"}},
    {"date:2019", Expect::Set, {"rob2019"}},
    {"date:2019-12-05", Expect::Set, {}},
    {"date:2011..2012-06 conseil", Expect::Set, {"pv2012", "delib2011"}},
    {"date:2023-13-45", Expect::All, {}, "Date invalide"},
    // Synonyms, both ways, multi-word forms as phrases.
    {"IA", Expect::Set, {"ia-programme", "ia-formation", "strategie"}},
    {"intelligence artificielle", Expect::Set, {"ia-programme", "ia-formation", "strategie"}},
    {"CNR", Expect::Set, {"cnr", "pv2012"}},
    {"Conseil national de la refondation", Expect::First, {"cnr", "pv2012"}},
    {"EPCI", Expect::Set, {"delib83", "epci"}},
    {"intercommunalité", Expect::Set, {"delib83", "epci"}},
    {"\"IA\"", Expect::Set, {"ia-programme", "ia-formation"}},
    {"plan local d'urbanisme", Expect::First, {"pv2012"}},
    // Only filters: browse.
    {"type:arrete", Expect::Set, {"arrete2008"}},
    {"", Expect::All, {}},
    // Only stopwords: kept rather than nothing.
    {"le", Expect::Set, {"delib80", "delib83", "ia-programme", "ia-formation", "strategie", "cnr", "pv2012", "arrete2008", "rob2019", "secheresse", "delib2011", "note"}},
    // Unknown field: words, with a warning.
    {"cantine foo:bar", Expect::Set, {"delib80", "manifeste", "rob2019", "cantine"}, "Champ inconnu"},
    {"deliberaton", Expect::Set, {}},
};
// clang-format on

}  // namespace

void check_rows(TestIndex& index) {
  auto parser = make_parser(index.config());
  for (const auto& row : kRows) {
    const std::string query = row.query;
    CAPTURE(query);
    vigie::ParsedQuery parsed = parser.parse(row.query, index.db());
    CAPTURE(parsed.query.get_description());
    CAPTURE(joined(parsed.warnings));
    if (row.warning) {
      CHECK(joined(parsed.warnings).find(row.warning) != std::string::npos);
    } else {
      CHECK(parsed.warnings.empty());
    }
    const auto found = index.search(parsed.query);
    CAPTURE(joined(found));
    switch (row.expect) {
      case Expect::Set:
        CHECK(std::set<std::string>(found.begin(), found.end()) ==
              std::set<std::string>(row.ids.begin(), row.ids.end()));
        CHECK(found.size() == row.ids.size());
        break;
      case Expect::First:
        REQUIRE(found.size() >= row.ids.size());
        CHECK(std::set<std::string>(found.begin(),
                                    found.begin() + static_cast<long>(row.ids.size())) ==
              std::set<std::string>(row.ids.begin(), row.ids.end()));
        break;
      case Expect::Ordered:
        CHECK(found == row.ids);
        break;
      case Expect::All:
        CHECK(std::set<std::string>(found.begin(), found.end()) == all_ids());
        break;
    }
  }
}

TEST_CASE("query language: each row finds the documents the table says") {
  // Stems through the stem families of the synonym table.
  check_rows(test_index());
}

TEST_CASE("an index of schema 1 (stem terms, no families) still stems, plurals, accents and titles alike") {
  // What a server serving an index built before the stem families finds
  // until that index is rebuilt: the same as the table.
  CHECK(vigie::index_schema::version_of(schema1_index().db()) == vigie::index_schema::kStemTerms);
  CHECK(schema1_index().db().synonyms_begin("Zcantin") == schema1_index().db().synonyms_end("Zcantin"));
  check_rows(schema1_index());
  auto parser = make_parser(schema1_index().config());
  CHECK(parser.parse("cantine municipalites", schema1_index().db()).unknown_words.empty());
  CHECK(parser.parse("deliberaton", schema1_index().db()).unknown_words.size() == 1);
}

TEST_CASE("stem families: a word meets its plural, singular, accented forms and titles, as one term") {
  auto& index = test_index();
  const auto& db = index.db();
  CHECK(vigie::index_schema::version_of(db) == vigie::index_schema::kStemFamilies);
  // No stem terms in the documents any more: the synonym table lists forms.
  CHECK(db.get_termfreq("Zcantin") == 0);
  std::set<std::string> cantine(db.synonyms_begin("Zcantin"), db.synonyms_end("Zcantin"));
  CHECK(cantine.count("cantine") == 1);
  std::set<std::string> accented(db.synonyms_begin("XZmunicipalit"), db.synonyms_end("XZmunicipalit"));
  CHECK(accented.count("municipalite") == 1);  // the folded form of « municipalité »
  auto parser = make_parser(index.config());
  // The family is one OP_SYNONYM (BM25 sees one term, as it saw the stem).
  const auto plural = parser.parse("cantines", db);
  CHECK(plural.query.get_description().find("SYNONYM") != std::string::npos);
  CHECK(plural.query.get_description().find("cantine") != std::string::npos);
  // Typed without accents, in the plural: the XZ family of « municipalité ».
  const auto unaccented = parser.parse("municipalites", db);
  const auto found = index.search(unaccented.query);
  CHECK(std::set<std::string>(found.begin(), found.end()) == std::set<std::string>{"delib80", "manifeste"});
  CHECK(unaccented.unknown_words.empty());
  // Title field: the same families, on S terms.
  const auto title = parser.parse("titre:cantines", db);
  CHECK(title.query.get_description().find("Scantine") != std::string::npos);
  const auto in_titles = index.search(title.query);
  CHECK(std::set<std::string>(in_titles.begin(), in_titles.end()) == std::set<std::string>{"delib80", "cantine"});
}
