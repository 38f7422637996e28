// Router: maps (method, path) to a route handler. Routes are registered once
// at start-up by each route group (api_*.cpp, admin_*.cpp, and later the HTML
// pages), then the table is only read: match() is safe from any thread once
// registration is over. Paths are matched raw (still percent-encoded) so that
// an id containing an encoded '/' stays one path segment until the handler
// decodes it.
//
// Two kinds of routes: exact ("/api/search") and prefix ("/api/documents/"
// + a non-empty remainder, handed to the handler as `tail`). A prefix route
// may also require a suffix ("/similar"): the tail is then what lies between
// them, and such routes are tried before plain prefix routes. The suffix is
// matched on the raw path, so an id that itself ends in "/similar" is
// reached by encoding its slash ("%2Fsimilar"). HEAD is served by a GET
// route (Poco sends the headers only). No match → 404; a path that exists
// with another method → 405 with the Allow list.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/http_exchange.h"

namespace vigie::http {

using RouteHandler = std::function<void(HttpExchange&)>;

struct Route {
  std::string method;   // "GET", "POST"
  std::string pattern;  // exact path, or prefix when `prefix` is true
  bool prefix = false;
  std::string name;  // label for metrics and logs: "/api/document/{id}"
  // Waits for a worker at the admission gate (searches, pages, exports);
  // /health and /metrics do not, so probes still answer when the server is
  // saturated.
  bool limited = true;
  RouteHandler handler;
  std::string suffix = {};  // prefix routes only: the raw path must also end with it
};

struct RouteMatch {
  const Route* route = nullptr;  // null when status is 404 or 405
  std::string tail;              // raw remainder for prefix routes
  int status = 404;              // 200 when a route matched
  std::string allow;             // for 405: "GET, HEAD"
};

class Router {
 public:
  void add(Route route);
  RouteMatch match(const std::string& method, const std::string& path) const;

 private:
  bool path_matches(const Route& route, const std::string& path, std::string* tail) const;
  std::vector<Route> routes_;
};

}  // namespace vigie::http
