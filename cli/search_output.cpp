#include "search_output.h"

#include <iostream>

#include "vigie/hit_csv.h"
#include "vigie/search_json.h"

namespace vigie {

std::optional<OutputFormat> parse_output_format(std::string_view name) {
  if (name == "text") return OutputFormat::Text;
  if (name == "json") return OutputFormat::Json;
  if (name == "jsonl") return OutputFormat::JsonLines;
  if (name == "csv") return OutputFormat::Csv;
  return std::nullopt;
}

SearchOutput::SearchOutput(OutputFormat format, bool tty, std::ostream& out, std::string base_url)
    : format_(format), tty_(tty), out_(out), base_url_(std::move(base_url)) {}

std::string SearchOutput::terminal_extract(const std::string& html) const {
  // The extract is HTML: marks become bold (on a terminal) or «…», entities text.
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    auto starts = [&](std::string_view s) { return html.compare(i, s.size(), s) == 0; };
    if (starts("<mark>")) {
      out += tty_ ? "\x1b[1m" : "[";
      i += 6;
    } else if (starts("</mark>")) {
      out += tty_ ? "\x1b[0m" : "]";
      i += 7;
    } else if (starts("&amp;")) {
      out += '&';
      i += 5;
    } else if (starts("&lt;")) {
      out += '<';
      i += 4;
    } else if (starts("&gt;")) {
      out += '>';
      i += 4;
    } else if (starts("&quot;")) {
      out += '"';
      i += 6;
    } else if (starts("&#39;")) {
      out += '\'';
      i += 5;
    } else
      out += html[i++];
  }
  return out;
}

void SearchOutput::print_text(const SearchResponse& r) {
  out_ << r.total << (r.total_exact ? "" : " (estimate)") << " document"
       << (r.total == 1 ? "" : "s") << " for « " << r.query << " »\n";
  for (const auto& w : r.warnings) std::cerr << "warning: " << w << "\n";
  if (!r.notice.empty()) out_ << r.notice << "\n";
  if (!r.suggestion.empty()) out_ << "Essayez avec : " << r.suggestion << "\n";
  for (const auto& c : r.corrected)
    out_ << "Résultats pour : " << c.to << " (rien pour « " << c.from << " »)\n";
  for (const auto& s : r.synonyms) out_ << "synonym: " << s.typed << " → " << s.expanded << "\n";
  std::size_t rank = r.offset;
  for (const auto& h : r.hits) {
    out_ << "\n"
         << ++rank << ". " << (tty_ ? "\x1b[1m" : "") << h.title << (tty_ ? "\x1b[0m" : "")
         << "\n   " << h.type_label << (h.date.empty() ? "" : " · " + h.date)
         << (h.organisation.empty() ? "" : " · " + h.organisation) << " · " << h.id;
    if (h.duplicates) out_ << " (+" << h.duplicates << " identical)";
    // Not counted in the total: a phrase's or PROCHE's words, not as asked
    // (SearchResponse::loosened_total).
    if (h.loosened) out_ << " · mots pas comme demandé";
    out_ << "\n";
    if (!h.extract_html.empty()) out_ << "   " << terminal_extract(h.extract_html) << "\n";
    for (const auto& t : h.explanation) out_ << "     " << t.term << "  " << t.weight << "\n";
  }
}

std::size_t SearchOutput::run(Searcher& searcher, SearchRequest request, std::size_t page_size) {
  const bool csv = format_ == OutputFormat::Csv;
  const bool stream = (csv || format_ == OutputFormat::JsonLines) && request.limit == 0;
  if (csv) out_ << hit_csv_header();
  // Every hit (--limit 0), or CSV, is an export: its rows are what the total
  // counts, as /api/export's. A page of JSON lines lists, like the API's
  // page, the documents with some of the words after those with all (each
  // line says "all_words").
  if (stream || csv) request.fill_with_some_words = false;
  if (!stream) {
    if (request.limit == 0) request.limit = 10;
    SearchResponse r = searcher.search(request);
    if (format_ == OutputFormat::Json)
      out_ << search_response_json(r) << "\n";
    else if (format_ == OutputFormat::Text)
      print_text(r);
    for (const auto& h : r.hits) {
      if (csv) out_ << hit_csv_row(h, base_url_);
      if (format_ == OutputFormat::JsonLines) out_ << hit_json(h, base_url_) << "\n";
    }
    return r.hits.size();
  }
  // Every hit, one page at a time (bounded memory, whatever the total).
  request.facets = false;
  request.extracts = format_ == OutputFormat::JsonLines;
  request.limit = page_size;
  std::size_t printed = 0;
  for (;;) {
    SearchResponse r = searcher.search(request);
    for (const auto& h : r.hits) {
      if (csv)
        out_ << hit_csv_row(h, base_url_);
      else
        out_ << hit_json(h, base_url_) << "\n";
    }
    printed += r.hits.size();
    if (r.hits.size() < page_size) break;
    request.offset += r.hits.size();
  }
  out_.flush();
  return printed;
}

}  // namespace vigie
