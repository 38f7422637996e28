// HttpExchange: what a route handler gets for one request — the Poco request
// and response, the raw path, the route's tail, the decoded query parameters
// and the body (already read and size-checked by the request boundary, so a
// handler never reads the socket itself and keep-alive framing stays intact).
// Lives on the stack of the worker thread for one request; not shared.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <string>

#include "http/http_query.h"

namespace vigie::http {

struct HttpExchange {
  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  std::string path;  // raw, percent-encoded, without the query
  std::string tail;  // raw remainder after a prefix route's pattern
  QueryParams params;
  std::string body;
  // Body bytes a streaming handler wrote (no Content-Length to read them
  // from), for the access log.
  std::uint64_t streamed_bytes = 0;
};

}  // namespace vigie::http
