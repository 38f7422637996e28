// SearchOutput: how vigie-search prints results — text for a terminal (matches
// in bold when stdout is a TTY), one JSON response, or JSON lines / CSV that
// stream every hit page by page (--limit 0) for analysis in R or pandas.
#pragma once

#include <ostream>
#include <string>

#include "vigie/searcher.h"

namespace vigie {

class SearchOutput {
 public:
  SearchOutput(std::string format, bool tty, std::ostream& out);
  // Runs the request (paging when streaming) and prints; returns the number
  // of hits printed. Throws what Searcher::search throws.
  std::size_t run(Searcher& searcher, SearchRequest request, std::size_t page_size);

 private:
  void print_text(const SearchResponse& response);
  std::string terminal_extract(const std::string& html) const;

  std::string format_;
  bool tty_;
  std::ostream& out_;
};

}  // namespace vigie
