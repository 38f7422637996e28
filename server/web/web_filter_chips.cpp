#include "web/web_filter_chips.h"

#include "vigie/decision_search.h"
#include "vigie/document.h"
#include "web/web_format.h"

namespace vigie::web {

using html::Node;

namespace {

Node chip(std::string_view label, const WebQuery& without) {
  Node a("a", {{"href", without.url("/recherche")}, {"class", "puce"}});
  a.add_text(label);
  a.add(html::element_with_text("span", " ×", {{"aria-hidden", "true"}}));
  a.add(html::element_with_text("span", " (retirer ce filtre)", {{"class", "invisible"}}));
  return Node("li").add(std::move(a));
}

std::string type_label(const std::string& value) {
  auto type = parse_doc_type(value);
  return type ? std::string(doc_type_label(*type)) : value;
}

std::string period_label(const WebQuery& q) {
  if (!q.du.empty() && !q.au.empty())
    return "Période : du " + french_date(q.du) + " au " + french_date(q.au);
  if (!q.du.empty()) return "Période : depuis " + french_date(q.du);
  return "Période : jusqu’à " + french_date(q.au);
}

std::string sort_label(SortOrder sort) {
  if (sort == SortOrder::Amount) return "Tri : montant le plus élevé d’abord";
  return sort == SortOrder::Newest ? "Tri : plus récents d’abord" : "Tri : plus anciens d’abord";
}

}  // namespace

Node filter_chips(const WebQuery& query) {
  if (!query.has_refinements()) return Node::fragment();
  Node div("div", {{"class", "filtres-actifs"}});
  div.add(html::element_with_text(
      "p", "Filtres actifs :", {{"class", "titre-filtres"}, {"id", "titre-filtres-actifs"}}));
  Node list("ul", {{"aria-labelledby", "titre-filtres-actifs"}});
  for (const auto& t : query.types)
    list.add(chip("Type : " + type_label(t), query.toggled(Filter::Type, t)));
  for (const auto& c : query.collectivites)
    list.add(chip("Collectivité : " + c, query.toggled(Filter::Collectivite, c)));
  for (const auto& a : query.annees)
    list.add(chip("Année : " + a, query.toggled(Filter::Annee, a)));
  for (const auto& p : query.personnes)
    list.add(chip("Personne : " + p, query.toggled(Filter::Personne, p)));
  for (const auto& v : query.votes)
    list.add(chip("Vote : " + vote_label(v), query.toggled(Filter::Vote, v)));
  for (const auto& m : query.montants)
    list.add(chip("Montant : " + amount_label(m), query.toggled(Filter::Montant, m)));
  if (!query.du.empty() || !query.au.empty())
    list.add(chip(period_label(query), query.without_period()));
  if (query.sort != SortOrder::Relevance)
    list.add(chip(sort_label(query.sort), query.with_sort(SortOrder::Relevance)));
  if (query.any_words) list.add(chip("Au moins un des mots", query.with_any_words(false)));
  if (query.per_page != kResultsPerPage)
    list.add(chip(std::to_string(query.per_page) + " résultats par page",
                  query.with_per_page(kResultsPerPage)));
  Node clear("li");
  clear.add(html::element_with_text(
      "a", "Tout effacer",
      {{"href", query.words_only().url("/recherche")}, {"class", "tout-effacer"}}));
  list.add(std::move(clear));
  div.add(std::move(list));
  return div;
}

}  // namespace vigie::web
