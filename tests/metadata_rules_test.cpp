// Metadata rules: one table per rule (docs/metadata-rules.md), then
// complete_metadata with folder defaults, then the rules on real documents of
// the shared corpus.
#include "metadata/metadata_rules.h"

#include <doctest/doctest.h>

#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "test_support.h"

using vigie::Date;
using vigie::DocType;

namespace {

std::string date_str(const std::optional<Date>& date) { return date ? date->iso() : "none"; }

std::string type_str(const std::optional<DocType>& type) {
  return type ? std::string(vigie::doc_type_key(*type)) : "none";
}

// Crude HTML to text for the test only (the real HTML extractor lives
// elsewhere). Hand-written: std::regex recurses per character and overflows
// the stack on 200 KB office-suite HTML.
std::string strip_html(const std::string& html) {
  std::string text;
  auto lower_at = [&](std::size_t pos, const char* word) {
    for (std::size_t i = 0; word[i]; ++i)
      if (pos + i >= html.size() ||
          std::tolower(static_cast<unsigned char>(html[pos + i])) != word[i])
        return false;
    return true;
  };
  for (std::size_t pos = 0; pos < html.size();) {
    if (html[pos] == '&') {
      std::size_t semi = html.find(';', pos);
      std::string entity = semi == std::string::npos ? "" : html.substr(pos, semi - pos + 1);
      const char* replacement = entity == "&nbsp;"  ? " "
                                : entity == "&amp;" ? "&"
                                : entity == "&lt;"  ? "<"
                                : entity == "&gt;"  ? ">"
                                                    : nullptr;
      if (replacement) {
        text += replacement;
        pos = semi + 1;
        continue;
      }
    }
    if (html[pos] != '<') {
      text += html[pos++];
      continue;
    }
    for (const char* block : {"<style", "<script"}) {
      if (lower_at(pos, block)) {
        std::size_t close = html.find(std::string("</") + (block + 1), pos);
        pos = close == std::string::npos ? html.size() : close;
      }
    }
    if (lower_at(pos, "<br") || lower_at(pos, "</p") || lower_at(pos, "</div") ||
        lower_at(pos, "</h") || lower_at(pos, "</tr"))
      text += '\n';
    std::size_t close = html.find('>', pos);
    pos = close == std::string::npos ? html.size() : close + 1;
  }
  return text;
}

vigie::Config chemere_config() {
  vigie::Config config;
  vigie::FolderDefaults chemere;
  chemere.path_prefix = "chemere/";
  chemere.organisation = "Commune de Chémeré";
  chemere.place = "Chémeré";
  chemere.type_by_format = {{"pdf", "procès-verbal"}};
  config.indexer.folders.push_back(chemere);
  vigie::FolderDefaults arretes;  // longer prefix wins over "chemere/"
  arretes.path_prefix = "chemere/arretes";
  arretes.type = "arrete";
  config.indexer.folders.push_back(arretes);
  return config;
}

bool has_line(const vigie::SourceDocument& doc, const std::string& start) {
  for (const auto& line : doc.provenance)
    if (line.rfind(start, 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE("infer_type: rules in documented order, first match wins") {
  struct Row {
    const char* title;
    const char* text;
    const char* path;
    const char* expected;
  };
  const Row rows[] = {
      {"", "## Communiqué de presse\n\nForum des Interconnectés", "x.md", "communique"},
      {"COMMUNIQUÉ DE PRESSE – Paris, le 3 mars 2023", "", "x.md", "communique"},
      {"Communiqué : la mairie répond", "", "x.md", "communique"},
      {"", "Communiqué de presse\nLe Manifeste pour des territoires numériques", "", "communique"},
      {"", "Commune de CHEMERE\nARRETE MUNICIPAL\nn°2012/3", "x.html", "arrete"},
      {"", "ARRÊTÉ DU MAIRE\nportant interdiction de stationner", "", "arrete"},
      {"Arrêté n° 2012/3", "", "", "arrete"},
      {"Circulation : arrêté municipal du 3 mai", "", "", "arrete"},
      {"Fête votive – Arrêté n°2022-031", "", "", "arrete"},
      // « s'arrête » is a verb (a regression from the demo corpus).
      {"Le bus France services s'arrête à Val-d'Aubrac chaque mardi", "", "", "none"},
      {"EXTRAIT", "Département de\nLoire-Atlantique", "chemere/html/ARrete 2012-3.html", "arrete"},
      {"", "PROCÈS-VERBAL de la séance", "", "proces-verbal"},
      {"", "Procès verbal des délibérations", "", "proces-verbal"},
      {"", "Compte rendu du conseil municipal", "", "proces-verbal"},
      {"",
       "Commune de CHEMERE (44 680)\nCM du 22 juin 2010\nCOMPTE-RENDU\nCONSEIL MUNICIPAL DU 22 "
       "JUIN 2010",
       "", "proces-verbal"},
      {"", "CONSEIL MUNICIPAL\nSEANCE DU 7 JUILLET 2015", "", "proces-verbal"},
      {"", "Séance du conseil municipal\ndu 3 mars", "", "proces-verbal"},
      {"", " COMPTE-RENDU\n Commune de CHEMERE", "", "proces-verbal"},
      // A session's deliberations one after the other, without a heading
      // (« CM juin 2012.html »): minutes. One numbered item is a deliberation.
      {"Ø DE-2012/68 – Protection sociale complémentaire prévoyance",
       "Ø DE-2012/68 – Délégations de pouvoirs\nConformément aux délibérations n°2008/45…\n"
       "Ø DE-2012/69 – Communauté de communes Cœur Pays de Retz : Fonds de concours\nMonsieur "
       "le Maire, rapporteur, expose",
       "chemere/html/CM juin 2012.html", "proces-verbal"},
      {"", "2007/134 – Révision du POS\nLe Conseil…\n2007/135 – Location maison de l’Etang", "",
       "proces-verbal"},
      {"", "DE-2012/68 – Protection sociale\nLe Conseil municipal, après en avoir délibéré", "",
       "none"},
      {"Délibération n° 2010/80 – Marchés publics", "", "", "deliberation"},
      {"", "Extrait du registre des délibérations du conseil municipal", "", "deliberation"},
      {"Manifeste pour des territoires numériques responsables", "", "", "manifeste"},
      {"", "MANIFESTE\npour une ville sobre", "", "manifeste"},
      {"", "Profession de foi\nÉlections municipales 2020", "", "manifeste"},
      {"Notre programme pour Chémeré", "", "", "manifeste"},
      {"Programme", "", "", "manifeste"},
      {"Programme de voirie 2012", "", "", "none"},  // « programme » alone is too broad
      {"Rapport d'activité 2022", "", "", "rapport"},
      {"", "RAPPORT ANNUEL\nsur le prix et la qualité du service", "", "rapport"},
      {"Note", "texte", "communiques/2023/forum.md", "communique"},
      {"Note", "texte", "villes/proces-verbaux/2020.pdf", "proces-verbal"},
      {"Note", "texte", "professions-de-foi/liste-a.pdf", "manifeste"},
      {"Vœux du maire", "Bonne année à toutes et à tous", "divers/voeux.txt", "none"},
      {"", "", "", "none"},
      // "arrêté" as a verb inside a sentence is not a title line.
      {"", "Le compte administratif est arrêté à la somme de 12 000 €", "", "none"},
  };
  for (const auto& row : rows) {
    std::string title_shown = row.title;
    CAPTURE(title_shown);
    std::string text_shown = row.text;
    CAPTURE(text_shown);
    std::string path_shown = row.path;
    CAPTURE(path_shown);
    CHECK(type_str(vigie::infer_type(row.title, row.text, row.path)) == std::string(row.expected));
  }
}

TEST_CASE("date_from_text: French dates, first credible one") {
  struct Row {
    const char* text;
    const char* expected;
  };
  const Row rows[] = {
      {"Compte-rendu de la séance du 22 juin 2010", "2010-06-22"},
      {"s'est tenu les 22 et 23 mars 2023 à Toulouse", "2023-03-22"},
      {"Le 1er mars 2011, le conseil s'est réuni", "2011-03-01"},
      {"LE 1ER MARS 2011", "2011-03-01"},
      {"Séance du 22/06/2010", "2010-06-22"},
      {"publié le 2010-06-22", "2010-06-22"},
      {"du 22 au 24 septembre 2021 à Lyon", "2021-09-22"},
      {"le 3 février 2009", "2009-02-03"},
      {"le 3 fevrier 2009", "2009-02-03"},
      {"le 15 août 2012", "2012-08-15"},
      {"le 15 aout 2012", "2012-08-15"},
      {"le 12 DÉCEMBRE 2012", "2012-12-12"},
      {"le 12 decembre 2012", "2012-12-12"},
      {"mardi 22 juin 2010", "2010-06-22"},
      {"en juin 2012", "2012-06"},
      {"le vingt-deux juin deux mille dix", "2010-06-22"},
      {"le trente et un décembre deux mille quinze", "2015-12-31"},
      {"L'an deux mil dix, le vingt-deux juin, à vingt heures", "2010-06-22"},
      {"L'an deux mil quinze, le sept juillet", "2015-07-07"},
      // Strong cues win over earlier plain dates.
      {"Imprimé le 3 janvier 2011. Conseil municipal du 14 décembre 2010", "2010-12-14"},
      // References to other acts or meetings are not the document's date.
      {"Vu la loi n°82-213 du 2 mars 1982, le Maire", "none"},
      {"Compte-rendu de la réunion du 18 mai 2010 : Pas d’observation.\nSéance du 22 juin 2010",
       "2010-06-22"},
      {"Convocation :\n14 juin 2010\nL'an deux mil dix", "none"},
      {"né le 07/03/1971", "none"},
      {"A compter du 08/01/2012", "none"},
      {"Conformément aux délibérations n°2008/45 en date du 22 mars 2008", "none"},
      {"Fait à CHEMERE, le 14 février 2012", "2012-02-14"},
      {"Toulouse, le 24 mars 2023\nCommuniqué", "2023-03-24"},
      {"Communiqué de presse – 3 juin 2025\nRéuni le 27 mai 2025, le conseil", "2025-06-03"},
      // Invalid or incomplete dates.
      {"le 31 juin 2010", "none"},
      {"le 30/02/2010", "none"},
      {"le 22 juin", "none"},
      {"le 22 juin 1066", "none"},
      {"en 2021, la publication", "none"},
      {"", "none"},
      {"Date du marché 19/05/10", "none"},
  };
  for (const auto& row : rows) {
    std::string text_shown = row.text;
    CAPTURE(text_shown);
    CHECK(date_str(vigie::date_from_text(row.text)) == std::string(row.expected));
  }
}

TEST_CASE("date_from_text: only the head is read, a signature in the tail counts") {
  std::string filler(5000, 'x');
  CHECK(date_str(vigie::date_from_text(filler + " le 3 mars 2011 ")) == "none");
  std::string signed_act = "ARRETE\n" + filler + "\nFait à Chémeré, le 14 février 2012\nLe Maire";
  CHECK(date_str(vigie::date_from_text(signed_act)) == "2012-02-14");
}

TEST_CASE("date_from_path: real file names of the corpus") {
  struct Row {
    const char* path;
    const char* expected;
  };
  const Row rows[] = {
      {"chemere/pdf/CM 22 juin 2010.pdf", "2010-06-22"},
      {"chemere/pdf/CM 12 décembre 2012.pdf", "2012-12-12"},
      {"chemere/pdf/CM 15 février 2011.pdf", "2011-02-15"},
      {"chemere/html/CM du 28 avril 2004.html", "2004-04-28"},
      {"chemere/html/CM 2 juillet 2013.html", "2013-07-02"},
      {"chemere/html/CM juin 2012.html", "2012-06"},
      {"chemere/html/ARrete 2012-3.html", "2012"},
      {"chemere/pv-json/2010-06-22.json", "2010-06-22"},
      {"chemere/pv-json/2004-01-14.json#d3", "2004-01-14"},
      {"scans/20100622_cm.pdf", "2010-06-22"},
      {"communiques/interconnectes-forum-2023.md", "2023"},
      {"2010/notes.txt", "none"},  // folders are not read
      {"notes.txt", "none"},
      {"", "none"},
  };
  for (const auto& row : rows) {
    std::string path_shown = row.path;
    CAPTURE(path_shown);
    CHECK(date_str(vigie::date_from_path(row.path)) == std::string(row.expected));
  }
}

TEST_CASE("deliberation_number") {
  struct Row {
    const char* text;
    const char* expected;
  };
  const Row rows[] = {
      {"Délibération n° 2010/80 – Marchés publics", "2010/80"},
      {"n°2008/45\nObjet : subventions", "2008/45"},
      {" 2007-1 –\nHalte garderie : Convention avec la CAF", "2007/1"},
      {"2010/80 – Délégations de pouvoirs", "2010/80"},
      {"\xEF\x83\x98 2007/28 - Vote du compte de gestion 2006", "2007/28"},
      {"\xEF\x83\x98 DE-2011/9 – Demandes de subventions 2011 :", "2011/9"},
      {"\xEF\x83\x98 DE- 2015/60 – Projet de logements", "2015/60"},
      {"Commune de CHEMERE\nARRETE MUNICIPAL\nn°2012/3\nPortant avancement", "2012/3"},
      {"Arrêté du maire n° 2019-112 portant interdiction", "2019/112"},
      {"DÉLIBÉRATION N°2014/010", "2014/10"},
      // References to other acts are not this document's number.
      {"Conformément aux délibérations n°2008/45 en date du 22 mars 2008", "none"},
      {"Vu la loi n°82-213 du 2 mars 1982", "none"},
      {"2010-06-22 – compte rendu", "none"},  // a date, not a number
      {"Halte garderie 2007-1", "none"},
      {"", "none"},
  };
  for (const auto& row : rows) {
    std::string text_shown = row.text;
    CAPTURE(text_shown);
    auto number = vigie::deliberation_number(row.text);
    CHECK((number ? *number : std::string("none")) == std::string(row.expected));
  }
}

TEST_CASE("persons_from_text: role cues only") {
  struct Row {
    const char* text;
    std::vector<std::string> expected;
  };
  const Row rows[] = {
      {"Président : M. Jean-Paul Leray", {"Jean-Paul Leray"}},
      {"Présidente\u00a0: Mme Anne Dupont-Martin", {"Anne Dupont-Martin"}},
      {"s'est réuni en session ordinaire, à la Mairie, sous la\nprésidence de Monsieur Jean-Paul "
       "LERAY, Maire.",
       {"Jean-Paul Leray"}},
      {"A été élue secrétaire de séance : MME Marie-Josèphe BATARD\n\nCompte-rendu",
       {"Marie-Josèphe Batard"}},
      {"A été élu secrétaire de séance :\nM. Jacques CHEVALIER\nCompte-rendu de la réunion",
       {"Jacques Chevalier"}},
      {"sous la présidence de Monsieur Georges LECLEVE, Maire.\nA été élu secrétaire de séance : "
       "M. Paul PIPAUD",
       {"Georges Lecleve", "Paul Pipaud"}},
      {"« Nous resterons vigilants », déclare Jean Dupont, maire de Nantes.", {"Jean Dupont"}},
      {"**« En matière d'inclusion, nous attendons »** Jacques Oberti, Président de la communauté",
       {"Jacques Oberti"}},
      {"« Une phrase. » Francky Trichet, Vice-président de Nantes métropole.", {"Francky Trichet"}},
      {"sous la présidence de Charles de Gaulle, président", {"Charles de Gaulle"}},
      // Not names: roles, lower-case words, a quote without a role after it.
      {"sous la présidence de Monsieur le Maire", {}},
      {"Le Maire déclare la séance ouverte.", {}},
      {"« Technologies et territoires » Toulouse accueille le forum", {}},
      {"Présents : M. Jean-Paul LERAY, Maire, M. Georges LECLEVE", {}},
      {"Président : M. Leray", {}},
      {"", {}},
  };
  for (const auto& row : rows) {
    std::string text_shown = row.text;
    CAPTURE(text_shown);
    CHECK(vigie::persons_from_text(row.text) == row.expected);
  }
}

TEST_CASE("looks_non_french: stopword vote on the head, short texts are French") {
  struct Row {
    const char* text;
    bool non_french;
  };
  const Row rows[] = {
      {"Le conseil municipal de la commune s'est réuni sous la présidence du maire. Il a "
       "approuvé les comptes et les tarifs des salles pour l'année, avec une abstention.",
       false},
      {"The council met on Tuesday and approved the budget. It is the first time that the "
       "members of the board have voted for this plan, which was not expected by the press.",
       true},
      {"Der Gemeinderat hat den Haushalt beschlossen. Die Mitglieder sind mit dem Plan "
       "einverstanden und es ist nicht zu erwarten, dass sich das ändert, auch nicht nach der "
       "Wahl.",
       true},
      {"El consejo municipal aprobó el presupuesto para el año. Los miembros del consejo "
       "votaron por una mayoría muy clara, como se esperaba desde hace meses, sin sorpresas.",
       true},
      {"Hello world", false},  // too short to tell
      {"", false},
      {"Le forum « Smart City and the future of the digital territories » s'est tenu à Lyon. "
       "Les élus ont présenté leurs projets pour les habitants et les associations de la ville.",
       false},
  };
  for (const auto& row : rows) {
    std::string text_shown = row.text;
    CAPTURE(text_shown);
    CHECK(vigie::looks_non_french(row.text) == row.non_french);
  }
}

TEST_CASE("complete_metadata: explicit, then folder defaults, then rules") {
  vigie::Config config = chemere_config();

  SUBCASE("folder defaults fill organisation, place and type by format") {
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "chemere/pdf/CM 22 juin 2010.pdf";
    doc.format = "pdf";
    doc.body =
        "Commune de CHEMERE (44 680)\n\nCM du 22 juin 2010\n\nCOMPTE-RENDU\n"
        "sous la présidence de Monsieur Jean-Paul LERAY, Maire.";
    vigie::complete_metadata(doc, config);
    CHECK(doc.type == DocType::ProcesVerbal);
    CHECK(doc.organisation == "Commune de Chémeré");
    CHECK(doc.place == "Chémeré");
    CHECK(doc.date.iso() == "2010-06-22");
    CHECK(doc.title == "Conseil municipal du 22 juin 2010");
    CHECK(doc.persons == std::vector<std::string>{"Jean-Paul Leray"});
    CHECK(doc.number.empty());
    CHECK(doc.language == "fr");
    CHECK(has_line(doc, "type from folder default chemere/ (pdf): procès-verbal"));
    CHECK(has_line(doc, "date from text: « CM du 22 juin 2010 »"));
    CHECK(has_line(doc, "organisation from folder default chemere/"));
    CHECK(has_line(doc, "title from first line"));
  }

  SUBCASE("explicit metadata always wins") {
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "chemere/pdf/CM 22 juin 2010.pdf";
    doc.format = "pdf";
    doc.title = "Séance de juin";
    doc.type = DocType::Deliberation;
    doc.date = Date{2010, 6, 23};
    doc.organisation = "Mairie";
    doc.place = "Nantes";
    doc.persons = {"Anne Martin"};
    doc.number = "2010/1";
    doc.body =
        "Délibération n° 2010/80\nSéance du 22 juin 2010, sous la présidence de M. Jean Roux";
    vigie::complete_metadata(doc, config);
    CHECK(doc.title == "Séance de juin");
    CHECK(doc.type == DocType::Deliberation);
    CHECK(doc.date.iso() == "2010-06-23");
    CHECK(doc.organisation == "Mairie");
    CHECK(doc.place == "Nantes");
    CHECK(doc.persons == std::vector<std::string>{"Anne Martin"});
    CHECK(doc.number == "2010/1");
    CHECK(doc.provenance.empty());
  }

  SUBCASE("longest prefix wins; folder type; number for an arrêté; year from file name") {
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "chemere/arretes/ARrete 2012-3.html";
    doc.format = "html";
    doc.body = "EXTRAIT\nARRETE MUNICIPAL\nn°2012/3\nPortant avancement d’échelon";
    vigie::complete_metadata(doc, config);
    CHECK(doc.type == DocType::Arrete);
    CHECK(doc.number == "2012/3");
    CHECK(doc.date.iso() == "2012");
    CHECK(doc.organisation.empty());  // the longer prefix has no organisation
    CHECK(has_line(doc, "type from folder default chemere/arretes: arrêté"));
    CHECK(has_line(doc, "date from file name: « ARrete 2012-3 »"));
  }

  SUBCASE("no folder: text rules, title from file name, no date") {
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "divers/note-interne.txt";
    doc.format = "text";
    doc.body = "...\n\n12";
    vigie::complete_metadata(doc, config);
    CHECK(doc.title == "note-interne");
    CHECK(doc.type == DocType::Autre);
    CHECK_FALSE(doc.date.known());
    CHECK(has_line(doc, "date: none"));
    CHECK(has_line(doc, "type: no rule matched"));
  }

  SUBCASE("organisation from a heading line, place from a signature") {
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "autres/arrete-stationnement.txt";
    doc.body =
        "Mairie de SAINT-PÈRE-EN-RETZ\nARRÊTÉ DU MAIRE n° 2019-112\n"
        "Le Maire,\nVu la loi n° 82-213 du 2 mars 1982,\nARRÊTE\n"
        "Fait à Saint-Père-en-Retz, le 3 avril 2019";
    vigie::complete_metadata(doc, config);
    CHECK(doc.type == DocType::Arrete);
    CHECK(doc.organisation == "Mairie de Saint-Père-en-Retz");
    CHECK(doc.date.iso() == "2019-04-03");
    CHECK(doc.place == "Saint-Père-en-Retz");
    CHECK(doc.number == "2019/112");
  }

  SUBCASE("English text is flagged") {
    vigie::SourceDocument doc;
    doc.id = "misc/report.txt";
    doc.body =
        "The council met on Tuesday and approved the budget. It is the first time that the "
        "members of the board have voted for this plan, which was not expected by the press.";
    vigie::complete_metadata(doc, config);
    CHECK(doc.language == "en");
    CHECK(has_line(doc, "language: looks non-French"));
  }
}

TEST_CASE("complete_metadata: organisation, place and title rules (no folder defaults)") {
  struct Row {
    const char* path;
    const char* body;
    const char* organisation;
    const char* place;
    const char* title;
  };
  const Row rows[] = {
      {"a/pv.txt", "Commune de CHEMERE (44 680)\nCM du 22 juin 2010\nCOMPTE-RENDU",
       "Commune de Chemere", "", "Conseil municipal du 22 juin 2010"},  // a bare session heading
      {"a/pv.txt", "COMMUNE DE SAINT-JULIEN-SUR-LISIÈRE\nPROCÈS-VERBAL DE LA SÉANCE",
       "Commune de Saint-Julien-sur-Lisière", "", "PROCÈS-VERBAL DE LA SÉANCE"},
      {"a/arrete.txt",
       "COMMUNE DE VAL-D’AUBRAC\nARRÊTÉ MUNICIPAL N° 2019-017\nFait à Val-d’Aubrac, le 6 mai 2019",
       "Commune de Val-d'Aubrac", "Val-d'Aubrac", "ARRÊTÉ MUNICIPAL N° 2019-017"},
      {"a/r.txt", "SYNDICAT MIXTE LISIÈRE NUMÉRIQUE\n\nRapport d'activité 2021",
       "Syndicat mixte Lisière Numérique", "", "Rapport d'activité 2021"},
      {"a/c.txt", "Communauté de communes du Pays de Lisière\nCommuniqué de presse\nUn titre ici",
       "Communauté de communes du Pays de Lisière", "", "Un titre ici"},
      {"a/c.txt",
       "Région Occitanie\nCommuniqué de presse\n**Montpellier, le 3 mars 2023** — Le plan",
       "Région Occitanie", "Montpellier", "Montpellier, le 3 mars 2023** — Le plan"},
      {"a/c.txt",
       "Mairie de Nantes\nCommuniqué\nLe forum s'est tenu le 3 mars 2023 à Saint-Nazaire.",
       "Mairie de Nantes", "Saint-Nazaire", "Le forum s'est tenu le 3 mars 2023 à Saint-Nazaire."},
      {"a/pv.txt", "Compte rendu\nLe Conseil Municipal de la Commune de CHEMERE, dûment convoqué",
       "Commune de Chemere", "", "Le Conseil Municipal de la Commune de CHEMERE, dûment convoqué"},
      // « à X » after the date only counts in a press release.
      {"a/pv.txt", "Procès-verbal\nSéance du 3 mars 2023 à Chémeré", "", "",
       "Séance du 3 mars 2023 à Chémeré"},
      // Another body named in passing is not the issuer.
      {"a/note.txt", "Notre rencontre avec la communauté d'agglomération du Sicoval", "", "",
       "Notre rencontre avec la communauté d'agglomération du Sicoval"},
  };
  for (const auto& row : rows) {
    std::string body_shown = row.body;
    CAPTURE(body_shown);
    vigie::SourceDocument doc;
    doc.id = doc.source_path = row.path;
    doc.body = row.body;
    vigie::complete_metadata(doc, vigie::Config{});
    CHECK(doc.organisation == std::string(row.organisation));
    CHECK(doc.place == std::string(row.place));
    CHECK(doc.title == std::string(row.title));
  }
}

TEST_CASE("complete_metadata: safe and bounded on hostile input") {
  vigie::Config config;
  vigie::SourceDocument doc;
  doc.id = "x/y.txt";
  // 10 MB of date-like and name-like fragments, plus invalid UTF-8.
  std::string chunk =
      "séance du 3 « » déclare n° 2010/ le vingt et \xC3 \xFF sous la présidence de ";
  while (doc.body.size() < 10u << 20) doc.body += chunk;
  vigie::complete_metadata(doc, config);
  CHECK(doc.date.iso().empty());
  CHECK_NOTHROW(vigie::date_from_text("\xFF\xFE\xC3"));
  CHECK_NOTHROW(vigie::persons_from_text(std::string(100000, '\xC2')));
  CHECK_NOTHROW(vigie::deliberation_number(std::string(5000, '0')));
  CHECK(vigie::deliberation_number("2010/") == std::nullopt);
}

TEST_CASE("rules never crash on random mixes of cue fragments and bad bytes") {
  // Deterministic fuzzing: fragments that make scanners look ahead/behind,
  // glued at random, cut anywhere (inside UTF-8 sequences too).
  const char* fragments[] = {"séance du ",
                             "22",
                             " et ",
                             "juin ",
                             "2010",
                             "1er",
                             "/",
                             "-",
                             "n°",
                             " DE-",
                             "2007-1 – ",
                             "«",
                             "»",
                             "**",
                             " déclare ",
                             "M. ",
                             "LERAY",
                             "Jean-Paul ",
                             ", le ",
                             "Fait à ",
                             "\n",
                             "\xC3",
                             "\xFF",
                             "\xEF\x80\xA0",
                             "vingt-deux ",
                             "mille ",
                             "l'an ",
                             "Commune de ",
                             "sous la présidence de ",
                             "secrétaire de séance :",
                             " à ",
                             "Toulouse",
                             "\xC2\xA0",
                             "the ",
                             "le "};
  constexpr std::size_t kCount = sizeof fragments / sizeof fragments[0];
  unsigned state = 12345;
  auto next = [&] { return state = state * 1103515245u + 12345u; };
  vigie::Config config = chemere_config();
  for (int round = 0; round < 300; ++round) {
    std::string text;
    std::size_t pieces = next() % 60;
    for (std::size_t i = 0; i < pieces; ++i) text += fragments[(next() >> 8) % kCount];
    text.resize(next() % (text.size() + 1));
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "chemere/" + text.substr(0, next() % 40);
    doc.body = text;
    doc.format = round % 2 ? "pdf" : "html";
    CHECK_NOTHROW(vigie::complete_metadata(doc, config));
    CHECK_NOTHROW(vigie::infer_type(text, text, text));
    CHECK_NOTHROW(vigie::date_from_path(text));
    CHECK_NOTHROW(vigie::deliberation_number(text));
  }
}

TEST_CASE("real corpus: Interconnectés press release (Markdown)") {
  std::string text = vigie::test::read_file(vigie::test::shared_corpus() / "communiques" /
                                            "interconnectes-forum-2023.md");
  vigie::SourceDocument doc;
  doc.id = doc.source_path = "communiques/interconnectes-forum-2023.md";
  doc.format = "markdown";
  doc.body = text;
  vigie::complete_metadata(doc, vigie::Config{});
  CAPTURE(doc.provenance);
  CHECK(doc.type == DocType::Communique);
  CHECK(doc.date.year == 2023);
  CHECK(doc.date.month == 3);
  CHECK((doc.date.day == 22 || doc.date.day == 23));
  CHECK(doc.organisation == "Les Interconnectés");
  CHECK(doc.place == "Toulouse");
  CHECK(doc.title.rfind("Forum des Interconnectés", 0) == 0);
  CHECK(doc.persons == std::vector<std::string>{"Jacques Oberti", "Francky Trichet"});
  CHECK(doc.language == "fr");
}

TEST_CASE("real corpus: Chémeré minutes and order (HTML)") {
  auto html_dir = vigie::test::shared_corpus() / "chemere" / "html";
  struct Row {
    const char* file;
    const char* date;
    const char* president;
  };
  const Row rows[] = {
      {"CM 17 janvier 2007.html", "2007-01-17", "Jean-Paul Leray"},
      {"CM du 28 avril 2004.html", "2004-04-28", "Jean-Paul Leray"},
      {"CM 22 juin 2010.html", "2010-06-22", "Jean-Paul Leray"},
      {"CM 7 juillet 2015.html", "2015-07-07", "Georges Lecleve"},
  };
  for (const auto& row : rows) {
    std::string file_shown = row.file;
    CAPTURE(file_shown);
    std::string text = strip_html(vigie::test::read_file(html_dir / row.file));
    CHECK(vigie::infer_type("", text, std::string("chemere/html/") + row.file) ==
          DocType::ProcesVerbal);
    CHECK(date_str(vigie::date_from_text(text)) == row.date);
    CHECK(date_str(vigie::date_from_path(row.file)) == row.date);
    auto persons = vigie::persons_from_text(text);
    REQUIRE(persons.size() >= 2);  // president and secretary
    CHECK(persons.front() == row.president);
    CHECK_FALSE(vigie::looks_non_french(text));
  }

  SUBCASE("the order ARrete 2012-3") {
    std::string text = strip_html(vigie::test::read_file(html_dir / "ARrete 2012-3.html"));
    vigie::SourceDocument doc;
    doc.id = doc.source_path = "chemere/html/ARrete 2012-3.html";
    doc.format = "html";
    doc.title = "EXTRAIT";
    doc.body = text;
    vigie::complete_metadata(doc, chemere_config());
    CAPTURE(doc.provenance);
    CHECK(doc.type == DocType::Arrete);
    CHECK(doc.date.iso() == "2012-02-14");  // « Fait à CHEMERE, le 14 février 2012 »
    CHECK(doc.number == "2012/3");
    CHECK(doc.organisation == "Commune de Chémeré");
  }
}

TEST_CASE("generic titles are replaced by what the document is, once type and date are known") {
  vigie::Config config;
  vigie::FolderDefaults chemere;
  chemere.path_prefix = "chemere/";
  chemere.organisation = "Commune de Chémeré";
  config.indexer.folders.push_back(chemere);
  struct Row {
    const char* title;
    const char* path;
    const char* body;
    const char* expected;
  };
  const Row rows[] = {
      {"COMPTE-RENDU", "chemere/html/CM 10 juillet 2012.html",
       "CONSEIL MUNICIPAL\nSEANCE DU 10 JUILLET 2012\nL'an deux mil douze, le dix juillet",
       "Conseil municipal du 10 juillet 2012"},
      {"EXTRAIT", "chemere/html/ARrete 2012-3.html",
       "ARRETE MUNICIPAL n°2012/3\nPortant avancement d'échelon\nFait à Chémeré, le 14 février "
       "2012",
       "Arrêté n° 2012/3 du 14 février 2012"},
      {"Budget primitif 2012", "chemere/html/CM 10 juillet 2012.html", "SEANCE DU 10 JUILLET 2012",
       "Budget primitif 2012"},
      // A PDF's first-page heading, its document properties: the session and
      // its date only, named as the JSON and HTML minutes are.
      {"CONSEIL MUNICIPAL SEANCE DU 12 DECEMBRE 2012", "chemere/pdf/CM 12 décembre 2012.pdf",
       "CONSEIL MUNICIPAL\nSEANCE DU 12 DECEMBRE 2012", "Conseil municipal du 12 décembre 2012"},
      {"CM 15 octobre 2008", "chemere/pdf/CM 15 octobre 2008.pdf",
       "CONSEIL MUNICIPAL\nSéance du 15 octobre 2008", "Conseil municipal du 15 octobre 2008"},
      {"CM 15 octobre 2008 : additif", "chemere/pdf/CM 15 octobre 2008.pdf",
       "CONSEIL MUNICIPAL\nSéance du 15 octobre 2008", "CM 15 octobre 2008 : additif"},
      // Minutes titled by their first deliberation (an office suite's <title>).
      {"Ø DE-2012/68 – Protection sociale complémentaire prévoyance : Proposition du Centre de "
       "Gestion",
       "chemere/html/CM juin 2012.html",
       "Ø DE-2012/68 – Délégations de pouvoirs\nDate du marché 05/06/2012\n"
       "Ø DE-2012/69 – Communauté de communes : Fonds de concours",
       "Conseil municipal de juin 2012"},
      // Whatever gave it, a title has no bullet and at most 150 characters.
      {"• Budget primitif 2012", "chemere/html/x.html", "texte", "Budget primitif 2012"},
      {"Eclairage public : compétence relative à la maîtrise d’ouvrage des investissements sur les "
       "installations d’éclairage public. Après réalisation, par convention, la commune en devient "
       "propriétaire.",
       "chemere/html/x.html", "texte",
       "Eclairage public : compétence relative à la maîtrise d’ouvrage des investissements sur les "
       "installations d’éclairage public…"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.path);
    vigie::SourceDocument doc;
    doc.id = doc.source_path = row.path;
    doc.format = std::string_view(row.path).ends_with(".pdf") ? "pdf" : "html";
    if (doc.format == "pdf") doc.type = vigie::DocType::ProcesVerbal;  // the shipped folder default
    doc.title = row.title;
    doc.body = row.body;
    vigie::complete_metadata(doc, config);
    CHECK(doc.title == row.expected);
  }
}

TEST_CASE("dates in French for display") {
  CHECK(vigie::Date{2010, 6, 22}.french() == "22 juin 2010");
  CHECK(vigie::Date{2011, 3, 1}.french() == "1er mars 2011");
  CHECK(vigie::Date{2010, 8, 0}.french() == "août 2010");
  CHECK(vigie::Date{2010, 0, 0}.french() == "2010");
  CHECK(vigie::Date{}.french().empty());
}

TEST_CASE("one apostrophe for organisations, places and persons, whatever the source typed") {
  vigie::Config config;
  vigie::SourceDocument doc;
  doc.id = doc.source_path = "a.md";
  doc.title = "Compte rendu";
  doc.organisation = "Commune de Val-d\u2019Aubrac";
  doc.place = "Val-d\u02BCAubrac";
  doc.persons = {"Jeanne d\u2019Arc"};
  vigie::complete_metadata(doc, config);
  CHECK(doc.organisation == "Commune de Val-d'Aubrac");
  CHECK(doc.place == "Val-d'Aubrac");
  CHECK(doc.persons[0] == "Jeanne d'Arc");
}

TEST_CASE("council-session records are named after the assembly of their organisation") {
  vigie::Config config;
  vigie::FolderDefaults epci;
  epci.path_prefix = "cc/";
  epci.organisation = "Communauté de communes du Pays de Lisière";
  config.indexer.folders.push_back(epci);
  vigie::SourceDocument doc;
  doc.id = doc.source_path = "cc/pv-json/2022-09-27.json";
  doc.format = "json-minutes";
  doc.type = vigie::DocType::ProcesVerbal;
  doc.title = "Conseil municipal du 27 septembre 2022";
  doc.body = "Conseil municipal du 27 septembre 2022\nPrésident : Loïc Kerbrat\n";
  vigie::complete_metadata(doc, config);
  CHECK(doc.title == "Conseil communautaire du 27 septembre 2022");
  CHECK(doc.body.starts_with("Conseil communautaire du 27 septembre 2022\n"));

  vigie::SourceDocument commune = doc;
  commune.id = commune.source_path = "val/pv-json/2023-03-14.json";
  commune.organisation = "Commune de Val-d'Aubrac";
  commune.title = "Conseil municipal du 14 mars 2023";
  vigie::complete_metadata(commune, config);
  CHECK(commune.title == "Conseil municipal du 14 mars 2023");
}
