// The chrome every HTML page shares — doctype, <html lang="fr">, head
// (charset, viewport, title, stylesheet, favicon, Atom alternate), skip link,
// header with the site name and navigation, <main id="contenu">, footer —
// and the one way pages are sent: with the HTML security headers and
// Content-Type text/html; charset=utf-8. Error pages (400, 404, 503…) are
// pages like the others, in French.
// Stateless free functions; thread-safe.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <string>
#include <string_view>

#include "http/http_error.h"
#include "web/html_builder.h"

namespace vigie::web {

// No script: every page works without JavaScript, so scripts are not
// allowed at all (default-src 'none'). Styles and images come from /static/
// only; the histogram is inline SVG (no inline style attributes, which
// style-src 'self' would block: it is styled by classes in vigie.css).
inline constexpr std::string_view kHtmlCsp =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

struct PageHead {
  std::string title;     // the page's own title; " — Vigie" is appended
  std::string atom_url;  // a <link rel="alternate"> to the page's Atom feed, if any
  bool noindex = false;  // error pages: robots should not keep them
};

// "<!DOCTYPE html>" and the whole page around `main_content`.
std::string render_page(const PageHead& head, html::Node main_content);

// Sets the HTML security headers (the request boundary already set nosniff,
// Referrer-Policy and X-Frame-Options; this replaces its JSON-only CSP).
void apply_html_headers(Poco::Net::HTTPServerResponse& response);

void send_page(Poco::Net::HTTPServerResponse& response, int status, const PageHead& head,
               html::Node main_content);

// A French error page: a heading, the message, what to do next, and
// `extra` (e.g. the search form, to fix a query) when not empty.
void send_error_page(Poco::Net::HTTPServerResponse& response, int status, std::string_view title,
                     std::string_view message, html::Node extra = html::Node::fragment(),
                     const http::HeaderList& headers = {});

}  // namespace vigie::web
