// HtmlExtractor: any charset, visible text only, line structure from blocks,
// and the head's metadata.
#include "extractors/html_extractor.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "test_support.h"
#include "vigie/text_normalization.h"

using namespace std::string_literals;

namespace {

vigie::ExtractOutcome extract_html(const std::string& bytes, vigie::ExtractLimits limits = {}) {
  vigie::HtmlExtractor extractor;
  return extractor.extract({"chemere/html/test.html", bytes, limits});
}

vigie::SourceDocument only_document(const vigie::ExtractOutcome& outcome) {
  CAPTURE(outcome.reason);
  REQUIRE_FALSE(outcome.failure.has_value());
  REQUIRE(outcome.documents.size() == 1);
  return outcome.documents[0];
}

std::string page(const std::string& head, const std::string& body) {
  return "<!DOCTYPE html><html><head>" + head + "</head><body>" + body + "</body></html>";
}

}  // namespace

TEST_CASE("declared_html_charset finds the page's own declaration") {
  struct Case {
    std::string head;
    std::string charset;
  };
  const Case cases[] = {
      {"<meta charset=\"windows-1252\">", "windows-1252"},
      {"<META CHARSET=ISO-8859-15>", "iso-8859-15"},
      {"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"/>",
       "iso-8859-1"},
      {"<?xml version=\"1.0\" encoding='UTF-8'?><html>", "utf-8"},
      {"<html><head><title>charset=koi8-r</title>", ""},  // not in a <meta>
      {"<p>rien</p>", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.head);
    CHECK(vigie::declared_html_charset(c.head) == c.charset);
  }
}

TEST_CASE("pages in legacy charsets come out as UTF-8") {
  struct Case {
    std::string name;
    std::string bytes;
  };
  const std::string cp1252_body =
      "<p>D\xE9lib\xE9ration \x96 l\x92\xE9t\xE9 \x9C"
      "uvre</p>"s;
  const Case cases[] = {
      {"meta charset windows-1252", page("<meta charset=\"windows-1252\">", cp1252_body)},
      {"http-equiv ISO-8859-1 (read as windows-1252)",
       page("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
            cp1252_body)},
      {"no declaration: detected", page("", cp1252_body)},
      {"UTF-8 mislabelled as windows-1252",
       page("<meta charset=\"windows-1252\">", "<p>Délibération – l’été œuvre</p>")},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(only_document(extract_html(c.bytes)).body == "Délibération – l’été œuvre");
  }
}

