// The texts a document cites (docs/metadata-rules.md, "Decisions"):
//   articles of codes — « article L. 2121-29 du CGCT », « L2121-29 »,
//     « articles L. 2122-22 et L. 2122-23 » (two), « art. R.2342-4 »,
//     with the code named right after (« du Code général des collectivités
//     territoriales ») or announced before (« le Code … et notamment
//     l'article L 5211-20 »); "" when none is;
//   lois, décrets, ordonnances with a number — « vu la loi n° 2004-809 du
//     13 août 2004 », « décrets n°2003-1012 et 2003-1013 »;
//   other deliberations — « la délibération n°2004/64 du 26 mai 2004 »,
//     « délibérations n°2008/45 … et n°2009/155 », « sa délibération du 26
//     mai 2004 », with what this text does to them (« rapporte », « retire »,
//     « modifie », « abroge », « annule », « complète », « remplace »). Not the
//     deliberations of other bodies (« délibération du Conseil communautaire
//     du … »), nor the document itself (its own number, or its own date
//     without a number).
// Internal to the indexer. Pure functions on folded text, linear in its
// size; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "metadata/metadata_text.h"
#include "vigie/decisions.h"

namespace vigie::metadata {

// Articles first, then lois/décrets/ordonnances, each in text order, no
// duplicates (same kind, code, article or number); at most `max_refs`.
std::vector<LegalReference> read_legal_references(const FoldedText& text, std::size_t max_refs);

// `own_numbers` and `own_date`: the citing document's (its number, the one
// its heading gives), never cited.
std::vector<ActReference> read_cited_deliberations(const FoldedText& text,
                                                   const std::vector<std::string>& own_numbers,
                                                   const Date& own_date, std::size_t max_refs);

}  // namespace vigie::metadata
