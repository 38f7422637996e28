#include "vigie/hit_csv.h"

#include <cstdio>

#include "index/document_data.h"
#include "vigie/html_escape.h"
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
         "id,title,type,date,organisation,url,score,page_url,number,persons,also,"
         "vote,pour,contre,abstention,largest_amount,amounts,legal_references,cited_numbers\r\n";
}

std::string document_page_url(std::string_view id, std::string_view base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
  return std::string(base_url) + "/document/" + percent_encode(id);
}

namespace {

// "32339.40": an amount in euros for machines (dot, two decimals).
std::string plain_euros(double euros) {
  char text[48];
  std::snprintf(text, sizeof text, "%.2f", euros);
  return text;
}

std::string count_cell(const std::optional<int>& count) {
  return count ? std::to_string(*count) : std::string();
}

// vote,pour,contre,abstention,largest_amount,amounts,legal_references,cited_numbers
std::string decision_cells(const Decisions& d) {
  std::string amounts, legal, cited;
  for (const Amount& a : d.amounts) amounts += (amounts.empty() ? "" : "; ") + plain_euros(a.euros);
  for (const LegalReference& r : d.legal)
    legal += (legal.empty() ? "" : "; ") + legal_reference_key(r);
  for (const ActReference& a : d.cited)
    if (!a.number.empty()) cited += (cited.empty() ? "" : "; ") + a.number;
  const auto largest = d.largest_amount();
  return field(std::string(vote_outcome_key(d.vote.outcome))) + "," + count_cell(d.vote.pour) +
         "," + count_cell(d.vote.contre) + "," + count_cell(d.vote.abstention) + "," +
         (largest ? plain_euros(*largest) : std::string()) + "," + field(amounts) + "," +
         field(legal) + "," + field(cited);
}

}  // namespace

std::string hit_csv_row(const Hit& hit, std::string_view base_url) {
  char score[32];
  std::snprintf(score, sizeof score, "%.1f", hit.score);
  std::string persons;
  for (const auto& p : hit.persons) persons += (persons.empty() ? "" : "; ") + p;
  // The family's other files (docs/families.md): "pdf:ID; html:ID".
  std::string also;
  for (const auto& m : hit.also) also += (also.empty() ? "" : "; ") + m.format + ":" + m.id;
  for (const auto& m : hit.merged) also += (also.empty() ? "" : "; ") + m.format + ":" + m.id;
  return field(hit.id) + "," + field(hit.title) + "," + field(hit.type) + "," + field(hit.date) +
         "," + field(hit.organisation) + "," + field(hit.url) + "," + score + "," +
         field(document_page_url(hit.id, base_url)) + "," + field(hit.number) + "," +
         field(persons) + "," + field(also) + "," + decision_cells(hit.decisions) + "\r\n";
}

}  // namespace vigie
