#include "http/http_limits.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPMessage.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/String.h>

#include <istream>

namespace vigie::http {
namespace {

HttpError too_large_body(std::size_t max) {
  return HttpError(
      413,
      "Le corps de la requête dépasse la taille maximale de " + std::to_string(max) + " octets.",
      {}, /*close=*/true);
}

// Request smuggling: a body length two parties could read differently is
// refused (RFC 9112 §6.3) — Content-Length that is not plain digits (Poco
// reads "-1" as "no length"), repeated with different values (Poco keeps the
// first, a proxy may keep the last), or next to Transfer-Encoding.
std::optional<HttpError> ambiguous_length(const Poco::Net::HTTPServerRequest& request) {
  std::optional<std::string> length;
  bool bad = false, transfer_encoding = false;
  for (const auto& [name, value] : request) {
    if (Poco::icompare(name, "Transfer-Encoding") == 0) transfer_encoding = true;
    if (Poco::icompare(name, "Content-Length") != 0) continue;
    const bool digits =
        !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || (length && *length != value)) bad = true;
    length = value;
  }
  if (bad || (length && transfer_encoding))
    return HttpError(400, "Longueur du corps de la requête ambiguë ou invalide (Content-Length).",
                     {},
                     /*close=*/true);
  return std::nullopt;
}

}  // namespace

std::optional<HttpError> check_request_head(const Poco::Net::HTTPServerRequest& request,
                                            const RequestLimits& limits) {
  if (request.getURI().size() > limits.max_uri_bytes)
    return HttpError(414,
                     "L’adresse demandée est trop longue (plus de " +
                         std::to_string(limits.max_uri_bytes) + " octets).",
                     {}, true);
  std::size_t header_bytes = 0;
  for (const auto& [name, value] : request)
    header_bytes += name.size() + value.size() + 4;  // ": " CRLF
  if (header_bytes > limits.max_header_bytes)
    return HttpError(431,
                     "Les en-têtes de la requête sont trop volumineux (plus de " +
                         std::to_string(limits.max_header_bytes) + " octets).",
                     {}, true);
  if (auto ambiguous = ambiguous_length(request)) return ambiguous;
  if (request.hasContentLength() && request.getContentLength64() > 0 &&
      static_cast<std::uint64_t>(request.getContentLength64()) > limits.max_body_bytes)
    return too_large_body(limits.max_body_bytes);
  return std::nullopt;
}

std::string read_body(Poco::Net::HTTPServerRequest& request, const RequestLimits& limits) {
  const bool has_body = (request.hasContentLength() && request.getContentLength64() > 0) ||
                        request.getChunkedTransferEncoding();
  if (!has_body) return {};
  std::string body;
  std::istream& in = request.stream();
  char buffer[8192];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limits.max_body_bytes) throw too_large_body(limits.max_body_bytes);
  }
  // The stream swallows what its buffer throws (a receive timeout, broken
  // chunked framing) and sets badbit: the body is cut short, and a handler
  // must never see a partial body as if it were whole. Poco's session
  // keeps the network exception, which tells a late body from a bad one.
  if (in.bad()) {
    const Poco::Exception* cause = nullptr;
    if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request))
      cause = impl->session().networkException();
    if (cause && dynamic_cast<const Poco::TimeoutException*>(cause))
      throw HttpError(408, "Le corps de la requête n’est pas arrivé à temps.", {}, true);
    throw HttpError(400, "Corps de requête illisible.", {}, true);
  }
  if (request.hasContentLength() &&
      body.size() != static_cast<std::uint64_t>(request.getContentLength64()))
    throw HttpError(400, "Corps de requête incomplet.", {}, true);  // the client hung up early
  return body;
}

}  // namespace vigie::http
