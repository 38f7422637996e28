#include "search/highlighter.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// Extracts only look this far into a document: a hit's extract must stay
// cheap on a 300-page PDF (the first matches are the ones shown anyway).
constexpr std::size_t kExtractScanBytes = 64 * 1024;
// Read a part at a time (spots_until_all): folding is most of an extract's
// cost, and the long bodies (PDF minutes run to megabytes) are the ones
// that most often hold every query word early.
constexpr std::size_t kExtractPartBytes = 16 * 1024;

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

// The folded form of a text (text_normalization.h's fold, code point by code
// point) with, for each folded byte, the offset of the code point it came
// from. ASCII and the Latin letters French uses are folded from a table;
// other code points go through fold() itself.
struct FoldedText {
  std::string text;
  std::vector<std::uint32_t> origin;
};

const std::string& folded_latin(std::uint32_t code_point) {
  static const std::vector<std::string> table = [] {
    std::vector<std::string> t(0x250);
    for (std::uint32_t c = 0; c < t.size(); ++c) {
      std::string utf8;
      if (c < 0x80) {
        utf8.push_back(static_cast<char>(c));
      } else if (c < 0x800) {
        utf8.push_back(static_cast<char>(0xC0 | (c >> 6)));
        utf8.push_back(static_cast<char>(0x80 | (c & 0x3F)));
      }
      t[c] = fold(utf8);
    }
    return t;
  }();
  return table[code_point];
}

FoldedText fold_with_offsets(std::string_view text) {
  FoldedText out;
  out.text.reserve(text.size());
  out.origin.reserve(text.size());
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto at = static_cast<std::uint32_t>(i);
    if (s[i] < 0x80) {
      out.text.push_back(static_cast<char>(s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i]));
      out.origin.push_back(at);
      ++i;
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && is_continuation(s[end])) ++end;
    std::string folded;
    if (end - i == 2 && (s[i] & 0xE0) == 0xC0) {
      const std::uint32_t c = ((s[i] & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
      folded = c < 0x250 ? folded_latin(c) : fold(text.substr(i, 2));
    } else {
      folded = fold(text.substr(i, end - i));
    }
    out.text += folded;
    out.origin.insert(out.origin.end(), folded.size(), at);
    i = end;
  }
  return out;
}

// A probe found at `at` starts a word: what precedes it is not an ASCII
// letter or digit (a non-ASCII byte may be a letter: counted as a start,
// which only costs an analysis that finds nothing).
bool starts_word(const std::string& folded, std::size_t at) {
  if (at == 0) return true;
  const auto c = static_cast<unsigned char>(folded[at - 1]);
  return !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

}  // namespace

Highlighter::Highlighter(const std::vector<HighlightTerm>& terms) : terms_(terms) {
  for (std::size_t i = 0; i < terms_.size(); ++i) {
    const auto& t = terms_[i];
    if (!t.exact.empty()) {
      exacts_.insert(t.exact);
      probes_.push_back({t.exact, i});
    }
    if (!t.stem.empty()) {
      stems_.insert(t.stem);
      const std::size_t keep =
          t.stem.size() > 5 ? t.stem.size() - 2 : std::min<std::size_t>(t.stem.size(), 3);
      probes_.push_back({t.stem.substr(0, keep), i});
    }
  }
}

std::vector<Highlighter::Spot> Highlighter::spots(std::string_view text) const {
  const FoldedText folded = fold_with_offsets(text);
  std::vector<Spot> spots;
  for (const auto& probe : probes_) {
    if (probe.text.empty()) continue;
    for (auto at = folded.text.find(probe.text); at != std::string::npos;
         at = folded.text.find(probe.text, at + 1))
      if (starts_word(folded.text, at)) spots.push_back({folded.origin[at], probe.word});
  }
  std::sort(spots.begin(), spots.end(), [](const Spot& a, const Spot& b) { return a.at < b.at; });
  return spots;
}

