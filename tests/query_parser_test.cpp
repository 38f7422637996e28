// QueryParser: a real small index built with the indexer's DocumentBuilder
// (spelling, stem families and synonyms included, as index_run does), then tables of
// (query → documents expected) and a hostile table (malformed input →
// best-effort query plus warning, or QuerySyntaxError).
#include "query/query_parser.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "build/document_builder.h"
#include "build/synonym_file.h"
#include "index/index_schema.h"
#include "index/schema.h"
#include "matcher/matcher_leaves.h"
#include "query/weight_scales.h"
#include "test_support.h"
#include "vigie/document.h"
#include "vigie/french_analyzer.h"
#include "vigie/synonyms.h"
#include "vigie/term_forms.h"

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
    {"delegations", DocType::Autre, {2013, 4, 2}, "", {}, "", "", "Délégations consenties au maire",
     "Vu l´article L.2122-22 du CGCT et l’acte nº 2008/45, y a-t-il lieu de déléguer ? Il rend compte."},
};
// clang-format on

// The index of kDocs, built once for the whole test program.
class TestIndex {
 public:
  TestIndex() : dir_("query-parser") {
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
        families.add(built);
        ids_[db.replace_document(built.id_term, built.document)] = spec.id;
        for (const auto& [word, count] : built.spelling) db.add_spelling(word, count);
      }
      families.write(db);
      vigie::index_schema::mark_current(db);
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

// The parser with the matcher's leaves, as the Searcher parses (without
// the date column: date filters are Xapian value ranges here).
struct TestParser {
  vigie::QueryParser parser;
  vigie::ParsedQuery parse(std::string_view text, const Xapian::Database& db) {
    vigie::MatcherLeaves leaves;
    return parser.parse(text, db, leaves);
  }
};

TestParser make_parser(const vigie::SearchConfig& config) {
  std::vector<std::string> warnings;
  auto synonyms = vigie::load_synonyms(TestIndex::config_file("synonyms.txt"), warnings);
  auto stopwords = vigie::load_stopwords(TestIndex::config_file("stopwords-fr.txt"), warnings);
  REQUIRE(warnings.empty());
  REQUIRE(!stopwords.empty());
  return TestParser{vigie::QueryParser(config, std::move(synonyms), std::move(stopwords))};
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
    // Articles of codes, numero signs and apostrophes, however written.
    {"L2122-22", Expect::Set, {"delegations"}},
    {"L. 2122-22", Expect::Set, {"delegations"}},
    {"l.2122-22", Expect::Set, {"delegations"}},
    {"article L 2122-22", Expect::Set, {"delegations"}},
    {"\"l’article L. 2122-22 du CGCT\"", Expect::Set, {"delegations"}},
    {"N° 2008/45", Expect::Set, {"delegations"}},
    {"numéro 2008/45", Expect::Set, {"delegations"}},
    {"No 2008/45", Expect::Set, {"delegations"}},
    {"Nº2008/45", Expect::Set, {"delegations"}},
    {"l`acte", Expect::Set, {"delegations"}},
    // Questions: inverted subjects and their verbs are not searched.
    {"y a-t-il lieu de déléguer ?", Expect::Set, {"delegations"}},
    {"peut-on déléguer", Expect::Set, {"delegations"}},
    {"pouvez-vous déléguer", Expect::Set, {"delegations"}},
    {"faut-il déléguer", Expect::Set, {"delegations"}},
    // Words that analyse to several tokens.
    {"Vice-président", Expect::Set, {"delib83", "vicepresident"}},
    {"vice-présidents", Expect::Set, {"delib83", "vicepresident"}},
    {"=vice-présidents", Expect::Set, {}},
    {"vice-présidente", Expect::Set, {"delib83", "vicepresident"}},  // its masculine too
    {"=vice-présidente", Expect::Set, {"vicepresident"}},
    {"2010/80", Expect::Set, {"delib80"}},
    {"presse@territoires-connectes.fr", Expect::Set, {"ia-programme"}},
    {"Saint-Julien-sur-Lisière", Expect::Set, {"cnr", "contact"}},
    {"porte-parole", Expect::Set, {"contact"}},
    // Phrases: the words' forms in order, stopwords kept as typed; ="…"
    // the exact forms.
    {"\"cantine scolaire\"", Expect::Set, {"delib80", "rob2019"}},
    {"\"scolaire cantine\"", Expect::Set, {}},
    {"«\u00a0rue de l’Église\u00a0»", Expect::Set, {"arrete2008"}},
    {"\"rue l’Église\"", Expect::Set, {}},
    {"\"cantines scolaires\"", Expect::Set, {"delib80", "rob2019"}},
    {"=\"cantines scolaires\"", Expect::Set, {}},
    {"=\"cantine scolaire\"", Expect::Set, {"delib80", "rob2019"}},
    {"=«\u00a0rue de l’Église\u00a0»", Expect::Set, {"arrete2008"}},
    {"\"tarif de la cantine\"", Expect::Set, {"delib80", "cantine"}},
    {"\"tarifs des cantines\"", Expect::Set, {}},
    {"-=\"cantines scolaires\" cantine", Expect::Set, {"delib80", "rob2019", "manifeste", "cantine"}},
    {"-\"cantines scolaires\" cantine", Expect::Set, {"manifeste", "cantine"}},
    {"titre:\"tarif de la cantine\"", Expect::Set, {"delib80"}},
    // Proximity on the words' forms (=mot: the form typed): n words at
    // most between the two.
    {"préfet NEAR/7 sécheresse", Expect::Set, {"secheresse"}},
    {"préfet NEAR/6 sécheresse", Expect::Set, {}},
    {"sécheresse PROCHE/7 préfet", Expect::Set, {"secheresse"}},
    {"prefet NEAR secheresse", Expect::Set, {"secheresse"}},
    {"préfets NEAR/7 sécheresses", Expect::Set, {"secheresse"}},
    {"=préfets NEAR/7 sécheresse", Expect::Set, {}},
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

TEST_CASE(
    "stem families: a word meets its plural, singular, accented forms and titles, as one term") {
  auto& index = test_index();
  const auto& db = index.db();
  CHECK(vigie::index_schema::version_of(db) == vigie::index_schema::kCurrent);
  // No stem terms in the documents any more: the synonym table lists forms.
  CHECK(db.get_termfreq("Zcantin") == 0);
  std::set<std::string> cantine(db.synonyms_begin("Zcantin"), db.synonyms_end("Zcantin"));
  CHECK(cantine.count("cantine") == 1);
  std::set<std::string> accented(db.synonyms_begin("XZmunicipalit"),
                                 db.synonyms_end("XZmunicipalit"));
  CHECK(accented.count("municipalite") == 1);  // the folded form of « municipalité »
  auto parser = make_parser(index.config());
  // A family of one form, the word itself: the term weighed twice (exact +
  // family, as with the stem term) from one read of its postings.
  std::string alone;
  for (auto key = db.synonym_keys_begin("Z"); key != db.synonym_keys_end("Z") && alone.empty();
       ++key) {
    std::vector<std::string> forms(db.synonyms_begin(*key), db.synonyms_end(*key));
    if (forms.size() == 1 && forms[0].size() > 3 &&
        forms[0].find_first_of("0123456789") == std::string::npos && (*key).substr(1) == forms[0])
      alone = forms[0];
  }
  REQUIRE_FALSE(alone.empty());
  CAPTURE(alone);
  const auto single = parser.parse(alone, db).query.get_description();
  CHECK(single.find("2 * " + alone) != std::string::npos);
  CHECK(index.search(parser.parse(alone, db).query).size() >= 1);
  // The family is one OP_SYNONYM (BM25 sees one term, as it saw the stem).
  const auto plural = parser.parse("cantines", db);
  CHECK(plural.query.get_description().find("SYNONYM") != std::string::npos);
  CHECK(plural.query.get_description().find("cantine") != std::string::npos);
  // Typed without accents, in the plural: the XZ family of « municipalité ».
  const auto unaccented = parser.parse("municipalites", db);
  const auto found = index.search(unaccented.query);
  CHECK(std::set<std::string>(found.begin(), found.end()) ==
        std::set<std::string>{"delib80", "manifeste"});
  CHECK(unaccented.unknown_words.empty());
  // Title field: the same families, on S terms.
  const auto title = parser.parse("titre:cantines", db);
  CHECK(title.query.get_description().find("Scantine") != std::string::npos);
  const auto in_titles = index.search(title.query);
  CHECK(std::set<std::string>(in_titles.begin(), in_titles.end()) ==
        std::set<std::string>{"delib80", "cantine"});
}

TEST_CASE("a question is ranked by any of its words, without the all-words tier") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  const auto question = parser.parse("combien coûte la cantine scolaire ?", index.db());
  CHECK(question.question);
  CHECK(question.relaxed);
  // Xapian describes OP_SCALE_WEIGHT as « 10000 * (…) ».
  CHECK(question.query.get_description().find("10000 *") == std::string::npos);
  const auto keywords = parser.parse("cantine scolaire", index.db());
  CHECK_FALSE(keywords.question);
  CHECK(keywords.query.get_description().find("10000 *") != std::string::npos);
  // One word left after the stopwords: nothing to relax, not a question.
  CHECK_FALSE(parser.parse("comment la cantine ?", index.db()).question);
  // search.questions_any_words off: a question is searched as keywords.
  vigie::SearchConfig off = index.config();
  off.questions_any_words = false;
  auto keyword_parser = make_parser(off);
  const auto as_keywords = keyword_parser.parse("combien coûte la cantine scolaire ?", index.db());
  CHECK_FALSE(as_keywords.question);
  CHECK(as_keywords.query.get_description().find("10000 *") != std::string::npos);
}

TEST_CASE("strict query requires every word; relaxed only when it differs") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  auto as_set = [&](const Xapian::Query& q) {
    const auto found = index.search(q);
    return std::set<std::string>(found.begin(), found.end());
  };
  auto two = parser.parse("cantine municipalité", index.db());
  CHECK(two.relaxed);
  CHECK_FALSE(two.match_all);
  CHECK(as_set(two.strict_query) == std::set<std::string>{"delib80", "manifeste"});
  CHECK(as_set(two.query).size() > 2);

