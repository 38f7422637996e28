// The HTML pages end to end: an index built by the real vigie-index over the
// shared press releases and our demo corpus (with its XSS-carrying page),
// the real vigie-server on a free port, configured with those folders as
// indexer.roots so it can serve sources. Pages are checked as HTML text
// (what the browser test cannot cheaply check: headers, escaping, every
// error page); the Atom feed is parsed with Poco's DOM parser.
#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/NodeList.h>
#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "http/http_query.h"
#include "server_test_support.h"

namespace fs = std::filesystem;
using namespace vigie::test;
using vigie::http::percent_encode;

namespace {

const std::string kXssPage =
    "reseau-territoires-connectes/communiques/2024-02-01-cybersecurite-hameconnage.html";
const std::string kPdfWithSpaces = "val-d-aubrac/proces-verbaux/CM 22 septembre 2020.pdf";

// The shipped configuration, with absolute roots and analysis files: the
// server serves /source/ only from indexer.roots.
fs::path write_config(const fs::path& dir) {
  std::string text = read_file(shipped_config());
  auto replace = [&](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw std::runtime_error("config has no " + from);
    text.replace(at, from.size(), to);
  };
  replace("\"roots\": [\"corpus\"]", "\"roots\": [\"" + (source_dir() / "corpus").string() +
                                         "\", \"" + (shared_corpus() / "communiques").string() +
                                         "\"]");
  replace("\"stopwords-fr.txt\"",
          "\"" + (source_dir() / "config" / "stopwords-fr.txt").string() + "\"");
  replace("\"synonyms.txt\"", "\"" + (source_dir() / "config" / "synonyms.txt").string() + "\"");
  write_file(dir / "vigie.json", text);
  return dir / "vigie.json";
}

struct Fixture {
  ScratchDir dir{"vigie-web-pages"};
  std::unique_ptr<ServerProcess> server;
  Fixture() {
    const fs::path config = write_config(dir.path());
    const int rc =
        run_indexer(dir.path() / "index",
                    {shared_corpus() / "communiques", source_dir() / "corpus"}, false, config);
    if (rc != 0) throw std::runtime_error("vigie-index failed with " + std::to_string(rc));
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", config.string(), "--db",
                                 (dir.path() / "index").string(), "--quiet"},
        dir.path() / "server.log");
  }
};

int port() {
  static Fixture fixture;
  return fixture.server->port();
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

void check_html_headers(const HttpReply& r) {
  CHECK(r.header("content-type") == "text/html; charset=utf-8");
  CHECK(r.header("content-security-policy") ==
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'");
  CHECK(r.header("x-content-type-options") == "nosniff");
  CHECK(r.header("x-frame-options") == "DENY");
  CHECK(r.header("referrer-policy") == "same-origin");
  CHECK(contains(r.body, "<html lang=\"fr\">"));
  CHECK(r.body.rfind("<!DOCTYPE html>", 0) == 0);
  // Landmarks and the skip link on every page.
  for (const char* part : {"<header", "<nav", "<main id=\"contenu\"", "<footer",
                           "href=\"#contenu\"", "href=\"/static/vigie.css\""})
    CHECK(contains(r.body, part));
  // No script at all, no external asset.
  CHECK_FALSE(contains(r.body, "<script"));
  CHECK_FALSE(contains(r.body, "src=\"http"));
}

HttpReply page(const std::string& target, int expected = 200) {
  auto r = get(port(), target);
  CAPTURE(target);
  CAPTURE(r.body.substr(0, 400));
  CHECK(r.status == expected);
  check_html_headers(r);
  return r;
}

// The href values of a page, decoded from HTML (&amp; → &).
std::vector<std::string> links(const std::string& html, const std::string& starting_with = "") {
  std::vector<std::string> out;
  static const std::regex href("href=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), href); it != std::sregex_iterator();
       ++it) {
    std::string url = (*it)[1];
    for (std::size_t at; (at = url.find("&amp;")) != std::string::npos;) url.replace(at, 5, "&");
    if (url.rfind(starting_with, 0) == 0) out.push_back(url);
  }
  return out;
}

unsigned api_total(const std::string& query) {
  // As the page asks (10 hits, facets): the estimate depends on how far the
  // matcher looks, which limit=0 and facets=0 both change.
  auto r = parse_json(get(port(), "/api/search?limit=10&extracts=0&" + query).body);
  // {"total": N} or, in the first API, {"total": {"estimate": N, …}}.
  const auto& total = r["total"];
  return total.IsObject() ? total["estimate"].GetUint() : total.GetUint();
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = 0; (at = text.find(part, at)) != std::string::npos; at += part.size()) ++n;
  return n;
}

}  // namespace

