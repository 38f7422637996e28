#include "web/web_results.h"

#include <algorithm>
#include <vector>

#include "http/http_response.h"
#include "vigie/decision_search.h"
#include "web/web_format.h"
#include "web/web_histogram.h"
#include "web/web_layout.h"
#include "web/web_query.h"
#include "web/web_search_form.h"

namespace vigie::web {

using html::Node;

namespace {

const Facet* find_facet(const SearchResponse& r, std::string_view name) {
  for (const auto& f : r.facets)
    if (f.name == name) return &f;
  return nullptr;
}

bool filters_on_key(Filter filter) {
  return filter == Filter::Type || filter == Filter::Vote || filter == Filter::Montant;
}

// A facet as a list of links; a chosen value links to its removal.
Node facet_list(std::string_view heading, const Facet& facet, Filter filter, const WebQuery& query,
                std::string_view id) {
  Node section("section", {{"class", "facette"}, {"aria-labelledby", std::string(id)}});
  section.add(html::element_with_text("h2", heading, {{"id", std::string(id)}}));
  Node list("ul");
  for (const auto& v : facet.values) {
    // Collectivités and persons filter on their display name (the API
    // accepts both); types, votes and amounts on their key.
    const std::string value = filters_on_key(filter) ? v.key : v.label;
    const bool active = query.has_filter(filter, value);
    Node link("a", {{"href", query.toggled(filter, value).url("/recherche")}});
    if (active) {
      link.attr("class", "actif");
      link.attr("aria-current", "true");
    }
    link.add_text(v.label);
    // An estimate (counted on a sample, or by a matcher that stopped early)
    // says so: « ≈ », and « environ » for screen readers.
    if (facet.exact)
      link.add(html::element_with_text("span", french_number(v.count), {{"class", "nombre"}}));
    else
      link.add(html::element_with_text("span", "≈ " + french_number(v.count),
                                       {{"class", "nombre"}, {"title", "environ"}}));
    if (active)
      link.add(html::element_with_text("span", " (retirer ce filtre)", {{"class", "invisible"}}));
    list.add(Node("li").add(std::move(link)));
  }
  // A filter with no match any more still needs its "remove" link.
  for (const auto& c : query.values(filter)) {
    const bool listed = std::any_of(
        facet.values.begin(), facet.values.end(),
        [&](const FacetValue& v) { return (filters_on_key(filter) ? v.key : v.label) == c; });
    if (listed) continue;
    Node link("a", {{"href", query.toggled(filter, c).url("/recherche")},
                    {"class", "actif"},
                    {"aria-current", "true"}});
    link.add_text(filter == Filter::Vote      ? vote_label(c)
                  : filter == Filter::Montant ? amount_label(c)
                                              : c);
    link.add(html::element_with_text("span", " (retirer ce filtre)", {{"class", "invisible"}}));
    list.add(Node("li").add(std::move(link)));
  }
  section.add(std::move(list));
  return section;
}

Node sort_links(const WebQuery& query) {
  Node p("p", {{"class", "tri"}});
  p.add_text("Trier : ");
  const std::pair<SortOrder, const char*> sorts[] = {{SortOrder::Relevance, "pertinence"},
                                                     {SortOrder::Newest, "plus récents"},
                                                     {SortOrder::Oldest, "plus anciens"},
                                                     {SortOrder::Amount, "montant"}};
  bool first = true;
  for (const auto& [key, label] : sorts) {
    if (!first) p.add_text(" · ");
    first = false;
    if (query.sort == key) {
      p.add(html::element_with_text("strong", label, {{"aria-current", "true"}}));
    } else {
      p.add(
          html::element_with_text("a", label, {{"href", query.with_sort(key).url("/recherche")}}));
    }
  }
  return p;
}

// The number of the last page with results (at most max_page()).
std::size_t last_page(const WebQuery& query, std::uint64_t total) {
  return std::min<std::size_t>(query.max_page(), (total + query.per_page - 1) / query.per_page);
}

// A page number beyond the results (an old link, a hand-edited address):
// say so, and link to the last page that has some.
Node past_the_end(const WebQuery& query, std::uint64_t total) {
  const std::size_t last = last_page(query, total);
  Node p("p", {{"class", "au-dela"}});
  p.add_text("Cette page est au-delà des résultats : la recherche trouve " + document_count(total) +
             ", sur " + std::to_string(last) + (last > 1 ? " pages. " : " page. "));
  p.add(html::element_with_text("a", "Aller à la page " + std::to_string(last),
                                {{"href", query.with_page(last).url("/recherche")}}));
  return p;
}

Node pagination(const WebQuery& query, std::uint64_t total) {
  const std::size_t pages = last_page(query, total);
  if (pages <= 1) return Node::fragment();
  const std::size_t current = query.page;
  Node nav("nav", {{"class", "pagination"}, {"aria-label", "Pages de résultats"}});
  Node list("ul");
  auto page_link = [&](std::size_t n, const std::string& text, std::string_view rel) {
    Node a("a", {{"href", query.with_page(n).url("/recherche")}});
    if (rel == "prev") a.attr("rel", "prev");
    if (rel == "next") a.attr("rel", "next");
    a.add_text(text);
    return Node("li").add(std::move(a));
  };
  if (current > 1) list.add(page_link(current - 1, "‹ Précédent", "prev"));
  // First, last, and two pages either side of the current one; a gap of a
  // single page shows that page rather than an ellipsis standing for it.
  std::vector<std::size_t> shown;
  for (std::size_t n = 1; n <= pages; ++n)
    if (n == 1 || n == pages || (n + 2 >= current && n <= current + 2)) shown.push_back(n);
  for (std::size_t i = 1; i < shown.size(); ++i)
    if (shown[i] - shown[i - 1] == 2)
      shown.insert(shown.begin() + static_cast<long>(i), shown[i - 1] + 1);
  std::size_t previous = 0;
  for (std::size_t n : shown) {
    if (previous != 0 && n > previous + 1)
      list.add(html::element_with_text("li", "…", {{"class", "ellipse"}}));
    previous = n;
    if (n == current) {
      list.add(Node("li").add(html::element_with_text(
          "span", std::to_string(n), {{"aria-current", "page"}, {"class", "courante"}})));
    } else {
      list.add(page_link(n, std::to_string(n), ""));
    }
  }
  if (current < pages) list.add(page_link(current + 1, "Suivant ›", "next"));
  nav.add(std::move(list));
  return nav;
}

Node empty_state(const WebQuery& query, const SearchResponse& response) {
  Node section("section", {{"class", "aucun-resultat"}});
  section.add(html::element_with_text("h2", "Aucun résultat"));
  section.add(html::element_with_text("p", "Aucun document ne correspond à cette recherche."));
  Node tips("ul");
  if (!response.suggestion.empty()) {
    WebQuery fixed = query;
    fixed.q = response.suggestion;
    fixed.page = 1;
    Node li("li");
    li.add_text("Essayez avec : ");
    li.add(html::element_with_text("a", response.suggestion, {{"href", fixed.url("/recherche")}}));
    tips.add(std::move(li));
  }
  auto remove = [&](Filter f, const std::string& value, const std::string& label) {
    Node li("li");
    li.add(html::element_with_text("a", "Retirer le filtre « " + label + " »",
                                   {{"href", query.toggled(f, value).url("/recherche")}}));
    tips.add(std::move(li));
  };
  for (const auto& t : query.types) remove(Filter::Type, t, t);
  for (const auto& c : query.collectivites) remove(Filter::Collectivite, c, c);
  for (const auto& a : query.annees) remove(Filter::Annee, a, a);
  for (const auto& p : query.personnes) remove(Filter::Personne, p, p);
  for (const auto& v : query.votes) remove(Filter::Vote, v, vote_label(v));
  for (const auto& m : query.montants) remove(Filter::Montant, m, amount_label(m));
  if (!query.du.empty() || !query.au.empty()) {
    WebQuery open = query;
    open.du.clear();
    open.au.clear();
    open.page = 1;
    tips.add(Node("li").add(
        html::element_with_text("a", "Retirer la période", {{"href", open.url("/recherche")}})));
  }
  tips.add(html::element_with_text(
      "li", "Vérifiez l’orthographe, ou essayez des mots plus généraux ou moins nombreux."));
  Node help("li");
  help.add(html::element_with_text("a", "Revoir l’aide sur le langage de recherche",
                                   {{"href", "/#aide"}}));
  tips.add(std::move(help));
  section.add(std::move(tips));
  return section;
}

// The search the hits come from: the query and collectivités as corrected
// (SearchResponse::corrected), for the links that must find the same hits.
WebQuery as_searched(const WebQuery& query, const SearchResponse& response) {
  WebQuery searched = query;
  for (const auto& c : response.corrected) {
    if (c.field == "q") searched.q = c.to;
    if (c.field != "organisation") continue;
    for (auto& o : searched.collectivites)
      if (o == c.from) o = c.to;
  }
  return searched;
}

// « Résultats pour assainissement — rechercher plutôt assinissement »: the
// typed words found nothing, the corrected ones did; the link searches the
// words as typed, without correction.
Node correction_notice(const WebQuery& query, const SearchResponse& response) {
  Node p("p", {{"class", "correction"}});
  bool first = true;
  std::string typed;
  for (const auto& c : response.corrected) {
    p.add_text(first ? "Résultats pour " : ", ");
    if (c.field == "organisation") p.add_text("la collectivité ");
    p.add(html::element_with_text("strong", c.to));
    typed += (first ? "" : ", ") + c.from;
    first = false;
  }
  p.add_text(" — rechercher plutôt ");
  WebQuery exact = query.with_page(1);
  exact.exact_spelling = true;
  p.add(html::element_with_text("a", typed, {{"href", exact.url("/recherche")}}));
  return p;
}

std::string page_title(const WebQuery& query) {
  return query.q.empty() ? "Tous les documents" : "« " + query.q + " »";
}

}  // namespace

std::string document_url(const std::string& id, const std::string& q) {
  std::string url = "/document/" + http::percent_encode(id);
  if (!q.empty()) url += "?q=" + http::percent_encode(q);
  return url;
}

// « aussi en PDF · HTML »: the family's other files (docs/families.md).
Node other_formats(const std::vector<FamilyMember>& also) {
  Node span("span", {{"class", "aussi"}});
  span.add_text("aussi en ");
  for (std::size_t i = 0; i < also.size(); ++i) {
    if (i > 0) span.add_text(" · ");
    span.add(html::element_with_text(
        "a", format_label(also[i].format),
        {{"href", document_url(also[i].id, "")}, {"title", also[i].title}}));
  }
  return span;
}

// The session or deliberations that matched too and are part of this
// result (docs/families.md): links, at most five.
Node merged_documents(const std::vector<FamilyMember>& merged) {
  Node p("p", {{"class", "regroupes"}});
  p.add_text(merged.size() == 1 ? "Correspond aussi : " : "Correspondent aussi : ");
  for (std::size_t i = 0; i < merged.size() && i < 5; ++i) {
    if (i > 0) p.add_text(" · ");
    p.add(html::element_with_text("a", merged[i].title.empty() ? merged[i].id : merged[i].title,
                                  {{"href", document_url(merged[i].id, "")}}));
  }
  if (merged.size() > 5) p.add_text(" · et " + french_number(merged.size() - 5) + " autres");
  return p;
}

Node hit_item(const Hit& hit, const std::string& q) {
  Node article("article", {{"class", "resultat"}});
  Node h("h3");
  h.add(html::element_with_text("a", hit.title.empty() ? hit.id : hit.title,
                                {{"href", document_url(hit.id, q)}}));
  article.add(std::move(h));
  Node meta("p", {{"class", "meta"}});
  if (!hit.type_label.empty())
    meta.add(html::element_with_text("span", hit.type_label, {{"class", "badge"}}));
  if (!hit.date.empty())
    meta.add(html::element_with_text("time", french_date(hit.date), {{"datetime", hit.date}}));
  if (!hit.organisation.empty())
    meta.add(html::element_with_text("span", hit.organisation, {{"class", "collectivite"}}));
  if (!hit.also.empty()) meta.add(other_formats(hit.also));
  if (!hit.part_of.empty()) {
    // A deliberation taken from a session's minutes (docs/families.md).
    meta.add(html::element_with_text(
        "a", hit.date.empty() ? "extrait d’une séance" : "séance du " + french_date(hit.date),
        {{"href", document_url(hit.part_of, "")}, {"class", "seance"}}));
  }
  // What a deliberation decides, when read: its vote and its largest amount.
  if (hit.decisions.vote.known())
    meta.add(html::element_with_text("span", "vote : " + vote_text(hit.decisions.vote),
                                     {{"class", "vote"}}));
  if (auto largest = hit.decisions.largest_amount())
    meta.add(html::element_with_text("span", french_euros(*largest), {{"class", "montant"}}));
  if (hit.loosened)
    meta.add(html::element_with_text("span", "mots pas comme demandé", {{"class", "partiel"}}));
  else if (!hit.all_words)
    meta.add(html::element_with_text("span", "une partie des mots", {{"class", "partiel"}}));
  article.add(std::move(meta));
  if (!hit.merged.empty()) article.add(merged_documents(hit.merged));
  if (!hit.extract_html.empty()) {
    Node extract("p", {{"class", "extrait"}});
    // The only raw insertion of a results page: Hit::extract_html comes from
    // the Highlighter, which HTML-escapes the whole text (html_escape) and
    // adds nothing but its own <mark> tags.
    extract.add(Node::raw_trusted(hit.extract_html));
    // A PDF hit: its page, opening the PDF there (#page= is read by the
    // browsers' PDF viewers).
    if (hit.page > 0) {
      extract.add_text(" ");
      extract.add(html::element_with_text("a", "p. " + std::to_string(hit.page),
                                          {{"class", "page"},
                                           {"href", "/source/" + http::percent_encode(hit.id) +
                                                        "#page=" + std::to_string(hit.page)}}));
    }
    article.add(std::move(extract));
  }
  return article;
}

namespace {

// « 12 documents contiennent … », or « 12 autres documents … » after the
// results: the heading of the documents shown apart, `n` of them.
std::string apart_title(const SearchResponse& response, std::uint64_t n, const std::string& what) {
  std::string title = response.total == 0 ? document_count(n) : french_number(n) + " autre";
  if (response.total > 0 && n > 1) title += "s";
  if (response.total > 0) title += n > 1 ? " documents" : " document";
  title += (n > 1 ? " contiennent " : " contient ") + what;
  title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
  return title;
}

// Several words, few documents with them all: those with only some of them,
// apart and said so, with the way to count them as results (mots=un).
Node partial_section(const WebQuery& query, const SearchResponse& response,
                     const std::vector<const Hit*>& partial, const std::string& searched) {
  Node section("section", {{"class", "partie-des-mots"}, {"aria-labelledby", "titre-partie"}});
  const std::uint64_t n = response.partial_total;
  section.add(html::element_with_text("h2", apart_title(response, n, "une partie des mots"),
                                      {{"id", "titre-partie"}}));
  section.add(html::element_with_text(
      "p",
      response.total == 0 ? "Aucun ne contient tous les mots cherchés."
                          : "Ils ne contiennent pas tous les mots cherchés ; ils ne sont pas "
                            "comptés dans les résultats.",
      {{"class", "indice"}}));
  Node list("ol", {{"class", "resultats partiels"}});
  for (const Hit* hit : partial) list.add(Node("li").add(hit_item(*hit, searched)));
  section.add(std::move(list));
  if (n > partial.size() || response.total > 0) {
    Node more("p");
    more.add(html::element_with_text(
        "a", "Compter aussi les documents qui contiennent au moins un des mots",
        {{"href", query.with_any_words(true).url("/recherche")}}));
    section.add(std::move(more));
  }
  return section;
}

// A phrase or PROCHE that few documents hold as asked: those holding its
// words otherwise, apart and said so (SearchResponse::loosened_total).
Node loosened_section(const SearchResponse& response, const std::vector<const Hit*>& loosened,
                      const std::string& searched) {
  Node section("section", {{"class", "mots-autrement"}, {"aria-labelledby", "titre-autrement"}});
  section.add(html::element_with_text(
      "h2", apart_title(response, response.loosened_total, "ces mots autrement"),
      {{"id", "titre-autrement"}}));
  section.add(html::element_with_text(
      "p",
      "Ils contiennent les mots de l’expression, du PROCHE ou du titre demandés, mais pas comme "
      "demandé (séparés, ailleurs, ou une partie seulement) ; ils ne sont pas comptés dans les "
      "résultats.",
      {{"class", "indice"}}));
  Node list("ol", {{"class", "resultats autrement"}});
  for (const Hit* hit : loosened) list.add(Node("li").add(hit_item(*hit, searched)));
  section.add(std::move(list));
  return section;
}

// The whole results page for one search's answer.
std::string results_page(const WebQuery& query, const SearchRequest& request,
                         const SearchResponse& response) {
  Node main = Node::fragment();
  main.add(html::element_with_text("h1", "Recherche : " + page_title(query),
                                   {{"class", "titre-recherche"}}));
  const Facet* organisations = find_facet(response, "organisation");
  main.add(search_form(query, organisations ? organisations->values : std::vector<FacetValue>{}));

  Node summary("div", {{"class", "bilan"}, {"role", "status"}});
  std::string count = document_count(response.total);
  if (!response.total_exact && response.total > 0) count = "environ " + count;
  count[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(count[0])));
  Node count_line("p", {{"class", "compte"}});
  count_line.add(html::element_with_text("strong", count));
  if (response.total > query.per_page && !response.hits.empty())
    count_line.add_text(" — page " + std::to_string(query.page));
  summary.add(std::move(count_line));
  if (!response.corrected.empty()) summary.add(correction_notice(query, response));
  for (const auto& w : response.warnings)
    summary.add(html::element_with_text("p", w, {{"class", "avertissement"}}));
  if (!response.notice.empty())
    summary.add(html::element_with_text("p", response.notice, {{"class", "avis"}}));
  if (response.partial)
    summary.add(html::element_with_text(
        "p",
        "Résultats partiels : " + std::to_string(response.missing_shards.size()) +
            (response.missing_shards.size() > 1 ? " parties de l’index ne répondent pas"
                                                : " partie de l’index ne répond pas") +
            " ; les documents qu’elles contiennent manquent. Réessayez dans un moment.",
        {{"class", "avertissement partiel"}}));
  if (!response.suggestion.empty() && response.total > 0) {
    WebQuery fixed = query;
    fixed.q = response.suggestion;
    fixed.page = 1;
    Node p("p", {{"class", "suggestion"}});
    p.add_text("Essayez avec : ");
    p.add(html::element_with_text("a", response.suggestion, {{"href", fixed.url("/recherche")}}));
    summary.add(std::move(p));
  }
  if (!response.synonyms.empty()) {
    std::string used;
    for (const auto& s : response.synonyms)
      used += (used.empty() ? "" : ", ") + s.typed + " → " + s.expanded;
    summary.add(
        html::element_with_text("p", "Synonymes pris en compte : " + used, {{"class", "indice"}}));
  }
  main.add(std::move(summary));

