// Deliberation numbers as the metadata rules read them: « 2010/80 »,
// « 2007-1 », « n° 2004/64 ». One normalisation ("2010/80") for the number a
// document carries (SourceDocument::number) and the numbers it cites
// (ActReference::number), so that a citation finds its document.
// Internal to the indexer. Pure functions on folded text; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace vigie::metadata {

// "2010/80", "2007-1", "2010/080" at `pos` → "2010/80", "2007/1", "2010/80"
// (a year 1900–2100, then 1 to 4 digits). "2010-06-22" is a date, not a
// number. `end` receives the end.
std::optional<std::string> number_at(std::string_view folded, std::size_t pos, std::size_t& end);

// "n°", "nº", "no", "numero" then spaces at `pos`; returns the position
// after, or npos.
std::size_t skip_number_sign(std::string_view folded, std::size_t pos);

}  // namespace vigie::metadata