  auto absent = parser.parse("cantine zygomatique", index.db());
  CHECK(absent.relaxed);
  CHECK(as_set(absent.strict_query).empty());
  CHECK(as_set(absent.query).size() == 4);  // never zero because one word is absent

  // Lower-case « et » is a stopword, not the operator.
  auto et = parser.parse("cantine et municipalité", index.db());
  CHECK(as_set(et.strict_query) == std::set<std::string>{"delib80", "manifeste"});

  auto one = parser.parse("cantine", index.db());
  CHECK_FALSE(one.relaxed);
  CHECK(one.query.serialise() == one.strict_query.serialise());

  // Explicit AND is strict in both.
  auto and_query = parser.parse("cantine AND zygomatique", index.db());
  CHECK(as_set(and_query.query).empty());

  // A document with both words beats one that repeats a single word many times.
  CHECK(index.search(parser.parse("cantine bio", index.db()).query).front() == "manifeste");
  CHECK(index.search(parser.parse("tarifs cantine scolaire", index.db()).query).front() ==
        "delib80");
}

namespace {

// Every OP_SCALE_WEIGHT node of `q`, depth first.
void scaled_nodes(const Xapian::Query& q, std::vector<Xapian::Query>& out) {
  if (q.get_type() == Xapian::Query::OP_SCALE_WEIGHT) out.push_back(q);
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) scaled_nodes(q.get_subquery(i), out);
}

