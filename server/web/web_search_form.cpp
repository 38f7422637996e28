#include "web/web_search_form.h"

#include <algorithm>

#include "vigie/document.h"
#include "web/web_filter_chips.h"

namespace vigie::web {

using html::Node;

namespace {

Node option(std::string_view value, std::string_view label, bool selected) {
  Node o("option", {{"value", std::string(value)}});
  if (selected) o.flag("selected");
  o.add_text(label);
  return o;
}

Node field(Node label, Node control) {
  Node div("div", {{"class", "champ"}});
  div.add(std::move(label));
  div.add(std::move(control));
  return div;
}

Node label_for(std::string_view id, std::string_view text) {
  return html::element_with_text("label", text, {{"for", std::string(id)}});
}

// A filter the form's fields do not show, carried along. (The name used to
// be chosen among type, collectivite and annee, so a personne filter came
// back as a year.)
Node hidden(html::Name name, const std::string& value) {
  return Node("input", {{"type", "hidden"}, {"value", value}, {"name", name.c_str()}});
}

}  // namespace

Node doc_type_select(std::string_view current) {
  Node select("select", {{"id", "type"}, {"name", "type"}});
  select.add(option("", "Tous les types", current.empty()));
  for (DocType t : all_doc_types()) {
    const std::string key(doc_type_key(t));
    std::string label(doc_type_label(t));
    if (!label.empty())
      label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
    const auto chosen = parse_doc_type(current);
    const bool selected = current == key || (chosen && *chosen == t);
    select.add(option(key, label, selected));
  }
  return select;
}

Node period_input(html::Name id_and_name, const std::string& value) {
  Node input("input", {{"type", "text"},
                       {"value", value},
                       {"inputmode", "numeric"},
                       {"placeholder", "AAAA-MM-JJ"},
                       {"aria-describedby", "format-date"}});
  input.attr("id", id_and_name.c_str());
  input.attr("name", id_and_name.c_str());
  return input;
}

namespace {

Node organisation_control(const WebQuery& query, const std::vector<FacetValue>& organisations) {
  const std::string current = query.collectivites.empty() ? "" : query.collectivites.front();
  if (organisations.empty())
    return Node("input", {{"id", "collectivite"},
                          {"name", "collectivite"},
                          {"type", "text"},
                          {"value", current},
                          {"autocomplete", "off"}});
  std::vector<FacetValue> sorted = organisations;
  std::sort(sorted.begin(), sorted.end(),
            [](const FacetValue& a, const FacetValue& b) { return a.label < b.label; });
  Node select("select", {{"id", "collectivite"}, {"name", "collectivite"}});
  select.add(option("", "Toutes les collectivités", current.empty()));
  bool found = current.empty();
  for (const auto& o : sorted) {
    const bool selected = !current.empty() && (current == o.key || current == o.label);
    found = found || selected;
    select.add(option(o.label, o.label, selected));
  }
  // A collectivité typed in the URL but absent from the list stays selected.
  if (!found) select.add(option(current, current, true));
  return select;
}

}  // namespace

Node search_form(const WebQuery& query, const std::vector<FacetValue>& organisations) {
  Node form("form", {{"role", "search"},
                     {"action", "/recherche"},
                     {"method", "get"},
                     {"class", "recherche"},
                     {"aria-label", "Rechercher des documents"}});
  Node line("div", {{"class", "ligne-recherche"}});
  line.add(label_for("q", "Rechercher dans les textes"));
  Node row("div", {{"class", "saisie"}});
  row.add(Node("input", {{"id", "q"},
                         {"name", "q"},
                         {"type", "search"},
                         {"value", query.q},
                         {"aria-describedby", "aide-requete"},
                         {"spellcheck", "false"},
                         {"autocomplete", "off"}}));
  row.add(html::element_with_text("button", "Rechercher", {{"type", "submit"}}));
  line.add(std::move(row));
  Node hint("p", {{"id", "aide-requete"}, {"class", "indice"}});
  hint.add(html::element_with_text(
      "span", "Mots, « expression », OU, SAUF, titre:…, collectivite:…, date:2020..2023. ",
      {{"class", "aide-syntaxe"}}));
  hint.add(html::element_with_text("a", "Recherche avancée", {{"href", "/recherche-avancee"}}));
  line.add(std::move(hint));
  form.add(std::move(line));
  form.add(filter_chips(query));

  Node fold("details", {{"class", "repliable options-recherche"}});
  fold.add(html::element_with_text("summary", "Filtres, période et tri"));
  Node filters("fieldset", {{"class", "filtres"}});
  filters.add(html::element_with_text("legend", "Affiner"));
  filters.add(field(label_for("type", "Type de document"),
                    doc_type_select(query.types.empty() ? "" : query.types.front())));
  filters.add(
      field(label_for("collectivite", "Collectivité"), organisation_control(query, organisations)));
  Node du = period_input("du", query.du);
  Node au = period_input("au", query.au);
  Node period("fieldset", {{"class", "periode"}});
  period.add(html::element_with_text("legend", "Période"));
  period.add(html::element_with_text("span", "AAAA, AAAA-MM ou AAAA-MM-JJ",
                                     {{"class", "indice"}, {"id", "format-date"}}));
  period.add(field(label_for("du", "Du"), std::move(du)));
  period.add(field(label_for("au", "au"), std::move(au)));
  filters.add(std::move(period));
  Node sort("select", {{"id", "tri"}, {"name", "tri"}});
  sort.add(option("pertinence", "Pertinence", query.sort == SortOrder::Relevance));
  sort.add(option("recents", "Plus récents d’abord", query.sort == SortOrder::Newest));
  sort.add(option("anciens", "Plus anciens d’abord", query.sort == SortOrder::Oldest));
  sort.add(option("montant", "Montant le plus élevé d’abord", query.sort == SortOrder::Amount));
  filters.add(field(label_for("tri", "Trier par"), std::move(sort)));
  Node per_page("select", {{"id", "par_page"}, {"name", "par_page"}});
  for (std::size_t n : kPerPageChoices)
    per_page.add(option(std::to_string(n), std::to_string(n), query.per_page == n));
  filters.add(field(label_for("par_page", "Résultats par page"), std::move(per_page)));
  // Several words: the results hold them all unless this is ticked.
  Node words("p", {{"class", "champ mots"}});
  Node any("input", {{"id", "mots"}, {"name", "mots"}, {"type", "checkbox"}, {"value", "un"}});
  if (query.any_words) any.flag("checked");
  words.add(std::move(any));
  words.add(label_for("mots", "Au moins un des mots (pas forcément tous)"));
  filters.add(std::move(words));
  fold.add(std::move(filters));
  form.add(std::move(fold));

  for (std::size_t i = 1; i < query.types.size(); ++i) form.add(hidden("type", query.types[i]));
  for (std::size_t i = 1; i < query.collectivites.size(); ++i)
    form.add(hidden("collectivite", query.collectivites[i]));
  for (const auto& a : query.annees) form.add(hidden("annee", a));
  for (const auto& p : query.personnes) form.add(hidden("personne", p));
  for (const auto& v : query.votes) form.add(hidden("vote", v));
  for (const auto& m : query.montants) form.add(hidden("montant", m));
  return form;
}

}  // namespace vigie::web
