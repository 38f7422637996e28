#include "query/query_lexer.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cctype>
#include <charconv>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

UChar32 next_code_point(std::string_view text, std::size_t& at) {
  int32_t i = static_cast<int32_t>(at);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
  at = static_cast<std::size_t>(i);
  return c;
}

// Bidirectional controls (LRM, RLM, ALM, embeddings, overrides, isolates):
// invisible, and an override can make a query display differently from what
// is searched — never let them through.
bool is_bidi_control(UChar32 c) {
  return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Quotation marks that open or close a phrase: " “ ” « » „.
bool is_quote(UChar32 c) {
  return c == '"' || c == 0x201C || c == 0x201D || c == 0x00AB || c == 0x00BB || c == 0x201E;
}

bool is_space(UChar32 c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || u_isUWhiteSpace(c);
}

constexpr std::array<std::string_view, 16> kFields = {
    "titre", "type", "collectivite", "org",     "organisation", "lieu", "personne", "numero",
    "annee", "date", "vote",         "montant", "article",      "loi",  "decret",   "ordonnance"};

bool is_letters(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name)
    if (!(std::isalpha(c) || c >= 0x80)) return false;
  return true;
}

// "NEAR", "NEAR/5", "PROCHE/12": returns false when `chunk` is not one.
bool parse_near(std::string_view chunk, int& window, std::vector<std::string>& warnings) {
  std::string_view rest;
  if (chunk.starts_with("NEAR")) {
    rest = chunk.substr(4);
  } else if (chunk.starts_with("PROCHE")) {
    rest = chunk.substr(6);
  } else {
    return false;
  }
  window = kDefaultNearWindow;
  if (rest.empty()) return true;
  if (rest[0] != '/') return false;  // "NEARBY" is a word
  rest.remove_prefix(1);
  int n = -1;
  auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
  if (ec != std::errc() || ptr != rest.data() + rest.size() || n < 0) {
    warnings.push_back("Distance invalide dans « " + std::string(chunk) +
                       " » (attendu NEAR/n, n entier) ; distance " +
                       std::to_string(kDefaultNearWindow) + " utilisée.");
    return true;
  }
  if (n > kMaxNearWindow) {
    warnings.push_back("Distance « " + std::string(chunk) + " » trop grande ; ramenée à " +
                       std::to_string(kMaxNearWindow) + ".");
    n = kMaxNearWindow;
  }
  window = n;
  return true;
}

class Lexer {
 public:
  Lexer(std::string_view text, std::size_t max_terms, std::vector<std::string>& warnings)
      : text_(text), max_terms_(max_terms), warnings_(warnings) {}

  std::vector<Lexeme> run() {
    while (at_ < text_.size() && !stopped_) {
      std::size_t next = at_;
      UChar32 c = next_code_point(text_, next);
      if (is_space(c) || c < 0) {
        at_ = next;
      } else if (c == '(' || c == ')') {
        push(make(c == '(' ? LexKind::LParen : LexKind::RParen, at_, next));
        at_ = next;
      } else if (is_quote(c)) {
        at_ = next;
        Lexeme phrase = read_phrase();
        if (count_term()) push(std::move(phrase));
      } else {
        chunk();
      }
    }
    return std::move(out_);
  }

 private:
  static std::uint32_t u32(std::size_t v) { return static_cast<std::uint32_t>(v); }
  static Lexeme make(LexKind kind, std::size_t begin, std::size_t end) {
    Lexeme l;
    l.kind = kind;
    l.begin = u32(begin);
    l.end = u32(end);
    return l;
  }

  void push(Lexeme lexeme) { out_.push_back(std::move(lexeme)); }

  // Word-like lexemes are counted against max_query_terms; past it the rest
  // of the query is dropped (one warning) so the work stays bounded.
  bool count_term() {
    if (++terms_ <= max_terms_) return true;
    warnings_.push_back("Requête limitée à ses " + std::to_string(max_terms_) +
                        " premiers termes ; la suite est ignorée.");
    stopped_ = true;
    return false;
  }

  // After an opening quote: up to the next quotation mark of any kind.
  Lexeme read_phrase() {
    Lexeme phrase = make(LexKind::Phrase, at_, at_);
    std::size_t end = text_.size();
    phrase.unterminated = true;
    for (std::size_t i = at_; i < text_.size();) {
      std::size_t next = i;
      if (is_quote(next_code_point(text_, next))) {
        end = i;
        phrase.unterminated = false;
        at_ = next;
        break;
      }
      i = next;
    }
    if (phrase.unterminated) {
      at_ = text_.size();
      warnings_.push_back("Guillemet non fermé : la phrase va jusqu’à la fin de la requête.");
    }
    phrase.text = std::string(text_.substr(phrase.begin, end - phrase.begin));
    phrase.end = u32(end);
    return phrase;
  }