// The factor Xapian writes in a node's description, "Query(2 * …)": only a
// test may read it (weight_scales.h says why).
double described_factor(const Xapian::Query& node) {
  const std::string d = node.get_description();
  REQUIRE(d.rfind("Query(", 0) == 0);
  return std::stod(d.substr(6));
}

}  // namespace

TEST_CASE("the matcher reads every weight scale the parser writes as Xapian wrote it") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  std::size_t seen = 0;
  for (const char* text :
       {"cantine municipalité", "tarifs cantine scolaire", "cantine", "IA cantine",
        "intelligence artificielle", "titre:cantines bio", "(cantine OR bio) tarifs",
        "\"cantine scolaire\" municipalité", "délib* cantine", "Vice-président cantine"}) {
    CAPTURE(text);
    const auto parsed = parser.parse(text, index.db());
    for (const auto& q : {parsed.query, parsed.strict_query}) {
      std::vector<Xapian::Query> nodes;
      scaled_nodes(q, nodes);
      for (const auto& node : nodes) CHECK(vigie::scale_of(node) == described_factor(node));
      seen += nodes.size();
    }
  }
  CHECK(seen >= 5);
  // A shape that does not say its factor is refused where it is built.
  CHECK_THROWS_AS(vigie::scale_weight(Xapian::Query("a"), vigie::WeightScale::AllWordsBoost),
                  std::logic_error);
  CHECK_THROWS_AS(vigie::scale_weight(
                      Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("a"), Xapian::Query("b")),
                      vigie::WeightScale::SameTermTwice),
                  std::logic_error);
}

TEST_CASE("match_all when the query has no words") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  CHECK(parser.parse("", index.db()).match_all);
  CHECK(parser.parse("   ", index.db()).match_all);
  CHECK(parser.parse("type:arrete annee:2008", index.db()).match_all);
  CHECK(parser.parse("-cantine", index.db()).match_all);
  CHECK_FALSE(parser.parse("cantine type:arrete", index.db()).match_all);
  CHECK_FALSE(parser.parse("\"rue de\"", index.db()).match_all);
}

