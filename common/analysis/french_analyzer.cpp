#include "vigie/french_analyzer.h"

#include <unicode/brkiter.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <xapian.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <unordered_map>

#include "index/schema.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// A word as ICU's segmentation found it, in byte offsets of the input.
struct Span {
  std::uint32_t begin;
  std::uint32_t end;
  bool numeric;  // ICU rule status "number" (digits, maybe with , . inside)
};

// A piece of a word that becomes one token (after elision stripping,
// acronym joining, splitting on inner dots).
struct Unit {
  std::uint32_t begin;
  std::uint32_t end;
  std::string text;  // cleaned UTF-8 (NFC), no soft hyphens or joiners
};

UChar32 code_point_at(std::string_view text, std::uint32_t at, std::uint32_t* next = nullptr) {
  int32_t i = static_cast<int32_t>(at);
  UChar32 c;
  U8_NEXT(reinterpret_cast<const uint8_t*>(text.data()), i, static_cast<int32_t>(text.size()), c);
  if (next) *next = static_cast<std::uint32_t>(i);
  return c;
}

// Characters that ICU keeps inside a word but that must not reach a term.
bool is_invisible_in_word(UChar32 c) {
  return c == 0x00AD || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF || c == 0x200B ||
         c < 0 || u_charType(c) == U_PRIVATE_USE_CHAR || u_charType(c) == U_CONTROL_CHAR;
}

bool is_apostrophe(UChar32 c) { return c >= 0 && is_apostrophe_like(static_cast<char32_t>(c)); }
bool is_hyphen(UChar32 c) { return c == '-' || c == 0x2010 || c == 0x2011; }
bool is_inner_separator(UChar32 c) { return c == '.' || c == ':' || c == 0x00B7; }
bool is_group_space(UChar32 c) { return c == ' ' || c == 0x00A0 || c == 0x202F || c == 0x2009; }

std::string clean_word(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  std::string out;
  out.reserve(end - begin);
  for (std::uint32_t i = begin; i < end;) {
    std::uint32_t next;
    UChar32 c = code_point_at(text, i, &next);
    if (!is_invisible_in_word(c)) out.append(text.substr(i, next - i));
    i = next;
  }
  return out;
}

// French elisions: the article or pronoun before the apostrophe is dropped.
constexpr std::array<std::string_view, 14> kElisions = {
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"};

bool is_elision(std::string_view folded_prefix) {
  for (auto e : kElisions)
    if (folded_prefix == e) return true;
  return false;
}

// Lexicalised words whose apostrophe is part of the word (presqu'île is a
// noun, not "presque" + "île").
bool is_lexicalised(std::string_view folded_word) { return folded_word.starts_with("presqu'ile"); }

// Returns the byte offset where the word starts once a leading elision is
// removed (or `begin` when there is none).
std::uint32_t strip_elision(std::string_view text, std::uint32_t begin, std::uint32_t end) {
  for (std::uint32_t i = begin; i < end;) {
    std::uint32_t next;
    UChar32 c = code_point_at(text, i, &next);
    if (is_apostrophe(c)) {
      if (next >= end || i - begin > 6) return begin;
      std::string prefix = fold(text.substr(begin, i - begin));
      if (!is_elision(prefix)) return begin;
      if (is_lexicalised(fold(text.substr(begin, end - begin)))) return begin;
      return next;
    }
    i = next;
  }
  return begin;
}

bool contains_digit(std::string_view s) {
  for (char c : s)
    if (c >= '0' && c <= '9') return true;
  return false;
}

std::string cap_term(std::string term) {
  // Leave room for the longest prefix (XSZ) under schema::kMaxTermBytes.
  constexpr std::size_t kCap = schema::kMaxTermBytes - 4;
  if (term.size() <= kCap) return term;
  std::size_t cut = kCap;
  while (cut > 0 && (static_cast<unsigned char>(term[cut]) & 0xC0) == 0x80) --cut;
  term.resize(cut);
  return term;
}

// Email addresses and URLs found by a byte scan before segmentation, so that
// they can be indexed whole as well as by their parts.
struct Region {
  std::uint32_t begin;
  std::uint32_t end;
};

bool is_email_local(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
bool is_domain_char(unsigned char c) { return std::isalnum(c) || c == '.' || c == '-'; }
bool is_url_stop(unsigned char c) {
  return c <= ' ' || c == '<' || c == '>' || c == '"' || c == '\'' || c == '`' || c == '|' ||
         c == '{' || c == '}' || c == '\\' || c == '^' || c >= 0x80;
}

std::vector<Region> find_links(std::string_view text) {
  std::vector<Region> regions;
  const std::size_t n = text.size();
  std::size_t covered = 0;  // regions never overlap and are found left to right
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '@' && i > covered) {
      std::size_t b = i;
      while (b > covered && is_email_local(static_cast<unsigned char>(text[b - 1]))) --b;
      std::size_t e = i + 1;
      while (e < n && is_domain_char(static_cast<unsigned char>(text[e]))) ++e;
      while (e > i + 1 && (text[e - 1] == '.' || text[e - 1] == '-')) --e;
      std::string_view domain = text.substr(i + 1, e - i - 1);
      if (b < i && domain.find('.') != std::string_view::npos) {
        regions.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)});
        covered = e;
        i = e - 1;
      }
      continue;
    }
    if ((c == 'h' || c == 'w') && i >= covered) {
      std::string_view rest = text.substr(i);
      if (rest.starts_with("http://") || rest.starts_with("https://") || rest.starts_with("www.")) {
        std::size_t e = i;
        while (e < n && !is_url_stop(static_cast<unsigned char>(text[e]))) ++e;
        while (e > i && std::string_view(".,;:!?)]").find(text[e - 1]) != std::string_view::npos)
          --e;
        regions.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e)});
        covered = e;
        i = e - 1;
      }
    }
  }
  return regions;
}

}  // namespace

