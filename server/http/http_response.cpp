#include "http/http_response.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "vigie/search_json.h"
#include "vigie/text_normalization.h"

namespace vigie::http {

void apply_security_headers(Poco::Net::HTTPServerResponse& response) {
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "same-origin");
  response.set("X-Frame-Options", "DENY");
  response.set("Content-Security-Policy", "default-src 'none'");
}

void send_body(Poco::Net::HTTPServerResponse& response, int status, std::string_view content_type,
               const std::string& body) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(std::string(content_type));
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  // sendBuffer writes headers and body in one go; for HEAD Poco sends the
  // headers only.
  response.sendBuffer(body.data(), body.size());
}

void send_json(Poco::Net::HTTPServerResponse& response, int status, const std::string& json) {
  send_body(response, status, kJsonType, json);
}

void send_error(Poco::Net::HTTPServerResponse& response, int status, const std::string& message,
                const HeaderList& headers) {
  for (const auto& [name, value] : headers) response.set(name, value);
  send_json(response, status, vigie::error_json(status, message));
}

std::string json_string(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  // RapidJSON writes bytes as given: ids decoded from a URL may be any bytes.
  const std::string valid = make_valid_utf8(text);
  writer.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace vigie::http
