#include "metadata/french_dates.h"

#include <algorithm>
#include <array>
#include <string>

namespace vigie::metadata {
namespace {

constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2100;

// A run of ASCII letters/digits in folded text. Everything else (spaces,
// punctuation, "°", "–") separates tokens and is looked at as a "gap".
struct Token {
  std::size_t begin = 0;
  std::size_t end = 0;
};

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> tokens;
  for (std::size_t pos = 0; pos < s.size();) {
    if (!is_ascii_alnum(s[pos])) {
      ++pos;
      continue;
    }
    std::size_t start = pos;
    while (pos < s.size() && is_ascii_alnum(s[pos])) ++pos;
    tokens.push_back({start, pos});
  }
  return tokens;
}

class TokenView {
 public:
  explicit TokenView(std::string_view s) : s_(s), tokens_(tokenize(s)) {}
  std::size_t size() const { return tokens_.size(); }
  std::string_view text(std::size_t i) const {
    return s_.substr(tokens_[i].begin, tokens_[i].end - tokens_[i].begin);
  }
  const Token& operator[](std::size_t i) const { return tokens_[i]; }
  // What separates token i-1 from token i (i >= 1).
  std::string_view gap_before(std::size_t i) const {
    return s_.substr(tokens_[i - 1].end, tokens_[i].begin - tokens_[i - 1].end);
  }
  bool space_before(std::size_t i) const {
    if (i == 0 || i >= size()) return false;
    for (char c : gap_before(i))
      if (!is_space(c)) return false;
    return true;
  }
  // Number words join with spaces or hyphens: "vingt-deux", "deux mille dix".
  bool number_join_before(std::size_t i) const {
    if (i == 0 || i >= size()) return false;
    int hyphens = 0;
    for (char c : gap_before(i)) {
      if (c == '-')
        ++hyphens;
      else if (!is_space(c))
        return false;
    }
    return hyphens <= 1;
  }