struct FrenchAnalyzer::Impl {
  std::unique_ptr<icu::BreakIterator> words;
  Xapian::Stem stemmer{"french"};
  // Vocabulary repeats a lot: caching stems roughly halves analysis time.
  std::unordered_map<std::string, std::string> stem_cache;

  Impl() {
    UErrorCode status = U_ZERO_ERROR;
    words.reset(icu::BreakIterator::createWordInstance(icu::Locale::getFrench(), status));
    if (U_FAILURE(status) || !words)
      throw std::runtime_error("ICU word break iterator unavailable");
  }

  std::string stem(const std::string& lower_word) {
    auto it = stem_cache.find(lower_word);
    if (it != stem_cache.end()) return it->second;
    if (stem_cache.size() > 200000) stem_cache.clear();  // bounded memory on huge vocabularies
    std::string stemmed = fold(stemmer(lower_word));
    stem_cache.emplace(lower_word, stemmed);
    return stemmed;
  }

  // A word's forms depend on its cleaned text (and whether ICU saw a number)
  // only, and a document repeats its words: caching them skips NFC, folding,
  // lower-casing and the stem lookups for most tokens (a third of the
  // analyzer's time on the generated corpus).
  struct Forms {
    std::string exact, stem, unaccented_stem;
    bool had_accents = false;
    std::uint32_t id = 0;  // Token::form
  };
  std::unordered_map<std::string, Forms> forms_cache;
  std::uint32_t forms_generation = 0;  // +1 when forms_cache is emptied
  // The forms of recent words by a few bits of their hash, in front of
  // forms_cache: a text's frequent words are found without walking the big
  // map's buckets and nodes, scattered over megabytes (its lookups were 8 %
  // of a build's CPU, mostly waiting for memory).
  struct RecentForms {
    std::string key;
    const Forms* forms = nullptr;  // into forms_cache; none after it is emptied
  };
  static constexpr std::size_t kRecentSlots = 8192;  // a power of two
  std::vector<RecentForms> recent_forms = std::vector<RecentForms>(kRecentSlots);
  std::string forms_key;  // reused: the cleaned word, plus a marker byte for numbers

  class TokenWalk;  // one analyze() call
  std::vector<Span> segment(std::string_view text);
  Forms forms_of(const std::string& cleaned, bool numeric);
  Token make_token(const std::string& cleaned, std::uint32_t begin, std::uint32_t end,
                   bool numeric);
};

