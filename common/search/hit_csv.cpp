#include "vigie/hit_csv.h"

#include <cstdio>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

std::string field(const std::string& raw) {
  std::string value = make_valid_utf8(raw);
  // A leading = + - @ makes spreadsheets evaluate the cell: neutralise it
  // (CSV injection), since titles come from documents nobody checked.
  if (!value.empty() && std::string_view("=+-@\t\r").find(value[0]) != std::string_view::npos)
    value.insert(value.begin(), '\'');
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::string hit_csv_header() {
  return "\xEF\xBB\xBF"
         "id,title,type,date,organisation,url,score\r\n";
}

std::string hit_csv_row(const Hit& hit) {
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", hit.score);
  return field(hit.id) + "," + field(hit.title) + "," + field(hit.type) + "," + field(hit.date) +
         "," + field(hit.organisation) + "," + field(hit.url) + "," + score + "\r\n";
}

}  // namespace vigie
