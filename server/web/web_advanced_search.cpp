#include "web/web_advanced_search.h"

#include <sstream>
#include <vector>

#include "http/http_error.h"
#include "http/http_response.h"
#include "web/web_layout.h"
#include "web/web_query.h"
#include "web/web_search_form.h"

namespace vigie::web {

using html::Node;

namespace {

// The form's longest value: a field is a few words; the query as a whole is
// bounded again by search.max_query_bytes when searched.
constexpr std::size_t kMaxFieldBytes = 1000;

// The characters the query language reads as structure around words:
// quotation marks of every kind the lexer knows, parentheses, the field colon.
bool is_structure(std::string_view text, std::size_t at, std::size_t& length) {
  static const std::string_view kMarks[] = {"\"", "(", ")", ":", "«", "»", "“", "”", "„"};
  for (auto mark : kMarks)
    if (text.substr(at, mark.size()) == mark) {
      length = mark.size();
      return true;
    }
  return false;
}

std::string without_structure(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    if (is_structure(text, i, length)) {
      out += ' ';
    } else {
      out += text[i];
    }
    i += length;
  }
  return out;
}

bool is_operator(const std::string& word) {
  return word == "AND" || word == "ET" || word == "OR" || word == "OU" || word == "NOT" ||
         word == "SAUF" || word.starts_with("NEAR") || word.starts_with("PROCHE");
}

// The words of a field, each safe to write bare in a query.
std::vector<std::string> plain_words(std::string_view text) {
  std::vector<std::string> words;
  std::istringstream in(without_structure(text));
  for (std::string w; in >> w;) {
    std::size_t start = w.find_first_not_of("-+=");
    if (start == std::string::npos) continue;
    w.erase(0, start);
    while (!w.empty() && w.back() == '*') w.pop_back();
    if (w.empty()) continue;
    if (is_operator(w))
      for (auto& c : w) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    words.push_back(std::move(w));
  }
  return words;
}

// A value written between quotation marks ("" when it holds no word).
std::string as_phrase(std::string_view text) {
  std::istringstream in(without_structure(text));
  std::string out;
  for (std::string w; in >> w;) out += (out.empty() ? "" : " ") + w;
  return out.empty() ? out : '"' + out + '"';
}

void add(std::string& query, const std::string& part) {
  if (part.empty()) return;
  if (!query.empty()) query += ' ';
  query += part;
}

std::string field_value(const http::QueryParams& params, const char* name) {
  auto value = params.single(name);
  if (!value) return {};
  if (value->size() > kMaxFieldBytes)
    throw http::HttpError(400, "Champ « " + std::string(name) + " » trop long (" +
                                   std::to_string(value->size()) + " octets, maximum " +
                                   std::to_string(kMaxFieldBytes) + ") : raccourcissez-le.");
  return *value;
}

Node text_field(const char* id, std::string_view label, std::string_view hint,
                const std::string& value) {
  Node div("div", {{"class", "champ"}});
  div.add(html::element_with_text("label", label, {{"for", id}}));
  Node input("input", {{"type", "text"}, {"value", value}, {"autocomplete", "off"}});
  input.attr("id", id);
  input.attr("name", id);
  div.add(std::move(input));
  if (!hint.empty()) div.add(html::element_with_text("p", hint, {{"class", "indice"}}));
  return div;
}

Node labelled(const char* id, std::string_view label, Node control) {
  Node div("div", {{"class", "champ"}});
  div.add(html::element_with_text("label", label, {{"for", id}}));
  div.add(std::move(control));
  return div;
}

Node advanced_form(const AdvancedSearch& f, const WebQuery& filters) {
  Node form("form", {{"action", "/recherche-avancee"},
                     {"method", "get"},
                     {"class", "recherche avancee"},
                     {"aria-label", "Recherche avancée"}});
  Node words("fieldset");
  words.add(html::element_with_text("legend", "Trouver les documents qui contiennent…"));
  words.add(text_field("tous", "tous ces mots", "budget cantine → budget cantine", f.all_words));
  words.add(text_field("expression", "cette expression",
                       "salle des fêtes → \"salle des fêtes\" (au pluriel aussi)", f.phrase));
  words.add(
      text_field("un_de", "l’un de ces mots", "école collège → (école OR collège)", f.any_words));
  words.add(text_field("aucun", "aucun de ces mots", "vente → -vente", f.none_words));
  form.add(std::move(words));
  Node where("fieldset");
  where.add(html::element_with_text("legend", "Préciser"));
  where.add(text_field("titre", "dans le titre", "voirie → titre:voirie", f.title));
  where.add(text_field("personne", "personne citée", "Martin → personne:\"Martin\"", f.person));
  where.add(text_field("numero", "numéro de l’acte", "2010/80 → numero:\"2010/80\"", f.number));
  where.add(labelled("type", "Type de document",
                     doc_type_select(filters.types.empty() ? "" : filters.types.front())));
  Node period("fieldset", {{"class", "periode"}});
  period.add(html::element_with_text("legend", "Période"));
  period.add(html::element_with_text("span", "AAAA, AAAA-MM ou AAAA-MM-JJ",
                                     {{"class", "indice"}, {"id", "format-date"}}));
  period.add(labelled("du", "Du", period_input("du", filters.du)));
  period.add(labelled("au", "au", period_input("au", filters.au)));
  where.add(std::move(period));
  form.add(std::move(where));
  form.add(html::element_with_text("button", "Rechercher", {{"type", "submit"}}));
  return form;
}

}  // namespace

