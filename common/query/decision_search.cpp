#include "vigie/decision_search.h"

#include <cmath>
#include <cstdio>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

constexpr std::string_view kAmountHelp =
    " : écrire un montant en euros, par exemple montant:>10000, montant:<=500, "
    "montant:1000..5000 ou montant:1000,50.";

std::string quote(std::string_view s) { return "« " + std::string(s) + " »"; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The blanks a number may be grouped with: space, no-break space (U+00A0),
// narrow no-break space (U+202F), as French writes « 10 000 ».
std::size_t blank_at(std::string_view s, std::size_t i) {
  if (s[i] == ' ') return 1;
  if (s.substr(i, 2) == "\xC2\xA0") return 2;
  if (s.substr(i, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

// « 10 000 », « 1.500 », « 1000,50 », « 1000.5 » → cents; nullopt when
// `text` is not only such a number. A '.' followed by exactly three digits
// groups thousands (« 1.500 » is 1 500 €); followed by one or two, it is
// the decimal point, as ',' is.
std::optional<std::uint64_t> parse_cents(std::string_view text, bool& too_large) {
  std::uint64_t euros = 0;
  std::size_t i = 0, digits = 0;
  auto add_digit = [&](char c) {
    if (euros > kMaxAmountCents / 100) too_large = true;
    if (!too_large) euros = euros * 10 + static_cast<std::uint64_t>(c - '0');
    ++digits;
  };
  while (i < text.size()) {
    if (is_digit(text[i])) {
      add_digit(text[i++]);
      continue;
    }
    const std::size_t blank = blank_at(text, i);
    const bool dot_group = text[i] == '.' && i + 3 < text.size() && is_digit(text[i + 1]) &&
                           is_digit(text[i + 2]) && is_digit(text[i + 3]) &&
                           (i + 4 == text.size() || !is_digit(text[i + 4]));
    const std::size_t skip = blank > 0 ? blank : 1;
    if (digits > 0 && (blank > 0 || dot_group) && i + skip < text.size() &&
        is_digit(text[i + skip])) {
      i += skip;
      continue;
    }
    break;
  }
  if (digits == 0) return std::nullopt;
  std::uint64_t cents = 0;
  if (i < text.size() && (text[i] == ',' || text[i] == '.')) {
    ++i;
    std::size_t decimals = 0;
    while (i < text.size() && is_digit(text[i]) && decimals < 2) {
      cents = cents * 10 + static_cast<std::uint64_t>(text[i++] - '0');
      ++decimals;
    }
    if (decimals == 0) return std::nullopt;
    if (decimals == 1) cents *= 10;
  }
  if (i != text.size()) return std::nullopt;
  if (too_large || euros * 100 + cents > kMaxAmountCents) {
    too_large = true;
    return std::nullopt;
  }
  return euros * 100 + cents;
}

}  // namespace

const std::vector<VoteFilter>& all_vote_filters() {
  static const std::vector<VoteFilter> all = {VoteFilter::Unanimite, VoteFilter::Majorite,
                                              VoteFilter::Rejet, VoteFilter::Contre,
                                              VoteFilter::Abstention};
  return all;
}

std::string_view vote_filter_key(VoteFilter filter) {
  switch (filter) {
    case VoteFilter::Unanimite:
      return "unanimite";
    case VoteFilter::Majorite:
      return "majorite";
    case VoteFilter::Rejet:
      return "rejet";
    case VoteFilter::Contre:
      return "contre";
    case VoteFilter::Abstention:
      break;
  }
  return "abstention";
}

std::string_view vote_filter_label(VoteFilter filter) {
  switch (filter) {
    case VoteFilter::Unanimite:
      return "unanimité";
    case VoteFilter::Majorite:
      return "majorité";
    case VoteFilter::Rejet:
      return "rejet";
    case VoteFilter::Contre:
      return "avec des voix contre";
    case VoteFilter::Abstention:
      break;
  }
  return "avec abstentions";
}

std::optional<VoteFilter> parse_vote_filter(std::string_view text) {
  const std::string key = collapse_spaces(fold(text));
  for (VoteFilter f : all_vote_filters()) {
    if (key == vote_filter_key(f) || key == fold(vote_filter_label(f))) return f;
  }
  if (key == "abstentions") return VoteFilter::Abstention;
  if (key == "rejete" || key == "rejetee") return VoteFilter::Rejet;
  return std::nullopt;
}

std::uint64_t amount_cents(double euros) {
  if (!(euros > 0)) return 0;  // NaN too
  const double cents = std::round(euros * 100);
  if (cents >= static_cast<double>(kMaxAmountCents)) return kMaxAmountCents;
  return static_cast<std::uint64_t>(cents);
}

std::optional<AmountRange> parse_amount_range(std::string_view raw, std::string& error) {
  const std::string text = collapse_spaces(raw);
  std::string_view value = text;
  // A trailing « € » or « euros » is what the user means anyway.
  for (std::string_view unit : {"euros", "euro", "€"}) {
    if (value.ends_with(unit)) {
      value.remove_suffix(unit.size());
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      break;
    }
  }
  if (value.empty()) {
    error = "Champ « montant: » vide" + std::string(kAmountHelp);
    return std::nullopt;
  }
  bool too_large = false;
  auto number = [&](std::string_view part) -> std::optional<std::uint64_t> {
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    auto cents = parse_cents(part, too_large);
    if (!cents) {
      error = too_large
                  ? "Montant " + quote(part) + " trop grand (au plus 1 000 milliards d’euros)."
                  : "Montant invalide " + quote(raw) + std::string(kAmountHelp);
    }
    return cents;
  };
  AmountRange range;
  if (const auto dots = value.find(".."); dots != std::string_view::npos) {
    const std::string_view left = value.substr(0, dots), right = value.substr(dots + 2);
    if (left.find_first_not_of(' ') == std::string_view::npos &&
        right.find_first_not_of(' ') == std::string_view::npos) {
      error = "Montant invalide " + quote(raw) + std::string(kAmountHelp);
      return std::nullopt;
    }
    if (left.find_first_not_of(' ') != std::string_view::npos) {
      auto low = number(left);
      if (!low) return std::nullopt;
      range.low = *low;
    }
    if (right.find_first_not_of(' ') != std::string_view::npos) {
      auto high = number(right);
      if (!high) return std::nullopt;
      range.high = *high;
    }
    if (range.low > range.high) {
      error = "Intervalle de montants " + quote(raw) +
              " inversé : écrire le plus petit montant d’abord (montant:1000..5000).";
      return std::nullopt;
    }
    return range;
  }
  std::string_view op;
  for (std::string_view candidate : {">=", "<=", ">", "<", "="}) {
    if (value.starts_with(candidate)) {
      op = candidate;
      value.remove_prefix(candidate.size());
      break;
    }
  }
  auto cents = number(value);
  if (!cents) return std::nullopt;
  if (op == ">") {
    if (*cents >= kMaxAmountCents) {
      error = "Montant " + quote(raw) + " trop grand (au plus 1 000 milliards d’euros).";
      return std::nullopt;
    }
    range.low = *cents + 1;
  } else if (op == ">=") {
    range.low = *cents;
  } else if (op == "<") {
    if (*cents == 0) {
      error = "Aucun montant n’est inférieur à 0 € " + quote(raw) + std::string(kAmountHelp);
      return std::nullopt;
    }
    range.high = *cents - 1;
  } else if (op == "<=") {
    range.high = *cents;
  } else {
    range.low = range.high = *cents;
  }
  return range;
}

const std::vector<AmountBucket>& amount_buckets() {
  static const std::vector<AmountBucket> buckets = {
      {"<1000", "moins de 1 000 €", {0, 99'999}},
      {"1000..9999,99", "de 1 000 à 10 000 €", {100'000, 999'999}},
      {"10000..99999,99", "de 10 000 à 100 000 €", {1'000'000, 9'999'999}},
      {">=100000", "100 000 € et plus", {10'000'000, kMaxAmountCents}},
  };
  return buckets;
}

std::string french_euros(double euros) {
  const std::uint64_t cents = amount_cents(euros);
  const std::string whole = std::to_string(cents / 100);
  std::string out;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += "\xE2\x80\xAF";  // U+202F
    out += whole[i];
  }
  if (cents % 100 != 0) {
    char decimals[8];
    std::snprintf(decimals, sizeof decimals, ",%02u", static_cast<unsigned>(cents % 100));
    out += decimals;
  }
  return out + " €";
}

}  // namespace vigie
