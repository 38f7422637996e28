#include "api_search.h"

#include "api_params.h"
#include "http_response.h"
#include "vigie/search_json.h"

namespace vigie::http {
namespace {

std::string trim_line(std::string json) {
  while (!json.empty() && (json.back() == '\n' || json.back() == '\r')) json.pop_back();
  return json;
}

void search(ApiContext& context, HttpExchange& ex) {
  const SearchRequest request = search_request_from(ex.params, context.config.search);
  auto response = context.with_searcher([&](Searcher& s) { return s.search(request); });
  send_json(ex.response, 200, search_response_json(response));
}

void document(ApiContext& context, HttpExchange& ex) {
  const std::string id = document_id(ex);
  auto doc = context.with_searcher([&](Searcher& s) { return s.document(id); });
  if (!doc) throw HttpError(404, "Aucun document n’a l’identifiant « " + id.substr(0, 200) + " ».");
  send_json(ex.response, 200, document_json(*doc));
}

void similar(ApiContext& context, HttpExchange& ex) {
  const std::string id = document_id(ex);
  const std::size_t limit =
      size_param(ex.params, "limit", 10, 1, context.config.search.max_page_size);
  auto hits = context.with_searcher([&](Searcher& s) -> std::optional<std::vector<Hit>> {
    // similar() cannot tell "unknown id" from "nothing similar": ask first.
    if (!s.document(id)) return std::nullopt;
    return s.similar(id, limit);
  });
  if (!hits)
    throw HttpError(404, "Aucun document n’a l’identifiant « " + id.substr(0, 200) + " ».");
  std::string json = "{\"id\":" + json_string(id) + ",\"hits\":[";
  for (std::size_t i = 0; i < hits->size(); ++i)
    json += (i ? "," : "") + trim_line(hit_json((*hits)[i]));
  json += "]}";
  send_json(ex.response, 200, json);
}

}  // namespace

std::string document_id(const HttpExchange& ex) {
  std::string id;
  if (!ex.tail.empty()) {
    try {
      id = percent_decode(ex.tail, /*plus_as_space=*/false);
    } catch (const std::invalid_argument&) {
      throw HttpError(
          400,
          "Identifiant de document mal encodé dans l’adresse (un « % » doit être suivi de deux "
          "chiffres hexadécimaux).");
    }
  } else if (auto value = ex.params.single("id")) {
    id = *value;
  }
  if (id.empty()) throw HttpError(400, "Il manque l’identifiant du document (paramètre « id »).");
  return id;
}

void register_search_routes(Router& router, ApiContext& context) {
  auto bind = [&context](void (*fn)(ApiContext&, HttpExchange&)) {
    return [&context, fn](HttpExchange& ex) { fn(context, ex); };
  };
  router.add({"GET", "/api/search", false, "/api/search", true, bind(search)});
  router.add({"GET", "/api/document", false, "/api/document", true, bind(document)});
  router.add({"GET", "/api/document/", true, "/api/document/{id}", true, bind(document)});
  router.add({"GET", "/api/similar", false, "/api/similar", true, bind(similar)});
  router.add({"GET", "/api/similar/", true, "/api/similar/{id}", true, bind(similar)});
}

}  // namespace vigie::http