TEST_CASE("home: search form with labels, filters, sort, help with clickable examples") {
  auto r = page("/");
  for (const char* part : {"role=\"search\"", "action=\"/recherche\"", "<label for=\"q\">",
                           "name=\"type\"", "name=\"collectivite\"", "name=\"du\"", "name=\"au\"",
                           "name=\"tri\"", "Plus récents d’abord", "Plus anciens d’abord",
                           "Réseau des Territoires Connectés", "id=\"aide\""})
    CHECK(contains(r.body, part));
  const auto examples = links(r.body, "/recherche?q=");
  REQUIRE(examples.size() >= 5);
  for (const auto& example : examples) {
    CAPTURE(example);
    auto results = page(example);
    // Every example finds something in the demo corpus.
    CHECK_FALSE(contains(results.body, "Aucun résultat"));
  }
}

TEST_CASE("results: count, hits, extracts, facets, histogram, pagination, export, Atom link") {
  auto r = page("/recherche?q=num%C3%A9rique");
  const unsigned total = api_total("q=num%C3%A9rique");
  REQUIRE(total > 10);
  CHECK(contains(r.body, std::to_string(total) + " documents</strong>"));
  CHECK(count_of(r.body, "<article class=\"resultat\">") == 10);
  CHECK(contains(r.body, "<mark>num"));
  CHECK(links(r.body, "/document/").size() >= 10);
  // The titles carry the words (the document page highlights them); « aussi
  // en … » and « séance du … » links lead to other documents, plainly.
  std::size_t with_words = 0;
  for (const auto& l : links(r.body, "/document/")) with_words += contains(l, "?q=num%C3%A9rique");
  CHECK(with_words == 10);
  CHECK(contains(r.body, "class=\"badge\">communiqué<"));
  CHECK(contains(r.body, "<time datetime=\"2023-03-14\">14 mars 2023</time>"));
  // Facets add a filter; the histogram's bars and table link to annee=YYYY.
  CHECK_FALSE(links(r.body, "/recherche?q=num%C3%A9rique&type=communique").empty());
  const auto years = links(r.body, "/recherche?q=num%C3%A9rique&annee=");
  CHECK(years.size() >= 2);
  CHECK(contains(r.body, "<svg"));
  CHECK(contains(r.body, "<title>2023 : "));
  // Pagination, export, feed.
  CHECK_FALSE(links(r.body, "/recherche?q=num%C3%A9rique&page=2").empty());
  CHECK(contains(r.body, "rel=\"next\""));
  // Pages: the first, the last, and the current one's neighbours.
  const std::size_t last_page = (total + 9) / 10;
  CHECK_FALSE(
      links(r.body, "/recherche?q=num%C3%A9rique&page=" + std::to_string(last_page)).empty());
  CHECK(contains(r.body, "href=\"/api/export?q=num%C3%A9rique&amp;format=csv\""));
  CHECK(contains(r.body,
                 "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Flux Atom de cette "
                 "recherche\" href=\"/recherche.atom?q=num%C3%A9rique\">"));

  SUBCASE("page 2 shows the next hits, with précédent and the current page marked") {
    auto p2 = page("/recherche?q=num%C3%A9rique&page=2");
    CHECK(contains(p2.body, "<ol class=\"resultats\" start=\"11\">"));
    CHECK(contains(p2.body, "rel=\"prev\""));
    CHECK(contains(p2.body, "‹ Précédent"));
    CHECK(contains(p2.body, "aria-current=\"page\" class=\"courante\">2<"));
    const auto page1 = links(r.body, "/document/");
    const std::set<std::string> first(page1.begin(), page1.end());
    for (const auto& l : links(p2.body, "/document/")) CHECK(first.count(l) == 0);
  }
  SUBCASE("a facet link filters, and the chosen value links to its removal") {
    auto filtered = page("/recherche?q=num%C3%A9rique&type=communique");
    CHECK(contains(filtered.body, std::to_string(api_total("q=num%C3%A9rique&type=communique")) +
                                      " documents</strong>"));
    CHECK(count_of(filtered.body, "class=\"badge\">") ==
          count_of(filtered.body, "class=\"badge\">communiqué<"));
    CHECK(contains(filtered.body, "(retirer ce filtre)"));
    const auto back = links(filtered.body, "/recherche?q=num%C3%A9rique");
    CHECK(std::find(back.begin(), back.end(), "/recherche?q=num%C3%A9rique") != back.end());
  }
  SUBCASE("a histogram bar filters on its year") {
    auto year = page(years.front());
    const std::string y = years.front().substr(years.front().size() - 4);
    CHECK(contains(year.body,
                   std::to_string(api_total("q=num%C3%A9rique&annee=" + y)) + " document"));
    const std::regex datetime("datetime=\"(\\d{4})");
    for (auto it = std::sregex_iterator(year.body.begin(), year.body.end(), datetime);
         it != std::sregex_iterator(); ++it)
      CHECK((*it)[1] == y);
  }
  SUBCASE("sorted newest first") {
    auto newest = page("/recherche?q=num%C3%A9rique&tri=recents");
    std::vector<std::string> dates;
    const std::regex datetime("<time datetime=\"([0-9-]+)\"");
    for (auto it = std::sregex_iterator(newest.body.begin(), newest.body.end(), datetime);
         it != std::sregex_iterator(); ++it)
      dates.push_back((*it)[1]);
    REQUIRE(dates.size() > 3);
    CHECK(std::is_sorted(dates.rbegin(), dates.rend()));
  }
}

