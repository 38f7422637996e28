// Highlighter: matches marked on the analyzer's offsets (elided, folded,
// unaccented, inflected words), everything else escaped.
#include "search/highlighter.h"

#include <doctest/doctest.h>

namespace {

std::vector<vigie::HighlightTerm> terms_of(const std::string& words) {
  vigie::FrenchAnalyzer analyzer;
  std::vector<vigie::HighlightTerm> terms;
  for (const auto& t : analyzer.analyze(words))
    if (!t.alternative) terms.push_back({t.exact, t.stem});
  return terms;
}

std::string mark(const std::string& query, const std::string& text) {
  vigie::FrenchAnalyzer analyzer;
  vigie::Highlighter h(terms_of(query));
  return h.mark_all(analyzer, text);
}

}  // namespace

TEST_CASE("matches are marked on the original words, whatever the form typed") {
  struct Row {
    const char* query;
    const char* text;
    const char* expected;
  };
  const Row rows[] = {
      {"intelligence", "L’intelligence artificielle",
       "L’<mark id=\"premier-resultat\">intelligence</mark> artificielle"},
      {"deliberation", "DÉLIBÉRATION n° 12",
       "<mark id=\"premier-resultat\">DÉLIBÉRATION</mark> n° 12"},
      {"collectivités", "une collectivité",
       "une <mark id=\"premier-resultat\">collectivité</mark>"},
      {"coeur", "au cœur du bourg", "au <mark id=\"premier-resultat\">cœur</mark> du bourg"},
      {"président", "le Vice-président", "le Vice-<mark id=\"premier-resultat\">président</mark>"},
      {"budget", "Budget et budgets",
       "<mark id=\"premier-resultat\">Budget</mark> et <mark>budgets</mark>"},
      {"absent", "rien ici", "rien ici"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.query);
    CHECK(mark(row.query, row.text) == row.expected);
  }
}

TEST_CASE("text is escaped: a script in a document is shown, never run") {
  const std::string out = mark("bonjour", "<script>alert(\"x\")</script> bonjour & 'fin'");
  CHECK(out.find("<script>") == std::string::npos);
  CHECK(out.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") != std::string::npos);
  CHECK(out.find("<mark id=\"premier-resultat\">bonjour</mark> &amp; &#39;fin&#39;") !=
        std::string::npos);
  CHECK(vigie::html_escape(std::string("a\xff<b")) == "a\xEF\xBF\xBD&lt;b");
}

TEST_CASE("extracts: the window with the most query words, cut at word boundaries") {
  vigie::FrenchAnalyzer analyzer;
  std::string text;
  for (int i = 0; i < 40; ++i) text += "Lorem ipsum dolor sit amet. ";
  text += "Le conseil municipal vote le budget de la médiathèque. ";
  for (int i = 0; i < 40; ++i) text += "Consectetur adipiscing elit. ";
  vigie::Highlighter h(terms_of("budget médiathèque"));
  const std::string extract = h.extract(analyzer, text, 120);
  CHECK(extract.find("<mark>budget</mark>") != std::string::npos);
  CHECK(extract.find("<mark>médiathèque</mark>") != std::string::npos);
  CHECK(extract.starts_with("… "));
  CHECK(extract.ends_with(" …"));
  CHECK(extract.size() < 400);

  vigie::Highlighter none(terms_of("absent"));
  CHECK(none.extract(analyzer, "Court texte.", 120) == "Court texte.");
}

TEST_CASE(
    "long texts: the extract is placed on their first 64 KB, read by parts, words across a part's "
    "edge found") {
  vigie::FrenchAnalyzer analyzer;
  // Filler of 1,000 bytes a line, accented (folding shortens it).
  std::string line;
  while (line.size() < 990) line += "Délibéré à Chémeré ";
  line += "\n";
  vigie::Highlighter h(terms_of("budget médiathèque"));
  for (std::size_t edge : {16 * 1024, 32 * 1024, 48 * 1024}) {
    for (int shift = -12; shift <= 4; shift += 4) {
      CAPTURE(edge);
      CAPTURE(shift);
      // « budget de la médiathèque » straddling or near a part's edge,
      // the only passage with both words; « budget » alone at the start.
      std::string text = "Le budget annexe. ";
      while (text.size() + line.size() < edge + shift) text += line;
      while (text.size() < edge + shift) text += ' ';
      text += "budget de la médiathèque ";
      for (int i = 0; i < 40; ++i) text += line;
      const std::string extract = h.extract(analyzer, text, 120);
      CHECK(extract.find("<mark>médiathèque</mark>") != std::string::npos);
    }
  }
  // Every word in the first part: the rest is not read (a passage beyond,
  // with more of the words, does not move the extract).
  std::string text = "Le budget de la médiathèque. ";
  for (int i = 0; i < 30; ++i) text += line;
  text += "budget médiathèque budget médiathèque budget médiathèque ";
  const std::string extract = h.extract(analyzer, text, 120);
  CHECK(extract.starts_with("Le <mark>budget</mark>"));
  // Beyond 64 KB nothing is read: the extract is the text's start.
  std::string far = "Début du compte rendu. ";
  for (int i = 0; i < 70; ++i) far += line;
  far += "budget de la médiathèque ";
  CHECK(h.extract(analyzer, far, 120).starts_with("Début du compte rendu."));
}