namespace {

// Adds a word span; « nº12 », « Nª12 » (º and ª are letters for ICU, so it
// keeps them with the number, and calls the whole a number) become the sign and the number, so that
// the sign is dropped and the number joins « nº2010/80 » as after « n° ».
void push_span(std::vector<Span>& spans, std::string_view text, std::uint32_t begin,
               std::uint32_t end, bool numeric) {
  if (end - begin > 3 && (text[begin] | 0x20) == 'n' && text[begin + 1] == '\xC2' &&
      (text[begin + 2] == '\xBA' || text[begin + 2] == '\xAA') && text[begin + 3] >= '0' &&
      text[begin + 3] <= '9') {
    spans.push_back({begin, begin + 3, false});
    const std::string_view rest = text.substr(begin + 3, end - begin - 3);
    spans.push_back({begin + 3, end, rest.find_first_not_of("0123456789") == rest.npos});
    return;
  }
  spans.push_back({begin, end, numeric});
}

}  // namespace

std::vector<Span> FrenchAnalyzer::Impl::segment(std::string_view text) {
  std::vector<Span> spans;
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(), static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) return spans;
  words->setText(ut, status);
  if (U_SUCCESS(status)) {
    int32_t start = words->first();
    for (int32_t end = words->next(); end != icu::BreakIterator::DONE;
         start = end, end = words->next()) {
      int32_t rule = words->getRuleStatus();
      if (rule < UBRK_WORD_NONE_LIMIT) continue;  // spaces, punctuation, symbols
      // UAX #29 counts U+202F (narrow no-break space, before « ; : ? ! in
      // French) as ExtendNumLet, gluing "question\u202F?" into one word:
      // every Unicode space must separate words.
      const bool numeric = rule < UBRK_WORD_NUMBER_LIMIT;
      std::uint32_t piece = static_cast<std::uint32_t>(start);
      for (std::uint32_t i = piece; i < static_cast<std::uint32_t>(end);) {
        std::uint32_t next;
        UChar32 c = code_point_at(text, i, &next);
        if (u_isUWhiteSpace(c)) {
          if (i > piece) push_span(spans, text, piece, i, numeric);
          piece = next;
        }
        i = next;
      }
      if (piece < static_cast<std::uint32_t>(end))
        push_span(spans, text, piece, static_cast<std::uint32_t>(end), numeric);
    }
  }
  // Detach the iterator from the UText before closing it.
  icu::UnicodeString empty;
  words->setText(empty);
  utext_close(ut);
  return spans;
}

FrenchAnalyzer::Impl::Forms FrenchAnalyzer::Impl::forms_of(const std::string& cleaned,
                                                           bool numeric) {
  Forms forms;
  std::string nfc = to_nfc(cleaned);
  forms.exact = cap_term(fold(nfc));
  std::string lowered = lower(nfc);
  forms.had_accents = lowered != forms.exact;
  // Identifiers and numbers are matched as typed; Snowball would mangle 1er, 3e.
  // Very long "words" are not stemmed: they are not French words, and stemming
  // them would only cost time.
  if (numeric || contains_digit(forms.exact) || forms.exact.size() > 64) {
    forms.stem = forms.exact;
    return forms;
  }
  forms.stem = cap_term(stem(lowered));
  if (forms.had_accents) {
    std::string plain = cap_term(stem(forms.exact));
    if (plain != forms.stem) forms.unaccented_stem = std::move(plain);
  }
  return forms;
}

