// What a deliberation decides, read from its text (docs/metadata-rules.md,
// "Decisions"): the vote, the amounts in euros, the legal texts it cites and
// the other deliberations it refers to. The indexer's rules fill
// SourceDocument::decisions; the index stores them as terms, a value slot
// (the largest amount) and stored data; the query language searches them
// (vote:, montant:, article:, loi:).
//
// The key functions below are the one normalisation shared by the indexer
// (what it writes) and the query parser (what it looks for), so that every
// written variant of a reference finds the others.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/date.h"

namespace vigie {

// The outcome of a vote. Unknown when the text says nothing: never guessed.
enum class VoteOutcome { Unknown, Unanimite, Majorite, Rejet };

// "unanimite", "majorite", "rejet", "" (unknown): the key used in terms and URLs.
std::string_view vote_outcome_key(VoteOutcome outcome);
// "unanimité", "majorité", "rejet", "inconnu": the French display form.
std::string_view vote_outcome_label(VoteOutcome outcome);

struct Vote {
  VoteOutcome outcome = VoteOutcome::Unknown;
  // The counts when the text writes them (« 12 voix pour, 2 contre et 1
  // abstention »; « Abstention : néant » is 0); nullopt when not written.
  std::optional<int> pour, contre, abstention;
  bool known() const { return outcome != VoteOutcome::Unknown; }
};

// What an amount is for, when the words around it say so.
enum class AmountRole { Autre, Total, Subvention, Emprunt, Tarif };
// "autre", "total", "subvention", "emprunt", "tarif".
std::string_view amount_role_key(AmountRole role);

struct Amount {
  double euros = 0;  // normalised: « 2 M€ » → 2000000, « 32 339,40 € HT » → 32339.40
  AmountRole role = AmountRole::Autre;
  bool hors_taxes = false;  // « HT », « H.T. »
  std::string text;         // as written, for display (« 32 339,40 € HT »)
};

// A legal text cited: an article of a code, or a loi / décret / ordonnance.
struct LegalReference {
  enum class Kind { Article, Loi, Decret, Ordonnance };
  Kind kind = Kind::Article;
  // Articles: the code's key ("cgct", "urbanisme", "environnement", ...;
  // "" when the text names none) and the article's key ("L2121-29").
  std::string code, article;
  // Lois, décrets, ordonnances: the number's key ("2004-809") and the date
  // when written.
  std::string number;
  Date date;
  std::string text;  // as written
};

// Another deliberation referred to (« la délibération n°2004/64 du 26 mai
// 2004 »), by number, date or both; resolved to a document at search time.
struct ActReference {
  std::string number;  // number_key form ("2004/64"), "" when only dated
  Date date;
  std::string
      verb;  // what this text does to it when said: "rapporte", "modifie", "abroge", "" (cites)
  std::string text;  // as written
};

struct Decisions {
  Vote vote;
  std::vector<Amount> amounts;  // in text order
  std::vector<LegalReference> legal;
  std::vector<ActReference> cited;
  // The largest amount, what `montant:` filters and sorts on; nullopt if none.
  std::optional<double> largest_amount() const;
  bool empty() const { return !vote.known() && amounts.empty() && legal.empty() && cited.empty(); }
};

// Normalisation shared by the indexer and the query parser. Each returns
// nullopt when the text is not a reference of that kind.
//   article_key("L. 2121-29") == article_key("L2121-29") == article_key("l.2121-29")
//     == article_key("article L 2121-29") == "L2121-29";  "R.2321-1" → "R2321-1"
std::optional<std::string> article_key(std::string_view written);
//   act_number_key("2004-809") == act_number_key("n° 2004-809") == "2004-809"
std::optional<std::string> act_number_key(std::string_view written);
//   code_key("Code général des collectivités territoriales") == code_key("CGCT") == "cgct";
//   "code de l'urbanisme" → "urbanisme"; "" when not a code's name.
std::string code_key(std::string_view written);

}  // namespace vigie
