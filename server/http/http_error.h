// HttpError: an HTTP status and a user-facing message (French), thrown by
// route handlers and limit checks, turned into {"error": {...}} JSON by the
// request boundary (http_server.cpp). Extra headers ride along (Allow for
// 405, Retry-After for 503, WWW-Authenticate for 401).
// Plain value type.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace vigie::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, const std::string& message, HeaderList headers = {}, bool close = false)
      : std::runtime_error(message), status_(status), headers_(std::move(headers)), close_(close) {}

  int status() const { return status_; }
  const HeaderList& headers() const { return headers_; }
  // The connection must be closed after the answer (unread body, broken framing).
  bool close_connection() const { return close_; }

 private:
  int status_;
  HeaderList headers_;
  bool close_;
};

}  // namespace vigie::http
