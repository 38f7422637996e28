#include "api/api_params.h"

#include <charconv>
#include <initializer_list>
#include <string_view>

#include "http/http_error.h"
#include "vigie/decision_search.h"
#include "vigie/document.h"

namespace vigie::http {
namespace {

HttpError bad(const std::string& message) { return HttpError(400, message); }

std::string valid_types() {
  std::string out;
  for (auto t : all_doc_types()) out += (out.empty() ? "" : ", ") + std::string(doc_type_key(t));
  return out;
}

std::size_t parse_size(const std::string& name, const std::string& value, std::size_t min,
                       std::size_t max) {
  std::size_t n = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, n);
  if (ec != std::errc() || ptr != end || n < min || n > max)
    throw bad("Le paramètre « " + name + " » doit être un entier entre " + std::to_string(min) +
              " et " + std::to_string(max) + " ; reçu « " + value.substr(0, 40) + " ».");
  return n;
}

const std::string kDepthText = "10 000";  // kMaxResultDepth, as a French reader writes it

// A date parameter known under `names` (see single_of); nullopt when absent.
std::optional<Date> date_param(const QueryParams& params,
                               std::initializer_list<const char*> names) {
  std::string name;
  auto value = single_of(params, names, &name);
  if (!value) return std::nullopt;
  auto date = Date::parse(*value);
  if (!date)
    throw bad("Le paramètre « " + name +
              " » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « " +
              value->substr(0, 40) + " ».");
  return date;
}

std::vector<DocType> type_params(const QueryParams& params) {
  std::vector<DocType> types;
  for (const auto& t : params.all("type")) {
    auto type = parse_doc_type(t);
    if (!type)
      throw bad("Type de document inconnu : « " + t.substr(0, 40) +
                " ». Valeurs possibles : " + valid_types() + ".");
    types.push_back(*type);
  }
  return types;
}

// f(name, value) for every value of a repeatable filter known under several
// names, in the order of `names`; the Form style does not know the first
// name (the Api style's own).
template <typename F>
void for_each_value(const QueryParams& params, std::initializer_list<const char*> names,
                    ParamStyle style, F&& f) {
  for (const char* name : names) {
    if (style == ParamStyle::Form && std::string_view(name) == *names.begin()) continue;
    for (const auto& value : params.all(name)) f(name, value);
  }
}

int year_value(const std::string& name, const std::string& text) {
  int year = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || ptr != text.data() + text.size() || year < 1000 || year > 9999)
    throw bad("Le paramètre « " + name + " » attend une année sur quatre chiffres ; reçu « " +
              text.substr(0, 40) + " ».");
  return year;
}

// vote=contre (repeatable, ORed): the query language's vote: values.
std::vector<VoteFilter> vote_params(const QueryParams& params) {
  std::vector<VoteFilter> votes;
  for (const auto& v : params.all("vote")) {
    auto vote = parse_vote_filter(v);
    if (!vote)
      throw bad("Vote inconnu : « " + v.substr(0, 40) +
                " ». Valeurs possibles : unanimite, majorite, rejet, contre (des voix contre), "
                "abstention.");
    votes.push_back(*vote);
  }
  return votes;
}

// montant=>10000, montant=1000..9999,99 (repeatable, ORed; the API also
// says amount): the query language's montant: values, the Montant facet's keys.
std::vector<AmountRange> amount_params(const QueryParams& params, ParamStyle style) {
  std::vector<AmountRange> ranges;
  for_each_value(params, {"amount", "montant"}, style, [&](const char* name, const std::string& v) {
    std::string error;
    auto range = parse_amount_range(v.substr(0, 100), error);
    if (!range) throw bad("Paramètre « " + std::string(name) + " » : " + error);
    ranges.push_back(*range);
  });
  return ranges;
}

SortOrder sort_param(const QueryParams& params) {
  auto s = params.single("sort");
  if (!s) return SortOrder::Relevance;
  auto order = parse_sort_order(*s);
  if (!order)
    throw bad("Tri inconnu : « " + s->substr(0, 40) +
              " ». Valeurs possibles : relevance (pertinence), date (plus récents d’abord), "
              "oldest (plus anciens d’abord), amount (montant le plus élevé d’abord).");
  return *order;
}

}  // namespace

std::optional<std::string> single_of(const QueryParams& params,
                                     std::initializer_list<const char*> names, std::string* used) {
  std::optional<std::string> found;
  const char* given = nullptr;
  for (const char* name : names) {
    if (!params.has(name)) continue;
    if (given)
      throw bad("Les paramètres « " + std::string(given) + " » et « " + name +
                " » disent la même chose ; n’en donnez qu’un.");
    given = name;
    found = params.single(name);
  }
  if (used) *used = given ? given : *names.begin();
  return found;
}

