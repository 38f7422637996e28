#include "web/web_format.h"

#include "vigie/decision_search.h"
#include "vigie/document.h"

namespace vigie::web {
namespace {

constexpr const char* kMonths[] = {"janvier",   "février", "mars",     "avril",
                                   "mai",       "juin",    "juillet",  "août",
                                   "septembre", "octobre", "novembre", "décembre"};

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

}  // namespace

std::string french_date(std::string_view iso) {
  if (iso.empty()) return {};
  auto date = Date::parse(iso);
  if (!date || !date->known()) return std::string(iso);
  std::string out;
  if (date->day > 0) out = (date->day == 1 ? "1er" : std::to_string(date->day)) + " ";
  if (date->month > 0) out += std::string(kMonths[date->month - 1]) + " ";
  return out + std::to_string(date->year);
}

std::string french_number(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u202F";
    out += digits[i];
  }
  return out;
}

std::string document_count(std::uint64_t n) {
  if (n == 0) return "aucun document";
  return french_number(n) + (n == 1 ? " document" : " documents");
}

std::string atom_timestamp(std::string_view iso) {
  auto date = Date::parse(iso);
  if (iso.empty() || !date || !date->known()) return "1970-01-01T00:00:00Z";
  char year[8];
  std::snprintf(year, sizeof year, "%04d", date->year);
  return std::string(year) + "-" + two_digits(date->month ? date->month : 1) + "-" +
         two_digits(date->day ? date->day : 1) + "T00:00:00Z";
}

std::string extract_text(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  for (std::size_t i = 0; i < html.size(); ++i) {
    const char c = html[i];
    if (c == '<') {
      const auto close = html.find('>', i);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '&') {
      static constexpr std::pair<std::string_view, char> kEntities[] = {
          {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
      bool decoded = false;
      for (const auto& [entity, ch] : kEntities) {
        if (html.substr(i, entity.size()) == entity) {
          out += ch;
          i += entity.size() - 1;
          decoded = true;
          break;
        }
      }
      if (!decoded) out += c;
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_label(std::string_view format) {
  static const std::pair<std::string_view, std::string_view> kLabels[] = {
      {"pdf", "PDF"},           {"html", "HTML"},  {"json-minutes", "JSON"},
      {"markdown", "Markdown"}, {"text", "texte"}, {"odt", "ODT"},
      {"docx", "DOCX"},         {"doc", "Word"},   {"csv-scdl", "CSV"},
  };
  for (const auto& [key, label] : kLabels)
    if (key == format) return std::string(label);
  return std::string(format);
}

std::string vote_label(std::string_view key) {
  auto vote = parse_vote_filter(key);
  return vote ? std::string(vote_filter_label(*vote)) : std::string(key);
}

std::string amount_label(std::string_view montant) {
  for (const AmountBucket& bucket : amount_buckets())
    if (bucket.key == montant) return std::string(bucket.label);
  return std::string(montant);
}

std::string vote_text(const Vote& vote) {
  std::string out(vote_outcome_label(vote.outcome));
  std::string counts;
  auto add = [&](const std::optional<int>& n, const char* one, const char* many, const char* none) {
    if (!n) return;
    if (!counts.empty()) counts += ", ";
    counts += *n == 0
                  ? std::string(none)
                  : french_number(static_cast<std::uint64_t>(*n)) + " " + (*n == 1 ? one : many);
  };
  add(vote.pour, "pour", "pour", "aucune voix pour");
  add(vote.contre, "contre", "contre", "aucune voix contre");
  add(vote.abstention, "abstention", "abstentions", "aucune abstention");
  return counts.empty() ? out : out + " (" + counts + ")";
}

}  // namespace vigie::web
