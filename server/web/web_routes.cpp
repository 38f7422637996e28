#include "web/web_routes.h"

#include <memory>

#include "http/http_query.h"
#include "web/web_advanced_search.h"
#include "web/web_atom.h"
#include "web/web_document.h"
#include "web/web_home.h"
#include "web/web_layout.h"
#include "web/web_query.h"
#include "web/web_results.h"
#include "web/web_search_form.h"
#include "web/web_source.h"
#include "web/web_static.h"

namespace vigie::web {
namespace {

// What the page handlers share, built once at start-up and read-only after.
struct Site {
  http::ApiContext& api;
  StaticAssets assets;
  SourceRoots roots;
};

// A GET route, field by field: Route may grow fields (designated by name
// here, so this stays correct and warning-free when it does).
http::Route get_route(std::string pattern, bool prefix, std::string name, bool limited,
                      http::RouteHandler handler) {
  http::Route route;
  route.method = "GET";
  route.pattern = std::move(pattern);
  route.prefix = prefix;
  route.name = std::move(name);
  route.limited = limited;
  route.handler = std::move(handler);
  return route;
}

bool is_api_path(const std::string& path) { return path == "/api" || path.rfind("/api/", 0) == 0; }

// Errors of an HTML route become French HTML pages. Status and messages are
// those the JSON API would give; only the clothing changes.
void serve_page(http::HttpExchange& ex, const std::function<void()>& page) {
  try {
    page();
  } catch (const http::HttpError& e) {
    if (ex.response.sent()) throw;
    send_error_page(ex.response, e.status(), "", e.what(), html::Node::fragment(), e.headers());
  } catch (const QuerySyntaxError& e) {
    if (ex.response.sent()) throw;
    // Show the form again with the query, so it can be fixed in place.
    WebQuery query;
    if (auto q = ex.params.single("q")) query.q = *q;
    send_error_page(ex.response, 400, "Requête invalide",
                    std::string(e.what()) + " Corrigez la requête ci-dessous.",
                    search_form(query, {}));
  } catch (const IndexUnavailable&) {
    if (ex.response.sent()) throw;
    send_error_page(ex.response, 503, "Index en cours de reconstruction",
                    "L’index de recherche est en cours de construction ou de reconstruction. "
                    "Réessayez dans quelques secondes.",
                    html::Node::fragment(), {{"Retry-After", "5"}});
  }
}

void not_found_page(http::HttpExchange& ex) {
  send_error_page(ex.response, 404, "Page introuvable",
                  "Il n’y a pas de page à cette adresse. Elle a peut-être changé, ou le lien est "
                  "incomplet.");
}

}  // namespace

void register_web_routes(http::Router& router, http::ApiContext& api, const Config& config) {
  auto site = std::make_shared<Site>(
      Site{api, StaticAssets(StaticAssets::default_dir()), SourceRoots(config.indexer.roots)});
  auto page = [site](void (*fn)(Site&, http::HttpExchange&)) {
    return [site, fn](http::HttpExchange& ex) { serve_page(ex, [&] { fn(*site, ex); }); };
  };
  router.add(get_route("/", false, "/", true,
                       page([](Site& s, http::HttpExchange& ex) { serve_home(s.api, ex); })));
  router.add(get_route("/recherche", false, "/recherche", true,
                       page([](Site& s, http::HttpExchange& ex) { serve_results(s.api, ex); })));
  router.add(get_route("/recherche-avancee", false, "/recherche-avancee", true,
                       page([](Site&, http::HttpExchange& ex) { serve_advanced_search(ex); })));
  // The feed is XML: its errors stay HTML pages (a reader shows the status).
  router.add(get_route("/recherche.atom", false, "/recherche.atom", true,
                       page([](Site& s, http::HttpExchange& ex) { serve_atom(s.api, ex); })));
  router.add(
      get_route("/document/", true, "/document/{id}", true,
                page([](Site& s, http::HttpExchange& ex) { serve_document(s.api, s.roots, ex); })));
  router.add(
      get_route("/source/", true, "/source/{id}", true,
                page([](Site& s, http::HttpExchange& ex) { serve_source(s.api, s.roots, ex); })));
  router.add(get_route("/static/", true, "/static/{file}", false,
                       page([](Site& s, http::HttpExchange& ex) {
                         std::string name;
                         try {
                           name = http::percent_decode(ex.tail, false);
                         } catch (const std::invalid_argument&) {
                         }
                         if (!s.assets.send(name, ex.response)) not_found_page(ex);
                       })));
  // Registered last and matched last (prefix routes come after exact ones,
  // in registration order): every other GET. Does not wait for a worker
  // (admission gate), like a 404 before it.
  router.add(get_route("/", true, "unmatched", false, [](http::HttpExchange& ex) {
    if (is_api_path(ex.path)) {
      // The API keeps its JSON 404, written by the request boundary.
      std::string shown = ex.path.substr(0, 200);
      for (auto& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
      throw http::HttpError(404, "Aucune ressource à cette adresse : " + shown);
    }
    not_found_page(ex);
  }));
}

}  // namespace vigie::web
