// Amounts in euros read from a text (docs/metadata-rules.md, "Decisions"):
// « 32 339,40 € », « 1.500 euros », « 15 000 € HT », « 2 M€ », « 15 k€ »,
// « 341,16 €uros », « 1,5 million d'euros », with the role the words just
// before give (« subvention de », « emprunt de », « tarif », « coût total »).
// Only numbers written with a euro unit are amounts: percentages, article
// numbers, budget account codes (« D 6257 »), phone numbers and dates never
// carry one. A minus sign (budget tables) is dropped from the value and kept
// in the text: `montant:` asks how much money a decision moves.
// Internal to the indexer. Pure functions on folded text, linear in its
// size; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "metadata/metadata_text.h"
#include "vigie/decisions.h"

namespace vigie::metadata {

// At most `max_amounts`, in text order.
std::vector<Amount> read_amounts(const FoldedText& text, std::size_t max_amounts);

// « 32 339,40 » → 32339.4, « 1.500 » → 1500, « 30.49 » → 30.49; nullopt when
// the digits are not one French-written number. `folded` holds only the
// number (spaces already ' ').
std::optional<double> french_number_value(std::string_view folded);

}  // namespace vigie::metadata
