// How the web pages and the Atom feed write dates, counts and plain text in
// French: "22 juin 2010", "1er mars 2024", "juin 2010", "2010";
// "1 234 documents" with the narrow no-break space French typography puts
// between thousands. Stateless free functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "vigie/decisions.h"

namespace vigie::web {

// An ISO date, possibly partial ("2010-06-22", "2010-06", "2010") in French;
// the input unchanged when it is not a date, "" for "".
std::string french_date(std::string_view iso);
// 1234 → "1 234" (U+202F between groups of three).
std::string french_number(std::uint64_t n);
// "aucun document", "1 document", "1 234 documents".
std::string document_count(std::uint64_t n);
// A document format as readers know it: "pdf" → "PDF", "json-minutes" →
// "JSON", "markdown" → "Markdown"; unknown formats unchanged.
std::string format_label(std::string_view format);
// An ISO date for Atom's <updated>: "2010-06-22T00:00:00Z"; missing month or
// day count as 01; an unknown date gives the epoch (a fixed, honest
// "unknown" rather than today's date, which would make readers re-notify).
std::string atom_timestamp(std::string_view iso);
// The text of a highlighted extract (Hit::extract_html: escaped text and
// <mark> tags) without markup: tags dropped, the five entities html_escape
// produces decoded. For plain-text contexts (Atom summaries, tooltips).
std::string extract_text(std::string_view extract_html);

// What deliberations decide (vigie/decisions.h), in French:
// a vote filter's key → « avec des voix contre » (unknown keys unchanged);
std::string vote_label(std::string_view key);
// a montant value → the Montant facet's label when it is a bucket's key
// (« de 1 000 à 10 000 € »), else as given;
std::string amount_label(std::string_view montant);
// a vote → « majorité (12 pour, 2 contre, 1 abstention) », « unanimité »;
// « Abstention : néant » (0) is written « aucune abstention ».
std::string vote_text(const Vote& vote);

}  // namespace vigie::web