namespace {
// True when `q` or one of its subqueries is the static Xapian::Query::MatchAll
// object itself (not merely an equivalent query).
bool shares_static_match_all(const Xapian::Query& q) {
  if (q.internal.get() && q.internal.get() == Xapian::Query::MatchAll.internal.get()) return true;
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
    if (shares_static_match_all(q.get_subquery(i))) return true;
  return false;
}
}  // namespace

TEST_CASE("parsed queries never hold the static Xapian::Query::MatchAll") {
  // Its reference count is not atomic: copies made by concurrent searches
  // corrupted it (heap-use-after-free under scripts/load-test, ASan).
  auto& index = test_index();
  auto parser = make_parser(index.config());
  for (const char* query : {"", "type:arrete annee:2008", "-cantine", "+cantine", "cantine -bio",
                            "cantine type:arrete"}) {
    CAPTURE(query);
    const auto parsed = parser.parse(query, index.db());
    CHECK_FALSE(shares_static_match_all(parsed.query));
    CHECK_FALSE(shares_static_match_all(parsed.strict_query));
  }
}

namespace {

// The pairs of adjacent plain words, each as its typed forms "first~second".
std::vector<std::string> typed_pairs(const vigie::ParsedQuery& parsed) {
  std::vector<std::string> out;
  for (const auto& pair : parsed.adjacent_words)
    out.push_back(pair.first.front() + "~" + pair.second.front());
  return out;
}

struct AdjacentRow {
  const char* query;
  std::vector<std::string> pairs;
};

// clang-format off
const AdjacentRow kAdjacentRows[] = {
    // Plain words: each with the next; stopwords skipped, case folded.
    {"cantine scolaire", {"cantine~scolaire"}},
    {"tarifs de la cantine scolaire", {"tarifs~cantine", "cantine~scolaire"}},
    {"CANTINE Scolaire", {"cantine~scolaire"}},
    {"cantine scolaire type:deliberation", {"cantine~scolaire"}},
    {"cantine bio -scolaire", {"cantine~bio"}},
    // One word, or nothing to pair.
    {"cantine", {}},
    {"le", {}},
    {"", {}},
    {"type:deliberation", {}},
    // A phrase already asks for adjacency; it breaks the chain around it.
    {"\"cantine scolaire\"", {}},
    {"tarifs \"cantine scolaire\"", {}},
    {"tarifs \"cantine scolaire\" bio municipal", {"bio~municipal"}},
    // Operators: none.
    {"cantine OR scolaire", {}},
    {"cantine scolaire OR bio", {}},
    {"cantine AND scolaire", {}},
    {"cantine scolaire ET tarifs", {}},
    {"(cantine scolaire)", {}},
    {"cantine NEAR/3 scolaire", {}},
    // A negated, required, exact, prefix or field word is not a plain one.
    {"cantine NOT scolaire", {}},
    {"cantine -scolaire bio", {}},
    {"+cantine scolaire", {}},
    {"=cantine scolaire", {}},
    {"cantin* scolaire", {}},
    {"titre:cantine scolaire", {}},
    // A word of several tokens (a phrase of them) or a multi-word synonym.
    {"vice-président budget", {}},
    {"intelligence artificielle territoires", {}},
};
// clang-format on

}  // namespace

TEST_CASE("adjacent plain words: which queries give pairs, with their forms") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  for (const auto& row : kAdjacentRows) {
    CAPTURE(row.query);
    const vigie::ParsedQuery parsed = parser.parse(row.query, index.db());
    CHECK(typed_pairs(parsed) == row.pairs);
  }
  // Each word's forms: the typed one first, then its stem family's, capped.
  const vigie::ParsedQuery parsed = parser.parse("tarifs scolaires", index.db());
  REQUIRE(parsed.adjacent_words.size() == 1);
  const auto& pair = parsed.adjacent_words[0];
  CHECK(pair.first.front() == "tarifs");
  CHECK(std::count(pair.first.begin(), pair.first.end(), "tarifs") == 1);
  CHECK(pair.second.front() == "scolaires");
  CHECK(std::find(pair.second.begin(), pair.second.end(), "scolaire") != pair.second.end());
  CHECK(pair.first.size() <= vigie::kMaxAdjacentForms);
  // A long question: at most kMaxAdjacentPairs.
  const vigie::ParsedQuery longer = parser.parse(
      "cantine scolaire tarifs bio municipal conseil budget voirie pistes cyclables plan",
      index.db());
  CHECK(longer.adjacent_words.size() == vigie::kMaxAdjacentPairs);
}

