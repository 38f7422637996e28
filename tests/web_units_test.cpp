// The web pages' building blocks, without a server: the HTML builder escapes
// everything it is given and refuses dangerous URLs; French dates and counts;
// WebQuery permalinks; SourceRoots never leaves a root (.., absolute paths,
// symbolic links).
#include <doctest/doctest.h>

#include <filesystem>

#include "http/http_error.h"
#include "test_support.h"
#include "web/html_builder.h"
#include "web/web_advanced_search.h"
#include "web/web_filter_chips.h"
#include "web/web_format.h"
#include "web/web_query.h"
#include "web/web_source.h"

namespace fs = std::filesystem;
using vigie::html::Node;

TEST_CASE("html builder: text and attribute values are escaped, raw_trusted is not") {
  Node p("p", {{"title", "\"><script>alert(1)</script>"}});
  p.add_text("<script>alert('x') & co</script>");
  p.add(Node::raw_trusted("<mark>ok</mark>"));
  const std::string html = p.render_html();
  CHECK(
      html ==
      "<p "
      "title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;script&gt;alert(&#39;x&#39;) "
      "&amp; co&lt;/script&gt;<mark>ok</mark></p>");
}

TEST_CASE("html builder: void elements, fragments, XML mode") {
  Node head("head");
  head.add(Node("meta", {{"charset", "utf-8"}}));
  CHECK(head.render_html() == "<head><meta charset=\"utf-8\"></head>");
  CHECK_THROWS(Node("br").add_text("x"));
  Node list("ul");
  Node items = Node::fragment();
  items.add(vigie::html::element_with_text("li", "a"));
  items.add(vigie::html::element_with_text("li", "b"));
  list.add(std::move(items));
  CHECK(list.render_html() == "<ul><li>a</li><li>b</li></ul>");
  Node feed("feed");
  feed.add(Node("link", {{"href", "https://x.example/"}}));
  CHECK(feed.render_xml() == "<feed><link href=\"https://x.example/\"/></feed>");
  Node select("option");
  select.flag("selected");
  CHECK(select.render_html() == "<option selected=\"\"></option>");
}

TEST_CASE("html builder: URL attributes accept only relative, http(s) and mailto") {
  struct Row {
    const char* url;
    const char* rendered;
  };
  const Row rows[] = {
      {"/recherche?q=a", "/recherche?q=a"},
      {"?page=2", "?page=2"},
      {"#premier-resultat", "#premier-resultat"},
      {"https://example.org/x", "https://example.org/x"},
      {"HTTP://EXAMPLE.ORG", "HTTP://EXAMPLE.ORG"},
      {"mailto:presse@example.org", "mailto:presse@example.org"},
      {"javascript:alert(1)", "#"},
      {"JaVaScRiPt:alert(1)", "#"},
      {" javascript:alert(1)", "#"},
      {"java\tscript:alert(1)", "#"},
      {"data:text/html,<script>alert(1)</script>", "#"},
      {"vbscript:msgbox", "#"},
      {"//evil.example/", "#"},
      {"", "#"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.url);
    CHECK(vigie::html::safe_url(row.url) == row.rendered);
    Node a("a", {{"href", row.url}});
    CHECK(a.render_html().find(std::string("href=\"") + row.rendered + "\"") != std::string::npos);
  }
}

TEST_CASE("French dates, numbers and counts") {
  using vigie::web::french_date;
  CHECK(french_date("2010-06-22") == "22 juin 2010");
  CHECK(french_date("2024-02-01") == "1er février 2024");
  CHECK(french_date("2010-06") == "juin 2010");
  CHECK(french_date("2010") == "2010");
  CHECK(french_date("2023-08-15") == "15 août 2023");
  CHECK(french_date("") == "");
  CHECK(french_date("n'importe quoi") == "n'importe quoi");
  CHECK(vigie::web::french_number(1234) == "1\u202F234");
  CHECK(vigie::web::french_number(1234567) == "1\u202F234\u202F567");
  CHECK(vigie::web::french_number(999) == "999");
  CHECK(vigie::web::document_count(0) == "aucun document");
  CHECK(vigie::web::document_count(1) == "1 document");
  CHECK(vigie::web::document_count(1234) == "1\u202F234 documents");
  CHECK(vigie::web::atom_timestamp("2010-06-22") == "2010-06-22T00:00:00Z");
  CHECK(vigie::web::atom_timestamp("2010-06") == "2010-06-01T00:00:00Z");
  CHECK(vigie::web::atom_timestamp("2010") == "2010-01-01T00:00:00Z");
  CHECK(vigie::web::atom_timestamp("") == "1970-01-01T00:00:00Z");
  CHECK(vigie::web::extract_text("… l&#39;<mark>école</mark> &lt;b&gt; &amp; &quot;x&quot;") ==
        "… l'école <b> & \"x\"");
}

