// Response helpers: security headers, JSON bodies, error bodies. Stateless
// free functions; safe from any thread on distinct responses.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <string_view>

#include "http/http_error.h"

namespace vigie::http {

inline constexpr std::string_view kJsonType = "application/json; charset=utf-8";

// Headers on every response. CSP "default-src 'none'" suits JSON and text;
// HTML routes override Content-Security-Policy with what their pages need.
void apply_security_headers(Poco::Net::HTTPServerResponse& response);

// Sends a complete body with Content-Length.
void send_body(Poco::Net::HTTPServerResponse& response, int status, std::string_view content_type,
               const std::string& body);
void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json);
// {"error": {"status": N, "message": "..."}} plus the error's headers.
void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& message,
                const HeaderList& headers = {});

// A JSON string literal (quoted, escaped) for hand-assembled JSON.
std::string json_string(std::string_view text);

}  // namespace vigie::http
