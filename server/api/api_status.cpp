#include "api/api_status.h"

#include <optional>
#include <utility>

#include "http/http_response.h"
#include "vigie/index_directory.h"

namespace vigie::http {
namespace {

struct IndexState {
  Xapian::doccount documents = 0;
  std::string generation;
};

// The live index as a Searcher sees it; nullopt (with the reason) when there is none.
std::optional<IndexState> index_state(ApiContext& context, std::string* reason) {
  if (!IndexDirectory(context.pool.index_dir()).exists()) {
    *reason =
        "Aucun index n’est disponible pour l’instant (" + context.pool.index_dir().string() + ").";
    return std::nullopt;
  }
  try {
    return context.with_searcher([](Searcher& s) {
      return std::optional<IndexState>(IndexState{s.document_count(), s.generation()});
    });
  } catch (const IndexUnavailable& e) {
    *reason = e.what();
    return std::nullopt;
  }
}

void health(ApiContext& context, HttpExchange& ex) {
  std::string reason;
  auto state = index_state(context, &reason);
  if (!state) {
    ex.response.set("Retry-After", "5");
    send_json(ex.response, 503,
              "{\"status\":\"unavailable\",\"message\":" + json_string(reason) + "}");
    return;
  }
  send_json(ex.response, 200,
            "{\"status\":\"ok\",\"documents\":" + std::to_string(state->documents) +
                ",\"generation\":" + json_string(state->generation) + "}");
}

void metrics(ApiContext& context, const std::function<ScrapeGauges()>& server_gauges,
             HttpExchange& ex) {
  ScrapeGauges gauges = server_gauges();
  std::string ignored;
  if (auto state = index_state(context, &ignored)) {
    gauges.documents = state->documents;
    gauges.generation = state->generation;
  }
  send_body(ex.response, 200, "text/plain; version=0.0.4; charset=utf-8",
            context.metrics.render(gauges));
}

}  // namespace

void register_status_routes(Router& router, ApiContext& context,
                            std::function<ScrapeGauges()> server_gauges) {
  router.add({"GET", "/health", false, "/health", false,
              [&context](HttpExchange& ex) { health(context, ex); }});
  router.add({"GET", "/metrics", false, "/metrics", false,
              [&context, server_gauges = std::move(server_gauges)](HttpExchange& ex) {
                metrics(context, server_gauges, ex);
              }});
}

}  // namespace vigie::http
