// Whether a query is a question in a full sentence (« combien coûte la
// cantine en 2013 ? », « y a-t-il une cantine bio ? ») rather than keywords
// or a researcher's query. A question is searched by its words ranked by
// BM25, none of them required (docs/ranking.md, "Questions"): people's
// questions rarely share every word with the text that answers them, and
// requiring them all put long session minutes, which hold every word by
// chance, above the deliberation that answers (bench/relevance/hard:
// questions' nDCG@10 0.575 → 0.737).
// Thread-safety: pure function.
#pragma once

#include <string_view>
#include <vector>

#include "query/query_lexer.h"

namespace vigie {

// True when `lexemes` (of the cleaned query `text`) are plain words and
// fields only — no operator, phrase, parenthesis, +, -, = or * — and the
// query ends with « ? », opens with an interrogative word (comment,
// combien, quand, pourquoi, quel…, qui, que, quoi, où, est-ce, qu'est-ce,
// y a-t-il), with a request in the first person (« je voudrais… », « j'ai
// perdu… ») or a greeting, or holds an inverted subject (« faut-il »).
bool is_question(const std::vector<Lexeme>& lexemes, std::string_view text);

}  // namespace vigie
