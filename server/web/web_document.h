// GET /document/{id}?q=… — one document: title, metadata (type, date,
// collectivité, personnes, lieu, numéro, source, format, and the extra
// key/values such as votes), a citation line with the permalink, the full
// text with the query's words highlighted (Searcher::highlight_all) and a
// link to the first match, the link to the source file (/source/{id}) when
// the server can serve it, and similar documents.
// The id is percent-encoded in the path (it holds '/', '#', spaces, accents).
#pragma once

#include "api/api_context.h"
#include "http/http_exchange.h"
#include "web/web_source.h"

namespace vigie::web {

void serve_document(http::ApiContext& api, const SourceRoots& roots, http::HttpExchange& exchange);

// "http://host:port" from the request's Host header (for the citation's
// permalink and the Atom feed, which need absolute URLs); "http://localhost"
// when the header is missing or holds anything but a host name and port.
std::string site_origin(const Poco::Net::HTTPServerRequest& request);

}  // namespace vigie::web