namespace {

// The plain words of a query, each as its typed form.
std::vector<std::string> typed_plain_words(const vigie::ParsedQuery& parsed) {
  std::vector<std::string> out;
  for (const auto& word : parsed.plain_words) out.push_back(word.forms.front());
  return out;
}

struct PlainWordsRow {
  const char* query;
  std::vector<std::string> words;
};

// clang-format off
const PlainWordsRow kPlainWordsRows[] = {
    // Plain words, stopwords skipped, case folded, each once.
    {"règlement intérieur du conseil municipal", {"reglement", "interieur", "conseil", "municipal"}},
    {"quel est le règlement intérieur ?", {"reglement", "interieur"}},
    {"CANTINE cantine", {"cantine"}},
    {"cantine type:deliberation", {"cantine"}},
    // Negated, exact, prefix, phrase and field words are not looked up.
    {"cantine -scolaire bio", {"cantine", "bio"}},
    {"=cantine scolaire", {"scolaire"}},
    {"cantin* scolaire", {"scolaire"}},
    {"\"cantine scolaire\" tarifs", {"tarifs"}},
    {"titre:cantine tarifs", {"tarifs"}},
    {"type:deliberation", {}},
    {"", {}},
    // A word of several parts: each part but stopwords.
    {"quand a été créée la halte-garderie ?", {"creee", "halte", "garderie"}},
    {"Saint-Père-en-Retz", {"saint", "pere", "retz"}},
};
// clang-format on

}  // namespace

TEST_CASE("plain words: which words of a query, with their forms") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  for (const auto& row : kPlainWordsRows) {
    CAPTURE(row.query);
    CHECK(typed_plain_words(parser.parse(row.query, index.db())) == row.words);
  }
  // A word's forms: the typed one first, then its stem family's.
  const vigie::ParsedQuery parsed = parser.parse("tarifs scolaires", index.db());
  REQUIRE(parsed.plain_words.size() == 2);
  const auto& forms = parsed.plain_words[1].forms;
  CHECK(forms.front() == "scolaires");
  CHECK(std::find(forms.begin(), forms.end(), "scolaire") != forms.end());
  CHECK(forms.size() <= vigie::kMaxAdjacentForms);
  // A long question: at most kMaxPlainWords.
  const vigie::ParsedQuery longer = parser.parse(
      "cantine scolaire tarifs bio municipal conseil budget voirie pistes cyclables plan "
      "eau assainissement salle sports école église cimetière mairie",
      index.db());
  CHECK(longer.plain_words.size() == vigie::kMaxPlainWords);
}

TEST_CASE("synonyms are listed both ways, not inside quotes") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  auto ia = parser.parse("IA", index.db());
  REQUIRE(ia.synonyms.size() == 1);
  CHECK(ia.synonyms[0].typed == "IA");
  CHECK(ia.synonyms[0].expanded == "intelligence artificielle");

  auto long_form = parser.parse("l’intelligence artificielle", index.db());
  REQUIRE(long_form.synonyms.size() == 1);
  CHECK(long_form.synonyms[0].typed == "l’intelligence artificielle");
  CHECK(long_form.synonyms[0].expanded == "IA");

  auto epci = parser.parse("EPCI", index.db());
  CHECK(epci.synonyms.size() == 2);

  CHECK(parser.parse("\"IA\"", index.db()).synonyms.empty());
  CHECK(parser.parse("=IA", index.db()).synonyms.empty());
  CHECK(parser.parse("-IA", index.db()).synonyms.empty());
}

TEST_CASE("unknown words get a spelling suggestion from the index") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  auto one = parser.parse("deliberaton", index.db());
  CHECK(one.unknown_words == std::vector<std::string>{"deliberaton"});
  CHECK(one.spelling_suggestion == "deliberation");

  auto several = parser.parse("cantine  deliberaton type:arrete subventoin", index.db());
  CHECK(several.unknown_words.size() == 2);
  CHECK(several.spelling_suggestion == "cantine  deliberation type:arrete subvention");

  auto known = parser.parse("cantine municipalite", index.db());
  CHECK(known.unknown_words.empty());
  CHECK(known.spelling_suggestion.empty());

  // Unknown but nothing close: listed, no suggestion.
  auto far = parser.parse("xqzwvk", index.db());
  CHECK(far.unknown_words.size() == 1);
  CHECK(far.spelling_suggestion.empty());
}