TEST_CASE("results: a page past the last says so and links to the last page") {
  const unsigned total = api_total("q=num%C3%A9rique");
  const std::size_t last = (total + 9) / 10;
  REQUIRE(last >= 2);
  auto beyond = page("/recherche?q=num%C3%A9rique&page=" + std::to_string(last + 40));
  CHECK(contains(beyond.body, "Cette page est au-delà des résultats"));
  CHECK(contains(beyond.body, "sur " + std::to_string(last) + " pages."));
  const auto to_last =
      links(beyond.body, "/recherche?q=num%C3%A9rique&page=" + std::to_string(last));
  REQUIRE(to_last.size() == 1);
  auto last_page = page(to_last.front());
  CHECK(count_of(last_page.body, "<article class=\"resultat\">") == total - (last - 1) * 10);
}

TEST_CASE("results: all documents, French count, empty state with a way out") {
  auto all = page("/recherche");
  const unsigned total = api_total("");
  CHECK(contains(all.body, std::to_string(total) + " documents</strong>"));

  auto none = page("/recherche?q=zzzxqwv&type=arrete&annee=2023");
  CHECK(contains(none.body, "Aucun document</strong>"));
  CHECK(contains(none.body, "Aucun résultat"));
  CHECK(contains(none.body, "Retirer le filtre « arrete »"));
  CHECK_FALSE(links(none.body, "/recherche?q=zzzxqwv&annee=2023").empty());
}

TEST_CASE("results: the spelling suggestion is a link") {
  auto r = page("/recherche?q=numeriqeu");
  if (contains(r.body, "Essayez avec : ")) {
    CHECK(contains(r.body, "Essayez avec : <a href=\"/recherche?q="));
  } else {
    MESSAGE("no suggestion for this misspelling in this index");
  }
}

TEST_CASE("results: nothing as typed → the corrected search's results, and a way back") {
  // The test index spells « numérique » 44 times and « numeriqeu » never.
  auto r = page("/recherche?q=numeriqeu");
  CHECK(contains(r.body,
                 "<p class=\"correction\">Résultats pour <strong>numerique</strong> — rechercher "
                 "plutôt <a href=\"/recherche?q=numeriqeu&amp;orthographe=exacte\">numeriqeu</a>"));
  CHECK(contains(r.body, "<article class=\"resultat\">"));
  CHECK_FALSE(contains(r.body, "Aucun résultat"));
  // The search box keeps what was typed; the export finds what the page shows.
  CHECK(contains(r.body, "name=\"q\" type=\"search\" value=\"numeriqeu\""));
  CHECK_FALSE(links(r.body, "/api/export?q=numerique&").empty());
  CHECK_FALSE(links(r.body, "/document/").empty());
  // Every title link carries the corrected words (« aussi en », « séance »
  // links lead to other documents, plainly).
  std::size_t with_words = 0;
  for (const auto& link : links(r.body, "/document/")) {
    CHECK_FALSE(link.ends_with("?q=numeriqeu"));
    with_words += link.ends_with("?q=numerique");
  }
  CHECK(with_words == static_cast<std::size_t>(count_of(r.body, "<article class=\"resultat\">")));

  auto exact = page("/recherche?q=numeriqeu&orthographe=exacte");
  CHECK(contains(exact.body, "Aucun résultat"));
  CHECK(contains(exact.body, "Essayez avec : <a href=\"/recherche?q=numerique"));
  CHECK_FALSE(contains(exact.body, "class=\"correction\""));

  // A collectivité typed as people say it: the index's full name is used.
  auto org = page("/recherche?q=budget&collectivite=Val-d%27Aubrac");
  CHECK(contains(org.body, "Résultats pour la collectivité <strong>Commune de Val-d&#39;Aubrac"));
  CHECK(contains(org.body, "<article class=\"resultat\">"));
  // Words found as typed are not corrected.
  CHECK_FALSE(contains(page("/recherche?q=budget").body, "class=\"correction\""));
}

