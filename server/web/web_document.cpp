#include "web/web_document.h"

#include "api/api_search.h"
#include "web/web_decisions.h"
#include "web/web_format.h"
#include "web/web_layout.h"
#include "web/web_query.h"
#include "web/web_results.h"

namespace vigie::web {

using html::Node;

namespace {

constexpr std::size_t kSimilar = 5;

struct DocumentView {
  SourceDocument doc;
  std::string text_html;  // highlighted (escaped) text, empty when no query
  std::string highlight_problem;
  std::vector<Hit> similar;
  Searcher::Relations relations;
};

void add_row(Node& list, std::string_view label, Node value) {
  list.add(html::element_with_text("dt", label));
  list.add(Node("dd").add(std::move(value)));
}

void add_row(Node& list, std::string_view label, const std::string& value) {
  if (!value.empty()) add_row(list, label, Node::text(value));
}

// A PDF's text page by page: « — page N — » where each page after the first
// starts (at the form feeds the extractor put between pages), an anchor
// #page-N, and a link opening the PDF at that page when it is served. The
// text is either the highlighter's escaped HTML (`escaped`) or plain; a
// <mark> never spans a form feed (a match is a word).
void add_pages(Node& body, std::string_view text, bool escaped, const std::string& source_href) {
  int page = 1;
  while (true) {
    const std::size_t end = text.find(kPageBreak);
    const std::string_view part = text.substr(0, end);
    if (escaped)
      body.add(Node::raw_trusted(std::string(part)));
    else
      body.add_text(part);
    if (end == std::string_view::npos) return;
    text.remove_prefix(end + 1);
    ++page;
    const std::string label = "— page " + std::to_string(page) + " —";
    Node marker("span", {{"class", "saut-de-page"}, {"id", "page-" + std::to_string(page)}});
    if (source_href.empty())
      marker.add_text(label);
    else
      marker.add(html::element_with_text(
          "a", label, {{"href", source_href + "#page=" + std::to_string(page)}}));
    body.add(std::move(marker));
  }
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

Node metadata(const SourceDocument& doc, const std::string& id, bool source_available) {
  Node list("dl", {{"class", "metadonnees"}});
  if (doc.type) add_row(list, "Type", std::string(doc_type_label(*doc.type)));
  if (doc.date.known())
    add_row(list, "Date",
            html::element_with_text("time", french_date(doc.date.iso()),
                                    {{"datetime", doc.date.iso()}}));
  add_row(list, "Collectivité", doc.organisation);
  add_row(list, doc.persons.size() > 1 ? "Personnes" : "Personne", join(doc.persons));
  add_row(list, "Lieu", doc.place);
  add_row(list, "Numéro", doc.number);
  if (source_available) {
    add_row(list, "Source",
            html::element_with_text("a", doc.source_path,
                                    {{"href", "/source/" + http::percent_encode(id)}}));
  } else {
    add_row(list, "Source", doc.source_path + " (fichier non disponible sur ce serveur)");
  }
  add_row(list, "Format", doc.format);
  if (!doc.url.empty()) {
    // safe_url() (in the builder) turns a non-http(s) URL from the document
    // into "#": an indexed page cannot smuggle a javascript: link here.
    add_row(
        list, "Adresse d’origine",
        html::element_with_text("a", doc.url, {{"href", doc.url}, {"rel", "noopener noreferrer"}}));
  }
  for (const auto& [key, value] : doc.extra) add_row(list, key, value);
  return list;
}

// The same text in other files, and the session a deliberation is taken from.
void add_relations(Node& list, const Searcher::Relations& relations) {
  if (!relations.family.empty()) add_row(list, "Aussi en", other_formats(relations.family));
  if (relations.whole) {
    const FamilyMember& whole = *relations.whole;
    add_row(list, "Extrait de la séance",
            html::element_with_text("a", whole.title.empty() ? whole.id : whole.title,
                                    {{"href", document_url(whole.id, "")}}));
  }
}

// A session's deliberations, each a document of its own.
Node parts_section(const std::vector<FamilyMember>& parts) {
  Node section("section", {{"class", "deliberations"}, {"aria-labelledby", "titre-deliberations"}});
  section.add(html::element_with_text(
      "h2", "Délibérations de cette séance (" + french_number(parts.size()) + ")",
      {{"id", "titre-deliberations"}}));
  Node list("ol");
  for (const auto& part : parts)
    list.add(Node("li").add(html::element_with_text("a", part.title.empty() ? part.id : part.title,
                                                    {{"href", document_url(part.id, "")}})));
  section.add(std::move(list));
  return section;
}

Node citation(const SourceDocument& doc, const std::string& permalink) {
  Node section("section", {{"class", "citation"}, {"aria-labelledby", "titre-citation"}});
  section.add(html::element_with_text("h2", "Citer ce document", {{"id", "titre-citation"}}));
  std::string line = "« " + (doc.title.empty() ? doc.id : doc.title) + " »";
  if (!doc.organisation.empty()) line += ", " + doc.organisation;
  if (doc.date.known()) line += ", " + french_date(doc.date.iso());
  line += ". ";
  Node p("p", {{"class", "ligne-citation"}});
  p.add_text(line);
  p.add(html::element_with_text("a", permalink, {{"href", permalink}}));
  section.add(std::move(p));
  return section;
}

}  // namespace

std::string site_origin(const Poco::Net::HTTPServerRequest& request) {
  const std::string host = request.getHost();
  bool ok = !host.empty() && host.size() <= 255;
  for (char c : host) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':' || c == '[' ||
                         c == ']';
    ok = ok && allowed;
  }
  return "http://" + (ok ? host : std::string("localhost"));
}

void serve_document(http::ApiContext& api, const SourceRoots& roots, http::HttpExchange& ex) {
  const std::string id = http::document_id(ex);
  const std::string q = ex.params.single("q").value_or("");
  std::optional<IndexSetup> setup;
  auto view = api.with_searcher([&](Searcher& s) -> std::optional<DocumentView> {
    setup = s.index_setup();
    auto doc = s.document(id);
    if (!doc) return std::nullopt;
    DocumentView v{std::move(*doc), {}, {}, {}, {}};
    if (!q.empty()) {
      try {
        v.text_html = s.highlight_all(v.doc.body, q);
      } catch (const QuerySyntaxError& e) {
        // A query that cannot be parsed still lets the document be read.
        v.highlight_problem = e.what();
      }
    }
    v.similar = s.similar(id, kSimilar);
    v.relations = s.relations(id);
    return v;
  });
  if (!view)
    throw http::HttpError(404, "Aucun document n’a l’identifiant « " + id.substr(0, 200) + " ».");
  const SourceDocument& doc = view->doc;
  const std::string title = doc.title.empty() ? doc.id : doc.title;

  Node main = Node::fragment();
  if (!q.empty()) {
    WebQuery back;
    back.q = q;
    Node p("p", {{"class", "retour"}});
    p.add(html::element_with_text("a", "‹ Résultats de la recherche « " + q + " »",
                                  {{"href", back.url("/recherche")}}));
    main.add(std::move(p));
  }
  Node article("article", {{"class", "document"}, {"aria-labelledby", "titre-document"}});
  article.add(html::element_with_text("h1", title, {{"id", "titre-document"}}));
  const bool source_available = roots.for_index(setup).resolve(doc.source_path).has_value();
  Node facts = metadata(doc, id, source_available);
  add_relations(facts, view->relations);
  article.add(std::move(facts));
  article.add(decisions_section(doc, view->relations));
  article.add(citation(doc, site_origin(ex.request) + document_url(id, "")));

  Node text("section", {{"class", "texte-integral"}, {"aria-labelledby", "titre-texte"}});
  text.add(html::element_with_text("h2", "Texte intégral", {{"id", "titre-texte"}}));
  const bool marked = view->text_html.find("id=\"premier-resultat\"") != std::string::npos;
  if (marked) {
    Node p("p", {{"class", "aller"}});
    p.add(html::element_with_text("a", "Aller à la première occurrence des mots cherchés",
                                  {{"href", "#premier-resultat"}}));
    text.add(std::move(p));
  } else if (!q.empty()) {
    text.add(html::element_with_text(
        "p",
        view->highlight_problem.empty()
            ? "Les mots cherchés n’apparaissent pas tels quels dans ce texte."
            : "Surlignage impossible : " + view->highlight_problem,
        {{"class", "indice"}}));
  }
  Node body("div", {{"class", "texte"}, {"lang", doc.language == "und" ? "fr" : doc.language}});
  const bool pages = doc.format == "pdf";
  const std::string source_href = source_available ? "/source/" + http::percent_encode(id) : "";
  if (!view->text_html.empty()) {
    // The only raw insertion of this page: Searcher::highlight_all escapes
    // the whole text with html_escape and adds only its own <mark> tags, so
    // a document's markup (even a <script> it quotes) stays text.
    if (pages)
      add_pages(body, view->text_html, true, source_href);
    else
      body.add(Node::raw_trusted(view->text_html));
  } else if (pages) {
    add_pages(body, doc.body, false, source_href);
  } else {
    body.add_text(doc.body);
  }
  text.add(std::move(body));
  article.add(std::move(text));
  if (!view->relations.parts.empty()) article.add(parts_section(view->relations.parts));
  main.add(std::move(article));

  Node similar("section", {{"class", "similaires"}, {"aria-labelledby", "titre-similaires"}});
  similar.add(html::element_with_text("h2", "Documents similaires", {{"id", "titre-similaires"}}));
  if (view->similar.empty()) {
    similar.add(html::element_with_text("p", "Aucun document similaire."));
  } else {
    Node list("ul", {{"class", "resultats"}});
    for (const auto& hit : view->similar) list.add(Node("li").add(hit_item(hit, "")));
    similar.add(std::move(list));
  }
  main.add(std::move(similar));
  send_page(ex.response, 200, PageHead{title, "", false}, std::move(main));
}

}  // namespace vigie::web
