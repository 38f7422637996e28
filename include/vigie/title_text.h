// Title text: what makes a line a document title — at most kTitleMaxChars
// characters cut where a reader expects it, no leading bullet, and a test
// for lines that open in the middle of a sentence. Used by the extractors
// (headings they find) and the metadata rules (titles they choose).
// Pure functions of their input; safe from any thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigie {

// On ../shared/corpus, 44 titles of 1,641 were over 150 characters: each was
// the first sentence of a deliberation's text, not its name; the longest
// real titles (« Révision accélérée du Plan local d’urbanisme (PLU) :
// Approbation du projet ») are under 130.
constexpr std::size_t kTitleMaxChars = 150;

// Spaces collapsed; beyond `max_chars` characters, cut after the last
// sentence end (« . », « ; », « ! », « ? ») in the second half of the
// allowance, else at the last space, else in the word, and « … » appended.
std::string shorten_title(std::string_view title, std::size_t max_chars = kTitleMaxChars);

// The title without the list marks office suites leave before it: bullets
// (• ▪ ► ➢ ✓ …), dashes and asterisks, and « Ø » followed by a space (the
// Wingdings arrow, as the Chémeré HTML carries it: « Ø DE-2012/68 – … »).
std::string strip_leading_bullets(std::string_view title);

// A line that starts inside a sentence, so cannot name a document. Its first
// word (after numbers and punctuation: « 2° ») is:
//  - in lower case (« au 1er », « procédure adaptée sans publicité… »);
//  - a preposition, conjunction or relative pronoun, which needs words
//    before it (« Pour le budget communal », « Et … », « Dont … »);
//  - the verb of a deliberation's operative clause (« Décide d’approuver… »,
//    « Indique que la présente délibération… »), the middle of « Le Conseil
//    municipal, … décide ». Verbs that are also nouns of titles (vote,
//    demande, charge, fixe) are not in the list.
bool opens_in_a_sentence(std::string_view title);

}  // namespace vigie
