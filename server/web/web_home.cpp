#include "web/web_home.h"

#include "web/web_format.h"
#include "web/web_layout.h"
#include "web/web_query.h"
#include "web/web_search_form.h"

namespace vigie::web {

using html::Node;

namespace {

struct Example {
  const char* query;
  const char* meaning;
};

// Examples that find something in the demo corpus, one per feature a
// journalist needs first.
constexpr Example kExamples[] = {
    {"cantine scolaire", "les documents qui contiennent tous ces mots d’abord, puis les autres"},
    {"« inclusion numérique »", "l’expression, mots dans l’ordre (au pluriel aussi)"},
    {"=« inclusion numérique »", "l’expression exacte, formes tapées seulement"},
    {"cantine OU restauration", "l’un ou l’autre mot"},
    {"budget SAUF fonctionnement", "sans le mot exclu"},
    {"délib*", "les mots qui commencent par « délib »"},
    {"titre:cantine", "le mot dans le titre"},
    {"type:communiqué numérique", "seulement les communiqués"},
    {"annee:2023 budget", "seulement l’année 2023"},
    {"date:2020..2022 cantine", "une période, bornes incluses"},
};

Node help_section() {
  Node section("section", {{"id", "aide"}, {"aria-labelledby", "titre-aide"}});
  section.add(html::element_with_text("h2", "Comment chercher", {{"id", "titre-aide"}}));
  section.add(html::element_with_text(
      "p",
      "Majuscules et accents sont ignorés, les mots sont aussi cherchés au pluriel ou au "
      "singulier. Cliquez sur un exemple pour voir ses résultats :"));
  Node list("dl", {{"class", "exemples"}});
  for (const auto& e : kExamples) {
    WebQuery q;
    q.q = e.query;
    Node term("dt");
    term.add(
        Node("a", {{"href", q.url("/recherche")}}).add(html::element_with_text("code", e.query)));
    list.add(std::move(term));
    list.add(html::element_with_text("dd", e.meaning));
  }
  section.add(std::move(list));
  section.add(html::element_with_text(
      "p",
      "Opérateurs en majuscules : ET, OU, SAUF (ou AND, OR, NOT), PROCHE/5 pour des mots "
      "voisins. Champs : titre:, type:, collectivite:\"…\", lieu:, personne:, numero:, annee:, "
      "date:."));
  return section;
}

}  // namespace

void serve_home(http::ApiContext& api, http::HttpExchange& ex) {
  // The whole index, counted: its size and its collectivités for the form.
  SearchRequest all;
  all.limit = 0;
  all.extracts = false;
  SearchResponse response = api.with_searcher([&](Searcher& s) { return s.search(all); });
  std::vector<FacetValue> organisations;
  for (const auto& f : response.facets)
    if (f.name == "organisation") organisations = f.values;

  Node main = Node::fragment();
  main.add(html::element_with_text("h1", "Rechercher dans les textes publics"));
  main.add(html::element_with_text(
      "p",
      "Manifestes, communiqués, délibérations, procès-verbaux et arrêtés des collectivités : " +
          document_count(response.total) + " dans l’index.",
      {{"class", "intro"}}));
  main.add(search_form(WebQuery{}, organisations));
  main.add(help_section());
  send_page(ex.response, 200, PageHead{"Recherche", "", false}, std::move(main));
}

}  // namespace vigie::web