TEST_CASE("results: every active filter is a chip; no hidden field without its chip") {
  // A click on a histogram bar, as the journalist does.
  auto first = page("/recherche?q=" + percent_encode("numérique"));
  auto bars = links(first.body, "/recherche?q=num%C3%A9rique&annee=");
  REQUIRE_FALSE(bars.empty());
  auto year_page = page(bars.front());
  const std::string year = bars.front().substr(bars.front().size() - 4);
  CHECK(contains(year_page.body, "class=\"puce\">Année : " + year));
  CHECK(contains(year_page.body,
                 "<a href=\"/recherche?q=num%C3%A9rique\" class=\"puce\">Année : " + year));
  CHECK(
      contains(year_page.body,
               "<a href=\"/recherche?q=num%C3%A9rique\" class=\"tout-effacer\">Tout effacer</a>"));
  // The year rides along in the form for the next search — in sight.
  CHECK(contains(year_page.body, "<input type=\"hidden\" value=\"" + year + "\" name=\"annee\">"));

  // Every hidden field of every page's form has its chip.
  for (const std::string& target :
       {bars.front(),
        std::string("/recherche?q=ecole&type=deliberation&type=communique&annee=2020&"
                    "annee=2021&collectivite=A&collectivite=B&du=2019&tri=anciens")}) {
    auto r = page(target);
    static const std::regex hidden("<input type=\"hidden\" value=\"([^\"]*)\" name=\"([a-z]+)\">");
    int count = 0;
    for (auto it = std::sregex_iterator(r.body.begin(), r.body.end(), hidden);
         it != std::sregex_iterator(); ++it, ++count) {
      const std::string value = (*it)[1], name = (*it)[2];
      CAPTURE(name);
      CAPTURE(value);
      const std::string label = name == "annee"  ? "Année : "
                                : name == "type" ? "Type : "
                                                 : "Collectivité : ";
      CHECK(contains(r.body, "class=\"puce\">" + label));
      const std::string shown = value == "communique"     ? "communiqué"
                                : value == "deliberation" ? "délibération"
                                                          : value;
      CHECK(contains(r.body, label + shown + "<span aria-hidden=\"true\"> ×</span>"));
    }
    CHECK(count > 0);
  }
  auto all = page(
      "/recherche?q=ecole&type=deliberation&collectivite=A&du=2019&au=2020&tri=anciens&par_page="
      "20");
  for (const char* chip : {"Type : délibération", "Collectivité : A", "Période : du 2019 au 2020",
                           "Tri : plus anciens d’abord", "20 résultats par page"})
    CHECK(contains(all.body, "class=\"puce\">" + std::string(chip)));
  CHECK(contains(all.body, "<a href=\"/recherche?q=ecole\" class=\"tout-effacer\">"));
  // No filter, no chip.
  CHECK_FALSE(contains(page("/recherche?q=ecole").body, "filtres-actifs"));
}

std::size_t hit_count(const std::string& html) {
  std::size_t hits = 0;
  for (std::size_t at = 0;
       (at = html.find("<article class=\"resultat\">", at)) != std::string::npos; ++at)
    ++hits;
  return hits;
}

TEST_CASE("results: a question lists the documents with some of its words among the results") {
  // « zygomorphe » is in no document: as keywords, the page sets them apart.
  auto keywords = page("/recherche?q=cantine%20zygomorphe");
  CHECK(contains(keywords.body, "contiennent une partie des mots"));
  auto question = page("/recherche?q=combien%20co%C3%BBte%20la%20cantine%20zygomorphe%20%3F");
  CHECK(contains(question.body, "Recherche lue comme une question"));
  CHECK_FALSE(contains(question.body, "contiennent une partie des mots"));
  CHECK(contains(question.body, "<ol class=\"resultats\""));
  const auto json = parse_json(
      get(port(), "/api/search?q=combien%20co%C3%BBte%20la%20cantine%20zygomorphe%20%3F").body);
  CHECK(json["question"].GetBool());
  CHECK(json["total"].GetUint() > 0);
}

