#include "http/http_query.h"

#include <stdexcept>

#include "http/http_error.h"
#include "vigie/html_escape.h"

namespace vigie::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_as_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) throw std::invalid_argument("truncated percent escape");
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) throw std::invalid_argument("invalid percent escape");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string percent_encode(std::string_view text) { return vigie::percent_encode(text); }

std::pair<std::string, std::string> split_target(std::string_view target) {
  // A fragment is never sent by browsers; if a client sends one, it is not
  // part of the path (a raw '#' in an id must be encoded as %23).
  if (auto hash = target.find('#'); hash != std::string_view::npos) target = target.substr(0, hash);
  const auto q = target.find('?');
  if (q == std::string_view::npos) return {std::string(target), {}};
  return {std::string(target.substr(0, q)), std::string(target.substr(q + 1))};
}

QueryParams QueryParams::parse(std::string_view raw) {
  QueryParams params;
  std::size_t start = 0;
  while (start <= raw.size()) {
    std::size_t end = raw.find('&', start);
    if (end == std::string_view::npos) end = raw.size();
    std::string_view item = raw.substr(start, end - start);
    if (!item.empty()) {
      const auto eq = item.find('=');
      const std::string_view name = item.substr(0, eq);
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
      try {
        params.items_.emplace_back(percent_decode(name, true), percent_decode(value, true));
      } catch (const std::invalid_argument&) {
        throw HttpError(400, "Paramètre mal encodé dans l’adresse : « " +
                                 std::string(item.substr(0, 80)) +
                                 " » (un « % » doit être suivi de deux chiffres hexadécimaux).");
      }
    }
    start = end + 1;
  }
  return params;
}

std::vector<std::string> QueryParams::all(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [n, v] : items_)
    if (n == name && !v.empty()) values.push_back(v);
  return values;
}

std::optional<std::string> QueryParams::single(std::string_view name) const {
  std::optional<std::string> found;
  int seen = 0;
  for (const auto& [n, v] : items_) {
    if (n != name) continue;
    if (++seen > 1)
      throw HttpError(400, "Le paramètre « " + std::string(name) +
                               " » est donné plusieurs fois ; il n’en faut qu’un.");
    if (!v.empty()) found = v;
  }
  return found;
}

bool QueryParams::has(std::string_view name) const {
  for (const auto& item : items_)
    if (item.first == name) return true;
  return false;
}

QueryParams QueryParams::without(std::string_view name) const {
  QueryParams copy;
  for (const auto& item : items_)
    if (item.first != name) copy.items_.push_back(item);
  return copy;
}

}  // namespace vigie::http
