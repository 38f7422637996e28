// Reference rules (see decision_references.h and docs/metadata-rules.md).
#include "metadata/decision_references.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "metadata/deliberation_numbers.h"
#include "metadata/french_dates.h"

namespace vigie::metadata {
namespace {

// How far a code's name may sit from the articles it qualifies (« L 2122-22
// 4° du Code général… »: 6 bytes; « (art. L2121-29 du CGCT) »: 4).
constexpr std::size_t kCodeAfterBytes = 40;
// « Vu le Code général des collectivités territoriales, et notamment son
// article L 5211-20 » announces the code before: at most this far back.
constexpr std::size_t kCodeBeforeBytes = 200;
// A deliberation's number and date follow it closely (« la délibération
// d'affectation du résultat 2003 en date du 24 mars 2004 »: 58 bytes).
constexpr std::size_t kCitationWindowBytes = 120;

bool boundary_before(std::string_view s, std::size_t pos) {
  return pos == 0 || !is_word_byte(s[pos - 1]);
}

std::size_t digit_run(std::string_view s, std::size_t pos) {
  std::size_t end = pos;
  while (end < s.size() && is_digit(s[end])) ++end;
  return end - pos;
}

// ---- Articles ----------------------------------------------------------------

// « 2121-29 », « 332.15 », « 1617-19-1 » at `pos`: first group of 3–4 digits,
// then groups after '-' or '.'. Returns the end, npos when not one.
std::size_t article_digits_end(std::string_view s, std::size_t pos, bool elliptic = false) {
  const std::size_t first = digit_run(s, pos);
  if (elliptic) {
    // « L2123-23, 24 et 24-1 »: « 24 » is L2123-24, « 24-1 » is L2123-24-1.
    if (first < 1 || first > 2) return std::string_view::npos;
    std::size_t end = pos + first;
    while (end + 1 < s.size() && s[end] == '-' && is_digit(s[end + 1]))
      end += 1 + digit_run(s, end + 1);
    if (end < s.size() && (is_word_byte(s[end]) || s.compare(end, 2, "\xC2\xB0") == 0))
      return std::string_view::npos;
    return end;
  }
  if (first < 3 || first > 4) return std::string_view::npos;
  std::size_t end = pos + first;
  int groups = 0;
  while (end + 1 < s.size() && (s[end] == '-' || s[end] == '.') && is_digit(s[end + 1])) {
    const std::size_t group_end = end + 1 + digit_run(s, end + 1);
    // « L. 332-6-1-2° »: « 2° » is a paragraph of article L. 332-6-1.
    if (s.compare(group_end, 2, "\xC2\xB0") == 0) break;
    end = group_end;
    ++groups;
  }
  if (groups == 0 || (end < s.size() && is_word_byte(s[end]))) return std::string_view::npos;
  return end;
}

struct ArticleAt {
  char letter = 0;  // 'l', 'r', 'd', 0 when inherited from the list
  std::size_t begin = 0, digits = 0, end = 0;
  bool elliptic = false;  // « 24 » after « L2123-23, »: the number goes on the previous one's
};

// « L. 2121-29 », « L2121-29 », « L 2121-29 », « L.O. 1112-1 » at `pos`.
std::optional<ArticleAt> article_at(std::string_view s, std::size_t pos, bool letter_optional) {
  ArticleAt at{.begin = pos};
  std::size_t p = pos;
  if (p < s.size() && (s[p] == 'l' || s[p] == 'r' || s[p] == 'd') && boundary_before(s, p)) {
    at.letter = s[p++];
    std::size_t limit = p + 3;
    while (p < s.size() && p < limit && (s[p] == '.' || s[p] == ' ')) ++p;
    if (at.letter == 'l' && s.compare(p, 1, "o") == 0 && p + 1 < s.size() &&
        (s[p + 1] == '.' || s[p + 1] == ' ')) {
      p += 2;  // « L.O. »: an organic article, keyed on L
      while (p < s.size() && (s[p] == '.' || s[p] == ' ')) ++p;
    }
  } else if (!letter_optional) {
    return std::nullopt;
  }
  at.digits = p;
  at.end = article_digits_end(s, p);
  if (at.end == std::string_view::npos && !at.letter) {
    at.end = article_digits_end(s, p, true);
    at.elliptic = true;
  }
  if (at.end == std::string_view::npos) return std::nullopt;
  return at;
}

// After an article: its paragraph (« -2° d) », « 4° », « (e) ») and « et
// suivants », which neither end a list nor belong to the number.
std::size_t skip_paragraph_mark(std::string_view s, std::size_t end) {
  std::size_t p = end;
  if (p < s.size() && (s[p] == '-' || s[p] == ' ')) ++p;
  const std::size_t digits = digit_run(s, p);
  if (digits > 0 && digits <= 2 && s.compare(p + digits, 2, "\xC2\xB0") == 0) {
    end = p + digits + 2;
    p = skip_spaces(s, end);
    if (p + 1 < s.size() && s[p] >= 'a' && s[p] <= 'z' && s[p + 1] == ')') end = p + 2;
  }
  p = skip_spaces(s, end);
  if (p + 2 < s.size() && s[p] == '(' && s[p + 1] >= 'a' && s[p + 1] <= 'z' && s[p + 2] == ')')
    end = p + 3;
  p = skip_spaces(s, end);
  if (std::size_t stop = match_at(s, p, "et suivants"); stop != std::string_view::npos) end = stop;
  return end;
}

bool after_article_word(std::string_view s, std::size_t pos) {
  std::size_t p = pos;
  while (p > 0 && pos - p < 3 && (s[p - 1] == ' ' || s[p - 1] == '.')) --p;
  for (std::string_view word : {"articles", "article", "art"})
    if (p >= word.size() && s.compare(p - word.size(), word.size(), word) == 0 &&
        boundary_before(s, p - word.size()))
      return true;
  return false;
}

// « et », « à », « , », « ou » between two articles of a list; the position
// of the next one, or npos.
std::size_t list_continues(std::string_view s, std::size_t end) {
  std::size_t p = skip_spaces(s, end);
  for (std::string_view joint : {",", "et/ou", "et", "ou", "a"}) {
    std::size_t stop = match_at(s, p, joint);
    if (stop == std::string_view::npos) continue;
    if (is_ascii_alnum(joint.back()) && stop < s.size() && is_word_byte(s[stop])) continue;
    return skip_spaces(s, stop);
  }
  return std::string_view::npos;
}

std::string code_after(std::string_view s, std::size_t from);

// The code named at `pos` (« code de l'urbanisme », « CGCT », « C.G.C.T. »):
// its key, and `end` past the name; "" when none is named there.
std::string code_named_at(std::string_view s, std::size_t pos, std::size_t* end = nullptr) {
  for (std::string_view abbreviation : {"cgct", "c.g.c.t.", "c.g.c.t", "cg3p", "cgi"}) {
    std::size_t stop = match_at(s, pos, abbreviation);
    if (stop == std::string_view::npos || (stop < s.size() && is_ascii_alnum(s[stop]))) continue;
    if (end) *end = stop;
    std::string letters;
    for (char c : abbreviation)
      if (c != '.') letters += c;
    return code_key(letters);
  }
  if (s.compare(pos, 5, "code ") != 0) return "";
  // The longest run of words that names a known code (« code rural et de
  // la pêche maritime » before « code rural »).
  std::string best;
  std::size_t p = pos + 4;
  std::string name = "code";
  for (int words = 0; words < 10 && p < s.size(); ++words) {
    std::size_t w = skip_spaces(s, p);
    std::size_t e = w;
    while (e < s.size() && (is_word_byte(s[e]) || s[e] == '\'' || s[e] == '-')) ++e;
    if (e == w) break;
    name += " ";
    name += s.substr(w, e - w);
    if (std::string key = code_key(name); !key.empty()) {
      best = key;
      if (end) *end = e;
    }
    p = e;
  }
  return best;
}

// « du Code … », « du CGCT » right after an article list ending at `from`.
std::string code_after(std::string_view s, std::size_t from) {
  const std::size_t limit = std::min(s.size(), from + kCodeAfterBytes);
  for (std::size_t p = from; p < limit; ++p) {
    if (s[p] == ';' || s[p] == '\n' || s[p] == ')') break;
    if (s[p] == '.' && p + 1 < s.size() && s[p + 1] == ' ') break;  // « R 2123-23. L'article … »
    if (!boundary_before(s, p) || (s[p] != 'c')) continue;
    if (std::string key = code_named_at(s, p); !key.empty()) return key;
    if (s.compare(p, 5, "code ") == 0) return "";  // a code we do not know: not the one before
  }
  return "";
}

// Where the sentence holding `pos` starts: after « . » ending a word of two
// letters or more (not « M. », « L. », « C.G.C.T. », « art. »), « ; » or a
// line break; at most `max` bytes back.
std::size_t sentence_start(std::string_view s, std::size_t pos, std::size_t max) {
  const std::size_t floor = pos > max ? pos - max : 0;
  for (std::size_t p = pos; p > floor; --p) {
    const char c = s[p - 1];
    if (c == ';' || c == '\n') return p;
    if (c != '.' || p < 3 || !is_ascii_alnum(s[p - 2]) || !is_ascii_alnum(s[p - 3])) continue;
    if (p >= 4 && s.compare(p - 4, 3, "art") == 0) continue;
    if (p < s.size() && s[p] != ' ') continue;  // « 332.15 »
    return p;
  }
  return floor;
}

// « le Code de l'urbanisme, par le biais des articles L. 332-6… », « le
// Code … impose, par ses articles D 2224-1 à D2224-5 », « le CGCT, et
// notamment l'article »: a code named earlier in the same sentence.
std::string code_announced_before(std::string_view s, std::size_t pos) {
  const std::size_t from = sentence_start(s, pos, kCodeBeforeBytes);
  const std::string_view window = s.substr(from, pos - from);
  for (std::size_t p = window.size(); p-- > 0;) {
    if (window[p] != 'c' || !boundary_before(window, p)) continue;
    if (std::string key = code_named_at(window, p); !key.empty()) return key;
  }
  return "";
}

void read_articles(const FoldedText& text, std::size_t max_refs,
                   std::vector<LegalReference>& refs) {
  const std::string_view s = text.folded();
  const std::string_view original = text.original();
  for (std::size_t pos = 0; pos < s.size() && refs.size() < max_refs; ++pos) {
    const char c = s[pos];
    if ((c != 'l' && c != 'r' && c != 'd') || !boundary_before(s, pos)) continue;
    auto first = article_at(s, pos, false);
    if (!first) continue;
    // Without « article » before it, only the unmistakable form: a capital
    // L and four digits (« L2121-29 »). « D 2313-141 », « R 1323-163 » are
    // budget lines (dépense, recette) unless a code follows.
    const bool announced = after_article_word(s, pos);
    if (!announced) {
      const std::size_t origin = text.original_offset(pos);
      const bool capital =
          origin < original.size() && original[origin] >= 'A' && original[origin] <= 'Z';
      if (!capital || digit_run(s, first->digits) != 4) continue;
    }
    std::vector<ArticleAt> list{*first};
    for (std::size_t next = list_continues(s, skip_paragraph_mark(s, first->end));
         next != std::string_view::npos;
         next = list_continues(s, skip_paragraph_mark(s, list.back().end))) {
      auto more = article_at(s, next, true);
      if (!more) break;
      if (!more->letter) more->letter = list.back().letter;
      list.push_back(*more);
    }
    std::string code = code_after(s, skip_paragraph_mark(s, list.back().end));
    if (!announced && c != 'l' && code.empty()) continue;
    if (code.empty()) code = code_announced_before(s, pos);
    std::string_view head;  // the first group of the last article written whole
    for (const ArticleAt& at : list) {
      std::string written(1, at.letter);
      if (at.elliptic) {
        if (head.empty()) continue;
        written += head;
        written += '-';
      } else {
        head = s.substr(at.digits, digit_run(s, at.digits));
      }
      written += s.substr(at.digits, at.end - at.digits);
      auto key = article_key(written);
      if (!key) continue;
      LegalReference ref;
      ref.kind = LegalReference::Kind::Article;
      ref.code = code;
      ref.article = *key;
      ref.text = std::string(text.original_span(at.begin, at.end));
      refs.push_back(std::move(ref));
    }
    pos = list.back().end - 1;
  }
}

// ---- Lois, décrets, ordonnances ---------------------------------------------------

std::optional<LegalReference::Kind> act_kind(std::string_view word) {
  if (word == "loi" || word == "lois") return LegalReference::Kind::Loi;
  if (word == "decret" || word == "decrets") return LegalReference::Kind::Decret;
  if (word == "ordonnance" || word == "ordonnances") return LegalReference::Kind::Ordonnance;
  return std::nullopt;
}

// « 2004-809 », « 85-643 » at `pos`; the end, or npos.
std::size_t act_number_end(std::string_view s, std::size_t pos) {
  const std::size_t year = digit_run(s, pos);
  // « n°78.788 »: a point for the dash, as typed sometimes.
  if (year < 2 || year > 4 || pos + year >= s.size() ||
      (s[pos + year] != '-' && s[pos + year] != '.'))
    return std::string_view::npos;
  const std::size_t serial = digit_run(s, pos + year + 1);
  if (serial < 1 || serial > 5) return std::string_view::npos;
  const std::size_t end = pos + year + 1 + serial;
  if (end < s.size() &&
      (is_word_byte(s[end]) || (s[end] == '-' && end + 1 < s.size() && is_digit(s[end + 1]))))
    return std::string_view::npos;  // « 2010-06-22 » is a date
  return end;
}

// The date right after an act (« du 13 août 2004 », « modifiée du 26 juin 1985 »).
Date date_after(std::string_view s, std::size_t end) {
  const std::string_view window = s.substr(end, std::min<std::size_t>(60, s.size() - end));
  for (const DateMatch& date : find_dates(window)) {
    const std::string_view between = window.substr(0, date.begin);
    if (between.size() > 30 || between.find_first_of(".;\n") != std::string_view::npos) break;
    if (find_phrase(between, "du", 0) != std::string_view::npos ||
        find_phrase(between, "des", 0) != std::string_view::npos)
      return date.date;
    break;
  }
  return {};
}

void read_acts(const FoldedText& text, std::size_t max_refs, std::vector<LegalReference>& refs) {
  const std::string_view s = text.folded();
  for (std::size_t pos = 0; pos < s.size() && refs.size() < max_refs; ++pos) {
    const char c = s[pos];
    if ((c != 'l' && c != 'd' && c != 'o') || !boundary_before(s, pos)) continue;
    std::size_t word_end = pos;
    while (word_end < s.size() && is_ascii_alnum(s[word_end])) ++word_end;
    const auto kind = act_kind(s.substr(pos, word_end - pos));
    if (!kind) continue;
    std::size_t p = skip_spaces(s, word_end);
    if (std::size_t stop = match_at(s, p, "organique "); stop != std::string_view::npos) p = stop;
    if (std::size_t after = skip_number_sign(s, p); after != std::string_view::npos) p = after;
    std::vector<std::pair<std::size_t, std::size_t>> numbers;
    for (std::size_t end = act_number_end(s, p); end != std::string_view::npos;
         end = act_number_end(s, p)) {
      numbers.emplace_back(p, end);
      std::size_t next = list_continues(s, end);
      if (next == std::string_view::npos) break;
      if (std::size_t after = skip_number_sign(s, next); after != std::string_view::npos)
        next = after;
      p = next;
    }
    if (numbers.empty()) continue;
    // « décrets n°2003-1012 et 2003-1013 des 17 et 23 octobre 2003 »: one
    // date for several acts is not each one's.
    const Date date = numbers.size() == 1 ? date_after(s, numbers.back().second) : Date{};
    for (auto [begin, end] : numbers) {
      auto key = act_number_key(s.substr(begin, end - begin));
      if (!key) continue;
      LegalReference ref;
      ref.kind = *kind;
      ref.number = *key;
      ref.date = date;
      ref.text = std::string(text.original_span(pos, end));
      refs.push_back(std::move(ref));
    }
    pos = numbers.back().second - 1;
  }
}

bool same_reference(const LegalReference& a, const LegalReference& b) {
  return a.kind == b.kind && a.code == b.code && a.article == b.article && a.number == b.number;
}

// ---- Cited deliberations -------------------------------------------------------------

// Another body's deliberation (« du Conseil communautaire », « de la
// commune de … »): never one of this collection's documents.
constexpr std::array<std::string_view, 19> kOtherBodies{
    {"conseil communautaire", "conseil de communaute", "bureau communautaire", "comite", "bureau",
     "conseil general", "conseil regional", "conseil departemental", "assemblee departementale",
     "assemblee regionale", "assemblee generale", "syndicat", "communaute de communes",
     "conseil d'administration", "commission", "conseil municipal de", "commune de",
     "conseil d'ecole", "prefet"}};

bool names_other_body(std::string_view folded) {
  for (std::string_view body : kOtherBodies)
    if (find_phrase(folded, body, 0) != std::string_view::npos) return true;
  return false;
}

bool owned_by_another_body(std::string_view s, std::size_t pos) {
  std::size_t p = pos;
  while (p > 0 && s[p - 1] == ' ') --p;
  bool possessive = false;
  for (std::string_view word : {"sa", "ses", "leur", "leurs"})
    possessive =
        possessive || (p >= word.size() && s.compare(p - word.size(), word.size(), word) == 0 &&
                       boundary_before(s, p - word.size()));
  if (!possessive) return false;
  std::size_t from = p > 80 ? p - 80 : 0;
  for (std::size_t q = p; q > from; --q)
    if (s[q - 1] == '.' || s[q - 1] == ';' || s[q - 1] == '\n') {
      from = q;
      break;
    }
  return names_other_body(s.substr(from, p - from));
}

// What this text does to the deliberation, from the word before it
// (« rapporte la délibération », « de rapporter sa délibération ») or after
// it (« … est rapportée »). "" when it only cites it.
std::string_view verb_stem_in(std::string_view word) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kVerbs{{
      {"rapport", "rapporte"},
      {"retir", "retire"},
      {"abrog", "abroge"},
      {"annul", "annule"},
      {"modifi", "modifie"},
      {"complet", "complète"},
      {"remplac", "remplace"},
  }};
  for (const auto& [stem, verb] : kVerbs)
    if (word.starts_with(stem) && word.size() <= stem.size() + 5) return verb;
  return "";
}

std::string_view verb_before(std::string_view s, std::size_t pos) {
  static constexpr std::array<std::string_view, 10> kDeterminers{
      "la", "sa", "les", "ses", "notre", "leur", "cette", "de", "l'", "d'"};
  std::size_t p = pos;
  for (int words = 0; words < 4 && p > 0; ++words) {
    while (p > 0 && s[p - 1] == ' ') --p;
    std::size_t begin = p;
    while (begin > 0 && (is_ascii_alnum(s[begin - 1]) || s[begin - 1] == '\'')) --begin;
    std::string_view word = s.substr(begin, p - begin);
    if (word.empty()) return "";
    if (word.size() > 2 && word.ends_with("'")) word.remove_suffix(1);  // « l' » stays
    if (std::find(kDeterminers.begin(), kDeterminers.end(), word) != kDeterminers.end()) {
      p = begin;
      continue;
    }
    return verb_stem_in(word);
  }
  return "";
}

std::string_view verb_after(std::string_view window) {
  for (std::string_view aux : {"est ", "sont ", "a ete ", "ont ete "}) {
    std::size_t end = 0;
    std::size_t at = find_phrase(window, aux, 0, &end);
    if (at == std::string_view::npos) continue;
    std::size_t w = end;
    while (w < window.size() && is_ascii_alnum(window[w])) ++w;
    if (std::string_view verb = verb_stem_in(window.substr(end, w - end)); !verb.empty())
      return verb;
  }
  return "";
}

// The date of a citation: « du 26 mai 2004 », « en date du 22 mars 2008 »,
// « du 09/10/1997 » at the start of `window`, within `max_before` bytes.
std::optional<DateMatch> citation_date(std::string_view window, std::size_t max_before) {
  for (const DateMatch& date : find_dates(window)) {
    if (date.begin > max_before) break;
    std::string_view before = window.substr(0, date.begin);
    while (!before.empty() && before.back() == ' ') before.remove_suffix(1);
    if (before.ends_with(" du") || before.ends_with(" des") || before == "du" || before == "des")
      return date;
    if (date.date.day == 0) continue;  // « du résultat 2003 »: not a date of the act
  }
  return std::nullopt;
}

}  // namespace