AdvancedSearch AdvancedSearch::from(const http::QueryParams& params) {
  AdvancedSearch f;
  f.all_words = field_value(params, "tous");
  f.phrase = field_value(params, "expression");
  f.any_words = field_value(params, "un_de");
  f.none_words = field_value(params, "aucun");
  f.title = field_value(params, "titre");
  f.person = field_value(params, "personne");
  f.number = field_value(params, "numero");
  return f;
}

std::string advanced_query(const AdvancedSearch& f) {
  std::string query;
  for (const auto& w : plain_words(f.all_words)) add(query, w);
  add(query, as_phrase(f.phrase));
  const auto any = plain_words(f.any_words);
  if (any.size() == 1) add(query, any.front());
  if (any.size() > 1) {
    std::string group = "(";
    for (std::size_t i = 0; i < any.size(); ++i) group += (i ? " OR " : "") + any[i];
    add(query, group + ")");
  }
  for (const auto& w : plain_words(f.none_words)) add(query, "-" + w);
  for (const auto& w : plain_words(f.title)) add(query, "titre:" + w);
  if (auto person = as_phrase(f.person); !person.empty()) add(query, "personne:" + person);
  if (auto number = as_phrase(f.number); !number.empty()) add(query, "numero:" + number);
  return query;
}

void serve_advanced_search(http::HttpExchange& ex) {
  const AdvancedSearch fields = AdvancedSearch::from(ex.params);
  // Type and period are the results page's own filters (validated there).
  WebQuery results;
  results.q = advanced_query(fields);
  results.types = ex.params.all("type");
  std::erase(results.types, std::string());
  results.du = field_value(ex.params, "du");
  results.au = field_value(ex.params, "au");
  if (!results.empty()) {
    apply_html_headers(ex.response);
    ex.response.set("Location", results.url("/recherche"));
    http::send_body(ex.response, 303, "text/plain; charset=utf-8",
                    "Voir les résultats : " + results.url("/recherche") + "\n");
    return;
  }
  Node main = Node::fragment();
  main.add(html::element_with_text("h1", "Recherche avancée"));
  main.add(html::element_with_text(
      "p",
      "Remplissez un ou plusieurs champs : la recherche s’écrit alors dans le langage de "
      "recherche, que vous retrouverez dans la case de recherche des résultats.",
      {{"class", "intro"}}));
  main.add(advanced_form(fields, results));
  send_page(ex.response, 200, PageHead{"Recherche avancée", "", false}, std::move(main));
}

}  // namespace vigie::web