 private:
  std::string_view s_;
  std::vector<Token> tokens_;
};

int digits_value(std::string_view t, std::size_t min_len, std::size_t max_len) {
  if (t.size() < min_len || t.size() > max_len) return -1;
  int value = 0;
  for (char c : t) {
    if (!is_digit(c)) return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

// "22" → 22, "1er" / "1re" / "premier" → 1; -1 otherwise.
int day_token_value(std::string_view t) {
  if (t == "1er" || t == "1re" || t == "premier") return 1;
  int day = digits_value(t, 1, 2);
  return day >= 1 && day <= 31 ? day : -1;
}

int number_word_value(std::string_view w) {
  struct Entry {
    std::string_view word;
    int value;
  };
  static constexpr std::array<Entry, 27> kWords{{
      {"un", 1},        {"une", 1},        {"deux", 2},      {"trois", 3},   {"quatre", 4},
      {"cinq", 5},      {"six", 6},        {"sept", 7},      {"huit", 8},    {"neuf", 9},
      {"dix", 10},      {"onze", 11},      {"douze", 12},    {"treize", 13}, {"quatorze", 14},
      {"quinze", 15},   {"seize", 16},     {"vingt", 20},    {"vingts", 20}, {"trente", 30},
      {"quarante", 40}, {"cinquante", 50}, {"soixante", 60}, {"cent", 100},  {"cents", 100},
      {"mille", 1000},  {"mil", 1000},
  }};
  for (const auto& e : kWords)
    if (e.word == w) return e.value;
  if (w == "et") return 0;
  return -1;
}

// Value of the number words in tokens [first, last]: "vingt-deux" → 22,
// "deux mille dix" → 2010, "quatre-vingt-dix-neuf" → 99. -1 if not one.
int parse_number_words(const TokenView& tv, std::size_t first, std::size_t last) {
  int total = 0, current = 0;
  for (std::size_t i = first; i <= last; ++i) {
    std::string_view w = tv.text(i);
    int v = number_word_value(w);
    if (v < 0) return -1;
    if (v == 1000) {
      total += (current == 0 ? 1 : current) * 1000;
      current = 0;
    } else if (v == 100) {
      current = (current == 0 ? 1 : current) * 100;
    } else if (v == 20 && current % 100 == 4) {
      current += 76;  // quatre-vingt(s) = 4 × 20
    } else {
      current += v;
    }
  }
  return total + current;
}

bool is_number_word(std::string_view w) { return number_word_value(w) > 0; }

struct DayPart {
  int day = 0;
  std::size_t first_token = 0;
};

// Day written before the month token at `month`: "22", "1er", "vingt-deux",
// and the first day of "22 et 23" / "du 22 au 23".
std::optional<DayPart> day_before(const TokenView& tv, std::size_t month) {
  if (!tv.space_before(month)) return std::nullopt;
  std::size_t i = month - 1;
  DayPart part;
  if (int d = day_token_value(tv.text(i)); d > 0) {
    part = {d, i};
  } else {
    std::size_t first = i;  // number words, read backwards, at most 4 ("trente et un")
    while (first > 0 && month - first < 4 && tv.number_join_before(first) &&
           number_word_value(tv.text(first - 1)) >= 0)
      --first;
    while (first < i && !is_number_word(tv.text(first))) ++first;  // not a leading "et"
    int written = parse_number_words(tv, first, i);
    if (written < 1 || written > 31) return std::nullopt;
    part = {written, first};
  }
  std::size_t f = part.first_token;
  if (f >= 2 && tv.space_before(f) && tv.space_before(f - 1) &&
      (tv.text(f - 1) == "et" || tv.text(f - 1) == "au")) {
    if (int d = day_token_value(tv.text(f - 2)); d > 0 && d < part.day) part = {d, f - 2};
  }
  return part;
}

struct YearPart {
  int year = 0;
  std::size_t last_token = 0;
};

struct LeadingYear {
  int year = 0;
  std::size_t first_token = 0;
};

// Minutes open with « L'an deux mil dix, le vingt-deux juin »: the year
// comes first, written out, and the day after « le ».
std::optional<LeadingYear> year_before_day(const TokenView& tv, std::size_t day_first) {
  if (day_first < 3 || tv.text(day_first - 1) != "le" || !tv.space_before(day_first)) {
    return std::nullopt;
  }
  std::size_t last = day_first - 2, first = last;
  while (first > 1 && last - first < 7 && tv.number_join_before(first) &&
         number_word_value(tv.text(first - 1)) >= 0)
    --first;
  if (first == 0 || tv.text(first - 1) != "an" || !tv.space_before(first)) return std::nullopt;
  int y = parse_number_words(tv, first, last);
  if (y < kMinYear || y > kMaxYear) return std::nullopt;
  return LeadingYear{y, first - 1};
}

// Year written after the month token: "2010", "deux mille dix", "mil neuf cent quatre-vingt".
std::optional<YearPart> year_after(const TokenView& tv, std::size_t month) {
  std::size_t i = month + 1;
  if (i >= tv.size() || !tv.space_before(i)) return std::nullopt;
  if (int y = digits_value(tv.text(i), 4, 4); y >= 0)
    return y >= kMinYear && y <= kMaxYear ? std::optional<YearPart>({y, i}) : std::nullopt;
  if (!is_number_word(tv.text(i))) return std::nullopt;
  std::size_t last = i;
  while (last + 1 < tv.size() && last - i < 7 && tv.number_join_before(last + 1) &&
         is_number_word(tv.text(last + 1)))
    ++last;
  int y = parse_number_words(tv, i, last);
  if (y < kMinYear || y > kMaxYear) return std::nullopt;
  return YearPart{y, last};
}

std::optional<Date> valid_date(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  return Date::parse(Date{year, month, day}.iso());  // rejects 31 juin, 30 février
}

// "22/06/2010", "22.06.2010" starting at token i.
std::optional<DateMatch> numeric_date(const TokenView& tv, std::size_t i) {
  if (i + 2 >= tv.size()) return std::nullopt;
  std::string_view sep = tv.gap_before(i + 1);
  if ((sep != "/" && sep != ".") || tv.gap_before(i + 2) != sep) return std::nullopt;
  int d = digits_value(tv.text(i), 1, 2), m = digits_value(tv.text(i + 1), 1, 2);
  int y = digits_value(tv.text(i + 2), 4, 4);
  if (d < 1 || m < 1 || y < 0) return std::nullopt;
  auto date = valid_date(y, m, d);
  if (!date) return std::nullopt;
  return DateMatch{*date, tv[i].begin, tv[i + 2].end};
}

// "2010-06-22" starting at token i.
std::optional<DateMatch> iso_date(const TokenView& tv, std::size_t i) {
  if (i + 2 >= tv.size() || tv.gap_before(i + 1) != "-" || tv.gap_before(i + 2) != "-")
    return std::nullopt;
  int y = digits_value(tv.text(i), 4, 4), m = digits_value(tv.text(i + 1), 1, 2);
  int d = digits_value(tv.text(i + 2), 1, 2);
  if (y < 0 || m < 1 || d < 1) return std::nullopt;
  auto date = valid_date(y, m, d);
  if (!date) return std::nullopt;
  return DateMatch{*date, tv[i].begin, tv[i + 2].end};
}

// Up to `count` white-space separated words ending before `pos`, in text
// order, looking back at most `max_bytes`.
std::vector<std::string_view> words_before(std::string_view s, std::size_t pos, std::size_t count,
                                           std::size_t max_bytes = 120) {
  std::vector<std::string_view> words;
  std::size_t limit = pos > max_bytes ? pos - max_bytes : 0;
  while (words.size() < count && pos > limit) {
    while (pos > limit && is_space(s[pos - 1])) --pos;
    std::size_t end = pos;
    while (pos > limit && !is_space(s[pos - 1])) --pos;
    // A word cut by the byte limit is not a word.
    if (pos == end || (pos == limit && limit > 0 && !is_space(s[limit - 1]))) break;
    words.insert(words.begin(), s.substr(pos, end - pos));
  }
  return words;
}

bool ends_with_words(const std::vector<std::string_view>& words,
                     std::initializer_list<std::string_view> tail) {
  if (words.size() < tail.size()) return false;
  std::size_t i = words.size() - tail.size();
  for (auto t : tail)
    if (words[i++] != t) return false;
  return true;
}

bool has_digit(std::string_view w) {
  for (char c : w)
    if (is_digit(c)) return true;
  return false;
}

// « Fait à CHEMERE, le » / « Toulouse, le » at a line start (a dateline).
std::optional<std::size_t> signature_cue(std::string_view s, std::size_t date_begin,
                                         const std::vector<std::string_view>& words) {
  if (words.size() < 2 || words.back() != "le" || words[words.size() - 2].back() != ',')
    return std::nullopt;
  for (std::size_t k = words.size() - 2, n = 0; n < 4 && k < words.size(); --k, ++n) {
    if (has_digit(words[k])) return std::nullopt;
    if (k >= 2 && words[k - 1] == "a" && words[k - 2] == "fait")
      return static_cast<std::size_t>(words[k - 2].data() - s.data());
    if (k == 0) break;
  }
  // Dateline: only 1–3 words between the line start and ", le".
  std::size_t line_start = s.rfind('\n', date_begin);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  auto line_words = words_before(s.substr(0, date_begin), date_begin, 5, date_begin - line_start);
  if (line_words.size() >= 2 && line_words.size() <= 4 &&
      line_words.front().data() == s.data() + skip_spaces(s, line_start))
    return static_cast<std::size_t>(line_words.front().data() - s.data());
  return std::nullopt;
}

bool is_legal_reference_word(std::string_view w) {
  static constexpr std::array<std::string_view, 13> kStems{
      "loi",      "decret",    "arrete",    "deliberation", "circulaire", "ordonnance",   "code",
      "decision", "directive", "reglement", "convention",   "arretes",    "deliberations"};
  if (w.find("n\xC2\xB0") != std::string_view::npos ||
      w.find("n\xC2\xBA") != std::string_view::npos)
    return true;
  for (auto stem : kStems)
    if (w == stem) return true;
  return false;
}

DateCue classify(std::string_view s, const DateMatch& m, std::size_t& cue_begin) {
  auto words = words_before(s, m.begin, 8);
  cue_begin = m.begin;
  auto begin_of = [&](std::size_t n) {  // the n-th word from the end starts the cue
    cue_begin = static_cast<std::size_t>(words[words.size() - n].data() - s.data());
  };
  // Strong cues first: « réunion du conseil municipal du » beats « réunion du ».
  static const std::initializer_list<std::string_view> kStrong[] = {
      {"seance", "du"},
      {"seance", "ordinaire", "du"},
      {"seance", "publique", "du"},
      {"municipal", "du"},
      {"communautaire", "du"},
      {"cm", "du"},
      {"syndical", "du"},
      {"generale", "du"},
      {"tenu", "le"},
      {"tenue", "le"},
      {"tenu", "les"},
      {"tenue", "les"},
      {"tiendra", "le"},
      {"tiendra", "les"},
      {"reuni", "le"},
      {"seance", "du", "mardi"},
      {"seance", "du", "lundi"},
      {"seance", "du", "jeudi"},
      {"seance", "du", "mercredi"},
      {"seance", "du", "vendredi"},
      {"seance", "du", "samedi"},
      // A press release dated in its own heading: « Communiqué de presse – 3 juin 2025 ».
      {"presse", "\xE2\x80\x93"},
      {"presse", "-"},
      {"presse,"},
      {"presse", ":"},
      {"presse", "du"}};
  for (const auto& tail : kStrong) {
    if (ends_with_words(words, tail)) {
      // Show the noun or subject too: « conseil municipal du », « s'est tenu le ».
      std::string_view lead = *tail.begin();
      bool qualifier = lead == "municipal" || lead == "communautaire" || lead == "syndical" ||
                       lead == "generale" || lead == "tenu" || lead == "tenue" || lead == "reuni" ||
                       lead == "tiendra";
      begin_of(std::min(words.size(), tail.size() + (qualifier ? 1 : 0)));
      return DateCue::Strong;
    }
  }
  if (auto start = signature_cue(s, m.begin, words)) {
    cue_begin = *start;
    return DateCue::Strong;
  }
  static const std::initializer_list<std::string_view> kExcluded[] = {
      {"ne", "le"},         {"nee", "le"},        {"compter", "du"},  {"compter", "de"},
      {"partir", "du"},     {"jusqu'au"},         {"reunion", "du"},  {"date", "du"},
      {"convocation"},      {"convocation", ":"}, {"convocation:"},   {"convoque", "le"},
      {"affichage", ":"},   {"affichage"},        {"transmis", "le"}, {"recu", "le"},
      {"prefecture", "le"}, {"avant", "le"}};
  for (const auto& tail : kExcluded)
    if (ends_with_words(words, tail)) return DateCue::Excluded;
  if (!words.empty() && (words.back() == "du" || words.back() == "des")) {
    for (std::size_t n = 2; n <= 5 && n <= words.size(); ++n)
      if (is_legal_reference_word(words[words.size() - n])) return DateCue::Excluded;
  }
  if (!words.empty() && (words.back() == "le" || words.back() == "les" || words.back() == "du"))
    begin_of(1);
  return DateCue::Plain;
}

}  // namespace

int month_number(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "janvier", "fevrier", "mars",      "avril",   "mai",      "juin",
      "juillet", "aout",    "septembre", "octobre", "novembre", "decembre"};
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (w == kMonths[i]) return static_cast<int>(i) + 1;
  return 0;
}

std::vector<DateMatch> find_dates(std::string_view folded) {
  std::vector<DateMatch> found;
  TokenView tv(folded);
  for (std::size_t i = 0; i < tv.size(); ++i) {
    if (int month = month_number(tv.text(i))) {
      auto day = day_before(tv, i);
      std::size_t first = day ? day->first_token : i, last = i;
      int year = 0;
      if (auto after = year_after(tv, i)) {
        year = after->year;
        last = after->last_token;
      } else if (auto before = day ? year_before_day(tv, day->first_token) : std::nullopt) {
        year = before->year;
        first = before->first_token;
      } else {
        continue;  // « le 22 juin » alone does not date anything
      }
      auto date = valid_date(year, month, day ? day->day : 0);
      if (!date) continue;
      if (!found.empty() && found.back().end > tv[first].begin) continue;  // already inside one
      found.push_back({*date, tv[first].begin, tv[last].end});
      i = last;
    } else if (auto numeric = numeric_date(tv, i)) {
      found.push_back(*numeric);
      i += 2;
    } else if (auto iso = iso_date(tv, i)) {
      found.push_back(*iso);
      i += 2;
    }
  }
  return found;
}

std::optional<DocumentDate> best_document_date(std::string_view folded) {
  std::optional<DocumentDate> first_plain;
  for (const DateMatch& m : find_dates(folded)) {
    DocumentDate candidate{m, m.begin, DateCue::Plain};
    candidate.cue = classify(folded, m, candidate.cue_begin);
    if (candidate.cue == DateCue::Strong) return candidate;
    if (candidate.cue == DateCue::Plain && !first_plain) first_plain = candidate;
  }
  return first_plain;
}

std::optional<Date> date_in_file_name(std::string_view folded_stem) {
  std::string name(folded_stem);
  for (char& c : name)
    if (c == '_') c = ' ';
  auto dates = find_dates(name);
  if (!dates.empty()) return dates.front().date;
  TokenView tv(name);
  for (std::size_t i = 0; i < tv.size(); ++i) {  // "20100622"
    std::string_view t = tv.text(i);
    if (t.size() != 8) continue;
    int y = digits_value(t.substr(0, 4), 4, 4), m = digits_value(t.substr(4, 2), 2, 2);
    int d = digits_value(t.substr(6, 2), 2, 2);
    if (y >= 0 && m >= 1 && d >= 1)
      if (auto date = valid_date(y, m, d)) return date;
  }
  for (std::size_t i = 0; i < tv.size(); ++i) {  // a year alone: "ARrete 2012-3"
    int y = digits_value(tv.text(i), 4, 4);
    if (y >= 1900 && y <= kMaxYear) return Date{y, 0, 0};
  }
  return std::nullopt;
}

}  // namespace vigie::metadata