Token FrenchAnalyzer::Impl::make_token(const std::string& cleaned, std::uint32_t begin,
                                       std::uint32_t end, bool numeric) {
  // clean_word() keeps valid UTF-8 only, so 0xFF cannot end a word's key.
  forms_key.assign(cleaned);
  if (numeric) forms_key.push_back('\xFF');
  RecentForms& recent = recent_forms[std::hash<std::string>{}(forms_key) & (kRecentSlots - 1)];
  if (!recent.forms || recent.key != forms_key) {
    auto it = forms_cache.find(forms_key);
    if (it == forms_cache.end()) {
      if (forms_cache.size() > 100000) {  // bounded memory on huge vocabularies
        forms_cache.clear();
        for (auto& slot : recent_forms) slot.forms = nullptr;
        ++forms_generation;
      }
      Forms forms = forms_of(cleaned, numeric);
      forms.id = static_cast<std::uint32_t>(forms_cache.size());
      it = forms_cache.emplace(forms_key, std::move(forms)).first;
    }
    recent.key = forms_key;
    recent.forms = &it->second;
  }
  const Forms& forms = *recent.forms;
  Token token;
  token.begin = begin;
  token.end = end;
  token.exact = forms.exact;
  token.stem = forms.stem;
  token.unaccented_stem = forms.unaccented_stem;
  token.had_accents = forms.had_accents;
  token.form = forms.id;
  return token;
}

FrenchAnalyzer::FrenchAnalyzer() : impl_(std::make_unique<Impl>()) {}
FrenchAnalyzer::~FrenchAnalyzer() = default;

std::uint32_t FrenchAnalyzer::forms_generation() const { return impl_->forms_generation; }

std::string FrenchAnalyzer::stem_word(std::string_view word) {
  std::string cleaned = to_nfc(word);
  return impl_->make_token(cleaned, 0, static_cast<std::uint32_t>(word.size()), false).stem;
}

std::vector<Token> FrenchAnalyzer::analyze(std::string_view text, std::uint32_t first_position) {
  std::vector<Token> tokens;
  analyze(
      text, [&](const Token& t) { tokens.push_back(t); }, first_position);
  return tokens;
}

namespace {

// Emits tokens with positions; alternatives share the previous position.
class TokenEmitter {
 public:
  TokenEmitter(const std::function<void(const Token&)>& sink, std::uint32_t first)
      : sink_(sink), next_position_(first) {}
  void word(Token token) {
    if (token.exact.empty()) return;
    token.position = next_position_++;
    token.alternative = false;
    sink_(token);
  }
  void alternative(Token token) {
    if (token.exact.empty() || next_position_ == 0) return;
    token.position = next_position_ - 1;
    token.alternative = true;
    sink_(token);
  }
  // Position the next word() will get.
  std::uint32_t next_position() const { return next_position_; }

 private:
  const std::function<void(const Token&)>& sink_;
  std::uint32_t next_position_;
};

// A piece of a word, [begin, end) in bytes of the text.
using Piece = std::pair<std::uint32_t, std::uint32_t>;

// The pieces of a word between inner dots, colons and middle dots (a number
// is one piece): domain names, inclusive writing, dotted acronyms.
std::vector<Piece> inner_pieces(std::string_view text, std::uint32_t begin, std::uint32_t end,
                                bool numeric) {
  std::vector<Piece> pieces;
  std::uint32_t piece_start = begin;
  for (std::uint32_t i = begin; i < end;) {
    std::uint32_t next;
    UChar32 c = code_point_at(text, i, &next);
    if (!numeric && is_inner_separator(c)) {
      if (i > piece_start) pieces.push_back({piece_start, i});
      piece_start = next;
    }
    i = next;
  }
  if (piece_start < end) pieces.push_back({piece_start, end});
  return pieces;
}

// Whether every piece is one code point: O.R.A.C.
bool all_single_letters(std::string_view text, const std::vector<Piece>& pieces) {
  for (auto [b, e] : pieces) {
    std::uint32_t after;
    code_point_at(text, b, &after);
    if (after != e) return false;
  }
  return true;
}

}  // namespace

// One analyze() call: walks ICU's spans of the text in order and emits the
// tokens of each word, joining spans into links, identifiers, thousands
// groups and hyphenated words. The analyzer is the hot loop of indexing:
// every step is a member defined here, inline-able into the loop like the
// lambdas they replace; the state they share is passed by `this` (spans and
// links by reference), `parts_` and `whole_` are reused from word to word,
// and the sink stays one std::function call per token. Callgrind over
// 6.5 MB: +0.1 % instructions against the one-function loop, the same
// allocations (count and bytes).
class FrenchAnalyzer::Impl::TokenWalk {
 public:
  TokenWalk(Impl& impl, std::string_view text, const std::vector<Region>& links,
            const std::vector<Span>& spans, TokenEmitter& emit)
      : impl_(impl), text_(text), emit_(emit), links_(links), spans_(spans) {}

