#include "web/web_decisions.h"

#include <array>
#include <utility>

#include "vigie/decision_search.h"
#include "web/web_format.h"
#include "web/web_query.h"
#include "web/web_results.h"

namespace vigie::web {

using html::Node;

namespace {

std::string search_url(const std::string& q) {
  WebQuery query;
  query.q = q;
  return query.url("/recherche");
}

// The code a key names, as a reader knows it (decisions.h: code_key()).
std::string code_label(const std::string& key) {
  static const std::array<std::pair<std::string_view, std::string_view>, 11> kLabels = {{
      {"cgct", "CGCT"},
      {"urbanisme", "code de l’urbanisme"},
      {"environnement", "code de l’environnement"},
      {"commande-publique", "code de la commande publique"},
      {"marches-publics", "code des marchés publics"},
      {"cg3p", "CG3P"},
      {"construction-habitation", "code de la construction et de l’habitation"},
      {"voirie-routiere", "code de la voirie routière"},
      {"education", "code de l’éducation"},
      {"cgi", "code général des impôts"},
      {"travail", "code du travail"},
  }};
  for (const auto& [k, label] : kLabels)
    if (k == key) return std::string(label);
  return key;
}

// « article L2121-29 du CGCT », « loi n° 2004-809 du 13 août 2004 », and
// the search for it.
std::pair<std::string, std::string> reference_label(const LegalReference& r) {
  switch (r.kind) {
    case LegalReference::Kind::Article: {
      std::string label = "article " + r.article;
      if (!r.code.empty()) label += " (" + code_label(r.code) + ")";
      const std::string field = r.code.empty() ? r.article : r.code + ":" + r.article;
      return {label, "article:" + field};
    }
    case LegalReference::Kind::Loi:
    case LegalReference::Kind::Decret:
    case LegalReference::Kind::Ordonnance:
      break;
  }
  const bool loi = r.kind == LegalReference::Kind::Loi;
  const bool decret = r.kind == LegalReference::Kind::Decret;
  std::string label = loi ? "loi" : decret ? "décret" : "ordonnance";
  label += " n° " + r.number;
  if (r.date.known()) label += " du " + french_date(r.date.iso());
  return {label, std::string(loi ? "loi:" : decret ? "decret:" : "ordonnance:") + r.number};
}

Node link_to(const std::string& text, const std::string& href) {
  return html::element_with_text("a", text, {{"href", href}});
}

void add_row(Node& list, std::string_view label, Node value) {
  list.add(html::element_with_text("dt", label));
  list.add(Node("dd").add(std::move(value)));
}

Node vote_value(const Vote& vote) {
  Node value = Node::fragment();
  WebQuery filtered;
  filtered.votes = {std::string(vote_outcome_key(vote.outcome))};
  value.add(link_to(std::string(vote_outcome_label(vote.outcome)), filtered.url("/recherche")));
  const std::string text = vote_text(vote);
  const std::string label(vote_outcome_label(vote.outcome));
  if (text.size() > label.size()) value.add_text(text.substr(label.size()));
  return value;
}

Node amounts_value(const std::vector<Amount>& amounts) {
  Node list("ul", {{"class", "montants"}});
  for (const Amount& a : amounts) {
    std::string line = french_euros(a.euros);
    if (a.hors_taxes) line += " HT";
    if (a.role != AmountRole::Autre) line += " (" + std::string(amount_role_key(a.role)) + ")";
    Node li("li");
    li.add_text(line);
    if (!a.text.empty()) li.add(html::element_with_text("q", a.text, {{"class", "tel-quel"}}));
    list.add(std::move(li));
  }
  return list;
}

Node references_value(const std::vector<LegalReference>& legal) {
  Node list("ul", {{"class", "textes-cites"}});
  for (const LegalReference& r : legal) {
    const auto [label, query] = reference_label(r);
    Node li("li");
    li.add(link_to(label, search_url(query)));
    if (!r.text.empty()) li.add(html::element_with_text("q", r.text, {{"class", "tel-quel"}}));
    list.add(std::move(li));
  }
  return list;
}

Node member_link(const FamilyMember& m) {
  return link_to(m.title.empty() ? m.id : m.title, document_url(m.id, ""));
}

Node cited_list(const std::vector<Searcher::CitedAct>& cited) {
  Node list("ul", {{"class", "deliberations-citees"}});
  for (const auto& c : cited) {
    Node li("li");
    if (!c.act.verb.empty()) li.add_text(c.act.verb + " ");
    std::string what = "la délibération";
    if (!c.act.number.empty()) what += " n° " + c.act.number;
    if (c.act.date.known()) what += " du " + french_date(c.act.date.iso());
    if (c.document) {
      li.add(member_link(*c.document));
      li.add_text(" (" + what + ")");
    } else {
      li.add_text(what + " — absente de l’index");
      if (!c.act.text.empty())
        li.add(html::element_with_text("q", c.act.text, {{"class", "tel-quel"}}));
    }
    list.add(std::move(li));
  }
  return list;
}

Node cited_by_list(const std::vector<Searcher::Citing>& citing) {
  Node list("ul", {{"class", "citee-par"}});
  for (const auto& c : citing) {
    Node li("li");
    std::string phrase = cited_by_phrase(c.verb);
    if (phrase[0] >= 'a' && phrase[0] <= 'z') phrase[0] = static_cast<char>(phrase[0] - 'a' + 'A');
    li.add_text(phrase + " ");
    li.add(member_link(c.document));
    list.add(std::move(li));
  }
  return list;
}

}  // namespace

std::string cited_by_phrase(std::string_view verb) {
  static const std::array<std::pair<std::string_view, std::string_view>, 4> kIrregular = {{
      {"complète", "complétée par"},
      {"complete", "complétée par"},
      {"abroge", "abrogée par"},
      {"cite", "citée par"},
  }};
  for (const auto& [v, phrase] : kIrregular)
    if (v == verb) return std::string(phrase);
  // « rapporte », « modifie », « retire », « annule », « remplace »: -e → -ée.
  if (verb.size() > 2 && verb.back() == 'e' &&
      verb.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string_view::npos)
    return std::string(verb.substr(0, verb.size() - 1)) + "ée par";
  return "citée par";
}

Node decisions_section(const SourceDocument& doc, const Searcher::Relations& relations) {
  const Decisions& d = doc.decisions;
  if (d.empty() && relations.cited_by.empty()) return Node::fragment();
  Node section("section", {{"class", "decisions"}, {"aria-labelledby", "titre-decisions"}});
  section.add(
      html::element_with_text("h2", "Ce que décide la délibération", {{"id", "titre-decisions"}}));
  Node facts("dl", {{"class", "metadonnees"}});
  if (d.vote.known()) add_row(facts, "Vote", vote_value(d.vote));
  if (!d.amounts.empty())
    add_row(facts, d.amounts.size() > 1 ? "Montants" : "Montant", amounts_value(d.amounts));
  if (!d.legal.empty()) add_row(facts, "Textes cités", references_value(d.legal));
  if (!relations.cited.empty()) add_row(facts, "Délibérations citées", cited_list(relations.cited));
  if (!relations.cited_by.empty()) add_row(facts, "Citée par", cited_by_list(relations.cited_by));
  section.add(std::move(facts));
  return section;
}

}  // namespace vigie::web
