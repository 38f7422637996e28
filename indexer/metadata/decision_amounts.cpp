// Amount rules (see decision_amounts.h and docs/metadata-rules.md).
//
// The scan looks for the euro unit (« € », « euro(s) », « EUR », « €uros »)
// and reads the number just before it, backwards: digits, a decimal comma
// (or a point followed by one or two digits, « 30.49 € »), and thousands
// groups of exactly three digits after a space or a point (« 32 339,40 »,
// « 1.500 »). A space before a group of another size ends the number, so a
// column before an amount (« 2004 1 500 € », « 6257 500,00 € ») is not read
// as part of it.
#include "metadata/decision_amounts.h"

#include <array>
#include <string>

namespace vigie::metadata {
namespace {

constexpr std::string_view kEuroSign = "\xE2\x82\xAC";
constexpr std::string_view kMinusSign = "\xE2\x88\x92";
constexpr std::size_t kRoleWindowBytes = 80;  // « pour un montant total de » and more
constexpr std::size_t kMaxDigits = 15;        // beyond: not an amount (a reference, a code)

struct Marker {
  std::size_t begin = 0, end = 0;
};

bool word_boundary_before(std::string_view s, std::size_t pos) {
  return pos == 0 || !is_word_byte(s[pos - 1]);
}

// The euro unit at `pos`, or nullopt.
std::optional<Marker> euro_marker_at(std::string_view s, std::size_t pos) {
  if (s.compare(pos, kEuroSign.size(), kEuroSign) == 0) {
    std::size_t end = pos + kEuroSign.size();
    if (s.compare(end, 4, "uros") == 0)
      end += 4;  // « €uros »
    else if (s.compare(end, 3, "uro") == 0)
      end += 3;
    return Marker{pos, end};
  }
  if (s[pos] != 'e' || !word_boundary_before(s, pos)) return std::nullopt;
  for (std::string_view word : {"euros", "euro", "eur"}) {
    if (s.compare(pos, word.size(), word) != 0) continue;
    const std::size_t end = pos + word.size();
    if (end < s.size() && (is_word_byte(s[end]) || s[end] == '-'))
      continue;  // « européen », « euro-compatible »
    return Marker{pos, end};
  }
  return std::nullopt;
}

// A PDF line may wrap between a number and its unit: a line break counts.
std::size_t skip_spaces_back(std::string_view s, std::size_t pos, std::size_t max) {
  std::size_t limit = pos > max ? pos - max : 0;
  while (pos > limit && is_space(s[pos - 1])) --pos;
  return pos;
}

bool ends_with_word(std::string_view s, std::size_t end, std::string_view word) {
  return end >= word.size() && s.compare(end - word.size(), word.size(), word) == 0 &&
         word_boundary_before(s, end - word.size());
}

// « 2 M€ », « 15 k€ », « 1,5 million d'euros », « 3 millions € »: the
// multiplier before the unit; `pos` moves before it.
double multiplier_before(std::string_view s, std::size_t& pos) {
  std::size_t p = skip_spaces_back(s, pos, 3);
  if (ends_with_word(s, p, "k")) {
    pos = p - 1;
    return 1e3;
  }
  if (ends_with_word(s, p, "m")) {
    pos = p - 1;
    return 1e6;
  }
  if (ends_with_word(s, p, "d'")) p = skip_spaces_back(s, p - 2, 3);
  for (auto [word, factor] : std::array<std::pair<std::string_view, double>, 4>{
           {{"millions", 1e6}, {"million", 1e6}, {"milliards", 1e9}, {"milliard", 1e9}}}) {
    if (ends_with_word(s, p, word)) {
      pos = p - word.size();
      return factor;
    }
  }
  return 1;
}

std::size_t digits_from(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end < s.size() && is_digit(s[end])) ++end;
  return end - pos;
}

// Where the number that ends at `end` starts (== end when there is none).
std::size_t number_start(std::string_view s, std::size_t end) {
  std::size_t b = end;
  while (b > 0 && end - b < 2 * kMaxDigits) {
    const char c = s[b - 1];
    if (is_digit(c)) {
      --b;
    } else if ((c == ',' || c == '.') && b >= 2 && is_digit(s[b - 2]) && b < end &&
               is_digit(s[b])) {
      --b;
    } else if (c == ' ' && b >= 2 && is_digit(s[b - 2]) && digits_from(s, b) == 3) {
      --b;
    } else {
      break;
    }
  }
  return b;
}

AmountRole role_before(std::string_view s, std::size_t number_begin) {
  std::size_t from = number_begin > kRoleWindowBytes ? number_begin - kRoleWindowBytes : 0;
  // Back to the clause's start: a line break, « ; », or a point ending a
  // word of two letters or more (« H.T. : » and « M. le Maire » go on).
  for (std::size_t p = number_begin; p > from; --p) {
    const char c = s[p - 1];
    const bool sentence_end = c == '.' && p >= 3 && is_ascii_alnum(s[p - 2]) &&
                              is_ascii_alnum(s[p - 3]) && !is_digit(s[p - 2]);
    if (c == '\n' || c == ';' || sentence_end) {
      from = p;
      break;
    }
  }
  const std::string_view window = s.substr(from, number_begin - from);
  struct Cue {
    std::string_view phrase;
    AmountRole role;
  };
  static constexpr std::array<Cue, 15> kCues{{
      {"subvention", AmountRole::Subvention},
      {"subventions", AmountRole::Subvention},
      {"fonds de concours", AmountRole::Subvention},
      {"aide financiere", AmountRole::Subvention},
      {"emprunt", AmountRole::Emprunt},
      {"emprunts", AmountRole::Emprunt},
      {"pret", AmountRole::Emprunt},
      {"tarif", AmountRole::Tarif},
      {"tarifs", AmountRole::Tarif},
      {"prix", AmountRole::Tarif},
      {"redevance", AmountRole::Tarif},
      {"loyer", AmountRole::Tarif},
      {"total", AmountRole::Total},
      {"totale", AmountRole::Total},
      {"montant global", AmountRole::Total},
  }};
  AmountRole role = AmountRole::Autre;
  std::size_t nearest = 0;
  bool any = false;
  for (const Cue& cue : kCues) {
    std::size_t end = 0, last = std::string_view::npos;
    for (std::size_t at = find_phrase(window, cue.phrase, 0, &end); at != std::string_view::npos;
         at = find_phrase(window, cue.phrase, end, &end))
      last = at;
    if (last == std::string_view::npos || (any && last < nearest)) continue;
    any = true;
    nearest = last;
    role = cue.role;
  }
  return role;
}

// « HT », « H.T. », « hors taxes » after the unit; `end` moves past it (and
// past « TTC », kept in the text).
bool read_tax_suffix(std::string_view s, std::size_t& end) {
  const std::size_t after = skip_spaces(s, end);
  for (std::string_view ht : {"hors taxes", "hors taxe", "hors-taxes", "h.t.", "h.t", "ht"}) {
    std::size_t stop = match_at(s, after, ht);
    if (stop == std::string_view::npos || (stop < s.size() && is_ascii_alnum(s[stop]))) continue;
    end = stop;
    return true;
  }
  for (std::string_view ttc : {"t.t.c.", "t.t.c", "ttc"}) {
    std::size_t stop = match_at(s, after, ttc);
    if (stop == std::string_view::npos || (stop < s.size() && is_ascii_alnum(s[stop]))) continue;
    end = stop;
    return false;
  }
  return false;
}

struct Bare {
  double value = 0;
  std::size_t begin = 0, end = 0;
};

std::optional<double> plain_number(std::string_view s, std::size_t begin, std::size_t end);

// The first number of « de X à Y € », « entre X et Y € » when the amount Y
// starts at `begin`.
std::optional<Bare> range_start(std::string_view s, std::size_t begin) {
  std::size_t p = skip_spaces_back(s, begin, 3);
  if (ends_with_word(s, p, "a")) {
    p -= 1;
  } else if (ends_with_word(s, p, "et")) {
    p -= 2;
  } else {
    return std::nullopt;
  }
  const std::size_t end = skip_spaces_back(s, p, 3);
  const std::size_t start = number_start(s, end);
  if (start == end) return std::nullopt;
  const std::size_t before = skip_spaces_back(s, start, 3);
  if (!ends_with_word(s, before, "de") && !ends_with_word(s, before, "entre")) return std::nullopt;
  auto value = plain_number(s, start, end);
  if (!value) return std::nullopt;
  return Bare{*value, start, end};
}

}  // namespace