  void run() {
    for (std::size_t i = 0; i < spans_.size(); ++i) i = emit_word_at(i);
  }

 private:
  // Emits the tokens of the word starting at spans_[i]; returns the index of
  // the last span it used (later ones when it joined several).
  std::size_t emit_word_at(std::size_t i) {
    const Span span = spans_[i];
    // Emails and URLs: every part, plus the whole address as an alternative.
    if (const Region* region = link_at(span)) return emit_link(*region, i);
    if (is_numero_sign(i) || is_elided_before_split_apostrophe(i)) return i;
    if (const std::size_t last = join_across_split_apostrophe(i); last > i) return last;
    if (const std::size_t last = article_reference_end(i); last > i)
      return emit_article_reference(i, last);
    if (span.numeric) return emit_number(i);
    // Hyphenated words: parts at their own positions, then the joined form.
    if (const std::size_t last = hyphen_chain_end(i); last > i) return emit_hyphenated(i, last);
    emit_plain_word(span);
    return i;
  }

  UChar32 char_at(std::uint32_t at, std::uint32_t* next = nullptr) const {
    if (at >= text_.size()) return -1;
    return code_point_at(text_, at, next);
  }

  // The link (email or URL) `span` starts in, if any. Spans come in order:
  // links that end before it are passed for good.
  const Region* link_at(const Span& span) {
    while (link_ < links_.size() && links_[link_].end <= span.begin) ++link_;
    if (link_ < links_.size() && span.begin >= links_[link_].begin &&
        span.begin < links_[link_].end)
      return &links_[link_++];
    return nullptr;
  }

  // Emits `region`, the link spans_[i] starts in; returns the last span in it.
  std::size_t emit_link(const Region& region, std::size_t i) {
    emit_link_tokens(region);
    while (i < spans_.size() && spans_[i].begin < region.end) ++i;
    return i - 1;
  }

  // Emails and URLs: their alphanumeric runs as words (ICU would keep
  // "ccolucci@interconnectes" together), the whole address as an alternative.
  void emit_link_tokens(const Region& region) {
    bool first = true;
    std::uint32_t run_start = region.begin;
    bool in_run = false;
    for (std::uint32_t at = region.begin; at <= region.end;) {
      std::uint32_t next = at + 1;
      UChar32 c = at < region.end ? code_point_at(text_, at, &next) : ' ';
      bool word_char = c > 0 && u_isalnum(c);
      if (word_char && !in_run) run_start = at;
      if (!word_char && in_run) {
        emit_.word(impl_.make_token(clean_word(text_, run_start, at), run_start, at, false));
        if (first) {
          emit_.alternative(impl_.make_token(clean_word(text_, region.begin, region.end),
                                             region.begin, region.end, true));
          first = false;
        }
      }
      in_run = word_char;
      at = next;
    }
  }

  // The numero sign is not a word, the number is what is searched: the "n"
  // of « n°2010/80 » and « n˚ 12 », « nº » and « nª » (letters for ICU: a
  // fused « nº12 » was cut by segment()), and « No » or « numéro » before a
  // number (« No 12 », « numéro 12 »).
  bool is_numero_sign(std::size_t i) const {
    const Span& span = spans_[i];
    const std::string_view word = text_.substr(span.begin, span.end - span.begin);
    if (span.numeric || word.size() > 7 || (word[0] | 0x20) != 'n') return false;
    if (word.size() == 1) {
      const UChar32 c = char_at(span.end);
      return c == 0x00B0 || c == 0x00BA || c == 0x02DA || c == 0x00AA;  // ° º ˚ ª
    }
    if (word.size() == 3 && word[1] == '\xC2' && (word[2] == '\xBA' || word[2] == '\xAA'))
      return true;
    const bool no = word.size() == 2 && (word[1] | 0x20) == 'o';
    return (no || fold(word) == "numero") && number_follows(i);
  }