TEST_CASE("WebQuery: parsing, permalinks, facet toggles, export URL") {
  using vigie::http::QueryParams;
  using vigie::web::Filter;
  using vigie::web::WebQuery;
  auto q =
      WebQuery::parse(QueryParams::parse("q=cantine+bio&type=communique&collectivite=Commune+de+Ch%"
                                         "C3%A9mer%C3%A9&tri=recents&page=3"));
  CHECK(q.q == "cantine bio");
  CHECK(q.page == 3);
  CHECK(q.url("/recherche") ==
        "/recherche?q=cantine%20bio&type=communique&collectivite=Commune%20de%20Ch%C3%A9mer%C3%A9&"
        "tri=recents&page=3");
  // A filter change goes back to page 1; toggling twice is the identity.
  auto more = q.toggled(Filter::Annee, "2023");
  CHECK(more.page == 1);
  CHECK(more.has_filter(Filter::Annee, "2023"));
  CHECK_FALSE(more.toggled(Filter::Annee, "2023").has_filter(Filter::Annee, "2023"));
  CHECK_FALSE(q.toggled(Filter::Type, "communique").has_filter(Filter::Type, "communique"));
  CHECK(q.export_csv_url() ==
        "/api/export?q=cantine%20bio&type=communique&collectivite=Commune%20de%20Ch%C3%A9mer%C3%A9&"
        "sort=date&format=csv");
  CHECK(WebQuery::parse(QueryParams::parse("tri=pertinence")).sort == vigie::SortOrder::Relevance);
  CHECK(WebQuery::parse(QueryParams::parse("tri=anciens")).sort == vigie::SortOrder::Oldest);
  CHECK(WebQuery::parse(QueryParams::parse("tri=r%C3%A9cents")).url("/r") == "/r?tri=recents");
  CHECK_THROWS_AS(WebQuery::parse(QueryParams::parse("tri=hasard")), vigie::http::HttpError);
  CHECK_THROWS_AS(WebQuery::parse(QueryParams::parse("page=0")), vigie::http::HttpError);
  CHECK_THROWS_AS(WebQuery::parse(QueryParams::parse("page=abc")), vigie::http::HttpError);
  CHECK(WebQuery::parse(QueryParams::parse("")).empty());
}

TEST_CASE("WebQuery: results per page (10, 20, 50), kept by every link, validated") {
  using vigie::http::QueryParams;
  using vigie::web::Filter;
  using vigie::web::WebQuery;
  auto q = WebQuery::parse(QueryParams::parse("q=budget&par_page=50&page=2"));
  CHECK(q.per_page == 50);
  CHECK(q.url("/recherche") == "/recherche?q=budget&par_page=50&page=2");
  CHECK(q.toggled(Filter::Annee, "2020").url("/r") == "/r?q=budget&annee=2020&par_page=50");
  CHECK(q.with_page(3).per_page == 50);
  CHECK(q.with_sort(vigie::SortOrder::Newest).per_page == 50);
  // The API's name is accepted; the default is not spelt.
  CHECK(WebQuery::parse(QueryParams::parse("per_page=20")).per_page == 20);
  CHECK(WebQuery::parse(QueryParams::parse("par_page=10")).url("/r") == "/r");
  for (const char* hostile :
       {"par_page=0", "par_page=11", "par_page=100000", "par_page=-1", "par_page=abc",
        "per_page=1e9", "par_page=20&per_page=20", "orthographe=%3Cscript%3E"}) {
    CAPTURE(hostile);
    CHECK_THROWS_AS(WebQuery::parse(QueryParams::parse(hostile)), vigie::http::HttpError);
  }
  auto exact = WebQuery::parse(QueryParams::parse("q=assinissement&orthographe=exacte"));
  CHECK(exact.exact_spelling);
  CHECK(exact.url("/r") == "/r?q=assinissement&orthographe=exacte");
  CHECK_FALSE(exact.has_refinements());  // not a filter: no chip for it
}

TEST_CASE("filter chips: one per active filter, each a link without it, and « Tout effacer »") {
  using vigie::http::QueryParams;
  using vigie::web::WebQuery;
  CHECK(vigie::web::filter_chips(WebQuery::parse(QueryParams::parse("q=ecole"))).render_html() ==
        "");
  const auto html = vigie::web::filter_chips(
                        WebQuery::parse(QueryParams::parse(
                            "q=ecole&type=deliberation&collectivite=%3Cb%3EX&annee=2019&du=2018&"
                            "au=2020-06&tri=anciens&par_page=20")))
                        .render_html();
  CAPTURE(html);
  const std::pair<const char*, const char*> chips[] = {
      {"Type : délibération",
       "/recherche?q=ecole&amp;collectivite=%3Cb%3EX&amp;annee=2019&amp;"
       "du=2018&amp;au=2020-06&amp;tri=anciens&amp;par_page=20"},
      {"Collectivité : &lt;b&gt;X",
       "/recherche?q=ecole&amp;type=deliberation&amp;annee=2019&amp;"
       "du=2018&amp;au=2020-06&amp;tri=anciens&amp;par_page=20"},
      {"Année : 2019",
       "/recherche?q=ecole&amp;type=deliberation&amp;collectivite=%3Cb%3EX&amp;"
       "du=2018&amp;au=2020-06&amp;tri=anciens&amp;par_page=20"},
      {"Période : du 2018 au juin 2020",
       "/recherche?q=ecole&amp;type=deliberation&amp;"
       "collectivite=%3Cb%3EX&amp;annee=2019&amp;tri=anciens&amp;"
       "par_page=20"},
      {"Tri : plus anciens d’abord",
       "/recherche?q=ecole&amp;type=deliberation&amp;collectivite="
       "%3Cb%3EX&amp;annee=2019&amp;du=2018&amp;au=2020-06&amp;"
       "par_page=20"},
      {"20 résultats par page",
       "/recherche?q=ecole&amp;type=deliberation&amp;collectivite="
       "%3Cb%3EX&amp;annee=2019&amp;du=2018&amp;au=2020-06&amp;"
       "tri=anciens"},
  };
  for (const auto& [label, href] : chips) {
    CAPTURE(label);
    CHECK(html.find("<a href=\"" + std::string(href) + "\" class=\"puce\">" + label) !=
          std::string::npos);
  }
  CHECK(html.find("<a href=\"/recherche?q=ecole\" class=\"tout-effacer\">Tout effacer</a>") !=
        std::string::npos);
}