std::optional<double> french_number_value(std::string_view n) {
  if (n.empty() || !is_digit(n.front()) || !is_digit(n.back())) return std::nullopt;
  // The decimal part: after the last ',' or after a '.' followed by 1–2 digits.
  std::string_view integer = n, decimals;
  if (std::size_t comma = n.rfind(','); comma != std::string_view::npos) {
    integer = n.substr(0, comma);
    decimals = n.substr(comma + 1);
  } else if (std::size_t point = n.rfind('.');
             point != std::string_view::npos && n.size() - point - 1 <= 2) {
    integer = n.substr(0, point);
    decimals = n.substr(point + 1);
  }
  for (char c : decimals)
    if (!is_digit(c)) return std::nullopt;
  std::string digits;
  std::size_t group = 0, groups = 0, first_group = 0;
  for (char c : integer) {
    if (is_digit(c)) {
      digits += c;
      ++group;
      continue;
    }
    if (c != ' ' && c != '.') return std::nullopt;
    if (groups == 0)
      first_group = group;
    else if (group != 3)
      return std::nullopt;
    ++groups;
    group = 0;
  }
  if (groups > 0 && (group != 3 || first_group == 0 || first_group > 3)) return std::nullopt;
  if (digits.empty() || digits.size() > kMaxDigits) return std::nullopt;
  // By hand: std::stod reads the C locale's decimal point, which a program
  // may change. One division by a power of ten, so « 39 438,16 » is the
  // double nearest 39438.16, as the literal is.
  if (digits.size() + decimals.size() > 18) return std::nullopt;
  long long scaled = 0;
  for (char c : digits) scaled = scaled * 10 + (c - '0');
  double divisor = 1;
  for (char c : decimals) {
    scaled = scaled * 10 + (c - '0');
    divisor *= 10;
  }
  return static_cast<double>(scaled) / divisor;
}

