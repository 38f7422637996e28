// Vote rules (see decision_vote.h and docs/metadata-rules.md, "Decisions").
//
// Two kinds of evidence, read on the whole (capped) folded text:
//   formulas  « à l'unanimité », « unanimement », « à la majorité », and the
//             few finite forms that say the proposal fell (« la proposition
//             est rejetée », « rejette la proposition », « n'est pas adoptée »);
//   counts    items « 12 voix pour », « 2 contre », « Abstention : néant »,
//             « 15 « Oui » », grouped when they follow each other.
// The last piece of evidence decides; a formula and a count group of the same
// decision (« Par 15 voix « Pour » et 1 « Abstention », le Conseil municipal
// … décide à la majorité ») are merged. Counts alone decide only when they
// say it: no contre and no abstention is unanimité, more contre than pour is
// rejet, otherwise majorité; a tie says nothing.
#include "metadata/decision_vote.h"

#include <algorithm>
#include <array>
#include <optional>
#include <vector>

#include "vigie/text_normalization.h"

namespace vigie::metadata {
namespace {

// How far a clause reaches back for its subject, and how close count items
// and a formula must be to be one decision (bytes of folded text; the longest
// « Par 3 voix « Pour », 7 voix « Contre » et 3 « Abstention », le Conseil
// municipal, après avoir entendu son rapporteur en son exposé et délibéré,
// décide » of ../shared/corpus is 190).
constexpr std::size_t kClauseBytes = 300;
constexpr std::size_t kSameDecisionBytes = 320;
constexpr std::size_t kItemGapBytes = 48;

bool is_word_char(char c) { return is_ascii_alnum(c) || c == '-'; }

// « » “ ” " and white space: what surrounds « Pour » in the counts.
std::size_t quote_or_space_at(std::string_view s, std::size_t pos) {
  if (pos >= s.size()) return 0;
  if (is_space(s[pos]) || s[pos] == '"') return 1;
  if (s.compare(pos, 2, "\xC2\xAB") == 0 || s.compare(pos, 2, "\xC2\xBB") == 0) return 2;
  if (s.compare(pos, 3, "\xE2\x80\x9C") == 0 || s.compare(pos, 3, "\xE2\x80\x9D") == 0) return 3;
  return 0;
}

std::size_t skip_quotes_forward(std::string_view s, std::size_t pos) {
  while (std::size_t n = quote_or_space_at(s, pos)) pos += n;
  return pos;
}

std::size_t skip_quotes_backward(std::string_view s, std::size_t pos) {
  while (pos > 0) {
    if (is_space(s[pos - 1]) || s[pos - 1] == '"') {
      --pos;
    } else if (pos >= 2 && quote_or_space_at(s, pos - 2) == 2) {
      pos -= 2;
    } else if (pos >= 3 && quote_or_space_at(s, pos - 3) == 3) {
      pos -= 3;
    } else {
      break;
    }
  }
  return pos;
}

struct Span {
  std::size_t begin = 0, end = 0;
  bool empty() const { return begin == end; }
};

Span word_ending_at(std::string_view s, std::size_t end) {
  std::size_t begin = end;
  while (begin > 0 && end - begin < 24 && is_word_char(s[begin - 1])) --begin;
  if (begin > 0 && is_word_char(s[begin - 1])) return {end, end};
  return {begin, end};
}

Span word_starting_at(std::string_view s, std::size_t begin) {
  std::size_t end = begin;
  while (end < s.size() && end - begin < 24 && is_word_char(s[end])) ++end;
  return {begin, end};
}

std::string_view text_of(std::string_view s, Span span) {
  return s.substr(span.begin, span.end - span.begin);
}

// ---- Count items -------------------------------------------------------------

enum class Side { Pour, Contre, Abstention };

struct CountItem {
  Side side;
  int value = 0;
  std::size_t begin = 0, end = 0;
  bool voix = false;           // « 12 voix pour »
  bool number_before = false;  // « 2 abstentions » rather than « Abstention : 2 »
};

std::optional<Side> side_of(std::string_view word) {
  if (word == "pour" || word == "oui") return Side::Pour;
  if (word == "contre" || word == "non") return Side::Contre;
  if (word == "abstention" || word == "abstentions") return Side::Abstention;
  return std::nullopt;
}

// « 12 voix pour », « 1 « Contre » », « (2 abstentions) ».
std::optional<CountItem> count_before(std::string_view s, Span word, Side side) {
  std::size_t pos = skip_quotes_backward(s, word.begin);
  Span before = word_ending_at(s, pos);
  bool voix = false;
  const std::string_view unit = text_of(s, before);
  if (unit == "voix" || unit == "vote" || unit == "votes") {  // « 15 votes « Pour » »
    voix = true;
    before = word_ending_at(s, skip_quotes_backward(s, before.begin));
  }
  const int value = before.empty() ? -1 : vote_count_value(text_of(s, before));
  if (value < 0 || text_of(s, before) == "neant" || text_of(s, before) == "aucun")
    return std::nullopt;
  return CountItem{side, value, before.begin, word.end, voix, true};
}

// « Pour : 12 », « « Abstention » : néant », « “Contre”:\t1 », « Pour : 8 voix ».
std::optional<CountItem> count_after(std::string_view s, Span word, Side side) {
  std::size_t pos = skip_quotes_forward(s, word.end);
  if (pos >= s.size() || s[pos] != ':') return std::nullopt;
  pos = skip_quotes_forward(s, pos + 1);
  Span number = word_starting_at(s, pos);
  const int value = number.empty() ? -1 : vote_count_value(text_of(s, number));
  if (value < 0) return std::nullopt;
  std::size_t end = number.end;
  bool voix = false;
  if (std::size_t after = skip_spaces(s, end); s.compare(after, 4, "voix") == 0) {
    voix = true;
    end = after + 4;
  }
  return CountItem{side, value, word.begin, end, voix, false};
}

std::vector<CountItem> count_items(std::string_view s) {
  std::vector<CountItem> items;
  for (std::size_t pos = 0; pos < s.size();) {
    if (!is_ascii_alnum(s[pos])) {
      ++pos;
      continue;
    }
    Span word = word_starting_at(s, pos);
    while (word.end < s.size() && is_word_char(s[word.end])) ++word.end;  // long words
    pos = word.end;
    const char first = s[word.begin];
    if (first != 'p' && first != 'o' && first != 'c' && first != 'n' && first != 'a') continue;
    const auto side = side_of(text_of(s, word));
    if (!side) continue;
    auto item = count_after(s, word, *side);
    if (!item) item = count_before(s, word, *side);
    if (item) items.push_back(*item);
  }
  return items;
}

struct CountGroup {
  std::optional<int> pour, contre, abstention;
  std::size_t begin = 0, end = 0;
};

std::optional<int>& slot(CountGroup& group, Side side) {
  return side == Side::Pour ? group.pour : side == Side::Contre ? group.contre : group.abstention;
}

// A lone item counts only when it cannot be a chance « 2 pour » in a
// sentence: « Par 9 voix « Pour » », « (2 abstentions) ».
bool lone_item_is_a_vote(std::string_view s, const CountItem& item) {
  if (item.side == Side::Abstention) return item.number_before;
  if (!item.voix || item.side != Side::Pour) return item.voix;
  const std::size_t after = skip_quotes_forward(s, item.end);
  return after >= s.size() || !is_ascii_alnum(s[after]);  // not « 2 voix pour désigner »
}

std::vector<CountGroup> count_groups(std::string_view s) {
  const std::vector<CountItem> items = count_items(s);
  std::vector<CountGroup> groups;
  for (std::size_t i = 0; i < items.size();) {
    CountGroup group;
    group.begin = items[i].begin;
    group.end = items[i].end;
    slot(group, items[i].side) = items[i].value;
    std::size_t j = i + 1;
    for (; j < items.size(); ++j) {
      const CountItem& item = items[j];
      if (item.begin < items[j - 1].end || item.begin - items[j - 1].end > kItemGapBytes) break;
      if (slot(group, item.side)) break;
      std::string_view gap = s.substr(items[j - 1].end, item.begin - items[j - 1].end);
      if (gap.find('.') != std::string_view::npos) break;
      slot(group, item.side) = item.value;
      group.end = item.end;
    }
    if (j - i >= 2 || lone_item_is_a_vote(s, items[i])) groups.push_back(group);
    i = j;
  }
  return groups;
}

// ---- Formulas ----------------------------------------------------------------

struct Formula {
  VoteOutcome outcome;
  std::size_t begin = 0, end = 0;
};

constexpr std::array<std::string_view, 16> kRejectionPhrases{{
    "rejette la proposition",
    "rejette cette proposition",
    "rejette le projet",
    "rejette ce projet",
    "rejette la motion",
    "rejette la deliberation",
    "rejette le projet de deliberation",
    "la proposition est rejetee",
    "la proposition a ete rejetee",
    "le projet est rejete",
    "le projet de deliberation est rejete",
    "la motion est rejetee",
    "la deliberation est rejetee",
    "n'est pas adoptee",
    "n'est pas adopte",
    "n'a pas ete adoptee",
}};

std::vector<Formula> formulas(std::string_view s) {
  std::vector<Formula> found;
  auto collect = [&](std::string_view phrase, VoteOutcome outcome) {
    std::size_t end = 0;
    for (std::size_t at = find_phrase(s, phrase, 0, &end); at != std::string_view::npos;
         at = find_phrase(s, phrase, end, &end)) {
      if (outcome == VoteOutcome::Majorite) {
        // « élus à la majorité absolue » states a rule, not this vote.
        Span next = word_starting_at(s, skip_spaces(s, end));
        std::string_view word = text_of(s, next);
        if (word == "absolue" || word == "qualifiee" || word == "relative") continue;
      }
      found.push_back({outcome, at, end});
    }
  };
  collect("unanimite", VoteOutcome::Unanimite);
  collect("unanimement", VoteOutcome::Unanimite);
  collect("a la majorite", VoteOutcome::Majorite);
  for (std::string_view phrase : kRejectionPhrases) collect(phrase, VoteOutcome::Rejet);
  std::sort(found.begin(), found.end(),
            [](const Formula& a, const Formula& b) { return a.begin < b.begin; });
  return found;
}

// ---- Whose vote --------------------------------------------------------------

struct BodyName {
  std::string_view phrase;
  std::optional<Assembly> assembly;  // nullopt: never a council's own vote
};

constexpr std::array<BodyName, 18> kBodies{{
    {"conseil municipal", Assembly::ConseilMunicipal},
    {"conseil communautaire", Assembly::ConseilCommunautaire},
    {"conseil de communaute", Assembly::ConseilCommunautaire},
    {"bureau communautaire", Assembly::ConseilCommunautaire},
    {"comite syndical", Assembly::ComiteSyndical},
    {"conseil syndical", Assembly::ComiteSyndical},
    {"bureau syndical", Assembly::ComiteSyndical},
    {"conseil regional", Assembly::ConseilRegional},
    {"commission permanente", Assembly::ConseilRegional},
    {"conseil general", Assembly::ConseilDepartemental},
    {"conseil departemental", Assembly::ConseilDepartemental},
    {"assemblee departementale", Assembly::ConseilDepartemental},
    {"assemblee regionale", Assembly::ConseilRegional},
    {"commission", std::nullopt},
    {"conseil d'administration", std::nullopt},
    {"assemblee generale", std::nullopt},
    {"conseil d'ecole", std::nullopt},
    {"jury", std::nullopt},
}};

// A past decision recalled: « par délibération du … », « lors de sa séance ».
constexpr std::array<std::string_view, 8> kEarlierDecision{
    {"par deliberation", "deliberation du", "deliberation en date", "deliberation n",
     "lors de sa seance", "lors de la seance", "avait", "avaient"}};

std::size_t clause_start(std::string_view s, std::size_t pos) {
  const std::size_t floor = pos > kClauseBytes ? pos - kClauseBytes : 0;
  while (pos > floor) {
    const char c = s[pos - 1];
    if (c == '.' || c == ';' || c == '!' || c == '?' || c == '\n') break;
    --pos;
  }
  return pos;
}

// The assembly named last in `clause`, nullopt for another body; `named`
// tells whether any was.
std::optional<Assembly> last_body(std::string_view clause, bool& named) {
  named = false;
  std::size_t best = 0;
  std::optional<Assembly> body;
  for (const BodyName& name : kBodies) {
    std::size_t end = 0, last = std::string_view::npos;
    for (std::size_t at = find_phrase(clause, name.phrase, 0, &end); at != std::string_view::npos;
         at = find_phrase(clause, name.phrase, end, &end))
      last = at;
    if (last == std::string_view::npos || (named && last < best)) continue;
    // « commission » inside « commission permanente » is the same mention.
    if (named && last == best) continue;
    named = true;
    best = last;
    body = name.assembly;
  }
  return body;
}

bool names_present_members(std::string_view s, std::size_t end) {
  return match_at(s, skip_spaces(s, end), "des membres presents") != std::string_view::npos ||
         match_at(s, skip_spaces(s, end), "des presents") != std::string_view::npos;
}

// False when the evidence at [begin, end) is another body's vote or a past
// decision's, as its clause says.
bool is_this_councils(std::string_view s, std::size_t begin, std::size_t end, Assembly own) {
  if (names_present_members(s, end)) return true;
  const std::string_view clause = s.substr(clause_start(s, begin), begin - clause_start(s, begin));
  bool named = false;
  const std::optional<Assembly> subject = last_body(clause, named);
  if (named && subject != own) return false;
  for (std::string_view marker : kEarlierDecision)
    if (find_phrase(clause, marker, 0) != std::string_view::npos) return false;
  // « adoptée à l'unanimité par la commission »
  const std::size_t after = skip_spaces(s, end);
  if (match_at(s, after, "par l") != std::string_view::npos) {
    std::string_view agent = s.substr(after, std::min<std::size_t>(48, s.size() - after));
    bool agent_named = false;
    const std::optional<Assembly> agent_body = last_body(agent, agent_named);
    if (agent_named && agent_body != own) return false;
  }
  return true;
}

// ---- Deciding ----------------------------------------------------------------

VoteOutcome outcome_of_counts(const CountGroup& group) {
  const int pour = group.pour.value_or(0), contre = group.contre.value_or(0);
  if (!group.pour && !group.contre) return VoteOutcome::Unknown;  // abstentions only
  if (contre > pour) return VoteOutcome::Rejet;
  if (contre == pour) return VoteOutcome::Unknown;
  if (contre == 0 && group.abstention.value_or(0) == 0) return VoteOutcome::Unanimite;
  return VoteOutcome::Majorite;
}

bool same_sentence(std::string_view s, std::size_t a, std::size_t b) {
  if (a > b) std::swap(a, b);
  return b - a <= kClauseBytes && s.substr(a, b - a).find_first_of(".;") == std::string_view::npos;
}

}  // namespace

Assembly assembly_of(std::string_view organisation) {
  const std::string org = fold(organisation);
  if (org.starts_with("communaute") || org.starts_with("metropole"))
    return Assembly::ConseilCommunautaire;
  if (org.starts_with("syndicat")) return Assembly::ComiteSyndical;
  if (org.starts_with("region")) return Assembly::ConseilRegional;
  if (org.starts_with("departement")) return Assembly::ConseilDepartemental;
  return Assembly::ConseilMunicipal;
}

int vote_count_value(std::string_view w) {
  if (w.empty() || w.size() > 20) return -1;
  if (std::all_of(w.begin(), w.end(), is_digit))
    return w.size() <= 3 ? std::stoi(std::string(w)) : -1;
  static constexpr std::array<std::pair<std::string_view, int>, 25> kWords{{
      {"neant", 0},  {"aucun", 0},     {"aucune", 0},    {"zero", 0},      {"un", 1},
      {"une", 1},    {"deux", 2},      {"trois", 3},     {"quatre", 4},    {"cinq", 5},
      {"six", 6},    {"sept", 7},      {"huit", 8},      {"neuf", 9},      {"dix", 10},
      {"onze", 11},  {"douze", 12},    {"treize", 13},   {"quatorze", 14}, {"quinze", 15},
      {"seize", 16}, {"dix-sept", 17}, {"dix-huit", 18}, {"dix-neuf", 19}, {"vingt", 20},
  }};
  for (const auto& [word, value] : kWords)
    if (w == word) return value;
  // « vingt-deux », « trente-trois »: tens and a unit.
  static constexpr std::array<std::pair<std::string_view, int>, 4> kTens{
      {{"vingt-", 20}, {"trente-", 30}, {"quarante-", 40}, {"cinquante-", 50}}};
  for (const auto& [tens, value] : kTens) {
    if (!w.starts_with(tens)) continue;
    std::string_view unit = w.substr(tens.size());
    if (unit.starts_with("et-")) unit.remove_prefix(3);
    const int units = vote_count_value(unit);
    return units >= 1 && units <= 9 && !std::all_of(unit.begin(), unit.end(), is_digit)
               ? value + units
               : -1;
  }
  return -1;
}

FoundVote read_vote(const FoldedText& text, Assembly own) {
  const std::string_view s = text.folded();
  std::vector<Formula> said;
  for (const Formula& f : formulas(s))
    if (is_this_councils(s, f.begin, f.end, own)) said.push_back(f);
  std::vector<CountGroup> counted;
  for (const CountGroup& g : count_groups(s))
    if (is_this_councils(s, g.begin, g.end, own)) counted.push_back(g);

  FoundVote found;
  const Formula* last_formula = said.empty() ? nullptr : &said.back();
  const CountGroup* last_group = counted.empty() ? nullptr : &counted.back();
  // The decision is the last evidence; the other kind joins it when close.
  if (last_formula && last_group) {
    const bool formula_last = last_formula->begin > last_group->begin;
    const std::size_t first_end = formula_last ? last_group->end : last_formula->end;
    const std::size_t second_begin = formula_last ? last_formula->begin : last_group->begin;
    if (second_begin > first_end && second_begin - first_end > kSameDecisionBytes) {
      if (formula_last)
        last_group = nullptr;
      else
        last_formula = nullptr;
    }
  }
  if (last_group) {
    found.vote.pour = last_group->pour;
    found.vote.contre = last_group->contre;
    found.vote.abstention = last_group->abstention;
    found.vote.outcome = outcome_of_counts(*last_group);
    found.begin = last_group->begin;
    found.end = last_group->end;
  }
  if (last_formula) {
    VoteOutcome outcome = last_formula->outcome;
    // « La proposition est rejetée à l'unanimité »: the rejection is the outcome.
    for (const Formula& f : said)
      if (f.outcome == VoteOutcome::Rejet && same_sentence(s, f.begin, last_formula->begin))
        outcome = VoteOutcome::Rejet;
    // « à la majorité » of those against: 7 pour, 8 contre is a rejection.
    if (!(outcome == VoteOutcome::Majorite && found.vote.outcome == VoteOutcome::Rejet))
      found.vote.outcome = outcome;
    found.begin = last_group ? std::min(found.begin, last_formula->begin) : last_formula->begin;
    found.end = std::max(found.end, last_formula->end);
  }
  return found;
}

}  // namespace vigie::metadata
