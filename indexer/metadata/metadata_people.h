// Metadata people and places: who issued a document (organisation), who
// presided or spoke (persons) and where (place), by rules on the head of the
// text (docs/metadata-rules.md). Precision over recall: a rule fires only on
// a cue that names the role (« sous la présidence de », « secrétaire de
// séance : », a quote followed by « déclare X » or « X, Président de … »).
// Internal to the indexer (metadata_rules.cpp is the entry point). Pure
// functions; thread-safe; never throw except std::bad_alloc.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "metadata/french_dates.h"
#include "metadata/metadata_text.h"
#include "vigie/config.h"
#include "vigie/document.h"

namespace vigie::metadata {

// A value found by a rule, and the words that gave it (for provenance).
struct Found {
  std::string value;
  std::string evidence;
};

// « Commune de X », « Mairie de X », « Communauté de communes X », « Région X »
// heading a header line; known networks (« Les Interconnectés ») named in the
// title or header or as « Président des … »; then body phrases like « le
// Conseil municipal de la commune de X ».
std::optional<Found> organisation_from_text(std::string_view title, const FoldedText& head);

// True when `line` only names an issuer (« SYNDICAT MIXTE LISIÈRE NUMÉRIQUE »,
// « Commune de CHEMERE (44 680) »): a letterhead, not a title.
bool is_organisation_line(std::string_view line);

// Persons with the role cue that found them, in text order, no duplicates.
std::vector<Found> persons_in(const FoldedText& head);

// « Fait à X, le … » / « Toulouse, le … » before the date, or, for a press
// release only, « … 2023 à Toulouse » right after it.
std::optional<Found> place_near_date(const FoldedText& text, const DocumentDate& date,
                                     bool press_release);

// Fills doc.organisation, doc.place and doc.persons when empty: folder
// defaults first, then the rules above. `date` (may be null) is the document
// date found in `dated_in` (the head, or the tail for a signature).
void complete_people_and_places(SourceDocument& doc, const FolderDefaults* folder,
                                const FoldedText& head, const DocumentDate* date,
                                const FoldedText& dated_in);

}  // namespace vigie::metadata
