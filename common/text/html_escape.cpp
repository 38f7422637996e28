#include "vigie/html_escape.h"

#include "vigie/text_normalization.h"

namespace vigie {

std::string html_escape(std::string_view raw) {
  std::string valid = make_valid_utf8(raw);
  std::string out;
  out.reserve(valid.size() + valid.size() / 8);
  for (char c : valid) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace vigie