std::size_t size_param(const QueryParams& params, const std::string& name, std::size_t fallback,
                       std::size_t min, std::size_t max) {
  auto value = params.single(name);
  if (!value) return fallback;
  return parse_size(name, *value, min, max);
}

std::size_t size_param_of(const QueryParams& params, std::initializer_list<const char*> names,
                          std::size_t fallback, std::size_t min, std::size_t max) {
  std::string name;
  auto value = single_of(params, names, &name);
  return value ? parse_size(name, *value, min, max) : fallback;
}

bool bool_param(const QueryParams& params, const std::string& name, bool fallback) {
  auto value = params.single(name);
  if (!value) return fallback;
  const std::string& v = *value;
  if (v == "1" || v == "true" || v == "oui" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "non" || v == "no" || v == "off") return false;
  throw bad("Le paramètre « " + name + " » attend 1 ou 0 (true/false, oui/non) ; reçu « " +
            v.substr(0, 40) + " ».");
}

SearchRequest search_filters_from(const QueryParams& params, ParamStyle style) {
  const bool api = style == ParamStyle::Api;
  SearchRequest request;
  if (auto q = params.single("q")) request.query = *q;  // the parser judges syntax and UTF-8
  request.types = type_params(params);
  for_each_value(params, {"org", "collectivite", "organisation"}, style,
                 [&](const char*, const std::string& o) { request.organisations.push_back(o); });
  for_each_value(params, {"person", "personne"}, style,
                 [&](const char*, const std::string& p) { request.persons.push_back(p); });
  for_each_value(params, {"year", "annee"}, style, [&](const char* name, const std::string& y) {
    request.years.push_back(year_value(name, y));
  });
  request.dates.from = api ? date_param(params, {"from", "du"}) : date_param(params, {"du"});
  request.dates.to = api ? date_param(params, {"to", "au"}) : date_param(params, {"au"});
  if (request.dates.from && request.dates.to && request.dates.low() > request.dates.high())
    throw bad("Période impossible : le début (" + request.dates.from->french() +
              ") est après la fin (" + request.dates.to->french() + ") ; échangez les deux dates.");
  request.votes = vote_params(params);
  request.amounts = amount_params(params, style);
  request.sort = sort_param(params);
  request.facets = bool_param(params, "facets", true);
  request.extracts = bool_param(params, "extracts", true);
  request.explain = bool_param(params, "explain", false);
  // One result per family (docs/families.md) unless every file is asked for.
  request.collapse_duplicates = !bool_param(params, "all_files", false);
  // « au moins un des mots »: documents with some of the words are results too.
  request.any_words = bool_param(params, "any_words", false);
  request.correct = bool_param(params, "correct", true);
  return request;
}

SearchRequest search_request_from(const QueryParams& params, const SearchConfig& config,
                                  ParamStyle style) {
  SearchRequest request = search_filters_from(params, style);
  if (style == ParamStyle::Form) {
    request.offset = size_param(params, "offset", 0, 0, kMaxOffset);
    request.limit = size_param(params, "limit", 10, 0, config.max_page_size);
    return request;
  }
  std::string per_page_name;
  single_of(params, {"per_page", "limit"}, &per_page_name);
  const std::size_t per_page =
      size_param_of(params, {"per_page", "limit"}, 10, 0, config.max_page_size);
  request.limit = per_page;
  if (params.has("page") && params.has("offset"))
    throw bad("Donnez « page » ou « offset », pas les deux.");
  if (auto page = params.single("page")) {
    const std::size_t n = parse_size("page", *page, 1, kMaxResultDepth);
    if (n * per_page > kMaxResultDepth)
      throw bad("Page trop lointaine : page × per_page ne peut dépasser " + kDepthText + " (reçu " +
                std::to_string(n) + " × " + std::to_string(per_page) +
                "). Affinez la recherche, ou utilisez /api/export pour obtenir tous les "
                "résultats.");
    request.offset = (n - 1) * per_page;
  } else {
    request.offset = size_param(params, "offset", 0, 0, kMaxResultDepth);
    if (request.offset + per_page > kMaxResultDepth)
      throw bad("Page trop lointaine : offset + " + per_page_name + " ne peut dépasser " +
                kDepthText +
                ". Affinez la recherche, ou utilisez /api/export pour obtenir tous "
                "les résultats.");
  }
  return request;
}

}  // namespace vigie::http