  // Whether a number comes right after spans_[i], past an optional dot and
  // blanks: « No. 12 », « numéro 12 ».
  bool number_follows(std::size_t i) const {
    if (i + 1 >= spans_.size() || !spans_[i + 1].numeric) return false;
    std::uint32_t at = spans_[i].end;
    if (char_at(at) == '.') ++at;
    std::uint32_t after;
    while (at < spans_[i + 1].begin && is_group_space(char_at(at, &after))) at = after;
    return at == spans_[i + 1].begin;
  }

  // « l´école », « d`une », « aujourd´hui »: ICU cuts at the apostrophes it
  // does not take for one (´ ` ′ ‛ ‵). The span after such an apostrophe
  // right after spans_[i], if any (else 0).
  std::size_t after_split_apostrophe(std::size_t i) const {
    const Span& span = spans_[i];
    if (span.numeric || span.end - span.begin > 12 || i + 1 >= spans_.size()) return 0;
    std::uint32_t after;
    if (!is_apostrophe(char_at(span.end, &after)) || spans_[i + 1].begin != after ||
        spans_[i + 1].numeric)
      return 0;
    return i + 1;
  }

  // An elided article before such an apostrophe is dropped; the next span is
  // then the word, taken as any other (« l´Vice-président »).
  bool is_elided_before_split_apostrophe(std::size_t i) const {
    const std::size_t next = after_split_apostrophe(i);
    if (next == 0) return false;
    const Span& span = spans_[i];
    return is_elision(fold(text_.substr(span.begin, span.end - span.begin))) &&
           !is_lexicalised(fold(text_.substr(span.begin, spans_[next].end - span.begin)));
  }

  // Another word is joined with what follows, as ICU does across ’
  // (« aujourd´hui » → aujourd'hui). Returns the last span used, or i.
  std::size_t join_across_split_apostrophe(std::size_t i) {
    const std::size_t next = after_split_apostrophe(i);
    if (next == 0) return i;
    const Span& span = spans_[i];
    emit_.word(impl_.make_token(clean_word(text_, span.begin, spans_[next].end), span.begin,
                                spans_[next].end, false));
    return next;
  }

  // Articles of codes: « L. 2121-29 », « L.2121-29 », « L 2121-29 »,
  // « L2121-29 », R. and D. articles — one token, « l2121-29 », however
  // written (ICU gives "L", "2121", "29" or "L2121", "29"). The first number
  // has 3 or 4 digits (CGCT L1111-1 to L5722-1, urbanisme L101-1) and a
  // hyphen follows it: « D 12 » or « L 2 » are not articles. Returns the
  // reference's last span, or i when spans_[i] starts none.
  std::size_t article_reference_end(std::size_t i) const {
    const Span& span = spans_[i];
    const char letter = static_cast<char>(text_[span.begin] | 0x20);
    // (ICU calls « L2121 » a number: its rule status is the last part's.)
    if (letter != 'l' && letter != 'r' && letter != 'd') return i;
    std::size_t digits = i;  // the span holding the first number
    if (span.end - span.begin == 1) {
      if (!number_follows(i) || spans_[i + 1].begin == span.end) return i;
      digits = i + 1;
      if (!all_digits(spans_[digits].begin, spans_[digits].end, 3, 4)) return i;
    } else if (!all_digits(span.begin + 1, span.end, 3, 4)) {
      return i;
    }
    std::size_t last = digits;
    while (last + 1 < spans_.size() && spans_[last + 1].numeric) {
      std::uint32_t after;
      const UChar32 c = char_at(spans_[last].end, &after);
      if (!(is_hyphen(c) || c == 0x2013) || spans_[last + 1].begin != after) break;
      if (!all_digits(spans_[last + 1].begin, spans_[last + 1].end, 1, 4)) break;
      ++last;
    }
    return last > digits ? last : i;
  }

  bool all_digits(std::uint32_t begin, std::uint32_t end, std::size_t min, std::size_t max) const {
    if (end - begin < min || end - begin > max) return false;
    for (std::uint32_t k = begin; k < end; ++k)
      if (text_[k] < '0' || text_[k] > '9') return false;
    return true;
  }

