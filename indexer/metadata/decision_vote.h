// The vote of a deliberation, read from its text (docs/metadata-rules.md,
// "Decisions"): « à l'unanimité », « à la majorité des membres présents »,
// « par 12 voix pour, 2 contre et 1 abstention », « Pour : 12 Contre : 2
// Abstention : néant », « la proposition est rejetée ». The last decision
// formula of the text wins (a deliberation recalls earlier votes before its
// own); a formula whose subject is another body (« le conseil communautaire
// a adopté à l'unanimité ») or an earlier deliberation (« par délibération du
// … ») does not count. Nothing found: Unknown, never guessed.
// Internal to the indexer. Pure functions on folded text, linear in its
// size; thread-safe.
#pragma once

#include <string_view>

#include "metadata/metadata_text.h"
#include "vigie/decisions.h"

namespace vigie::metadata {

// Which assembly the document's own council is, from its organisation
// (« Communauté de communes … » → the conseil communautaire): the votes of
// the others are not this document's.
enum class Assembly {
  ConseilMunicipal,
  ConseilCommunautaire,
  ComiteSyndical,
  ConseilRegional,
  ConseilDepartemental
};
Assembly assembly_of(std::string_view organisation);

struct FoundVote {
  Vote vote;
  std::size_t begin = 0, end = 0;  // folded offsets of the evidence
};

FoundVote read_vote(const FoldedText& text, Assembly own = Assembly::ConseilMunicipal);

// « 12 », « douze », « une », « néant », « aucune » → the count; -1 if not one.
int vote_count_value(std::string_view folded_word);

}  // namespace vigie::metadata
