// SearchOutput: how vigie-search prints results — text for a terminal (matches
// in bold when stdout is a TTY), one JSON response, or JSON lines / CSV that
// stream every hit page by page (--limit 0) for analysis in R or pandas.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "vigie/searcher.h"

namespace vigie {

enum class OutputFormat { Text, Json, JsonLines, Csv };
// "text", "json", "jsonl", "csv" (--format); nullopt if unknown.
std::optional<OutputFormat> parse_output_format(std::string_view name);

class SearchOutput {
 public:
  // `base_url` (--base-url) prefixes the document page links of CSV and
  // JSON lines ("/document/…" without it, as the API's export writes them).
  SearchOutput(OutputFormat format, bool tty, std::ostream& out, std::string base_url = {});
  // Runs the request (paging when streaming) and prints; returns the number
  // of hits printed. Throws what Searcher::search throws.
  std::size_t run(Searcher& searcher, SearchRequest request, std::size_t page_size);

 private:
  void print_text(const SearchResponse& response);
  std::string terminal_extract(const std::string& html) const;

  OutputFormat format_;
  bool tty_;
  std::ostream& out_;
  std::string base_url_;
};

}  // namespace vigie
