#include "http/http_router.h"

#include <algorithm>

namespace vigie::http {

void Router::add(Route route) { routes_.push_back(std::move(route)); }

bool Router::path_matches(const Route& route, const std::string& path, std::string* tail) const {
  if (!route.prefix) return path == route.pattern;
  const std::size_t fixed = route.pattern.size() + route.suffix.size();
  if (path.size() <= fixed || path.compare(0, route.pattern.size(), route.pattern) != 0 ||
      path.compare(path.size() - route.suffix.size(), route.suffix.size(), route.suffix) != 0)
    return false;
  *tail = path.substr(route.pattern.size(), path.size() - fixed);
  return true;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  std::vector<std::string> allowed;
  // Exact routes win over prefix routes whatever the registration order,
  // and prefix routes with a suffix over those without.
  enum Pass { kExact, kPrefixWithSuffix, kPrefix };
  auto pass_of = [](const Route& r) {
    return !r.prefix ? kExact : r.suffix.empty() ? kPrefix : kPrefixWithSuffix;
  };
  for (Pass pass : {kExact, kPrefixWithSuffix, kPrefix}) {
    for (const auto& route : routes_) {
      if (pass_of(route) != pass) continue;
      std::string tail;
      if (!path_matches(route, path, &tail)) continue;
      const bool same = route.method == method || (method == "HEAD" && route.method == "GET");
      if (same) {
        result.route = &route;
        result.tail = std::move(tail);
        result.status = 200;
        return result;
      }
      allowed.push_back(route.method);
      if (route.method == "GET") allowed.push_back("HEAD");
    }
    if (!allowed.empty()) break;  // the path exists: do not fall through to prefixes
  }
  if (allowed.empty()) return result;
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  result.status = 405;
  for (const auto& m : allowed) result.allow += (result.allow.empty() ? "" : ", ") + m;
  return result;
}

}  // namespace vigie::http
