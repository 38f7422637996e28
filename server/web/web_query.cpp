#include "web/web_query.h"

#include <algorithm>

#include "api/api_params.h"
#include "http/http_error.h"

namespace vigie::web {
namespace {

SortOrder parse_tri(const std::string& value) {
  if (value.empty() || value == "pertinence" || value == "relevance") return SortOrder::Relevance;
  if (value == "recents" || value == "récents" || value == "date" || value == "newest")
    return SortOrder::Newest;
  if (value == "anciens" || value == "oldest") return SortOrder::Oldest;
  if (value == "montant" || value == "amount") return SortOrder::Amount;
  throw http::HttpError(400, "Tri inconnu : « " + value.substr(0, 40) +
                                 " ». Valeurs possibles : pertinence, recents (plus récents "
                                 "d’abord), anciens (plus anciens d’abord), montant (montant le "
                                 "plus élevé d’abord).");
}

std::size_t parse_per_page(const std::string& value) {
  for (std::size_t choice : kPerPageChoices)
    if (value == std::to_string(choice)) return choice;
  throw http::HttpError(400, "Nombre de résultats par page inconnu : « " + value.substr(0, 40) +
                                 " ». Valeurs possibles : 10, 20 ou 50.");
}

bool parse_spelling(const std::string& value) {
  if (value.empty() || value == "corrigee" || value == "corrigée") return false;
  if (value == "exacte") return true;
  throw http::HttpError(400, "Valeur inconnue pour « orthographe » : « " + value.substr(0, 40) +
                                 " ». Valeurs possibles : exacte (chercher les mots tels quels) "
                                 "ou corrigee.");
}

bool parse_words(const std::string& value) {
  if (value.empty() || value == "tous") return false;
  if (value == "un") return true;
  throw http::HttpError(400, "Valeur inconnue pour « mots » : « " + value.substr(0, 40) +
                                 " ». Valeurs possibles : tous (les documents qui contiennent "
                                 "tous les mots) ou un (au moins un des mots).");
}

void append(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  if (!out.empty()) out += '&';
  out += name;
  out += '=';
  out += http::percent_encode(value);
}

template <typename Query>  // WebQuery or const WebQuery
auto& list_of(Query& q, Filter filter) {
  switch (filter) {
    case Filter::Type:
      return q.types;
    case Filter::Collectivite:
      return q.collectivites;
    case Filter::Annee:
      return q.annees;
    case Filter::Personne:
      return q.personnes;
    case Filter::Vote:
      return q.votes;
    case Filter::Montant:
      return q.montants;
  }
  return q.types;
}

std::string filters_string(const WebQuery& q) {
  std::string out;
  append(out, "q", q.q);
  for (const auto& t : q.types) append(out, "type", t);
  for (const auto& c : q.collectivites) append(out, "collectivite", c);
  for (const auto& p : q.personnes) append(out, "personne", p);
  for (const auto& a : q.annees) append(out, "annee", a);
  for (const auto& v : q.votes) append(out, "vote", v);
  for (const auto& m : q.montants) append(out, "montant", m);
  append(out, "du", q.du);
  append(out, "au", q.au);
  if (q.exact_spelling) append(out, "orthographe", "exacte");
  if (q.any_words) append(out, "mots", "un");
  return out;
}

}  // namespace

std::string_view tri_name(SortOrder sort) {
  switch (sort) {
    case SortOrder::Newest:
      return "recents";
    case SortOrder::Oldest:
      return "anciens";
    case SortOrder::Amount:
      return "montant";
    case SortOrder::Relevance:
      break;
  }
  return "";  // pertinence, the default: not spelt
}

std::size_t WebQuery::max_page() const { return http::kMaxOffset / per_page + 1; }

WebQuery WebQuery::parse(const http::QueryParams& params) {
  WebQuery q;
  if (auto v = params.single("q")) q.q = *v;
  q.types = params.all("type");
  q.collectivites = params.all("collectivite");
  q.annees = params.all("annee");
  q.personnes = params.all("personne");
  q.votes = params.all("vote");
  q.montants = params.all("montant");
  if (auto v = params.single("du")) q.du = *v;
  if (auto v = params.single("au")) q.au = *v;
  if (auto v = params.single("tri")) q.sort = parse_tri(*v);
  if (auto v = http::single_of(params, {"par_page", "per_page"})) q.per_page = parse_per_page(*v);
  if (auto v = params.single("orthographe")) q.exact_spelling = parse_spelling(*v);
  if (auto v = params.single("mots")) q.any_words = parse_words(*v);
  q.page = http::size_param(params, "page", 1, 1, q.max_page());
  return q;
}

SearchRequest WebQuery::search_request(const http::QueryParams& params,
                                       const SearchConfig& config) const {
  // The filters go through the API's own parsing (same validation, same
  // messages); paging and sort are the page's own parameters.
  const auto filters = params.without("sort")
                           .without("offset")
                           .without("limit")
                           .without("facets")
                           .without("extracts")
                           .without("explain")
                           .without("organisation")
                           .without("person")
                           .without("par_page")
                           .without("per_page")
                           .without("orthographe")
                           .without("mots");
  SearchRequest request = http::search_request_from(filters, config);
  request.sort = sort;
  request.offset = (page - 1) * per_page;
  request.limit = per_page;
  request.correct = !exact_spelling;
  request.any_words = any_words;
  return request;
}

bool WebQuery::has_filter(Filter filter, std::string_view value) const {
  const auto& list = list_of(*this, filter);
  return std::find(list.begin(), list.end(), value) != list.end();
}

const std::vector<std::string>& WebQuery::values(Filter filter) const {
  return list_of(*this, filter);
}

bool WebQuery::empty() const {
  return q.empty() && types.empty() && collectivites.empty() && annees.empty() &&
         personnes.empty() && votes.empty() && montants.empty() && du.empty() && au.empty();
}

bool WebQuery::has_refinements() const {
  return !types.empty() || !collectivites.empty() || !annees.empty() || !personnes.empty() ||
         !votes.empty() || !montants.empty() || !du.empty() || !au.empty() ||
         sort != SortOrder::Relevance || per_page != kResultsPerPage || any_words;
}

WebQuery WebQuery::with_page(std::size_t n) const {
  WebQuery copy = *this;
  copy.page = n;
  return copy;
}

WebQuery WebQuery::toggled(Filter filter, std::string_view value) const {
  WebQuery copy = *this;
  copy.page = 1;
  auto& list = list_of(copy, filter);
  auto it = std::find(list.begin(), list.end(), value);
  if (it != list.end())
    list.erase(it);
  else
    list.emplace_back(value);
  return copy;
}

WebQuery WebQuery::with_sort(SortOrder order) const {
  WebQuery copy = *this;
  copy.page = 1;
  copy.sort = order;
  return copy;
}

WebQuery WebQuery::without_period() const {
  WebQuery copy = *this;
  copy.page = 1;
  copy.du.clear();
  copy.au.clear();
  return copy;
}

WebQuery WebQuery::with_per_page(std::size_t n) const {
  WebQuery copy = *this;
  copy.page = 1;
  copy.per_page = n;
  return copy;
}

WebQuery WebQuery::with_any_words(bool any) const {
  WebQuery copy = *this;
  copy.page = 1;
  copy.any_words = any;
  return copy;
}

WebQuery WebQuery::words_only() const {
  WebQuery copy;
  copy.q = q;
  copy.exact_spelling = exact_spelling;
  return copy;
}

std::string WebQuery::query_string() const {
  std::string out = filters_string(*this);
  append(out, "tri", tri_name(sort));
  if (per_page != kResultsPerPage) append(out, "par_page", std::to_string(per_page));
  if (page > 1) append(out, "page", std::to_string(page));
  return out;
}

std::string WebQuery::url(std::string_view path) const {
  const std::string qs = query_string();
  return std::string(path) + (qs.empty() ? "" : "?" + qs);
}

std::string WebQuery::export_csv_url() const {
  std::string qs = filters_string(*this);
  append(qs, "sort",
         sort == SortOrder::Newest   ? "date"
         : sort == SortOrder::Oldest ? "oldest"
         : sort == SortOrder::Amount ? "amount"
                                     : "");
  append(qs, "format", "csv");
  return "/api/export?" + qs;
}

}  // namespace vigie::web
