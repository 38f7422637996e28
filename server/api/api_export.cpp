#include "api/api_export.h"

#include <algorithm>
#include <ostream>

#include "api/api_params.h"
#include "http/http_response.h"
#include "vigie/hit_csv.h"
#include "vigie/search_json.h"

namespace vigie::http {
namespace {

enum class ExportFormat { Csv, JsonLines };

ExportFormat export_format(const QueryParams& params) {
  auto format = params.single("format");
  if (!format || *format == "csv") return ExportFormat::Csv;
  if (*format == "jsonl" || *format == "ndjson") return ExportFormat::JsonLines;
  throw HttpError(400, "Format d’export inconnu : « " + format->substr(0, 40) +
                           " ». Valeurs possibles : csv, jsonl.");
}

std::string hit_record(ExportFormat format, const Hit& hit) {
  if (format == ExportFormat::Csv) return hit_csv_row(hit);
  std::string line = hit_json(hit);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  return line + '\n';
}

void export_hits(ApiContext& context, HttpExchange& ex) {
  const ExportFormat format = export_format(ex.params);
  // Same filters and validation as /api/search; paging is the export's own:
  // limit means "how many in all" (0 = all) and offset may go past the
  // search's page depth.
  const std::size_t cap = context.config.search.export_cap;
  SearchRequest request = search_filters_from(ex.params, ParamStyle::Api);
  request.offset = size_param(ex.params, "offset", 0, 0, cap);
  const std::size_t limit = size_param(ex.params, "limit", 0, 0, cap);
  const std::size_t wanted = limit == 0 ? cap : limit;
  request.facets = false;
  request.extracts = false;
  request.explain = false;
  // One row per family, as the results (all_files=1: every file).
  // A file holds what was asked: nothing in it could say it was corrected.
  request.correct = bool_param(ex.params, "correct", false);
  // The rows are what X-Vigie-Total counts: the documents with every word
  // (any_words=1: with some of them too).
  request.fill_with_some_words = false;

  auto lease = context.borrow();
  ApiContext::ReloadWatch watch(context.metrics, *lease);
  // Every page from the state the first one read: an incremental commit
  // between two pages would otherwise shift offsets (rows lost or repeated)
  // and mix two states in one file.
  SearcherPin pin(*lease);
  std::size_t offset = request.offset;
  request.limit = std::min(kExportPage, wanted);
  // The first page counts every match (exact_total), so X-Vigie-Total is the
  // exact number of rows to come; an export reads every hit anyway.
  request.exact_total = true;
  SearchResponse page = lease->search(request);  // before sending: errors still get JSON
  request.exact_total = false;

  auto& response = ex.response;
  const bool csv = format == ExportFormat::Csv;
  response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType(csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8");
  response.set("Content-Disposition", std::string("attachment; filename=\"vigie-export.") +
                                          (csv ? "csv" : "jsonl") + "\"");
  response.set("X-Vigie-Total", std::to_string(page.total));
  response.setChunkedTransferEncoding(true);
  response.set("X-Vigie-Export-Cap", std::to_string(cap));
  std::ostream& out = response.send();
  auto write = [&](const std::string& bytes) {
    out << bytes;
    ex.streamed_bytes += bytes.size();
  };
  if (csv) write(hit_csv_header());

  std::size_t written = 0;
  while (true) {
    for (const auto& hit : page.hits) {
      if (written == wanted) break;
      write(hit_record(format, hit));
      ++written;
    }
    offset += page.hits.size();
    out.flush();
    if (!out) return;  // client went away: stop matching for nobody
    if (written >= wanted || page.hits.empty()) break;
    if (page.total_exact && offset >= page.total) break;
    request.offset = offset;
    request.limit = std::min(kExportPage, wanted - written);
    page = lease->search(request);
  }
  context.metrics.observe_generation(lease->generation());
}

}  // namespace

void register_export_routes(Router& router, ApiContext& context) {
  router.add({"GET", "/api/export", false, "/api/export", true,
              [&context](HttpExchange& ex) { export_hits(context, ex); }});
}

}  // namespace vigie::http
