#include "query/question_form.h"

#include <array>
#include <cctype>

#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// The folded words that open a French question. « ou » stands for « où »
// typed without its accent: no keyword query opens with the conjunction.
constexpr std::array<std::string_view, 19> kInterrogatives = {
    "comment",  "combien",    "quand",  "pourquoi",  "quel",         "quelle", "quels",
    "quelles",  "qui",        "que",    "quoi",      "ou",           "lequel", "laquelle",
    "lesquels", "lesquelles", "est-ce", "qu'est-ce", "qu'est-ce que"};

// The subject pronouns French inverts after a verb, with a hyphen.
constexpr std::array<std::string_view, 9> kInvertedSubjects = {
    "-je", "-tu", "-il", "-elle", "-on", "-ils", "-elles", "-ce", "-t-on"};

// « ? » typed apart is a lexeme too, not a word.
bool has_letter_or_digit(std::string_view text) {
  for (unsigned char c : text)
    if (std::isalnum(c) || c >= 0x80) return true;
  return false;
}

bool is_plain(const Lexeme& l) {
  if (l.kind == LexKind::Field) return !l.excluded;
  return l.kind == LexKind::Word && !l.excluded && !l.required && !l.exact && !l.prefix;
}

bool has_inverted_subject(std::string_view folded_word) {
  for (std::string_view subject : kInvertedSubjects)
    if (folded_word.size() > subject.size() && folded_word.ends_with(subject)) return true;
  return false;
}

// A citizen's request in the first person (« je voudrais une copie… »,
// « j'ai perdu ma carte… ») or a greeting is a sentence too: no keyword
// query opens with them.
bool opens_request(std::string_view folded_word) {
  return folded_word == "je" || folded_word.starts_with("j'") || folded_word == "bonjour";
}

bool opens_question(std::string_view folded_word) {
  for (std::string_view word : kInterrogatives)
    if (folded_word == word) return true;
  return opens_request(folded_word);
}

// « y a-t-il », « y-a-t-il », « y a t il »: the first words say it.
bool opens_with_y_a(const std::vector<Lexeme>& lexemes) {
  return lexemes.size() >= 2 && fold(lexemes[0].text) == "y" &&
         fold(lexemes[1].text).starts_with("a");
}

}  // namespace

bool is_question(const std::vector<Lexeme>& lexemes, std::string_view text) {
  std::size_t words = 0;
  bool cue = false;
  for (const Lexeme& l : lexemes) {
    if (!is_plain(l)) return false;
    if (l.kind != LexKind::Word || !has_letter_or_digit(l.text)) continue;
    const std::string folded = fold(l.text);
    if (words++ == 0 && opens_question(folded)) cue = true;
    if (has_inverted_subject(folded)) cue = true;
  }
  if (words < 2) return false;
  std::size_t end = text.size();
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  return cue || opens_with_y_a(lexemes) || (end > 0 && text[end - 1] == '?');
}

}  // namespace vigie
