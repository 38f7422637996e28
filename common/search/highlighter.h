// Highlighter: marks a query's words in a text, on the FrenchAnalyzer's byte
// offsets (Xapian's MSet::snippet re-tokenises and misses elided or folded
// words). Everything is HTML-escaped; matches are wrapped in <mark>.
// Thread-safety: one Highlighter per thread (it holds a FrenchAnalyzer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "query/query_parser.h"
#include "vigie/french_analyzer.h"
#include "vigie/html_escape.h"

namespace vigie {

class Highlighter {
 public:
  explicit Highlighter(const std::vector<HighlightTerm>& terms);

  // The best window of about `chars` characters (the one with the most
  // distinct matched words, near the start when tied), cut at word
  // boundaries, "…" where text was cut. Without matches: the start of the text.
  // `focus`, when given, receives the byte offset in `text` of the first
  // match shown, else of the window's start (what a PDF hit's page is of).
  std::string extract(FrenchAnalyzer& analyzer, std::string_view text, std::size_t chars,
                      std::size_t* focus = nullptr);
  // The whole text escaped with every match marked; the first match gets
  // id="premier-resultat" so a page can link to it. Newlines are kept.
  std::string mark_all(FrenchAnalyzer& analyzer, std::string_view text);

 private:
  struct Match {
    std::uint32_t begin, end;
    std::size_t word;  // index of the matched query word, for distinctness
  };
  // A folded piece of a query word that any matching word of a text contains
  // once folded: the exact form, and the stem minus its last two letters
  // (Snowball rewrites endings: « différence » → « différent »).
  struct Probe {
    std::string text;
    std::size_t word;
  };
  std::vector<Match> find(FrenchAnalyzer& analyzer, std::string_view text, std::size_t max_bytes);
  // Where a probe occurs at the start of a word, in byte order.
  struct Spot {
    std::uint32_t at;
    std::size_t word;
  };
  std::vector<Spot> spots(std::string_view text) const;
  // The spots of `text` read a part at a time, until the parts read hold
  // every query word: a long body is not folded beyond its first passage
  // with all of them.
  std::vector<Spot> spots_until_all(std::string_view text) const;
  // Where the window of `chars` characters with the most distinct query
  // words starts, judged on the spots; nullopt when there are none.
  static std::optional<std::size_t> best_spot(const std::vector<Spot>& spots, std::size_t chars);

  std::vector<HighlightTerm> terms_;
  std::unordered_set<std::string> exacts_, stems_;
  std::vector<Probe> probes_;
};

}  // namespace vigie
