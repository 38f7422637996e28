// Request limits checked before a handler runs (docs/architecture.md, "Server"):
// URL length (→ 414), total header size (→ 431), body size (→ 413).
//
// Poco 1.11 itself refuses (400, connection closed) a request line over
// 16 kB, a header name over 256 bytes, a value over 8 kB or more than 100
// fields (MessageHeader::setFieldLimit default) while parsing; our caps sit
// below those so clients get the precise status. Stateless; thread-safe.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <cstddef>
#include <optional>
#include <string>

#include "http/http_error.h"

namespace vigie::http {

struct RequestLimits {
  std::size_t max_uri_bytes = 8 * 1024;
  std::size_t max_header_bytes = 16 * 1024;  // names + values + separators
  std::size_t max_body_bytes = 64 * 1024;
};

// The first limit the request's head breaks, if any (needs no body read).
std::optional<HttpError> check_request_head(const Poco::Net::HTTPServerRequest& request,
                                            const RequestLimits& limits);

// Reads the whole body (Content-Length or chunked), at most
// limits.max_body_bytes; throws HttpError(413, close) beyond, 408 when it
// does not arrive in time (server.timeout_ms of silence, or the request's
// server.request_timeout_ms spent: http_connections.h), 400 when it is
// broken or cut short. Never returns a partial body.
std::string read_body(Poco::Net::HTTPServerRequest& request, const RequestLimits& limits);

}  // namespace vigie::http
