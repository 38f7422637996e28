#include "vigie/document.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

struct TypeNames {
  DocType type;
  std::string_view label;
  std::string_view key;
};

constexpr std::array<TypeNames, 7> kTypes{{
    {DocType::Manifeste, "manifeste", "manifeste"},
    {DocType::Communique, "communiqué", "communique"},
    {DocType::Deliberation, "délibération", "deliberation"},
    {DocType::ProcesVerbal, "procès-verbal", "proces-verbal"},
    {DocType::Arrete, "arrêté", "arrete"},
    {DocType::Rapport, "rapport", "rapport"},
    {DocType::Autre, "autre", "autre"},
}};

bool parse_int(std::string_view text, int& out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<Date> make_date(int y, int m, int d) {
  if (y < 1000 || y > 9999) return std::nullopt;
  if (m < 0 || m > 12) return std::nullopt;
  if (m == 0 && d != 0) return std::nullopt;
  if (d < 0 || (m != 0 && d > days_in_month(y, m))) return std::nullopt;
  return Date{y, m, d};
}

}  // namespace

std::string_view doc_type_label(DocType type) {
  for (const auto& t : kTypes)
    if (t.type == type) return t.label;
  return "autre";
}

std::string_view doc_type_key(DocType type) {
  for (const auto& t : kTypes)
    if (t.type == type) return t.key;
  return "autre";
}

const std::vector<DocType>& all_doc_types() {
  static const std::vector<DocType> types = [] {
    std::vector<DocType> v;
    for (const auto& t : kTypes) v.push_back(t.type);
    return v;
  }();
  return types;
}

std::optional<DocType> parse_doc_type(std::string_view text) {
  std::string key = collapse_spaces(fold(text));
  for (char& c : key)
    if (c == ' ' || c == '_') c = '-';
  for (const auto& t : kTypes)
    if (key == t.key) return t.type;
  if (key == "pv" || key == "proces-verbaux" || key == "compte-rendu") return DocType::ProcesVerbal;
  if (key == "deliberations") return DocType::Deliberation;
  if (key == "communiques" || key == "communique-de-presse") return DocType::Communique;
  if (key == "arretes") return DocType::Arrete;
  if (key == "manifestes" || key == "profession-de-foi") return DocType::Manifeste;
  if (key == "rapports") return DocType::Rapport;
  return std::nullopt;
}

std::string Date::iso() const {
  char buffer[16];
  if (!known()) return {};
  if (month == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d", year);
  } else if (day == 0) {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d", year, month);
  } else {
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
  }
  return buffer;
}

std::string Date::french() const {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "janvier", "février", "mars",      "avril",   "mai",      "juin",
      "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  if (!known()) return {};
  if (month < 1 || month > 12) return std::to_string(year);
  std::string out(kMonths[static_cast<std::size_t>(month - 1)]);
  out += " " + std::to_string(year);
  if (day == 1) return "1er " + out;  // French writes the first of the month as an ordinal
  if (day > 1) return std::to_string(day) + " " + out;
  return out;
}

int Date::sortable() const { return known() ? year * 10000 + month * 100 + day : 0; }

std::optional<Date> Date::parse(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') {
    if (parse_int(text.substr(0, 4), y) && parse_int(text.substr(5, 2), m) &&
        parse_int(text.substr(8, 2), d) && m >= 1 && d >= 1)
      return make_date(y, m, d);
    return std::nullopt;
  }
  if (text.size() == 10 && text[2] == '/' && text[5] == '/') {
    if (parse_int(text.substr(6, 4), y) && parse_int(text.substr(3, 2), m) &&
        parse_int(text.substr(0, 2), d) && m >= 1 && d >= 1)
      return make_date(y, m, d);
    return std::nullopt;
  }
  if (text.size() == 7 && text[4] == '-') {
    if (parse_int(text.substr(0, 4), y) && parse_int(text.substr(5, 2), m) && m >= 1)
      return make_date(y, m, 0);
    return std::nullopt;
  }
  if (text.size() == 4 && parse_int(text, y)) return make_date(y, 0, 0);
  return std::nullopt;
}

int DateRange::low() const { return from ? from->sortable() : 0; }

int DateRange::high() const {
  if (!to) return 99999999;
  if (to->month == 0) return to->year * 10000 + 9999;
  if (to->day == 0) return to->sortable() + 99;
  return to->sortable();
}

int page_at(const SourceDocument& doc, std::size_t offset) {
  if (doc.format != "pdf") return 0;
  const std::string_view before = std::string_view(doc.body).substr(0, offset);
  return 1 + static_cast<int>(std::count(before.begin(), before.end(), kPageBreak));
}

}  // namespace vigie