TEST_CASE("visible text keeps its line structure") {
  struct Case {
    std::string name;
    std::string body;
    std::string text;
  };
  const Case cases[] = {
      {"inline markup joins, blocks break", "<p>Un <b>vote</b> à l’<i>unanimité</i></p><p>Deux</p>",
       "Un vote à l’unanimité\nDeux"},
      {"split inline runs stay one word", "<p><u><b>P</b></u><u><b>résents</b></u><b>: </b></p>",
       "Présents:"},
      {"white space collapses within a line", "<p>  séance \n\t  ordinaire  </p>",
       "séance ordinaire"},
      {"br ends a line, at most one blank line", "a<br>b<br><br><br><br>c", "a\nb\n\nc"},
      {"table cells on their own lines",
       "<table><tr><td>Présents</td><td>16</td></tr><tr><td>Votants</td><td>17</td></tr></table>",
       "Présents\n16\nVotants\n17"},
      {"list items", "<ul><li>budget</li><li>voirie</li></ul>", "budget\nvoirie"},
      {"ordered list numbers shown", "<ol><li>un</li><li>deux</li></ol>", "1. un\n2. deux"},
      {"office civility list: empty li then paragraph",
       "<ol type=\"A\" start=\"13\"><li/><p>Georges LECLEVE, Adjoint</p></ol>",
       "M. Georges LECLEVE, Adjoint"},
      {"roman numbering and value",
       "<ol type=\"i\" start=\"3\"><li>x</li><li value=\"9\">y</li></ol>", "iii. x\nix. y"},
      {"ul inside ol has no numbers", "<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>",
       "1. a\nb\n2. c"},
      {"headings", "<h1>Titre</h1>Texte", "Titre\nTexte"},
      {"script, style, noscript, template and comments dropped",
       "<script>var x = 1;</script><style>p{color:red}</style><noscript>Activez JS</noscript>"
       "<template><p>modèle</p></template><!-- commentaire --><p>Reste</p>",
       "Reste"},
      {"entities decoded, non-breaking space kept",
       "<p>Caf&eacute;&nbsp;: &laquo;&#160;oui&#xA0;&raquo; &amp; co</p>",
       "Café\u00A0: «\u00A0oui\u00A0» & co"},
      {"pre keeps its lines", "<pre>ligne 1\nligne 2</pre>", "ligne 1\nligne 2"},
      {"unknown office elements keep their text",
       "<p>Page <sdfield type=PAGE subtype=RANDOM format=PAGE>121</sdfield></p>", "Page 121"},
      {"unclosed tags recovered", "<p>premier<p>second<div>troisième",
       "premier\nsecond\ntroisième"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(only_document(extract_html(page("", c.body))).body == c.text);
  }
}

TEST_CASE("title from <title>, else the first h1, else the first h2, else the first line") {
  struct Case {
    std::string name;
    std::string html;
    std::string title;
  };
  const Case cases[] = {
      {"title element", page("<title>  Compte   rendu </title>", "<h1>Autre</h1>"), "Compte rendu"},
      {"empty title: h1", page("<title> </title>", "<h2>Deux</h2><h1>Un <b>gras</b></h1>"),
       "Un gras"},
      {"no h1: h2", page("", "<p>x</p><h2>Deux</h2>"), "Deux"},
      {"nothing: first line", page("", "<p>Séance du 7 juillet</p><p>suite</p>"),
       "Séance du 7 juillet"},
      {"svg title ignored", page("", "<svg><title>icône</title></svg><h1>Vrai</h1>"), "Vrai"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    CHECK(only_document(extract_html(c.html)).title == c.title);
  }
}

TEST_CASE("head metadata fills persons, date, extra and url") {
  const std::string html = page(
      "<meta name=\"author\" content=\"Anne  Dupont\">"
      "<meta name=\"changedby\" content=\"_\">"
      "<meta name=\"created\" content=\"2013-01-02T14:36:00\">"
      "<meta name=\"DC.date\" content=\"2012-12-12\">"
      "<meta name=\"description\" content=\"Séance du conseil\">"
      "<link rel=\"canonical\" href=\"https://mairie.example/cm-2012-12-12\">",
      "<p>Texte</p>");
  const vigie::SourceDocument doc = only_document(extract_html(html));
  CHECK(doc.persons == std::vector<std::string>{"Anne Dupont"});
  CHECK(doc.date == vigie::Date{2012, 12, 12});  // DC.date, not the file's "created"
  REQUIRE(doc.extra.size() == 1);
  CHECK(doc.extra[0] == std::pair<std::string, std::string>{"description", "Séance du conseil"});
  CHECK(doc.url == "https://mairie.example/cm-2012-12-12");
  CHECK(doc.format == "html");
  CHECK(doc.id == "chemere/html/test.html");
  CHECK(doc.source_path == "chemere/html/test.html");

  const vigie::SourceDocument office = only_document(extract_html(page(
      "<meta name=\"author\" content=\"_\"><meta name=\"created\" content=\"2012-12-12T13:55:00\">",
      "<p>Texte</p>")));
  CHECK(office.persons.empty());     // "_" is a placeholder
  CHECK_FALSE(office.date.known());  // a file timestamp is not a session date
}

TEST_CASE("pages without text are NoText, binary is Unsupported") {
  CHECK(extract_html("").failure == vigie::ExtractFailure::NoText);
  CHECK(extract_html(page("<title>Vide</title>", "<script>x()</script>  <br>")).failure ==
        vigie::ExtractFailure::NoText);
  CHECK(extract_html("\x89PNG\r\n\x1A\n"s + std::string(200, '\0')).failure ==
        vigie::ExtractFailure::Unsupported);
}

TEST_CASE("max_text_bytes cuts the HTML body") {
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 5;
  vigie::ExtractOutcome outcome = extract_html(page("", "<p>éééééé</p>"), limits);
  const vigie::SourceDocument doc = only_document(outcome);
  CHECK(doc.body == "éé");
  CHECK(outcome.warnings.size() == 1);
}

TEST_CASE("the Chémeré office exports give the session text") {
  const auto path = vigie::test::shared_corpus() / "chemere" / "html" / "CM 7 juillet 2015.html";
  const vigie::SourceDocument doc = only_document(extract_html(vigie::test::read_file(path)));
  CHECK(doc.title == "COMPTE-RENDU");
  CHECK(doc.body.find("CONSEIL MUNICIPAL\nSEANCE DU 7 JUILLET 2015") != std::string::npos);
  CHECK(doc.body.find("Présents:") != std::string::npos);
  CHECK(doc.body.find("L'an deux mil quinze, le sept juillet, à dix-neuf heures trente, le Conseil "
                      "Municipal de la Commune de CHEMERE") != std::string::npos);
  CHECK(doc.body.find("1er juillet 2015") != std::string::npos);
  CHECK(doc.persons == std::vector<std::string>{"CHEMERE"});
}

TEST_CASE("every Chémeré HTML file extracts to clean text") {
  const auto dir = vigie::test::shared_corpus() / "chemere" / "html";
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".html") continue;
    ++files;
    CAPTURE(entry.path().filename().string());
    const vigie::SourceDocument doc =
        only_document(extract_html(vigie::test::read_file(entry.path())));
    CHECK(doc.body.size() > 200);
    CHECK(vigie::is_valid_utf8(doc.body));
    CHECK(vigie::to_nfc(doc.body) == doc.body);
    CHECK(doc.body.find("font-family") == std::string::npos);  // no <style> text
    CHECK(doc.body.find("<p") == std::string::npos);
    CHECK(doc.body.find("&nbsp;") == std::string::npos);
    CHECK(doc.body.find("  ") == std::string::npos);
    CHECK_FALSE(doc.title.empty());
  }
  CHECK(files == 96);
}