  Node layout("div", {{"class", "colonnes"}});
  Node results("section", {{"class", "liste"}, {"aria-labelledby", "titre-resultats"}});
  results.add(html::element_with_text("h2", "Résultats",
                                      {{"id", "titre-resultats"}, {"class", "invisible"}}));
  const std::string searched = as_searched(query, response).q;
  // Several words, few documents with them all: the hits with only some of
  // them (after those with all) are shown apart, below.
  std::vector<const Hit*> all_words, partial, loosened;
  for (const auto& hit : response.hits) {
    if (hit.loosened)
      loosened.push_back(&hit);
    else
      (hit.all_words || query.any_words || response.question ? all_words : partial).push_back(&hit);
  }
  if (all_words.empty() && (!partial.empty() || !loosened.empty())) {
    // Nothing holds every word (or the phrase as asked): the answers below
    // say so.
  } else if (response.hits.empty()) {
    results.add(response.total == 0 ? empty_state(query, response)
                                    : past_the_end(query, response.total));
  } else {
    results.add(sort_links(query));
    Node list("ol", {{"class", "resultats"}, {"start", std::to_string(request.offset + 1)}});
    // The document page highlights the words these hits were found with.
    for (const Hit* hit : all_words) list.add(Node("li").add(hit_item(*hit, searched)));
    results.add(std::move(list));
    results.add(pagination(query, response.total));
  }
  if (!partial.empty()) results.add(partial_section(query, response, partial, searched));
  if (!loosened.empty()) results.add(loosened_section(response, loosened, searched));
  Node tools("p", {{"class", "outils"}});
  tools.add(html::element_with_text("a", "Exporter en CSV",
                                    {{"href", as_searched(query, response).export_csv_url()}}));
  tools.add_text(" · ");
  tools.add(html::element_with_text("a", "Suivre cette recherche (flux Atom)",
                                    {{"href", query.with_page(1).url("/recherche.atom")}}));
  results.add(std::move(tools));