  std::size_t emit_article_reference(std::size_t first, std::size_t last) {
    std::string key(1, static_cast<char>(text_[spans_[first].begin] & ~0x20));
    for (std::size_t k = first; k <= last; ++k) {
      std::uint32_t begin = spans_[k].begin;
      if (k == first && spans_[k].end - begin == 1) continue;  // the letter alone
      if (k == first) ++begin;                                 // « L2121 »: its digits
      if (key.size() > 1) key += '-';
      key.append(text_.substr(begin, spans_[k].end - begin));
    }
    emit_.word(impl_.make_token(key, spans_[first].begin, spans_[last].end, true));
    return last;
  }

  // Numbers, whole; identifiers made of numbers and slashes: 2010/80,
  // 22/03/2023. Returns the last span used.
  std::size_t emit_number(std::size_t i) {
    const Span span = spans_[i];
    const std::size_t last = slash_chain_end(i);
    if (last > i) {
      const std::uint32_t end = spans_[last].end;
      emit_.word(impl_.make_token(clean_word(text_, span.begin, end), span.begin, end, true));
      return last;
    }
    emit_.word(
        impl_.make_token(clean_word(text_, span.begin, span.end), span.begin, span.end, true));
    return emit_thousands_group(i);
  }

  // The last numeric span joined to spans_[i] by slashes (i itself if none).
  std::size_t slash_chain_end(std::size_t i) const {
    std::uint32_t end = spans_[i].end;
    std::size_t j = i;
    while (j + 1 < spans_.size() && spans_[j + 1].numeric && char_at(end) == '/' &&
           spans_[j + 1].begin == end + 1) {
      end = spans_[++j].end;
    }
    return j;
  }

  // Thousands groups: "32 339,40" also gives "32339,40". Called after the
  // number spans_[i] was emitted; returns the last span used.
  std::size_t emit_thousands_group(std::size_t i) {
    const Span span = spans_[i];
    std::uint32_t after;
    if (span.end - span.begin <= 3 && i + 1 < spans_.size() && spans_[i + 1].numeric &&
        is_group_space(char_at(span.end, &after)) && spans_[i + 1].begin == after) {
      std::string_view next_text =
          text_.substr(spans_[i + 1].begin, spans_[i + 1].end - spans_[i + 1].begin);
      std::size_t digits = next_text.find_first_not_of("0123456789");
      if (digits == 3 || (digits == std::string_view::npos && next_text.size() == 3)) {
        // The alternative is attached to the next group: emit it first.
        ++i;
        emit_.word(impl_.make_token(std::string(next_text), spans_[i].begin, spans_[i].end, true));
        std::string joined = clean_word(text_, span.begin, span.end) + std::string(next_text);
        emit_.alternative(impl_.make_token(joined, span.begin, spans_[i].end, true));
      }
    }
    return i;
  }

  // The last span joined to spans_[i] by hyphens (i itself if none).
  // A number in the chain keeps its slashes: « DE-2014/34 », the way
  // Chémeré's titles write a deliberation's number from 2011 on, gives
  // "2014/34" as typed in a query (it gave "2014", "34": « Nº 2014/34 »
  // found no such title).
  std::size_t hyphen_chain_end(std::size_t i) const {
    std::size_t j = i;
    while (true) {
      if (spans_[j].numeric) j = slash_chain_end(j);
      if (j + 1 >= spans_.size()) break;
      std::uint32_t after;
      if (!is_hyphen(char_at(spans_[j].end, &after)) || spans_[j + 1].begin != after) break;
      ++j;
    }
    return j;
  }

  // Vice-président: "vice", then "vicepresident" at its position, then
  // "president". Returns `last`.
  std::size_t emit_hyphenated(std::size_t first, std::size_t last) {
    if (const std::size_t pronoun = inverted_subject(first, last); pronoun <= last) {
      // Only the verb is a word (below); positions skip the pronoun.
      if (pronoun - 1 == first)
        emit_plain_word(spans_[first]);
      else
        emit_hyphenated(first, pronoun - 1);
      return last;
    }
    std::string joined;
    std::vector<Token> words_of_chain;
    for (std::size_t k = first; k <= last; ++k) {
      const std::size_t part_end = spans_[k].numeric ? slash_chain_end(k) : k;
      units_of(spans_[k].begin, spans_[part_end].end, spans_[k].numeric);
      for (const Unit& u : parts_) {
        words_of_chain.push_back(impl_.make_token(u.text, u.begin, u.end, spans_[k].numeric));
        joined += u.text;
      }
      k = part_end;
    }
    bool first_word = true;
    for (Token& t : words_of_chain) {
      emit_.word(std::move(t));
      if (first_word) {
        emit_.alternative(impl_.make_token(joined, spans_[first].begin, spans_[last].end, false));
        first_word = false;
      }
    }
    return last;
  }