TEST_CASE("results: a phrase nothing holds lists the documents with its words apart") {
  // No text says « budget de la cantine »: the page says so, then shows
  // documents with those words elsewhere, in a section of their own.
  auto phrase = page("/recherche?q=%22budget%20de%20la%20cantine%22");
  CHECK(contains(phrase.body, "contiennent ces mots autrement"));
  CHECK(contains(phrase.body, "<ol class=\"resultats autrement\""));
  CHECK(contains(phrase.body, "mots pas comme demandé"));
  CHECK_FALSE(contains(phrase.body, "<ol class=\"resultats\" start="));
  const auto json = parse_json(get(port(), "/api/search?q=%22budget%20de%20la%20cantine%22").body);
  CHECK(json["total"].GetUint() == 0);
  CHECK(json["loosened_total"].GetUint() > 0);
  REQUIRE(json["hits"].Size() > 0);
  CHECK(json["hits"][0]["loosened"].GetBool());
  // A phrase found often enough: no such section.
  CHECK_FALSE(contains(page("/recherche?q=%22conseil%20municipal%22").body, "autrement"));
}

TEST_CASE("results: 10, 20 or 50 per page, kept across pages") {
  auto twenty = page("/recherche?par_page=20");
  CHECK(hit_count(twenty.body) == 20);
  CHECK(contains(twenty.body, "<option value=\"20\" selected=\"\">20</option>"));
  CHECK_FALSE(links(twenty.body, "/recherche?par_page=20&page=2").empty());
  auto second = page("/recherche?par_page=20&page=2");
  CHECK(contains(second.body, "<ol class=\"resultats\" start=\"21\">"));
  CHECK(hit_count(page("/recherche?per_page=50").body) == 50);
}

TEST_CASE("advanced search: the form, its query in the search box, hostile values never 5xx") {
  auto form = page("/recherche-avancee");
  for (const char* label :
       {"tous ces mots", "cette expression", "l’un de ces mots", "aucun de ces mots",
        "dans le titre", "personne citée", "numéro de l’acte", "Type de document"})
    CHECK(contains(form.body, label));
  CHECK(contains(form.body, "action=\"/recherche-avancee\" method=\"get\""));
  CHECK_FALSE(links(page("/").body, "/recherche-avancee").empty());

  auto sent =
      get(port(), "/recherche-avancee?tous=budget&expression=" + percent_encode("salle des fêtes") +
                      "&un_de=&aucun=vente&titre=&personne=&numero=&type=deliberation&du=2015&au=");
  CHECK(sent.status == 303);
  const std::string location = sent.header("location");
  CHECK(location ==
        "/recherche?q=budget%20%22salle%20des%20f%C3%AAtes%22%20-vente&type=deliberation&du=2015");
  auto results = page(location);
  CHECK(contains(results.body, "value=\"budget &quot;salle des fêtes&quot; -vente\""));
  CHECK(contains(results.body, "class=\"puce\">Type : délibération"));

  // Whatever the fields hold, the query they give parses: 303 then 200.
  const std::string hostile[] = {
      "tous=%22%22%22",
      "tous=(((",
      "tous=)%20OR%20(",
      "expression=%22%3Cscript%3Ealert(1)%3C%2Fscript%3E",
      "un_de=OR%20OR%20OR",
      "aucun=-",
      "titre=titre%3Atitre%3A",
      "personne=%22)%20OR%20(%22",
      "numero=*%3A*",
      "tous=NEAR%2F999%20PROCHE%2F-1",
      "tous=%C3%28",
      "tous=%00%01",
      "tous=" + std::string(900, 'a'),
      "expression=%C2%AB%C2%BB%E2%80%9C%E2%80%9D",
  };
  for (const auto& query : hostile) {
    CAPTURE(query);
    auto r = get(port(), "/recherche-avancee?" + query);
    CHECK(r.status < 500);
    if (r.status == 303) CHECK(get(port(), r.header("location")).status == 200);
  }
  // Too long, or a bad period: a French 400.
  const std::pair<std::string, const char*> refused[] = {
      {"tous=" + std::string(1200, 'a'), "trop long"},
      {"tous=a&du=2020&au=2010", "Période impossible"},
      {"tous=a&type=bogus", "Type de document inconnu"},
  };
  for (const auto& [query, message] : refused) {
    CAPTURE(query);
    auto r = get(port(), "/recherche-avancee?" + query);
    if (r.status == 303) r = get(port(), r.header("location"));
    CHECK(r.status == 400);
    CHECK(contains(r.body, message));
  }
}