namespace {
std::optional<double> plain_number(std::string_view s, std::size_t begin, std::size_t end) {
  return french_number_value(s.substr(begin, end - begin));
}
}  // namespace

std::vector<Amount> read_amounts(const FoldedText& text, std::size_t max_amounts) {
  const std::string_view s = text.folded();
  std::vector<Amount> amounts;
  for (std::size_t pos = 0; pos < s.size() && amounts.size() < max_amounts; ++pos) {
    const char c = s[pos];
    if (c != '\xE2' && c != 'e') continue;
    const auto marker = euro_marker_at(s, pos);
    if (!marker) continue;
    pos = marker->end - 1;
    std::size_t number_end = marker->begin;
    const double factor = multiplier_before(s, number_end);
    number_end = skip_spaces_back(s, number_end, 3);
    std::size_t begin = number_start(s, number_end);
    std::optional<double> value;
    // « 6257 500,00 € »: a longer first group is another column; retry after it.
    while (begin < number_end) {
      if (begin > 0 && is_word_byte(s[begin - 1])) break;  // « T2 », « D6257 »
      value = french_number_value(s.substr(begin, number_end - begin));
      if (value) break;
      const std::size_t space = s.find(' ', begin);
      if (space == std::string_view::npos || space >= number_end) break;
      begin = space + 1;
    }
    if (!value) continue;
    std::size_t shown_begin = begin;
    if (std::size_t before = skip_spaces_back(s, begin, 1); before > 0) {
      if (s[before - 1] == '-' && (before < 2 || !is_word_byte(s[before - 2])))
        shown_begin = before - 1;
      else if (before >= kMinusSign.size() &&
               s.compare(before - kMinusSign.size(), kMinusSign.size(), kMinusSign) == 0)
        shown_begin = before - kMinusSign.size();
    }
    // « de 120 000,00 à 300 000,00 €uros »: the unit is written once for both.
    if (auto low = range_start(s, begin)) {
      Amount from;
      from.euros = low->value * factor;
      from.role = role_before(s, low->begin);
      from.text = std::string(text.original_span(low->begin, low->end));
      amounts.push_back(std::move(from));
    }
    Amount amount;
    amount.euros = *value * factor;
    std::size_t end = marker->end;
    amount.hors_taxes = read_tax_suffix(s, end);
    amount.role = role_before(s, begin);
    amount.text = std::string(text.original_span(shown_begin, end));
    amounts.push_back(std::move(amount));
    pos = end > pos ? end - 1 : pos;
  }
  return amounts;
}

}  // namespace vigie::metadata