TEST_CASE(
    "highlights: positive words with stems, phrase words, expanded prefixes; not negated words") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  auto parsed = parser.parse(
      "cantine -scolaire \"rue de l’Église\" délib* =numérique NOT circulation", index.db());
  auto has = [&](const std::string& exact, const std::string& stem) {
    return std::any_of(
        parsed.highlights.begin(), parsed.highlights.end(),
        [&](const vigie::HighlightTerm& h) { return h.exact == exact && h.stem == stem; });
  };
  auto has_exact = [&](const std::string& exact) {
    return std::any_of(parsed.highlights.begin(), parsed.highlights.end(),
                       [&](const vigie::HighlightTerm& h) { return h.exact == exact; });
  };
  CHECK(has("cantine", "cantin"));
  // A phrase's words with their stems (its other forms are found too), its
  // stopwords as typed.
  CHECK(has_exact("rue"));
  CHECK_FALSE(has("rue", ""));
  CHECK(has("de", ""));
  CHECK(has_exact("eglise"));
  CHECK_FALSE(has("eglise", ""));
  CHECK(has("deliberation", ""));
  CHECK(has("numerique", ""));
  CHECK_FALSE(has_exact("scolaire"));
  CHECK_FALSE(has_exact("circulation"));
  // ="…": the forms typed only.
  auto exact = parser.parse("=\"cantines scolaires\"", index.db());
  REQUIRE(exact.highlights.size() == 2);
  for (const auto& h : exact.highlights) CHECK(h.stem.empty());
}

TEST_CASE("prefix expansion is capped with a warning") {
  auto& index = test_index();
  vigie::SearchConfig config = index.config();
  config.wildcard_limit = 2;
  auto parser = make_parser(config);
  auto parsed = parser.parse("délib*", index.db());
  CHECK(joined(parsed.warnings).find("trop de mots") != std::string::npos);
  CHECK(!index.search(parsed.query).empty());
  std::size_t expanded = 0;
  for (const auto& h : parsed.highlights) expanded += h.exact.starts_with("delib");
  CHECK(expanded == 2);
  // The budget is shared: many prefixes in one query stop expanding.
  auto many = parser.parse("co* ca* pr* re* se* de* tr* ma*", index.db());
  CHECK(joined(many.warnings).find("Trop de préfixes") != std::string::npos);
}