TEST_CASE(
    "document page: metadata, highlighted text, first-match link, source, similar, citation") {
  const std::string url = "/document/" + percent_encode(kXssPage);
  auto r = page(url + "?q=script%20courriel");
  CHECK(contains(r.body, "<h1 id=\"titre-document\">Cybersécurité : attention aux faux courriels"));
  CHECK(contains(r.body, "<dt>Type</dt><dd>communiqué</dd>"));
  CHECK(contains(r.body, "1er février 2024"));
  CHECK(contains(r.body, "<mark id=\"premier-resultat\">"));
  CHECK(contains(r.body, "href=\"#premier-resultat\""));
  // The payload the page quotes is text, never markup.
  CHECK(contains(r.body, "&lt;<mark>script</mark>&gt;alert(&quot;vigie&quot;)"));
  CHECK_FALSE(contains(r.body, "<script"));
  CHECK(contains(r.body, "href=\"/source/" + percent_encode(kXssPage) + "\""));
  CHECK(contains(r.body, "Documents similaires"));
  CHECK(links(r.body, "/document/").size() >= 2);
  CHECK(contains(r.body, "Citer ce document"));
  CHECK(contains(r.body, "http://127.0.0.1:" + std::to_string(port()) + url));

  SUBCASE("ids with spaces, '#' and accents") {
    auto pdf = page("/document/" + percent_encode(kPdfWithSpaces));
    CHECK(contains(pdf.body, "CM 22 septembre 2020.pdf"));
    auto search =
        parse_json(get(port(), "/api/search?limit=100&facets=0&extracts=0&type=deliberation").body);
    std::string fragment;
    for (const auto& hit : search["hits"].GetArray())
      if (std::string id = hit["id"].GetString(); id.find('#') != std::string::npos) fragment = id;
    REQUIRE_FALSE(fragment.empty());
    page("/document/" + percent_encode(fragment));
  }
  SUBCASE("without a query: plain text, no highlight") {
    auto plain = page(url);
    CHECK_FALSE(contains(plain.body, "<mark"));
    CHECK(contains(plain.body, "&lt;script&gt;alert(&quot;vigie&quot;)&lt;/script&gt;"));
  }
}

TEST_CASE("a PDF's pages: « p. N » beside the extract opens the PDF there; page breaks shown") {
  const std::string source = "/source/" + percent_encode(kPdfWithSpaces);
  auto r = page("/recherche?q=%22radar+p%C3%A9dagogique%22");
  CHECK(contains(r.body, "<a class=\"page\" href=\"" + source + "#page=2\">p. 2</a>"));
  auto api = parse_json(get(port(), "/api/search?q=%22radar+p%C3%A9dagogique%22").body);
  REQUIRE(api["hits"].Size() >= 1);
  CHECK(api["hits"][0]["page"].GetInt() == 2);
  // A hit that is not in a PDF has no page.
  auto other =
      parse_json(get(port(), "/api/search?q=cybers%C3%A9curit%C3%A9+hame%C3%A7onnage").body);
  REQUIRE(other["hits"].Size() >= 1);
  CHECK_FALSE(other["hits"][0].HasMember("page"));

  // The document page marks where page 2 starts, linked to the PDF at that
  // page, highlighted or not.
  for (const std::string& query : {std::string(), std::string("?q=radar")}) {
    CAPTURE(query);
    auto doc = page("/document/" + percent_encode(kPdfWithSpaces) + query);
    CHECK(contains(doc.body, "<span class=\"saut-de-page\" id=\"page-2\"><a href=\"" + source +
                                 "#page=2\">— page 2 —</a></span>"));
    CHECK(count_of(doc.body, "class=\"saut-de-page\"") == 1);
    CHECK_FALSE(contains(doc.body, "\f"));
  }
}

TEST_CASE("source files: served read-only from the roots, HTML never as HTML, no traversal") {
  auto html = get(port(), "/source/" + percent_encode(kXssPage));
  CHECK(html.status == 200);
  CHECK(html.header("content-type") == "text/plain; charset=utf-8");
  CHECK(html.header("content-security-policy") == "default-src 'none'; sandbox");
  CHECK(html.header("x-content-type-options") == "nosniff");
  CHECK(html.body == read_file(source_dir() / "corpus" / kXssPage));

  auto pdf = get(port(), "/source/" + percent_encode(kPdfWithSpaces));
  CHECK(pdf.status == 200);
  CHECK(pdf.header("content-type") == "application/pdf");
  CHECK(pdf.body.rfind("%PDF", 0) == 0);
  CHECK(contains(pdf.header("content-disposition"),
                 "filename*=UTF-8''CM%2022%20septembre%202020.pdf"));

  const std::pair<const char*, int> attempts[] = {
      {"/source/..%2F..%2Fetc%2Fpasswd", 404},
      {"/source/../../etc/passwd", 404},
      {"/source/%2Fetc%2Fpasswd", 404},
      {"/source/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", 404},
      {"/source/val-d-aubrac%2F..%2F..%2F..%2Fetc%2Fpasswd", 404},
      {"/source/%ZZ", 400},
  };
  for (const auto& [target, status] : attempts) {
    CAPTURE(target);
    auto r = get(port(), target);
    CHECK(r.status == status);
    CHECK_FALSE(contains(r.body, "root:"));
    CHECK(contains(r.body, "lang=\"fr\""));
  }
}