TEST_CASE("advanced search: each field becomes its query-language form, values made inert") {
  using vigie::web::AdvancedSearch;
  struct Row {
    AdvancedSearch fields;
    const char* query;
  };
  const Row rows[] = {
      {{.all_words = "budget  cantine"}, "budget cantine"},
      {{.phrase = "salle des fêtes"}, "\"salle des fêtes\""},
      {{.any_words = "école collège lycée"}, "(école OR collège OR lycée)"},
      {{.any_words = "école"}, "école"},
      {{.none_words = "vente cession"}, "-vente -cession"},
      {{.title = "voirie communale"}, "titre:voirie titre:communale"},
      {{.person = "Jean Martin"}, "personne:\"Jean Martin\""},
      {{.number = "2010/80"}, "numero:\"2010/80\""},
      {{.all_words = "budget",
        .phrase = "salle des fêtes",
        .any_words = "école collège",
        .none_words = "vente",
        .title = "travaux",
        .person = "Martin",
        .number = "DE-2012/68"},
       "budget \"salle des fêtes\" (école OR collège) -vente titre:travaux personne:\"Martin\" "
       "numero:\"DE-2012/68\""},
      // Hostile values: structure becomes spaces, operators become words.
      {{.all_words = "a\" OR (b"}, "a or b"},
      {{.all_words = "OU SAUF NOT AND ET NEAR/3 PROCHE/2"}, "ou sauf not and et near/3 proche/2"},
      {{.all_words = "-moins +plus =exact tronq* titre:x"}, "moins plus exact tronq titre x"},
      {{.phrase = "il dit « non » \"vraiment\""}, "\"il dit non vraiment\""},
      {{.phrase = "\"\"\"", .person = "«»", .number = "()"}, ""},
      {{.any_words = "x) OR (y"}, "(x OR or OR y)"},
      {{.none_words = "- -- (-)"}, ""},
      {{.title = "a:b:c"}, "titre:a titre:b titre:c"},
      {{.person = "O\"Brien) OR (x"}, "personne:\"O Brien OR x\""},
      {{}, ""},
  };
  for (const auto& row : rows) {
    CAPTURE(row.query);
    CHECK(vigie::web::advanced_query(row.fields) == row.query);
  }
}

TEST_CASE(
    "SourceRoots: files under the roots only — no '..', no absolute path, no symlink escape") {
  vigie::test::ScratchDir dir("vigie-web-roots");
  const fs::path root = dir.path() / "root";
  vigie::test::write_file(root / "a" / "doc.txt", "texte");
  vigie::test::write_file(root / "b" / "doc.html", "<p>x</p>");
  vigie::test::write_file(dir.path() / "outside" / "secret.txt", "secret");
  vigie::test::write_file(dir.path() / "named" / "n.md", "# n");
  fs::create_symlink(dir.path() / "outside" / "secret.txt", root / "a" / "link.txt");
  fs::create_directory_symlink(dir.path() / "outside", root / "escape");
  fs::create_symlink(root / "b" / "doc.html", root / "a" / "inside-link.html");

  vigie::web::SourceRoots roots(
      {root, "presse=" + (dir.path() / "named").string(), dir.path() / "missing"});
  CHECK(roots.size() == 2);  // a missing root is dropped
  CHECK(roots.resolve("a/doc.txt") == fs::canonical(root / "a" / "doc.txt"));
  CHECK(roots.resolve("presse/n.md") == fs::canonical(dir.path() / "named" / "n.md"));
  CHECK(roots.resolve("a/inside-link.html") == fs::canonical(root / "b" / "doc.html"));
  const char* refused[] = {"../outside/secret.txt",
                           "a/../../outside/secret.txt",
                           "a/../b/doc.html",
                           "/etc/passwd",
                           "a/link.txt",
                           "escape/secret.txt",
                           "a//doc.txt",
                           "./a/doc.txt",
                           "a",
                           "",
                           "presse/../root/a/doc.txt",
                           "nothing.txt"};
  for (const char* path : refused) {
    CAPTURE(path);
    CHECK_FALSE(roots.resolve(path).has_value());
  }
}
