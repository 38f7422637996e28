#include "vigie/decisions.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

#include "vigie/text_normalization.h"

namespace vigie {

std::string_view vote_outcome_key(VoteOutcome outcome) {
  switch (outcome) {
    case VoteOutcome::Unanimite:
      return "unanimite";
    case VoteOutcome::Majorite:
      return "majorite";
    case VoteOutcome::Rejet:
      return "rejet";
    case VoteOutcome::Unknown:
      break;
  }
  return "";
}

std::string_view vote_outcome_label(VoteOutcome outcome) {
  switch (outcome) {
    case VoteOutcome::Unanimite:
      return "unanimité";
    case VoteOutcome::Majorite:
      return "majorité";
    case VoteOutcome::Rejet:
      return "rejet";
    case VoteOutcome::Unknown:
      break;
  }
  return "inconnu";
}

std::string_view amount_role_key(AmountRole role) {
  switch (role) {
    case AmountRole::Total:
      return "total";
    case AmountRole::Subvention:
      return "subvention";
    case AmountRole::Emprunt:
      return "emprunt";
    case AmountRole::Tarif:
      return "tarif";
    case AmountRole::Autre:
      break;
  }
  return "autre";
}

std::optional<double> Decisions::largest_amount() const {
  if (amounts.empty()) return std::nullopt;
  double best = amounts.front().euros;
  for (const Amount& amount : amounts) best = std::max(best, amount.euros);
  return best;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_blank_or_dot(char c) { return c == ' ' || c == '.' || c == '\t'; }

// Skips a leading « article(s) » and blanks; `text` is folded.
std::string_view after_article_word(std::string_view text) {
  while (!text.empty() && is_blank_or_dot(text.front())) text.remove_prefix(1);
  for (std::string_view word : {"articles", "article", "art."}) {
    if (text.starts_with(word)) {
      text.remove_prefix(word.size());
      break;
    }
  }
  while (!text.empty() && is_blank_or_dot(text.front())) text.remove_prefix(1);
  return text;
}

// Digits and single '-' between digit groups: "2121-29", "1617-19-1".
std::optional<std::string> digit_groups(std::string_view text, std::size_t min_digits) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size() && is_digit(text[i])) out += text[i++];
  if (out.size() < min_digits) return std::nullopt;
  while (i + 1 < text.size() && (text[i] == '-' || text[i] == '.') && is_digit(text[i + 1])) {
    out += '-';
    ++i;
    while (i < text.size() && is_digit(text[i])) out += text[i++];
  }
  while (i < text.size() && (text[i] == ' ' || text[i] == '.' || text[i] == ',')) ++i;
  if (i != text.size()) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> article_key(std::string_view written) {
  const std::string folded = fold(written);
  std::string_view text = after_article_word(folded);
  if (text.empty()) return std::nullopt;
  const char letter = text.front();
  if (letter != 'l' && letter != 'r' && letter != 'd') return std::nullopt;
  text.remove_prefix(1);
  while (!text.empty() && is_blank_or_dot(text.front())) text.remove_prefix(1);
  if (text.size() > 1 && text[0] == 'o' && is_blank_or_dot(text[1])) {
    text.remove_prefix(1);  // « L.O. 1112-1 » is an organic article: keyed on L
    while (!text.empty() && is_blank_or_dot(text.front())) text.remove_prefix(1);
  }
  auto digits = digit_groups(text, 1);
  if (!digits || digits->find('-') == std::string::npos) return std::nullopt;
  return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(letter)))) +
         *digits;
}

std::optional<std::string> act_number_key(std::string_view written) {
  const std::string folded = fold(written);
  std::string_view text = folded;
  while (!text.empty() && is_blank_or_dot(text.front())) text.remove_prefix(1);
  for (std::string_view word : {"numero", "n°", "no", "n"}) {
    if (text.starts_with(word)) {
      text.remove_prefix(word.size());
      break;
    }
  }
  while (!text.empty() && is_blank_or_dot(text.front())) text.remove_prefix(1);
  auto digits = digit_groups(text, 2);
  if (!digits || digits->find('-') == std::string::npos) return std::nullopt;
  return digits;
}

std::string code_key(std::string_view written) {
  std::string folded = collapse_spaces(fold(written));
  // « C.G.C.T. », « C.G.I. »: an abbreviation written with points.
  if (folded.find(' ') == std::string::npos && folded.find('.') != std::string::npos)
    std::erase(folded, '.');
  if (folded.starts_with("nouveau ")) folded.erase(0, 8);  // « nouveau code des marchés publics »
  static constexpr auto kCodes = std::to_array<std::pair<std::string_view, std::string_view>>({
      {"cgct", "cgct"},
      {"code general des collectivites territoriales", "cgct"},
      {"code de l'urbanisme", "urbanisme"},
      {"code de l'environnement", "environnement"},
      {"code de la commande publique", "commande-publique"},
      {"code des marches publics", "marches-publics"},
      {"code general de la propriete des personnes publiques", "cg3p"},
      {"cg3p", "cg3p"},
      {"code de la construction et de l'habitation", "construction-habitation"},
      {"code de la voirie routiere", "voirie-routiere"},
      {"code de l'education", "education"},
      {"code general des impots", "cgi"},
      {"cgi", "cgi"},
      {"code du travail", "travail"},
      {"code civil", "civil"},
      {"code electoral", "electoral"},
      {"code penal", "penal"},
      {"code de procedure penale", "procedure-penale"},
      {"code de justice administrative", "justice-administrative"},
      {"code de la justice administrative", "justice-administrative"},
      {"code de la sante publique", "sante-publique"},
      {"code de l'action sociale et des familles", "action-sociale"},
      {"code de la securite sociale", "securite-sociale"},
      {"code rural", "rural"},
      {"code rural et de la peche maritime", "rural"},
      {"code forestier", "forestier"},
      {"code de la route", "route"},
      {"code du patrimoine", "patrimoine"},
      {"code du sport", "sport"},
      {"code du tourisme", "tourisme"},
      {"code de l'energie", "energie"},
      {"code des assurances", "assurances"},
      {"code des relations entre le public et l'administration", "crpa"},
      {"crpa", "crpa"},
  });
  for (const auto& [name, key] : kCodes)
    if (folded == name) return std::string(key);
  return "";
}

}  // namespace vigie