TEST_CASE("Atom feed: valid XML, feed metadata, entries newest first") {
  auto r = get(port(), "/recherche.atom?q=num%C3%A9rique");
  CHECK(r.status == 200);
  CHECK(r.header("content-type") == "application/atom+xml; charset=utf-8");
  Poco::XML::DOMParser parser;
  Poco::AutoPtr<Poco::XML::Document> doc;
  REQUIRE_NOTHROW(doc = parser.parseString(r.body));
  auto* feed = doc->documentElement();
  REQUIRE(feed);
  CHECK(feed->localName() == "feed");
  CHECK(feed->namespaceURI() == "http://www.w3.org/2005/Atom");
  auto child_text = [](Poco::XML::Element* e, const std::string& name) {
    auto* c = e->getChildElement(name);
    return c ? c->innerText() : std::string("<missing>");
  };
  CHECK(child_text(feed, "id").rfind("tag:", 0) == 0);
  CHECK(contains(child_text(feed, "title"), "numérique"));
  bool self = false;
  Poco::AutoPtr<Poco::XML::NodeList> feed_links = feed->getElementsByTagName("link");
  for (unsigned long i = 0; i < feed_links->length(); ++i) {
    auto* l = static_cast<Poco::XML::Element*>(feed_links->item(i));
    if (l->parentNode() == feed && l->getAttribute("rel") == "self") {
      self = true;
      CHECK(l->getAttribute("href") ==
            "http://127.0.0.1:" + std::to_string(port()) + "/recherche.atom?q=num%C3%A9rique");
    }
  }
  CHECK(self);

  Poco::AutoPtr<Poco::XML::NodeList> entries = feed->getElementsByTagName("entry");
  REQUIRE(entries->length() > 5);
  std::vector<std::string> updated;
  std::set<std::string> ids;
  for (unsigned long i = 0; i < entries->length(); ++i) {
    auto* e = static_cast<Poco::XML::Element*>(entries->item(i));
    const std::string id = child_text(e, "id");
    CHECK(id.rfind("tag:", 0) == 0);
    ids.insert(id);
    CHECK(child_text(e, "title") != "<missing>");
    updated.push_back(child_text(e, "updated"));
    CHECK(std::regex_match(updated.back(), std::regex("\\d{4}-\\d\\d-\\d\\dT00:00:00Z")));
    auto* link = e->getChildElement("link");
    REQUIRE(link);
    CHECK(link->getAttribute("href").rfind(
              "http://127.0.0.1:" + std::to_string(port()) + "/document/", 0) == 0);
    auto* summary = e->getChildElement("summary");
    if (summary) {
      CHECK(summary->getAttribute("type") == "text");
      CHECK_FALSE(contains(summary->innerText(), "<mark>"));
    }
  }
  CHECK(ids.size() == entries->length());
  CHECK(std::is_sorted(updated.rbegin(), updated.rend()));
  CHECK(child_text(feed, "updated") == updated.front());
  // The XSS page's title and extract are text in the feed too.
  auto cyber = get(port(), "/recherche.atom?q=hame%C3%A7onnage");
  Poco::AutoPtr<Poco::XML::Document> cyber_doc;
  CHECK_NOTHROW(cyber_doc = parser.parseString(cyber.body));
}

TEST_CASE("CSV export from the results page's link opens with the right rows") {
  auto r = page("/recherche?type=communique");
  const auto exports = links(r.body, "/api/export?");
  REQUIRE(exports.size() == 1);
  auto csv = get(port(), exports.front());
  CHECK(csv.status == 200);
  CHECK(csv.header("content-type") == "text/csv; charset=utf-8");
  REQUIRE(csv.body.rfind(
              "\xEF\xBB\xBF"
              "id,title,type,date,organisation,url,score,page_url,number,persons,also,vote,pour,"
              "contre,abstention,largest_amount,amounts,legal_references,cited_numbers\r\n",
              0) == 0);
  unsigned records = 0;
  bool quoted = false;
  for (std::size_t i = 3; i < csv.body.size(); ++i) {
    if (csv.body[i] == '"') quoted = !quoted;
    if (!quoted && csv.body[i] == '\n') ++records;
  }
  CHECK(records == api_total("type=communique") + 1);
  CHECK(contains(csv.body, kXssPage));
}

