#include "metadata/metadata_people.h"

#include <algorithm>
#include <array>

#include "metadata/metadata_rules.h"
#include "vigie/text_normalization.h"

namespace vigie::metadata {
namespace {

constexpr std::size_t kHeadBytes = 4096;  // same window as metadata_rules.cpp, same reason
constexpr std::size_t kHeaderLines = 8;
constexpr std::size_t kHeaderLineBytes = 300;

std::string evidence(std::string_view original) {
  std::string flat = collapse_spaces(original);
  if (flat.size() > 100) flat = std::string(utf8_prefix(flat, 100)) + "…";
  return "« " + flat + " »";
}

int word_count(std::string_view text) {
  int n = 0;
  bool in_word = false;
  for (char c : text) {
    if (is_space(c)) {
      in_word = false;
    } else if (!in_word) {
      in_word = true;
      ++n;
    }
  }
  return n;
}

// ---- Organisation -----------------------------------------------------------

struct OrgPrefix {
  std::string_view folded;   // at the start of a header line
  std::string_view display;  // canonical spelling, the name read after it is appended
};

// Longer prefixes first: « Conseil municipal de la commune de X » is the commune.
constexpr std::array<OrgPrefix, 24> kOrgPrefixes{{
    {"conseil municipal de la commune de ", "Commune de "},
    {"conseil municipal de la commune d'", "Commune d'"},
    {"commune de ", "Commune de "},
    {"commune d'", "Commune d'"},
    {"mairie de ", "Mairie de "},
    {"mairie d'", "Mairie d'"},
    {"ville de ", "Ville de "},
    {"ville d'", "Ville d'"},
    {"conseil municipal de ", "Conseil municipal de "},
    {"conseil municipal d'", "Conseil municipal d'"},
    {"communaute de communes de ", "Communauté de communes de "},
    {"communaute de communes du ", "Communauté de communes du "},
    {"communaute de communes des ", "Communauté de communes des "},
    {"communaute de communes d'", "Communauté de communes d'"},
    {"communaute de communes ", "Communauté de communes "},
    {"communaute d'agglomeration de ", "Communauté d'agglomération de "},
    {"communaute d'agglomeration du ", "Communauté d'agglomération du "},
    {"communaute d'agglomeration ", "Communauté d'agglomération "},
    {"communaute urbaine de ", "Communauté urbaine de "},
    {"syndicat mixte ", "Syndicat mixte "},
    {"syndicat intercommunal ", "Syndicat intercommunal "},
    {"region des ", "Région des "},
    {"region d'", "Région d'"},
    {"region ", "Région "},
}};

// Body phrases that name the issuing council (a subset: « commune de X »
// alone is too often another commune).
constexpr std::array<OrgPrefix, 3> kBodyPhrases{{
    {"conseil municipal de la commune de ", "Commune de "},
    {"conseil municipal de la commune d'", "Commune d'"},
    {"conseil municipal de ", "Conseil municipal de "},
}};

// Associations known to issue documents of the corpus, recognised when the
// title or header names them or someone speaks as their president.
struct Network {
  std::string_view folded;
  std::string_view display;
};
constexpr std::array<Network, 1> kNetworks{{{"interconnectes", "Les Interconnectés"}}};

std::optional<Found> organisation_after(const OrgPrefix& prefix, const FoldedText& text,
                                        std::size_t begin, std::size_t end) {
  std::string_view name = read_proper_name(text.original(), text.original_offset(end), 6);
  if (name.empty()) return std::nullopt;
  std::size_t from = text.original_offset(begin);
  std::size_t to = static_cast<std::size_t>(name.data() + name.size() - text.original().data());
  return Found{std::string(prefix.display) + tidy_name(name),
               evidence(text.original().substr(from, to - from))};
}

std::optional<Found> organisation_in_heading(const FoldedText& head) {
  for (auto raw : first_lines(head.original(), kHeaderLines, kHeaderLineBytes)) {
    FoldedText line(trim_markup(raw));
    for (const auto& prefix : kOrgPrefixes) {
      std::size_t end = match_at(line.folded(), 0, prefix.folded);
      if (end == std::string_view::npos) continue;
      if (auto found = organisation_after(prefix, line, 0, end)) return found;
    }
  }
  return std::nullopt;
}

std::optional<Found> network_issuer(std::string_view title, const FoldedText& head) {
  std::string folded_title = fold(title);
  std::vector<std::string> lines;
  for (auto raw : first_lines(head.original(), kHeaderLines, kHeaderLineBytes))
    lines.push_back(fold(raw));
  for (const auto& network : kNetworks) {
    if (contains_phrase(folded_title, network.folded))
      return Found{std::string(network.display), "title " + evidence(title)};
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (contains_phrase(lines[i], network.folded))
        return Found{std::string(network.display), "header line " + std::to_string(i + 1)};
    for (std::string_view role : {"president des ", "presidente des "}) {
      std::size_t end = 0;
      std::size_t at =
          find_phrase(head.folded(), std::string(role) + std::string(network.folded), 0, &end);
      if (at != std::string_view::npos)
        return Found{std::string(network.display), evidence(head.original_span(at, end))};
    }
  }
  return std::nullopt;
}

std::optional<Found> organisation_in_body(const FoldedText& head) {
  for (const auto& phrase : kBodyPhrases) {
    std::size_t end = 0;
    for (std::size_t at = find_phrase(head.folded(), phrase.folded, 0, &end);
         at != std::string_view::npos; at = find_phrase(head.folded(), phrase.folded, end, &end)) {
      if (auto found = organisation_after(phrase, head, at, end)) return found;
    }
  }
  return std::nullopt;
}

// ---- Persons ----------------------------------------------------------------

// Cues directly followed by a name (after « : », a civility).
constexpr std::array<std::string_view, 12> kPersonCues{"sous la presidence de ",
                                                       "president de seance",
                                                       "presidente de seance",
                                                       "president_:",
                                                       "presidente_:",
                                                       "presidence_:",
                                                       "secretaire de seance",
                                                       "secretaire de seance_:",
                                                       "declare ",
                                                       "a declare ",
                                                       "a declare_:",
                                                       "declare_:"};

// Verbs that introduce the speaker after a closing quote: « … » souligne X.
constexpr std::array<std::string_view, 10> kQuoteVerbs{
    "declare ", "a declare ", "explique ", "souligne ", "affirme ",
    "ajoute ",  "precise ",   "rappelle ", "indique ",  "estime "};

// Words that say « this name is a role holder »: « X, Président de … ».
constexpr std::array<std::string_view, 22> kRoleWords{
    "president", "presidente", "vice-president", "vice-presidente", "co-president", "maire",
    "adjoint",   "adjointe",   "directeur",      "directrice",      "dg",           "delegue",
    "deleguee",  "conseiller", "conseillere",    "depute",          "deputee",      "senateur",
    "senatrice", "ministre",   "secretaire",     "porte-parole"};

struct PersonHit {
  std::size_t at = 0;  // original offset of the cue, for text order
  Found found;
};

// Reads « [:|,] [civility] Firstname LASTNAME » at original offset `pos`.
std::string_view name_after_cue(std::string_view original, std::size_t pos) {
  pos = skip_spaces(original, pos);
  if (pos < original.size() && (original[pos] == ':' || original[pos] == ',')) ++pos;
  pos = skip_civility(original, pos);
  return read_proper_name(original, pos, 4);
}

void add_person(std::vector<PersonHit>& hits, std::size_t at, std::string_view name,
                std::string_view cue_to_name) {
  std::string tidy = tidy_name(name);
  if (word_count(tidy) < 2) return;  // « M. Leray » alone is too weak to index
  hits.push_back({at, {tidy, evidence(cue_to_name)}});
}

std::string_view span_to_end(std::string_view original, std::size_t from, std::string_view name) {
  std::size_t to = static_cast<std::size_t>(name.data() + name.size() - original.data());
  return original.substr(from, to > from ? to - from : 0);
}

void cue_persons(const FoldedText& head, std::vector<PersonHit>& hits) {
  const std::string& s = head.folded();
  for (auto cue : kPersonCues) {
    std::size_t end = 0;
    for (std::size_t at = find_phrase(s, cue, 0, &end); at != std::string_view::npos;
         at = find_phrase(s, cue, end, &end)) {
      std::string_view name = name_after_cue(head.original(), head.original_offset(end));
      if (!name.empty())
        add_person(hits, head.original_offset(at), name,
                   span_to_end(head.original(), head.original_offset(at), name));
    }
  }
}

// « X, Président » → the end of the role word; npos when no role follows.
std::size_t role_after(std::string_view original, std::string_view name) {
  std::size_t pos = static_cast<std::size_t>(name.data() + name.size() - original.data());
  pos = skip_spaces(original, pos);
  if (pos >= original.size() || original[pos] != ',') return std::string_view::npos;
  pos = skip_spaces(original, pos + 1);
  std::size_t end = pos;
  while (end < original.size() && !is_space(original[end]) && original[end] != ',') ++end;
  std::string role = fold(original.substr(pos, end - pos));
  bool known = std::find(kRoleWords.begin(), kRoleWords.end(), role) != kRoleWords.end();
  return known ? end : std::string_view::npos;
}

// « … » déclare X / « … » X, Président de … : the speaker of a quotation.
void quoted_speakers(const FoldedText& head, std::vector<PersonHit>& hits) {
  const std::string& s = head.folded();
  constexpr std::string_view kCloseQuote = "\xC2\xBB";
  for (std::size_t at = s.find(kCloseQuote); at != std::string::npos;
       at = s.find(kCloseQuote, at + 1)) {
    std::size_t pos = at + kCloseQuote.size();
    while (pos < s.size() &&
           (is_space(s[pos]) || s[pos] == '*' || s[pos] == '.' || s[pos] == ',' || s[pos] == '_'))
      ++pos;
    std::size_t after_verb = std::string_view::npos;
    for (auto verb : kQuoteVerbs)
      if ((after_verb = match_at(s, pos, verb)) != std::string_view::npos) break;
    const std::string_view original = head.original();
    std::size_t from = head.original_offset(pos);
    std::size_t name_at =
        after_verb != std::string_view::npos ? head.original_offset(after_verb) : from;
    std::string_view name = read_proper_name(original, skip_civility(original, name_at), 4);
    if (name.empty()) continue;
    if (after_verb != std::string_view::npos) {
      add_person(hits, from, name, span_to_end(original, from, name));  // « déclare X »
    } else if (std::size_t role_end = role_after(original, name);
               role_end != std::string_view::npos) {
      add_person(hits, from, name, original.substr(from, role_end - from));  // « X, Président »
    }
  }
}

std::optional<Found> place_name_at(const FoldedText& text, std::size_t folded_pos, int max_words,
                                   std::size_t evidence_from) {
  std::string_view name =
      read_proper_name(text.original(), text.original_offset(folded_pos), max_words);
  if (name.empty()) return std::nullopt;
  std::size_t from = text.original_offset(evidence_from);
  return Found{tidy_name(name), evidence(span_to_end(text.original(), from, name))};
}

}  // namespace

bool is_organisation_line(std::string_view line) {
  FoldedText folded(trim_markup(line));
  for (const auto& prefix : kOrgPrefixes) {
    std::size_t end = match_at(folded.folded(), 0, prefix.folded);
    if (end == std::string_view::npos) continue;
    std::string_view name = read_proper_name(folded.original(), folded.original_offset(end), 6);
    if (name.empty()) continue;
    std::string_view rest = folded.original().substr(
        static_cast<std::size_t>(name.data() + name.size() - folded.original().data()));
    // « Commune de CHEMERE (44 680) »: only a postcode or punctuation may follow.
    std::string rest_folded = fold(rest);
    return std::none_of(rest_folded.begin(), rest_folded.end(),
                        [](char c) { return c >= 'a' && c <= 'z'; });
  }
  return false;
}

std::optional<Found> organisation_from_text(std::string_view title, const FoldedText& head) {
  if (auto found = organisation_in_heading(head)) return found;
  if (auto found = network_issuer(title, head)) return found;
  return organisation_in_body(head);
}

std::vector<Found> persons_in(const FoldedText& head) {
  std::vector<PersonHit> hits;
  cue_persons(head, hits);
  quoted_speakers(head, hits);
  std::stable_sort(hits.begin(), hits.end(),
                   [](const PersonHit& a, const PersonHit& b) { return a.at < b.at; });
  std::vector<Found> persons;
  std::vector<std::string> seen;
  for (auto& hit : hits) {
    std::string key = fold(hit.found.value);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    persons.push_back(std::move(hit.found));
  }
  return persons;
}

std::optional<Found> place_near_date(const FoldedText& text, const DocumentDate& date,
                                     bool press_release) {
  const std::string& s = text.folded();
  if (date.cue == DateCue::Strong && date.cue_begin < date.match.begin) {
    if (std::size_t end = match_at(s, date.cue_begin, "fait a "); end != std::string_view::npos)
      return place_name_at(text, end, 4, date.cue_begin);
    std::string_view cue =
        std::string_view(s).substr(date.cue_begin, date.match.begin - date.cue_begin);
    while (!cue.empty() && is_space(cue.back())) cue.remove_suffix(1);
    if (cue.size() > 4 && cue.substr(cue.size() - 4) == ", le")  // dateline « Toulouse, le »
      return place_name_at(text, date.cue_begin, 3, date.cue_begin);
  }
  if (!press_release) return std::nullopt;
  std::size_t end = match_at(s, date.match.end, " a ");
  if (end == std::string_view::npos) return std::nullopt;
  return place_name_at(text, end, 3, date.match.begin);
}

void complete_people_and_places(SourceDocument& doc, const FolderDefaults* folder,
                                const FoldedText& head, const DocumentDate* date,
                                const FoldedText& dated_in) {
  if (is_blank(doc.organisation)) {
    if (folder && !folder->organisation.empty()) {
      doc.organisation = folder->organisation;
      doc.provenance.push_back("organisation from folder default " + folder->path_prefix + ": " +
                               doc.organisation);
    } else if (auto found = organisation_from_text(doc.title, head)) {
      doc.organisation = found->value;
      doc.provenance.push_back("organisation from text: " + found->evidence);
    }
  }
  if (is_blank(doc.place)) {
    if (folder && !folder->place.empty()) {
      doc.place = folder->place;
      doc.provenance.push_back("place from folder default " + folder->path_prefix + ": " +
                               doc.place);
    } else if (auto found = date ? place_near_date(dated_in, *date, doc.type == DocType::Communique)
                                 : std::nullopt) {
      doc.place = found->value;
      doc.provenance.push_back("place from text: " + found->evidence);
    }
  }
  if (doc.persons.empty()) {
    for (auto& person : persons_in(head)) {
      doc.persons.push_back(person.value);
      doc.provenance.push_back("person from text: " + person.evidence);
    }
  }
}

}  // namespace vigie::metadata

namespace vigie {

std::vector<std::string> persons_from_text(std::string_view text) {
  metadata::FoldedText head(metadata::utf8_prefix(text, metadata::kHeadBytes));
  std::vector<std::string> names;
  for (auto& person : metadata::persons_in(head)) names.push_back(std::move(person.value));
  return names;
}

}  // namespace vigie