  // « faut-il », « a-t-elle », « puis-je », « est-ce », « peut-on »: a verb
  // and its subject inverted, as French questions write them. The pronoun
  // (with the « t » of euphony) is not searched and the joined form
  // (« fautil », « atil ») is no word: before this, « y a-t-il une cantine
  // bio ? » found nothing (the joined form was required). Returns the span
  // where the inverted pronoun starts, or last + 1. « vous » and « nous »
  // are left out: « rendez-vous » is a noun.
  std::size_t inverted_subject(std::size_t first, std::size_t last) const {
    static constexpr std::array<std::string_view, 8> kPronouns = {"je", "tu",  "il",    "elle",
                                                                  "on", "ils", "elles", "ce"};
    const Span& tail = spans_[last];
    if (last == first || tail.numeric || tail.end - tail.begin > 5) return last + 1;
    const std::string pronoun = fold(text_.substr(tail.begin, tail.end - tail.begin));
    if (std::find(kPronouns.begin(), kPronouns.end(), pronoun) == kPronouns.end()) return last + 1;
    const Span& before = spans_[last - 1];
    if (last - 1 > first && before.end - before.begin == 1 && (text_[before.begin] | 0x20) == 't')
      return last - 1;
    return last;
  }

  // One word: its units, then the whole when inner dots split it.
  void emit_plain_word(const Span& span) {
    units_of(span.begin, span.end, span.numeric);
    bool first = true;
    for (const Unit& u : parts_) {
      emit_.word(impl_.make_token(u.text, u.begin, u.end, span.numeric));
      if (first && !whole_.empty()) {
        emit_.alternative(impl_.make_token(whole_, parts_.front().begin, parts_.back().end, true));
      }
      first = false;
    }
  }

  // Turns one ICU word into units (parts_): elision stripped, acronym joined,
  // inner dots/colons/middle dots splitting domain names and inclusive
  // writing; whole_ is the word itself when it was split, else empty.
  void units_of(std::uint32_t begin, std::uint32_t end, bool numeric) {
    parts_.clear();
    whole_.clear();
    if (!numeric) begin = strip_elision(text_, begin, end);
    const auto pieces = inner_pieces(text_, begin, end, numeric);
    if (pieces.size() <= 1) {
      parts_.push_back({begin, end, clean_word(text_, begin, end)});
      return;
    }
    if (all_single_letters(text_, pieces)) {  // O.R.A.C → orac
      std::string joined;
      for (auto [b, e] : pieces) joined += clean_word(text_, b, e);
      parts_.push_back({begin, end, joined});
      return;
    }
    for (auto [b, e] : pieces) parts_.push_back({b, e, clean_word(text_, b, e)});
    whole_ = clean_word(text_, begin, end);
  }

  Impl& impl_;
  const std::string_view text_;
  TokenEmitter& emit_;
  const std::vector<Region>& links_;
  const std::vector<Span>& spans_;
  std::size_t link_ = 0;  // the first link not yet passed
  std::vector<Unit> parts_;
  std::string whole_;
};

void FrenchAnalyzer::analyze(std::string_view text, const std::function<void(const Token&)>& sink,
                             std::uint32_t first_position) {
  // Offsets are 32-bit: analyse at most 4 GB (extractors cap text far below).
  if (text.size() > 0xFFFFFFF0u) text = text.substr(0, 0xFFFFFFF0u);
  TokenEmitter emit(sink, first_position);
  const std::vector<Region> links = find_links(text);
  const std::vector<Span> spans = impl_->segment(text);
  Impl::TokenWalk(*impl_, text, links, spans, emit).run();
}

}  // namespace vigie