  // A run of text up to a space, a parenthesis or a quotation mark.
  void chunk() {
    const std::size_t begin = at_;
    std::size_t end = at_;
    while (end < text_.size()) {
      std::size_t next = end;
      UChar32 c = next_code_point(text_, next);
      if (c < 0 || is_space(c) || c == '(' || c == ')' || is_quote(c)) break;
      end = next;
    }
    at_ = end;
    std::string_view chunk = text_.substr(begin, end - begin);
    if (operator_lexeme(chunk, begin, end)) return;

    Lexeme lexeme = make(LexKind::Word, begin, end);
    std::size_t skip = 0;
    if (chunk[0] == '-' || chunk[0] == '+') {
      (chunk[0] == '-' ? lexeme.excluded : lexeme.required) = true;
      while (skip < chunk.size() && (chunk[skip] == '-' || chunk[skip] == '+')) ++skip;
    }
    if (skip < chunk.size() && chunk[skip] == '=') {
      lexeme.exact = true;
      while (skip < chunk.size() && chunk[skip] == '=') ++skip;
    }
    chunk.remove_prefix(skip);
    lexeme.begin = u32(begin + skip);
    if (chunk.empty()) {
      detached_sign(lexeme);
      return;
    }
    if (field_lexeme(lexeme, chunk)) return;
    while (!chunk.empty() && chunk.back() == '*') {
      lexeme.prefix = true;
      chunk.remove_suffix(1);
    }
    if (chunk.empty()) return;  // a lone '*' matches nothing in particular
    lexeme.end = u32(lexeme.begin + chunk.size());
    lexeme.text = std::string(chunk);
    if (count_term()) push(std::move(lexeme));
  }

  bool operator_lexeme(std::string_view chunk, std::size_t begin, std::size_t end) {
    Lexeme op = make(LexKind::Word, begin, end);
    if (chunk == "AND" || chunk == "ET") {
      op.kind = LexKind::And;
    } else if (chunk == "OR" || chunk == "OU") {
      op.kind = LexKind::Or;
    } else if (chunk == "NOT" || chunk == "SAUF") {
      op.kind = LexKind::Not;
    } else if (parse_near(chunk, op.near_window, warnings_)) {
      op.kind = LexKind::Near;
    } else {
      return false;
    }
    op.text = std::string(chunk);
    push(std::move(op));
    return true;
  }

  // "-", "+" or "=" alone: it applies to a following ( or "phrase" ("="
  // only to a phrase: its exact forms); otherwise it is punctuation
  // ("a - b") and ignored.
  void detached_sign(const Lexeme& sign) {
    if (!sign.excluded && !sign.required && !sign.exact) return;
    if (at_ >= text_.size()) return;
    std::size_t next = at_;
    UChar32 c = next_code_point(text_, next);
    if (c == '(' && (sign.excluded || sign.required)) {
      Lexeme op = make(sign.excluded ? LexKind::Not : LexKind::Plus, sign.begin, sign.end);
      op.text = sign.excluded ? "-" : "+";
      push(std::move(op));
    } else if (is_quote(c)) {
      at_ = next;
      Lexeme phrase = read_phrase();
      phrase.excluded = sign.excluded;
      phrase.required = sign.required;
      phrase.exact = sign.exact;
      if (count_term()) push(std::move(phrase));
    }
  }

  // name:value. Unknown names are words (with a warning), so that "foo:bar"
  // or a pasted "http://…" still searches something.
  bool field_lexeme(Lexeme& lexeme, std::string_view chunk) {
    const std::size_t colon = chunk.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string_view name = chunk.substr(0, colon);
    if (!is_letters(name)) return false;
    std::string folded = fold(name);
    std::string_view value = chunk.substr(colon + 1);
    if (!is_query_field(folded)) {
      if (!value.empty() && value[0] != '/')
        warnings_.push_back("Champ inconnu « " + std::string(name) +
                            ": » ; cherché comme des mots. Champs possibles : titre, type, "
                            "collectivite, lieu, personne, numero, annee, date, vote, montant, "
                            "article, loi, decret, ordonnance.");
      return false;
    }
    lexeme.kind = LexKind::Field;
    lexeme.field = std::move(folded);
    lexeme.begin += static_cast<std::uint32_t>(colon + 1);
    if (value.empty() && at_ < text_.size()) {
      std::size_t next = at_;
      if (is_quote(next_code_point(text_, next))) {
        at_ = next;
        Lexeme phrase = read_phrase();
        lexeme.text = std::move(phrase.text);
        lexeme.begin = phrase.begin;
        lexeme.end = phrase.end;
        lexeme.quoted = true;
        if (count_term()) push(std::move(lexeme));
        return true;
      }
    }
    while (!value.empty() && value.back() == '*') {
      lexeme.prefix = true;
      value.remove_suffix(1);
    }
    lexeme.text = std::string(value);
    if (count_term()) push(std::move(lexeme));
    return true;
  }

