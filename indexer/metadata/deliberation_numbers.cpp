#include "metadata/deliberation_numbers.h"

#include "metadata/metadata_text.h"

namespace vigie::metadata {

std::optional<std::string> number_at(std::string_view s, std::size_t pos, std::size_t& end) {
  std::size_t p = pos;
  while (p < s.size() && p - pos < 4 && is_digit(s[p])) ++p;
  if (p - pos != 4 || p >= s.size() || (s[p] != '/' && s[p] != '-')) return std::nullopt;
  const int year = (s[pos] - '0') * 1000 + (s[pos + 1] - '0') * 100 + (s[pos + 2] - '0') * 10 +
                   (s[pos + 3] - '0');
  if (year < 1900 || year > 2100) return std::nullopt;
  std::size_t n_begin = ++p;
  while (p < s.size() && p - n_begin < 5 && is_digit(s[p])) ++p;
  if (p == n_begin || p - n_begin > 4 || (p < s.size() && is_word_byte(s[p]))) return std::nullopt;
  // "2010-06-22" is a date, not deliberation 2010/6.
  if (p + 1 < s.size() && (s[p] == '-' || s[p] == '/') && is_digit(s[p + 1])) return std::nullopt;
  while (n_begin + 1 < p && s[n_begin] == '0') ++n_begin;
  end = p;
  return std::string(s.substr(pos, 4)) + "/" + std::string(s.substr(n_begin, p - n_begin));
}

std::size_t skip_number_sign(std::string_view s, std::size_t pos) {
  for (std::string_view sign : {"n_\xC2\xB0", "n_\xC2\xBA", "numero ", "no "}) {
    std::size_t end = match_at(s, pos, sign);
    if (end != std::string_view::npos) return skip_spaces(s, end);
  }
  return std::string_view::npos;
}

}  // namespace vigie::metadata