  // Folded on phones, like the form's filters: the hits come first.
  Node aside("aside", {{"class", "affiner"}, {"aria-label", "Affiner les résultats"}});
  Node fold("details", {{"class", "repliable"}});
  fold.add(html::element_with_text("summary", "Années, types et collectivités"));
  if (const Facet* years = find_facet(response, "year")) fold.add(year_histogram(*years, query));
  if (const Facet* types = find_facet(response, "type"); types && !types->values.empty())
    fold.add(facet_list("Type de document", *types, Filter::Type, query, "facette-type"));
  if (organisations && !organisations->values.empty())
    fold.add(facet_list("Collectivité", *organisations, Filter::Collectivite, query,
                        "facette-collectivite"));
  if (const Facet* persons = find_facet(response, "person"); persons && !persons->values.empty())
    fold.add(facet_list("Personnes", *persons, Filter::Personne, query, "facette-personnes"));
  // What deliberations decide: shown when some result has a vote or an amount.
  if (const Facet* votes = find_facet(response, "vote"); votes && !votes->values.empty())
    fold.add(facet_list("Vote", *votes, Filter::Vote, query, "facette-vote"));
  if (const Facet* amounts = find_facet(response, "amount"); amounts && !amounts->values.empty())
    fold.add(facet_list("Montant", *amounts, Filter::Montant, query, "facette-montant"));
  aside.add(std::move(fold));
  layout.add(std::move(results));
  layout.add(std::move(aside));
  main.add(std::move(layout));

  PageHead head{page_title(query), query.with_page(1).url("/recherche.atom"), false};
  return render_page(head, std::move(main));
}

}  // namespace

void serve_results(http::ApiContext& api, http::HttpExchange& ex) {
  const WebQuery query = WebQuery::parse(ex.params);
  const SearchRequest request = query.search_request(ex.params, api.config.search);
  // The page depends on nothing but its address and the index: cached.
  const auto body = api.cached(ex.request.getURI(), [&](Searcher& s) {
    return results_page(query, request, s.search(request));
  });
  apply_html_headers(ex.response);
  http::send_body(ex.response, 200, "text/html; charset=utf-8", *body);
}

}  // namespace vigie::web