  std::string_view text_;
  std::size_t max_terms_;
  std::vector<std::string>& warnings_;
  std::vector<Lexeme> out_;
  std::size_t at_ = 0;
  std::size_t terms_ = 0;
  bool stopped_ = false;
};

}  // namespace

bool is_query_field(std::string_view folded_name) {
  for (auto f : kFields)
    if (f == folded_name) return true;
  return false;
}

std::string sanitize_query_text(std::string_view raw, std::vector<std::string>& warnings) {
  std::string valid;
  if (!is_valid_utf8(raw)) {
    valid = make_valid_utf8(raw);
    raw = valid;
    warnings.push_back(
        "La requête contenait des octets invalides (UTF-8 mal formé) ; ils ont été ignorés.");
  }
  std::string out;
  out.reserve(raw.size());
  bool controls = false, bidi = false;
  for (std::size_t i = 0; i < raw.size();) {
    const std::size_t start = i;
    UChar32 c = next_code_point(raw, i);
    if (c == '\t' || c == '\n' || c == '\r' || c == 0xFFFD) {
      out += ' ';
    } else if (c < 0 || u_charType(c) == U_CONTROL_CHAR) {
      out += ' ';  // NUL and other controls separate words, as in the analyzer
      controls = true;
    } else if (is_bidi_control(c)) {
      bidi = true;  // dropped: they are formatting, not text
    } else {
      out.append(raw.substr(start, i - start));
    }
  }
  if (controls) warnings.push_back("Caractères de contrôle ignorés dans la requête.");
  if (bidi) warnings.push_back("Marques de direction du texte (bidi) ignorées dans la requête.");
  return out;
}

namespace {

bool is_plain_word(const Lexeme& l) {
  return l.kind == LexKind::Word && !l.excluded && !l.required && !l.exact && !l.prefix;
}

// « 2121-29 », « 1111-1-2 »: an article's number (3 or 4 digits, then hyphens).
bool is_article_number(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  return digits >= 3 && digits <= 4 && digits + 1 < text.size() && text[digits] == '-' &&
         text[digits + 1] >= '0' && text[digits + 1] <= '9';
}

// Whether `sign` written before a number makes one reference with it: the
// letter of a code's article (« L. 2121-29 ») or a numero sign (« n° 12 »,
// « Nº 12 », « No 12 », « numéro 12 »).
bool joins_number(std::string_view sign, std::string_view number) {
  if (number.empty() || number[0] < '0' || number[0] > '9') return false;
  const std::string folded = fold(sign);
  if (folded == "l" || folded == "l." || folded == "r" || folded == "r." || folded == "d" ||
      folded == "d.")
    return is_article_number(number);
  return folded == "n°" || folded == "nº" || folded == "nª" || folded == "no" || folded == "no." ||
         folded == "numero";
}

// A sign and its number typed apart are one word for the analyzer, which
// drops the numero sign or makes the article one token (docs/analysis.md,
// "Numbers and identifiers"): as two lexemes, « numéro » or « l » would be
// required words of their own.
void join_signs_to_numbers(std::vector<Lexeme>& lexemes, std::string_view text) {
  std::vector<Lexeme> out;
  out.reserve(lexemes.size());
  for (std::size_t i = 0; i < lexemes.size(); ++i) {
    if (i + 1 < lexemes.size() && is_plain_word(lexemes[i]) &&
        lexemes[i + 1].kind == LexKind::Word && !lexemes[i + 1].excluded &&
        !lexemes[i + 1].prefix && joins_number(lexemes[i].text, lexemes[i + 1].text)) {
      Lexeme joined = lexemes[i + 1];
      joined.begin = lexemes[i].begin;
      joined.text = std::string(text.substr(joined.begin, joined.end - joined.begin));
      out.push_back(std::move(joined));
      ++i;
      continue;
    }
    out.push_back(std::move(lexemes[i]));
  }
  lexemes = std::move(out);
}

}  // namespace

std::vector<Lexeme> lex_query(std::string_view text, std::size_t max_terms,
                              std::vector<std::string>& warnings) {
  std::vector<Lexeme> lexemes = Lexer(text, max_terms, warnings).run();
  join_signs_to_numbers(lexemes, text);
  return lexemes;
}

}  // namespace vigie