TEST_CASE("error pages in French: 400 says what to fix, 404 for unknown pages and documents") {
  struct Row {
    std::string target;
    int status;
    const char* message;
  };
  const Row rows[] = {
      {"/recherche?tri=hasard", 400, "Tri inconnu : « hasard »"},
      {"/recherche?page=0", 400, "« page » doit être un entier"},
      {"/recherche?du=2020-13-01", 400, "« du » doit être une date"},
      {"/recherche?q=ecole&du=2013&au=2010", 400,
       "Période impossible : le début (2013) est après la fin (2010)"},
      {"/recherche?type=bogus", 400, "Type de document inconnu"},
      {"/recherche?par_page=1000", 400, "Valeurs possibles : 10, 20 ou 50"},
      {"/recherche?par_page=-5", 400, "Valeurs possibles : 10, 20 ou 50"},
      {"/recherche?orthographe=hasard", 400, "Valeurs possibles : exacte"},
      {"/recherche?q=" + std::string(4200, 'a'), 400, "Requête trop longue"},
      {"/nulle-part", 404, "Il n’y a pas de page à cette adresse"},
      {"/document/" + percent_encode("nulle/part.pdf"), 404, "Aucun document n’a l’identifiant"},
      {"/static/inconnu.css", 404, "Il n’y a pas de page à cette adresse"},
      {"/static/..%2Fweb_home.cpp", 404, "Il n’y a pas de page"},
  };
  for (const auto& row : rows) {
    auto r = page(row.target, row.status);
    CAPTURE(row.target);
    CHECK(contains(r.body, row.message));
    CHECK(contains(r.body, "<meta name=\"robots\" content=\"noindex\">"));
  }
  // A malformed escape is refused by the server's request boundary before
  // any route runs: still a 400 with a French message, but in JSON.
  auto escape = get(port(), "/recherche?q=%ZZ");
  CHECK(escape.status == 400);
  CHECK(contains(escape.body, "mal encodé"));
  // The too-long query comes back in the form, to be fixed in place.
  CHECK(contains(get(port(), "/recherche?q=" + std::string(4200, 'a')).body, "role=\"search\""));
  // The API keeps its JSON errors.
  auto api = get(port(), "/api/nope");
  CHECK(api.status == 404);
  CHECK(api.header("content-type") == "application/json; charset=utf-8");
  CHECK(get(port(), "/api/search?tri=x&sort=bogus").header("content-type") ==
        "application/json; charset=utf-8");
}

TEST_CASE("503 page in French while there is no index") {
  ScratchDir dir("vigie-web-noindex");
  fs::create_directories(dir.path() / "index");
  ServerProcess server(
      {"--config", shipped_config().string(), "--db", (dir.path() / "index").string(), "--quiet"},
      dir.path() / "server.log");
  for (const char* target : {"/", "/recherche?q=budget", "/document/x", "/recherche.atom?q=x"}) {
    CAPTURE(target);
    auto r = get(server.port(), target);
    CHECK(r.status == 503);
    CHECK(r.header("retry-after") == "5");
    check_html_headers(r);
    CHECK(contains(r.body, "Index en cours de reconstruction"));
  }
}

TEST_CASE("static assets: stylesheet and favicon, from the server") {
  auto css = get(port(), "/static/vigie.css");
  CHECK(css.status == 200);
  CHECK(css.header("content-type") == "text/css; charset=utf-8");
  CHECK(contains(css.body, "@media"));
  CHECK(contains(css.body, ":focus-visible"));
  auto icon = get(port(), "/static/favicon.svg");
  CHECK(icon.status == 200);
  CHECK(icon.header("content-type") == "image/svg+xml");
  CHECK(http(port(), "HEAD", "/").status == 200);
}

TEST_CASE(
    "--static DIR serves the stylesheet of another folder; a missing folder is a usage error") {
  ScratchDir dir("vigie-web-static");
  vigie::test::write_file(dir.path() / "theme" / "vigie.css", "body { color: #123456; }\n");
  vigie::test::write_file(dir.path() / "theme" / "favicon.svg",
                          "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
  fs::create_directories(dir.path() / "index");  // no index yet: the assets are served all the same
  ServerProcess server(
      {"--config", shipped_config().string(), "--db", (dir.path() / "index").string(), "--static",
       (dir.path() / "theme").string(), "--quiet"},
      dir.path() / "server.log");
  auto css = get(server.port(), "/static/vigie.css");
  CHECK(css.status == 200);
  CHECK(contains(css.body, "#123456"));
  const pid_t refused = vigie::test::spawn_program(
      {vigie::test::vigie_server_program().string(), "--static", (dir.path() / "absent").string()},
      -1, dir.path() / "refused.log");
  CHECK(vigie::test::wait_exit(refused) == 2);
}
