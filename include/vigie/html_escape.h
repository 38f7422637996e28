// HTML escaping for every page and extract Vigie writes (the highlighter's
// extracts, the server's HTML builder). Pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace vigie {

// HTML-escapes & < > " ' (and replaces invalid UTF-8 with U+FFFD).
std::string html_escape(std::string_view text);
// Percent-encodes every byte but RFC 3986's unreserved A-Z a-z 0-9 - . _ ~
// (a path segment or query value: "/" is encoded too).
std::string percent_encode(std::string_view text);

}  // namespace vigie