namespace {

std::string repeat(const std::string& piece, std::size_t n) {
  std::string out;
  out.reserve(piece.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

std::string numbered_terms(std::size_t n, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += (i ? separator : "") + "mot" + std::to_string(i);
  return out;
}

enum class Outcome {
  Warning,  // best-effort query plus a warning containing `message`
  Quiet,    // best-effort query, no warning required
  Error,    // QuerySyntaxError whose message contains `message`
};

struct HostileRow {
  std::string name;
  std::string input;
  Outcome outcome;
  std::string message;
  bool large_limits = false;  // max_query_bytes raised to reach the other guards
};

std::vector<HostileRow> hostile_rows() {
  using O = Outcome;
  return {
      {"unbalanced quote", "\"cantine scolaire", O::Warning, "Guillemet non fermé"},
      {"unbalanced French quote", "« cantine scolaire", O::Warning, "Guillemet non fermé"},
      {"field phrase unterminated", "titre:\"cantine", O::Warning, "Guillemet non fermé"},
      {"organisation unterminated", "collectivite:\"Commune de", O::Warning, "Guillemet non fermé"},
      {"empty phrase", "\"\"", O::Quiet, ""},
      {"open parenthesis", "(cantine", O::Warning, "non fermée"},
      {"close parenthesis", "cantine)", O::Warning, "sans parenthèse ouvrante"},
      {"two open one close", "((cantine)", O::Warning, "non fermée"},
      {"empty parentheses", "()", O::Warning, "vides"},
      {"nested empty parentheses", "((()))", O::Warning, "vides"},
      {"stray closers", "())", O::Warning, "sans parenthèse ouvrante"},
      {"AND alone", "AND", O::Warning, "sans terme"},
      {"OR alone", "OR", O::Warning, "sans terme"},
      {"NOT alone", "NOT", O::Warning, "sans terme à droite"},
      {"SAUF alone", "SAUF", O::Warning, "sans terme à droite"},
      {"dangling OR", "cantine OR", O::Warning, "sans terme à droite"},
      {"leading AND", "AND cantine", O::Warning, "sans terme à gauche"},
      {"double AND", "cantine AND AND budget", O::Warning, "sans terme"},
      {"OR OR OR", "cantine OR OR OR", O::Warning, "sans terme"},
      {"trailing NOT", "cantine NOT", O::Warning, "sans terme à droite"},
      {"NOT before OR", "cantine NOT OR budget", O::Warning, "sans terme à droite"},
      {"operators only", "AND OR NOT ET OU SAUF", O::Warning, "sans terme"},
      {"NEAR alone", "NEAR/5", O::Warning, "NEAR"},
      {"NEAR without right", "cantine NEAR/5", O::Warning, "sans mot à droite"},
      {"NEAR without left", "NEAR/5 cantine", O::Warning, "sans mot à gauche"},
      {"NEAR chain of NEAR", "NEAR/5 NEAR/5 NEAR/5", O::Warning, "NEAR"},
      {"NEAR bad window", "cantine NEAR/abc budget", O::Warning, "Distance invalide"},
      {"NEAR huge window", "cantine NEAR/100000 budget", O::Warning, "trop grande"},
      {"NEAR on a group", "cantine NEAR/3 (budget)", O::Warning, "sans mot à droite"},
      {"lone minus", "-", O::Quiet, ""},
      {"lone equals", "=", O::Quiet, ""},
      {"lone star", "*", O::Quiet, ""},
      {"sign soup", "+-+-cantine", O::Quiet, ""},
      {"empty type", "type:", O::Warning, "vide"},
      {"empty title", "titre:", O::Warning, "vide"},
      {"empty date", "date:", O::Warning, "vide"},
      {"negated empty field", "-type:", O::Warning, "vide"},
      {"empty field among others", "type:communique type:", O::Warning, "vide"},
      {"unknown type", "type:inconnu", O::Warning, "Type de document inconnu"},
      {"unknown field", "foo:bar", O::Warning, "Champ inconnu"},
      {"impossible date", "date:2023-13-45", O::Warning, "Date invalide"},
      {"30 February", "date:2023-02-30", O::Warning, "Date invalide"},
      {"dots only", "date:..", O::Warning, "Date invalide"},
      {"inverted range", "date:2010..2008", O::Warning, "inversé"},
      {"bad year", "annee:20x3", O::Warning, "Année invalide"},
      {"year span", "annee:1000..9999", O::Warning, "trop large"},
      {"one-letter prefix", "d*", O::Warning, "trop court"},
      {"one-letter prefix in NEAR", "d* NEAR cantine", O::Warning, "trop court"},
      {"10 kB query", repeat("cantine ", 1280), O::Error,
       "Requête trop longue (10240 octets, maximum 4096)"},
      {"10,000 terms", numbered_terms(10000, " "), O::Error, "Requête trop longue"},
      {"10,000 terms, large limits", numbered_terms(10000, " "), O::Warning, "premiers termes",
       true},
      {"1,000 OR'd terms", numbered_terms(1000, " OR "), O::Warning, "premiers termes", true},
      {"100k '(' default", repeat("(", 100000), O::Error, "Requête trop longue"},
      {"100k '(' large limits", repeat("(", 100000) + "cantine", O::Warning, "imbriquées", true},
      {"100k ')' large limits", repeat(")", 100000), O::Warning, "sans parenthèse ouvrante", true},
      {"100k '()' pairs", repeat("()", 50000), O::Warning, "vides", true},
      {"40 nested levels", repeat("(", 40) + "cantine" + repeat(")", 40), O::Warning, "imbriquées"},
      {"5,000 NOT", repeat("NOT ", 5000) + "cantine", O::Quiet, "", true},
      {"5,000 NEAR", "cantine" + repeat(" NEAR/5 budget", 5000), O::Warning, "premiers termes",
       true},
      {"invalid UTF-8", "cantine \xff\xfe", O::Warning, "octets invalides"},
      {"overlong UTF-8 slash", "cantine \xc0\xaf", O::Warning, "octets invalides"},
      {"overlong NUL", "cantine\xc0\x80scolaire", O::Warning, "octets invalides"},
      {"truncated sequence", "caf\xc3", O::Warning, "octets invalides"},
      {"UTF-16 surrogate", "cantine \xed\xa0\x80", O::Warning, "octets invalides"},
      {"NUL bytes", std::string("cantine\0scolaire\0", 17), O::Warning, "contrôle"},
      {"control characters",
       "\x01\x02"
       "cantine\x1b[31m",
       O::Warning, "contrôle"},
      {"RTL override", "\u202Ecantine\u202C", O::Warning, "bidi"},
      {"isolates and marks", "\u2067cantine\u2069 \u200Fbudget", O::Warning, "bidi"},
      {"zero-width space", "can\u200Btine", O::Quiet, ""},
      {"emoji", "🙂 cantine", O::Quiet, ""},
      {"Unicode spaces", "\u00a0\u2003cantine\u202fbudget", O::Quiet, ""},
      {"3,000-letter word", std::string(3000, 'a'), O::Quiet, ""},
      {"private use", "\uE000cantine", O::Quiet, ""},
      {"field name with digits", "x1:y", O::Quiet, ""},
      {"URL", "https://example.org/cantine", O::Quiet, ""},
  };
}

}  // namespace

TEST_CASE("hostile input: a best-effort query with a warning, or QuerySyntaxError") {
  auto& index = test_index();
  vigie::SearchConfig large = index.config();
  large.max_query_bytes = 4u << 20;
  auto parser = make_parser(index.config());
  auto large_parser = make_parser(large);
  const auto rows = hostile_rows();
  CHECK(rows.size() >= 40);
  for (const auto& row : rows) {
    CAPTURE(row.name);
    auto& p = row.large_limits ? large_parser : parser;
    if (row.outcome == Outcome::Error) {
      std::string message;
      CHECK_THROWS_AS(
          {
            try {
              p.parse(row.input, index.db());
            } catch (const vigie::QuerySyntaxError& e) {
              message = e.what();
              throw;
            }
          },
          vigie::QuerySyntaxError);
      CAPTURE(message);
      CHECK(message.find(row.message) != std::string::npos);
      continue;
    }
    vigie::ParsedQuery parsed;
    REQUIRE_NOTHROW(parsed = p.parse(row.input, index.db()));
    CAPTURE(joined(parsed.warnings));
    if (row.outcome == Outcome::Warning)
      CHECK(joined(parsed.warnings).find(row.message) != std::string::npos);
    CHECK(parsed.warnings.size() <= 32);
    // The query must run.
    REQUIRE_NOTHROW(index.search(parsed.query));
    REQUIRE_NOTHROW(index.search(parsed.strict_query));
  }
}

TEST_CASE("hostile input: words survive the repairs") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  const std::set<std::string> cantine{"delib80", "manifeste", "rob2019", "cantine"};
  for (std::string q :
       {std::string("\u202Ecantine\u202C"), std::string("(((cantine"), std::string("cantine)))"),
        std::string("AND cantine OR"), std::string("can\u00ADtine"),
        std::string("\x01"
                    "cantine"),
        std::string("cantine \xff")}) {
    CAPTURE(q);
    const auto found = index.search(parser.parse(q, index.db()).query);
    CHECK(std::set<std::string>(found.begin(), found.end()) == cantine);
  }
  // Deep nesting keeps the words inside.
  vigie::SearchConfig large = index.config();
  large.max_query_bytes = 1u << 20;
  auto large_parser = make_parser(large);
  const auto deep =
      index.search(large_parser.parse(repeat("(", 100000) + "cantine", index.db()).query);
  CHECK(std::set<std::string>(deep.begin(), deep.end()) == cantine);
}

TEST_CASE("random syntax soup never escapes as anything but QuerySyntaxError") {
  auto& index = test_index();
  auto parser = make_parser(index.config());
  const std::vector<std::string> pieces = {"(",
                                           ")",
                                           "\"",
                                           "«",
                                           "»",
                                           " ",
                                           "AND",
                                           "OR",
                                           "NOT",
                                           "NEAR/3",
                                           "PROCHE",
                                           "-",
                                           "+",
                                           "=",
                                           "*",
                                           ":",
                                           "type:",
                                           "titre:",
                                           "date:",
                                           "annee:",
                                           "..",
                                           "2010",
                                           "cantine",
                                           "l’",
                                           "é",
                                           "\xff",
                                           std::string(1, '\0'),
                                           "\u202E",
                                           "IA",
                                           "conseil",
                                           "national",
                                           "de",
                                           "la",
                                           "refondation",
                                           "délib",
                                           "2010/80",
                                           "date:2010-06",
                                           "collectivite:",
                                           "foo:",
                                           "/",
                                           "\\",
                                           "'"};
  std::mt19937 random(20240611);
  for (int i = 0; i < 3000; ++i) {
    std::string q;
    const int n = static_cast<int>(random() % 24);
    for (int k = 0; k < n; ++k) q += pieces[random() % pieces.size()];
    CAPTURE(i);
    try {
      auto parsed = parser.parse(q, index.db());
      index.search(parsed.query);
      index.search(parsed.strict_query);
    } catch (const vigie::QuerySyntaxError&) {
      // acceptable
    } catch (const std::exception& e) {
      FAIL_CHECK("unexpected exception: " << e.what());
    } catch (const Xapian::Error& e) {
      FAIL_CHECK("unexpected Xapian error: " << e.get_description());
    }
  }
}

TEST_CASE("an empty database and no config files still parse") {
  TestParser parser{vigie::QueryParser(vigie::SearchConfig{}, {}, {})};
  Xapian::Database none;  // no shards: no terms, no spelling
  for (const char* q :
       {"délib* cantine", "deliberaton", "IA", "le", "type:communique date:2010..", ""}) {
    CAPTURE(q);
    vigie::ParsedQuery parsed;
    REQUIRE_NOTHROW(parsed = parser.parse(q, none));
    CHECK(parsed.spelling_suggestion.empty());
    CHECK(parsed.synonyms.empty());
  }
  std::vector<std::string> warnings;
  CHECK(vigie::load_stopwords("/nonexistent/stopwords.txt", warnings).empty());
  CHECK(warnings.size() == 1);
}
