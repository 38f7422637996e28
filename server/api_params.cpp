#include "api_params.h"

#include <charconv>

#include "http_error.h"
#include "vigie/document.h"

namespace vigie::http {
namespace {

HttpError bad(const std::string& message) { return HttpError(400, message); }

std::string valid_types() {
  std::string out;
  for (auto t : all_doc_types()) out += (out.empty() ? "" : ", ") + std::string(doc_type_key(t));
  return out;
}

std::string date_param(const QueryParams& params, const std::string& name) {
  auto value = params.single(name);
  if (!value) return {};
  if (!Date::parse(*value))
    throw bad("Le paramètre « " + name +
              " » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « " +
              value->substr(0, 40) + " ».");
  return *value;
}

}  // namespace

std::size_t size_param(const QueryParams& params, const std::string& name, std::size_t fallback,
                       std::size_t min, std::size_t max) {
  auto value = params.single(name);
  if (!value) return fallback;
  std::size_t n = 0;
  const char* end = value->data() + value->size();
  auto [ptr, ec] = std::from_chars(value->data(), end, n);
  if (ec != std::errc() || ptr != end || n < min || n > max)
    throw bad("Le paramètre « " + name + " » doit être un entier entre " + std::to_string(min) +
              " et " + std::to_string(max) + " ; reçu « " + value->substr(0, 40) + " ».");
  return n;
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

SearchRequest search_request_from(const QueryParams& params, const SearchConfig& config) {
  SearchRequest request;
  if (auto q = params.single("q")) request.query = *q;  // the parser judges syntax and UTF-8

  for (const auto& t : params.all("type")) {
    if (!parse_doc_type(t))
      throw bad("Type de document inconnu : « " + t.substr(0, 40) +
                " ». Valeurs possibles : " + valid_types() + ".");
    request.types.push_back(t);
  }
  request.organisations = params.all("collectivite");
  for (const auto& o : params.all("organisation")) request.organisations.push_back(o);
  for (const auto& y : params.all("annee")) {
    int year = 0;
    auto [ptr, ec] = std::from_chars(y.data(), y.data() + y.size(), year);
    if (ec != std::errc() || ptr != y.data() + y.size() || year < 1000 || year > 9999)
      throw bad("Le paramètre « annee » attend une année sur quatre chiffres ; reçu « " +
                y.substr(0, 40) + " ».");
    request.years.push_back(year);
  }
  request.date_from = date_param(params, "du");
  request.date_to = date_param(params, "au");
  if (auto s = params.single("sort")) {
    auto order = parse_sort_order(*s);
    if (!order)
      throw bad("Tri inconnu : « " + s->substr(0, 40) +
                " ». Valeurs possibles : relevance (pertinence), date (plus récents d’abord), "
                "oldest (plus anciens "
                "d’abord).");
    request.sort = *order;
  }
  request.offset = size_param(params, "offset", 0, 0, kMaxOffset);
  request.limit = size_param(params, "limit", 10, 0, config.max_page_size);
  request.facets = bool_param(params, "facets", true);
  request.extracts = bool_param(params, "extracts", true);
  request.explain = bool_param(params, "explain", false);
  return request;
}

}  // namespace vigie::http