std::vector<Highlighter::Spot> Highlighter::spots_until_all(std::string_view text) const {
  std::size_t longest = 0;
  std::unordered_set<std::size_t> words;
  for (const auto& probe : probes_) {
    if (probe.text.empty()) continue;
    longest = std::max(longest, probe.text.size());
    words.insert(probe.word);
  }
  std::vector<Spot> out;
  std::unordered_set<std::size_t> seen;
  for (std::size_t begin = 0; begin < text.size() && (seen.size() < words.size() || begin == 0);) {
    const std::size_t end = text.size() - begin <= kExtractPartBytes
                                ? text.size()
                                : char_start(text, begin + kExtractPartBytes);
    // Folded with a character before (a probe at `begin` must start a
    // word) and a probe's length after (one may cross `end`); kept: the
    // spots that start in [begin, end).
    const std::size_t from = begin == 0 ? 0 : char_start(text, begin - 1);
    const std::size_t past = end + 4 * longest + 4;  // folding may shorten: bytes to spare
    const std::size_t to = past >= text.size() ? text.size() : char_start(text, past);
    for (const Spot& spot : spots(text.substr(from, to - from))) {
      const std::size_t at = from + spot.at;
      if (at < begin || at >= end) continue;
      out.push_back({static_cast<std::uint32_t>(at), spot.word});
      seen.insert(spot.word);
    }
    begin = end;
  }
  return out;
}

std::optional<std::size_t> Highlighter::best_spot(const std::vector<Spot>& spots,
                                                  std::size_t chars) {
  if (spots.empty()) return std::nullopt;
  // Sliding window over the spots: the most distinct query words within
  // `chars` (French text: ~1.05 bytes a character; twice is a generous
  // bound), then the most spots; the earliest window when tied.
  const std::size_t window_bytes = chars * 2;
  std::size_t best = 0, best_score = 0;
  std::unordered_set<std::size_t> words;
  for (std::size_t i = 0; i < spots.size(); ++i) {
    words.clear();
    std::size_t total = 0;
    for (std::size_t j = i; j < spots.size() && spots[j].at - spots[i].at <= window_bytes; ++j) {
      words.insert(spots[j].word);
      ++total;
    }
    const std::size_t score = words.size() * 1000 + std::min<std::size_t>(999, total);
    if (score > best_score) {
      best_score = score;
      best = i;
    }
  }
  return spots[best].at;
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
    if (exacts_.count(t.exact))
      key = &t.exact;
    else if (stems_.count(t.stem))
      key = &t.stem;
    else if (!t.unaccented_stem.empty() && stems_.count(t.unaccented_stem))
      key = &t.unaccented_stem;
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

std::string Highlighter::extract(FrenchAnalyzer& analyzer, std::string_view text, std::size_t chars,
                                 std::size_t* focus) {
  // Where to cut the extract is decided on the probes (a substring search in
  // the folded text); only the window shown then goes through the French
  // analyzer, which marks exactly what matches. Analysing every hit's whole
  // text was 30 % of a search's time.
  std::size_t begin = 0;
  std::vector<Spot> found;
  if (!terms_.empty()) {
    found =
        spots_until_all(text.substr(0, char_start(text, std::min(kExtractScanBytes, text.size()))));
    if (auto spot = best_spot(found, chars)) {
      // Start a little before the spot, at a word boundary.
      const std::size_t lead = chars / 5;
      const std::size_t start = *spot;
      std::size_t back = start;
      std::size_t counted = 0;
      while (back > 0 && counted < lead) {
        back = char_start(text, back - 1);
        ++counted;
      }
      while (back > 0 && back < start && !is_space(text[back - 1])) ++back;
      begin = char_start(text, back);
    }
  }
  std::size_t end = advance_chars(text, begin, chars);
  if (end < text.size()) {  // cut at a word boundary
    std::size_t cut = end;
    while (cut > begin && !is_space(text[cut - 1])) --cut;
    if (cut > begin + (end - begin) / 2) end = cut;
  }
  // The analyzer reads only the words the probes point at in the window
  // (from the space before to the space after: a word with its elision or
  // hyphenated parts), and decides whether each really matches.
  std::vector<Match> matches;
  std::size_t analysed_to = begin;
  for (const Spot& spot : found) {
    if (spot.at < analysed_to) continue;  // within a word already read
    if (spot.at >= end) break;
    std::size_t from = spot.at;
    while (from > begin && !is_space(text[from - 1])) --from;
    std::size_t to = spot.at;
    while (to < text.size() && !is_space(text[to])) ++to;
    for (Match m : find(analyzer, text.substr(from, to - from), to - from)) {
      m.begin += static_cast<std::uint32_t>(from);
      m.end += static_cast<std::uint32_t>(from);
      if (matches.empty() || m.begin >= matches.back().end) matches.push_back(m);
    }
    analysed_to = to;
  }
  if (focus) {
    *focus = begin;
    for (const auto& m : matches) {
      if (m.begin >= begin && m.end <= end) {
        *focus = m.begin;
        break;
      }
    }
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
