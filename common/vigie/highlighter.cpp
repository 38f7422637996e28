#include "vigie/highlighter.h"

#include <algorithm>
#include <unordered_map>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// Extracts only look this far into a document: a hit's extract must stay
// cheap on a 300-page PDF (the first matches are the ones shown anyway).
constexpr std::size_t kExtractScanBytes = 64 * 1024;

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Moves `at` back to the start of a UTF-8 sequence.
std::size_t char_start(std::string_view text, std::size_t at) {
  while (at > 0 && at < text.size() && is_continuation(static_cast<unsigned char>(text[at]))) --at;
  return at;
}


// Byte offset `chars` characters after `from` (or the end).
std::size_t advance_chars(std::string_view text, std::size_t from, std::size_t chars) {
  std::size_t at = from;
  while (at < text.size() && chars > 0) {
    ++at;
    while (at < text.size() && is_continuation(static_cast<unsigned char>(text[at]))) ++at;
    --chars;
  }
  return at;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f'; }

}  // namespace

std::string html_escape(std::string_view raw) {
  std::string valid = make_valid_utf8(raw);
  std::string out;
  out.reserve(valid.size() + valid.size() / 8);
  for (char c : valid) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Highlighter::Highlighter(const std::vector<HighlightTerm>& terms) : terms_(terms) {
  for (const auto& t : terms_) {
    if (!t.exact.empty()) exacts_.insert(t.exact);
    if (!t.stem.empty()) stems_.insert(t.stem);
  }
}

std::vector<Highlighter::Match> Highlighter::find(FrenchAnalyzer& analyzer, std::string_view text,
                                                  std::size_t max_bytes) {
  std::vector<Match> matches;
  if (terms_.empty()) return matches;
  std::unordered_map<std::string, std::size_t> word_index;
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    word_index.emplace(terms_[i].exact, i);
    if (!terms_[i].stem.empty()) word_index.emplace(terms_[i].stem, i);
  }
  std::string_view scanned = text.substr(0, char_start(text, std::min(max_bytes, text.size())));
  analyzer.analyze(scanned, [&](const Token& t) {
    const std::string* key = nullptr;
    if (exacts_.count(t.exact)) key = &t.exact;
    else if (stems_.count(t.stem)) key = &t.stem;
    else if (!t.unaccented_stem.empty() && stems_.count(t.unaccented_stem)) key = &t.unaccented_stem;
    if (!key) return;
    // An alternative (joined form) overlaps the parts: keep the widest span once.
    if (!matches.empty() && t.begin < matches.back().end) {
      if (t.end > matches.back().end) matches.back().end = t.end;
      return;
    }
    auto it = word_index.find(*key);
    matches.push_back({t.begin, t.end, it == word_index.end() ? 0 : it->second});
  });
  return matches;
}

std::string Highlighter::extract(FrenchAnalyzer& analyzer, std::string_view text, std::size_t chars) {
  const auto matches = find(analyzer, text, kExtractScanBytes);
  std::size_t begin = 0;
  if (!matches.empty()) {
    // Sliding window over matches: the most distinct words within `chars`.
    std::size_t best_score = 0, best_first = 0;
    std::size_t window_bytes = chars * 2;  // French text: ~1.05 bytes/char; generous bound
    for (std::size_t i = 0; i < matches.size(); ++i) {
      std::unordered_map<std::size_t, int> seen;
      std::size_t total = 0;
      for (std::size_t j = i; j < matches.size() && matches[j].end - matches[i].begin <= window_bytes; ++j) {
        seen[matches[j].word]++;
        ++total;
      }
      // Distinct query words first, then how many matches.
      const std::size_t score = seen.size() * 1000 + std::min<std::size_t>(999, total);
      if (score > best_score) {
        best_score = score;
        best_first = i;
      }
    }
    // Start a little before the first match of the window, at a word boundary.
    const std::size_t lead = chars / 5;
    std::size_t start = matches[best_first].begin;
    std::size_t back = start;
    std::size_t counted = 0;
    while (back > 0 && counted < lead) {
      back = char_start(text, back - 1);
      ++counted;
    }
    while (back > 0 && back < start && !is_space(text[back - 1])) ++back;
    begin = char_start(text, back);
  }
  std::size_t end = advance_chars(text, begin, chars);
  if (end < text.size()) {  // cut at a word boundary
    std::size_t cut = end;
    while (cut > begin && !is_space(text[cut - 1])) --cut;
    if (cut > begin + (end - begin) / 2) end = cut;
  }
  std::string out;
  if (begin > 0) out += "… ";
  std::size_t at = begin;
  for (const auto& m : matches) {
    if (m.begin < begin) continue;
    if (m.end > end) break;
    out += html_escape(text.substr(at, m.begin - at));
    out += "<mark>" + html_escape(text.substr(m.begin, m.end - m.begin)) + "</mark>";
    at = m.end;
  }
  out += html_escape(text.substr(at, end - at));
  if (end < text.size()) out += " …";
  // Extracts are one paragraph: line breaks and runs of spaces become one space.
  std::string flat;
  flat.reserve(out.size());
  for (char c : out) {
    if (is_space(c)) {
      if (!flat.empty() && flat.back() != ' ') flat += ' ';
    } else {
      flat += c;
    }
  }
  return flat;
}

std::string Highlighter::mark_all(FrenchAnalyzer& analyzer, std::string_view text) {
  const auto matches = find(analyzer, text, text.size());
  std::string out;
  out.reserve(text.size() + matches.size() * 13);
  std::size_t at = 0;
  bool first = true;
  for (const auto& m : matches) {
    out += html_escape(text.substr(at, m.begin - at));
    out += first ? "<mark id=\"premier-resultat\">" : "<mark>";
    out += html_escape(text.substr(m.begin, m.end - m.begin)) + "</mark>";
    first = false;
    at = m.end;
  }
  out += html_escape(text.substr(at));
  return out;
}

}  // namespace vigie
