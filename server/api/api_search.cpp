#include "api/api_search.h"

#include "api/api_params.h"
#include "http/http_response.h"
#include "vigie/search_json.h"

namespace vigie::http {
namespace {

std::string trim_line(std::string json) {
  while (!json.empty() && (json.back() == '\n' || json.back() == '\r')) json.pop_back();
  return json;
}

void search(ApiContext& context, HttpExchange& ex) {
  const SearchRequest request =
      search_request_from(ex.params, context.config.search, ParamStyle::Api);
  // The answer depends on nothing but the request target and the index: cached.
  const auto body = context.cached(ex.request.getURI(), [&](Searcher& s) {
    return search_response_json(s.search(request), request.limit);
  });
  send_json(ex.response, 200, *body);
}

HttpError unknown_document(const std::string& id) {
  return HttpError(404, "Aucun document n’a l’identifiant « " + id.substr(0, 200) + " ».");
}

void document(ApiContext& context, HttpExchange& ex) {
  const std::string id = document_id(ex);
  struct Found {
    std::optional<SourceDocument> doc;
    Searcher::Relations relations;
  };
  Found found = context.with_searcher([&](Searcher& s) {
    Found f{s.document(id), {}};
    if (f.doc) f.relations = s.relations(id);
    return f;
  });
  if (!found.doc) throw unknown_document(id);
  send_json(ex.response, 200, document_json(*found.doc, found.relations));
}

void send_similar(HttpExchange& ex, const std::string& id, const std::vector<Hit>& hits) {
  std::string json = "{\"id\":" + json_string(id) + ",\"hits\":[";
  for (std::size_t i = 0; i < hits.size(); ++i)
    json += (i ? "," : "") + trim_line(hit_json(hits[i]));
  json += "]}";
  send_json(ex.response, 200, json);
}

// GET /api/documents/{id}/similar — and the document "{id}/similar" itself
// when there is no document {id} but there is one whose id ends with
// "/similar" (a client that left the id's slashes raw).
void similar(ApiContext& context, HttpExchange& ex, bool suffix_route) {
  const std::string id = document_id(ex);
  const std::size_t limit =
      size_param_of(ex.params, {"per_page", "limit"}, 10, 1, context.config.search.max_page_size);
  const std::string whole = suffix_route ? id + "/similar" : std::string();
  struct Found {
    std::optional<std::vector<Hit>> hits;
    std::optional<SourceDocument> document;  // the fallback
  };
  auto found = context.with_searcher([&](Searcher& s) {
    Found f;
    // similar() cannot tell "unknown id" from "nothing similar": ask first.
    if (s.document(id))
      f.hits = s.similar(id, limit);
    else if (!whole.empty())
      f.document = s.document(whole);
    return f;
  });
  if (found.hits) return send_similar(ex, id, *found.hits);
  if (found.document) return send_json(ex.response, 200, document_json(*found.document));
  throw unknown_document(id);
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
  auto bind_similar = [&context](bool suffix_route) {
    return [&context, suffix_route](HttpExchange& ex) { similar(context, ex, suffix_route); };
  };
  router.add({"GET", "/api/search", false, "/api/search", true, bind(search)});
  router.add({"GET", "/api/documents/", true, "/api/documents/{id}", true, bind(document)});
  router.add({"GET", "/api/documents/", true, "/api/documents/{id}/similar", true,
              bind_similar(true), "/similar"});
  // The first API's routes, kept as aliases.
  router.add({"GET", "/api/document", false, "/api/document", true, bind(document)});
  router.add({"GET", "/api/document/", true, "/api/document/{id}", true, bind(document)});
  router.add({"GET", "/api/similar", false, "/api/similar", true, bind_similar(false)});
  router.add({"GET", "/api/similar/", true, "/api/similar/{id}", true, bind_similar(false)});
}

}  // namespace vigie::http