std::vector<LegalReference> read_legal_references(const FoldedText& text, std::size_t max_refs) {
  std::vector<LegalReference> found;
  read_articles(text, max_refs, found);
  read_acts(text, max_refs, found);
  std::vector<LegalReference> refs;
  for (const LegalReference& ref : found) {
    // « L2122-22 » after « l'article L. 2122-22 du CGCT »: the same article.
    if (ref.kind == LegalReference::Kind::Article && ref.code.empty() &&
        std::any_of(found.begin(), found.end(), [&](const LegalReference& other) {
          return other.kind == ref.kind && other.article == ref.article && !other.code.empty();
        }))
      continue;
    if (std::none_of(refs.begin(), refs.end(),
                     [&](const LegalReference& kept) { return same_reference(kept, ref); }))
      refs.push_back(ref);  // a copy: `found` is read again for the next ones
  }
  return refs;
}

std::vector<ActReference> read_cited_deliberations(const FoldedText& text,
                                                   const std::vector<std::string>& own_numbers,
                                                   const Date& own_date, std::size_t max_refs) {
  const std::string_view s = text.folded();
  std::vector<ActReference> cited;
  constexpr std::string_view kWord = "deliberation";
  for (std::size_t at = s.find(kWord); at != std::string_view::npos && cited.size() < max_refs;
       at = s.find(kWord, at + kWord.size())) {
    std::size_t word_end = at + kWord.size();
    if (word_end < s.size() && s[word_end] == 's') ++word_end;
    if (!boundary_before(s, at) || (word_end < s.size() && is_word_byte(s[word_end]))) continue;
    // The window: to the end of the clause, or the next mention.
    std::size_t limit = std::min(s.size(), word_end + kCitationWindowBytes);
    if (std::size_t next = s.find("deliberation", word_end); next < limit) limit = next;
    std::string_view window = s.substr(word_end, limit - word_end);
    if (std::size_t stop = window.find_first_of(";\n:"); stop != std::string_view::npos)
      window = window.substr(0, stop);
    for (std::size_t dot = window.find('.'); dot != std::string_view::npos;
         dot = window.find('.', dot + 1)) {
      if (dot + 1 < window.size() && is_digit(window[dot + 1])) continue;  // 22.06.2010
      window = window.substr(0, dot);
      break;
    }
    // « La commune de VUE vient de nous transmettre sa délibération »: the
    // owner named before a possessive is another body.
    if (owned_by_another_body(s, at)) continue;
    const std::string_view verb = verb_before(s, at);
    struct Item {
      std::string number;
      Date date;
      std::size_t end = 0;  // in window
    };
    std::vector<Item> items;
    std::size_t p = 0;
    std::size_t first_evidence = window.size();
    while (p < window.size()) {
      // « n° » within a few words: « la délibération du Conseil municipal n°2004/99 ».
      std::size_t sign = std::string_view::npos, after = std::string_view::npos;
      for (std::size_t n = window.find('n', p); n != std::string_view::npos && n - p <= 40;
           n = window.find('n', n + 1)) {
        if (!boundary_before(window, n)) continue;
        after = skip_number_sign(window, n);
        if (after != std::string_view::npos) {
          sign = n;
          break;
        }
      }
      std::size_t number_end = 0;
      std::optional<std::string> number;
      if (after != std::string_view::npos) number = number_at(window, after, number_end);
      if (!number) break;
      first_evidence = std::min(first_evidence, sign);
      Item item{*number, {}, number_end};
      std::string_view rest = window.substr(number_end);
      if (auto date = citation_date(rest, 16)) {
        item.date = date->date;
        item.end = number_end + date->end;
      }
      items.push_back(item);
      p = item.end;
      const std::size_t next = list_continues(window, p);
      if (next == std::string_view::npos) break;
      p = next;
    }
    if (items.empty()) {
      if (auto date = citation_date(window, 80)) {
        items.push_back({"", date->date, date->end});
        first_evidence = date->begin;
      }
    }
    if (items.empty()) continue;
    if (names_other_body(window.substr(0, first_evidence))) continue;
    const std::string_view after_items = window.substr(items.back().end);
    if (names_other_body(after_items.substr(0, std::min<std::size_t>(48, after_items.size()))))
      continue;
    const std::string_view said = verb.empty() ? verb_after(after_items) : verb;
    for (Item& item : items) {
      if (!item.number.empty() &&
          std::find(own_numbers.begin(), own_numbers.end(), item.number) != own_numbers.end())
        continue;
      if (item.number.empty() && own_date.known() && item.date == own_date) continue;
      const auto seen = std::find_if(cited.begin(), cited.end(), [&](const ActReference& r) {
        return r.number == item.number && r.date == item.date;
      });
      if (seen != cited.end()) {
        // « fixés par la délibération n° 2022/014 … ; rapporte la délibération n° 2022/014 »
        if (seen->verb.empty()) seen->verb = std::string(said);
        continue;
      }
      ActReference ref;
      ref.number = std::move(item.number);
      ref.date = item.date;
      ref.verb = std::string(said);
      ref.text = std::string(text.original_span(at, word_end + item.end));
      cited.push_back(std::move(ref));
    }
  }
  return cited;
}

}  // namespace vigie::metadata
