// MarkdownExtractor: front matter → metadata, Markdown → plain text, and a
// title that says what the document is about.
#include "extractors/markdown_extractor.h"

#include <doctest/doctest.h>

#include <string>

#include "test_support.h"
#include "vigie/text_normalization.h"

using namespace std::string_literals;

namespace {

vigie::ExtractOutcome extract_markdown(const std::string& bytes, vigie::ExtractLimits limits = {}) {
  vigie::MarkdownExtractor extractor;
  return extractor.extract({"communiques/test.md", bytes, limits});
}

vigie::SourceDocument only_document(const vigie::ExtractOutcome& outcome) {
  REQUIRE_FALSE(outcome.failure.has_value());
  REQUIRE(outcome.documents.size() == 1);
  return outcome.documents[0];
}

}  // namespace

TEST_CASE("Markdown syntax becomes plain text") {
  struct Case {
    std::string name;
    std::string markdown;
    std::string body;
  };
  const Case cases[] = {
      {"emphasis and bold", "Un **vote** à *l’unanimité*.", "Un vote à l’unanimité."},
      {"link keeps its text, not its URL", "Voir [le manifeste](https://example.org/m).",
       "Voir le manifeste."},
      {"mailto link", "[a@b.fr](mailto:a@b.fr)", "a@b.fr"},
      {"inline HTML tags dropped", "le 3<sup>e</sup> baromètre", "le 3e baromètre"},
      {"heading then paragraph", "## Ordre du jour\n\nBudget", "Ordre du jour\n\nBudget"},
      {"tight list items on lines", "- budget\n- voirie\n- école", "budget\nvoirie\nécole"},
      {"soft breaks joined", "une ligne\ncoupée", "une ligne coupée"},
      {"code kept", "Article `L. 2121-8` du CGCT", "Article L. 2121-8 du CGCT"},
      {"image alt text kept", "![Logo de la mairie](logo.png)", "Logo de la mairie"},
      {"entities decoded", "Caf&eacute; &amp; th&eacute;", "Café & thé"},
      {"quote markers dropped", "> « Nous attendons un engagement »",
       "« Nous attendons un engagement »"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(only_document(extract_markdown(c.markdown)).body == c.body);
  }
}

TEST_CASE("the title comes from front matter, then a non-generic heading, then the first line") {
  struct Case {
    std::string name;
    std::string markdown;
    std::string title;
  };
  const Case cases[] = {
      {"front matter wins", "---\ntitle: \"Le vrai titre\"\n---\n# Un titre\n\nTexte",
       "Le vrai titre"},
      {"first heading, emphasis stripped", "Intro\n\n## **Budget** _2023_\n\nTexte", "Budget 2023"},
      {"generic first heading is skipped", "## Communiqué de presse\n\n### Forum 2023\n\nTexte",
       "Forum 2023"},
      {"generic heading alone is kept", "# Communiqué de presse :\n\nTexte",
       "Communiqué de presse :"},
      {"setext heading", "Séance du 12 mai\n================\n\nTexte", "Séance du 12 mai"},
      {"no heading: first line", "\n\nPremière ligne *utile*\nsuite\n\nAutre",
       "Première ligne utile suite"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(only_document(extract_markdown(c.markdown)).title == c.title);
  }
}

TEST_CASE("front matter fields fill the document") {
  const std::string markdown =
      "---\n"
      "title: Forum des Interconnectés\n"
      "date: 2023-03-24\n"
      "type: Communiqué\n"
      "collectivité: Les Interconnectés\n"
      "authors:\n"
      "  - Jacques Oberti\n"
      "  - 'Francky Trichet'\n"
      "lieu: Toulouse\n"
      "url: https://example.org/forum\n"
      "tags: [numérique, \"IA, données\"]\n"
      "---\n"
      "Le Forum s'est tenu à Toulouse.\n";
  const vigie::SourceDocument doc = only_document(extract_markdown(markdown));
  CHECK(doc.title == "Forum des Interconnectés");
  CHECK(doc.date == vigie::Date{2023, 3, 24});
  REQUIRE(doc.type.has_value());
  CHECK(*doc.type == vigie::DocType::Communique);
  CHECK(doc.organisation == "Les Interconnectés");
  CHECK(doc.persons == std::vector<std::string>{"Jacques Oberti", "Francky Trichet"});
  CHECK(doc.place == "Toulouse");
  CHECK(doc.url == "https://example.org/forum");
  REQUIRE(doc.extra.size() == 1);
  CHECK(doc.extra[0].first == "tags");
  CHECK(doc.extra[0].second == "numérique, IA, données");
  CHECK(doc.body == "Le Forum s'est tenu à Toulouse.");
  CHECK(doc.format == "markdown");
  CHECK(doc.id == "communiques/test.md");
}

TEST_CASE("front matter variants and bad values") {
  SUBCASE("inline author list and organization alias") {
    const vigie::SourceDocument doc = only_document(extract_markdown(
        "---\nauthors: [Anne Dupont, Luc Martin]\norganization: Mairie\n---\nTexte"));
    CHECK(doc.persons == std::vector<std::string>{"Anne Dupont", "Luc Martin"});
    CHECK(doc.organisation == "Mairie");
  }
  SUBCASE("a single author string and a timestamp date") {
    const auto& doc = only_document(
        extract_markdown("---\nauthors: Anne Dupont\ndate: 2011-03-01T18:30:00\n---\nT"));
    CHECK(doc.persons == std::vector<std::string>{"Anne Dupont"});
    CHECK(doc.date == vigie::Date{2011, 3, 1});
  }
  SUBCASE("bad date and unknown type are warnings, not failures") {
    vigie::ExtractOutcome outcome =
        extract_markdown("---\ndate: 31/02/2011\ntype: recette\n---\nTexte");
    const vigie::SourceDocument doc = only_document(outcome);
    CHECK_FALSE(doc.date.known());
    CHECK_FALSE(doc.type.has_value());
    CHECK(outcome.warnings.size() == 2);
  }
  SUBCASE("a leading thematic break is not front matter") {
    const vigie::SourceDocument doc =
        only_document(extract_markdown("---\nUn texte\n\n---\nSuite"));
    CHECK(doc.body.find("Un texte") != std::string::npos);
    CHECK(doc.body.find("Suite") != std::string::npos);
  }
}

TEST_CASE("empty Markdown is NoText, binary is Unsupported") {
  CHECK(extract_markdown("").failure == vigie::ExtractFailure::NoText);
  CHECK(extract_markdown("---\ntitle: Rien\n---\n\n").failure == vigie::ExtractFailure::NoText);
  CHECK(extract_markdown("  \n\n***\n").failure == vigie::ExtractFailure::NoText);
  CHECK(extract_markdown(std::string(300, '\0')).failure == vigie::ExtractFailure::Unsupported);
}

TEST_CASE("windows-1252 Markdown is decoded") {
  const vigie::SourceDocument doc =
      only_document(extract_markdown("# S\xE9"
                                     "ance\n\nL\x92\x9C"
                                     "uvre"s));
  CHECK(doc.title == "Séance");
  CHECK(doc.body == "Séance\n\nL’œuvre");
}

TEST_CASE("max_text_bytes cuts the Markdown body") {
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 8;
  vigie::ExtractOutcome outcome = extract_markdown("# Élu\n\nDélibéré", limits);
  const vigie::SourceDocument doc = only_document(outcome);
  CHECK(doc.body.size() <= 8);
  CHECK(vigie::is_valid_utf8(doc.body));
  CHECK(outcome.warnings.size() == 1);
}

TEST_CASE("the Interconnectés press release extracts cleanly") {
  const auto path = vigie::test::shared_corpus() / "communiques" / "interconnectes-forum-2023.md";
  const std::string bytes = vigie::test::read_file(path);
  vigie::MarkdownExtractor extractor;
  vigie::ExtractOutcome outcome =
      extractor.extract({"communiques/interconnectes-forum-2023.md", bytes, {}});
  const vigie::SourceDocument doc = only_document(outcome);
  CHECK(doc.title.starts_with("Forum des Interconnectés : les collectivités réaffirment"));
  CHECK(doc.title.find("**") == std::string::npos);
  CHECK(doc.body.find("**") == std::string::npos);
  CHECK(doc.body.find("](") == std::string::npos);
  CHECK(doc.body.find("<sup>") == std::string::npos);
  CHECK(doc.body.find("###") == std::string::npos);
  CHECK(doc.body.starts_with("Communiqué de presse\n\nForum des Interconnectés"));
  CHECK(doc.body.find("3e Baromètre de la maturité des territoires") != std::string::npos);
  CHECK(doc.body.find("« Pour des territoires numériques responsables »") != std::string::npos);
  CHECK(doc.body.find("ccolucci@interconnectes.com") != std::string::npos);
  CHECK(doc.body.find("mailto:") == std::string::npos);
  CHECK(doc.body.find("« Technologies et territoires, les nouveaux défis »") != std::string::npos);
  CHECK(vigie::to_nfc(doc.body) == doc.body);
}
