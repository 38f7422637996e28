// HTML escaping for every page and extract Vigie writes (the highlighter's
// extracts, the server's HTML builder). Pure function; safe from any thread.
#pragma once

#include <string>
#include <string_view>

namespace vigie {

// HTML-escapes & < > " ' (and replaces invalid UTF-8 with U+FFFD).
std::string html_escape(std::string_view text);

}  // namespace vigie
