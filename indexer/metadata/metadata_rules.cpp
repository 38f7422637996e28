// Metadata rules (see metadata_rules.h and docs/metadata-rules.md).
//
// Why only the first 4 KB: a document's identity — its heading, type line,
// session date, president, number — is written at the top (minutes, orders,
// press releases all open with it), while the rest is agenda items full of
// other dates, other deliberation numbers and other people. Reading further
// adds false positives, not facts, and keeps every rule O(4 KB) whatever the
// document size (a 10 MB PDF costs the same as a page). Signed acts put their
// date at the end (« Fait à Chémeré, le 14 février 2012 »), so the last 2 KB
// are read for that one cue only.
#include "metadata/metadata_rules.h"

#include <algorithm>
#include <array>
#include <exception>
#include <unordered_map>

#include "metadata/decision_rules.h"
#include "metadata/deliberation_numbers.h"
#include "metadata/french_dates.h"
#include "metadata/metadata_people.h"
#include "metadata/metadata_text.h"
#include "vigie/text_normalization.h"
#include "vigie/title_text.h"

namespace vigie {
namespace {

using metadata::FoldedText;

constexpr std::size_t kHeadBytes = 4096;
constexpr std::size_t kTailBytes = 2048;
constexpr std::size_t kHeaderLines = 8;        // "first lines" for type and number rules
constexpr std::size_t kHeaderLineBytes = 300;  // a paragraph is not a heading
constexpr std::size_t kTitleBytes = 200;
// Lines of the head that open with a deliberation number (« DE-2012/68 – … »)
// from which a document is a session's minutes: one is a deliberation, two
// or more are the deliberations of a session (« CM juin 2012.html »).
constexpr int kMinutesNumberedItems = 2;

// ---- Type rules -----------------------------------------------------------

enum class Where {
  Anywhere,       // the title or the header lines contain the phrase
  LineStart,      // the title or a header line starts with it
  WholeLine,      // the title or a header line is just the phrase (and punctuation)
  Title,          // the title contains it
  Path,           // the folded path contains it (folder or file name)
  NumberedItems,  // kMinutesNumberedItems lines of the head open with a deliberation number
};

struct TypeRule {
  DocType type;
  Where where;
  std::string_view phrase;  // folded; ' ' matches any run of white space
};

// Order matters: the first rule that matches wins (docs/metadata-rules.md).
constexpr std::array<TypeRule, 36> kTypeRules{{
    {DocType::Communique, Where::Anywhere, "communique de presse"},
    {DocType::Communique, Where::LineStart, "communique"},
    {DocType::Arrete, Where::LineStart, "arrete"},
    {DocType::Arrete, Where::Anywhere, "arrete n_\xC2\xB0"},
    {DocType::Arrete, Where::Anywhere, "arrete municipal"},
    {DocType::Arrete, Where::Anywhere, "arrete du maire"},
    {DocType::Arrete, Where::Anywhere, "arrete prefectoral"},
    {DocType::Arrete, Where::Path, "arrete"},
    {DocType::ProcesVerbal, Where::Anywhere, "proces-verbal"},
    {DocType::ProcesVerbal, Where::Anywhere, "proces verbal"},
    {DocType::ProcesVerbal, Where::Anywhere, "compte rendu du conseil"},
    {DocType::ProcesVerbal, Where::Anywhere, "compte-rendu du conseil"},
    {DocType::ProcesVerbal, Where::Anywhere, "compte rendu de la seance"},
    {DocType::ProcesVerbal, Where::Anywhere, "compte-rendu de la seance"},
    {DocType::ProcesVerbal, Where::Anywhere, "seance du conseil"},
    {DocType::ProcesVerbal, Where::Anywhere, "conseil municipal du"},
    {DocType::ProcesVerbal, Where::Anywhere, "conseil municipal seance du"},
    {DocType::ProcesVerbal, Where::WholeLine, "compte-rendu"},
    {DocType::ProcesVerbal, Where::WholeLine, "compte rendu"},
    {DocType::ProcesVerbal, Where::NumberedItems, "2 or more"},
    {DocType::Deliberation, Where::Title, "deliberation"},
    {DocType::Deliberation, Where::Anywhere, "extrait du registre des deliberations"},
    {DocType::Manifeste, Where::LineStart, "manifeste"},
    {DocType::Manifeste, Where::Title, "manifeste"},
    {DocType::Manifeste, Where::Anywhere, "profession de foi"},
    {DocType::Manifeste, Where::Anywhere, "programme electoral"},
    {DocType::Manifeste, Where::Anywhere, "programme municipal"},
    {DocType::Manifeste, Where::Anywhere, "notre programme"},
    {DocType::Manifeste, Where::WholeLine, "programme"},
    {DocType::Rapport, Where::LineStart, "rapport"},
    {DocType::Communique, Where::Path, "communique"},
    {DocType::ProcesVerbal, Where::Path, "proces-verba"},
    {DocType::Deliberation, Where::Path, "deliberation"},
    {DocType::Manifeste, Where::Path, "manifeste"},
    {DocType::Manifeste, Where::Path, "profession"},
    {DocType::Rapport, Where::Path, "rapport"},
}};

std::optional<std::string> leading_number(std::string_view folded);

// Title and header lines, folded and stripped of markup, read once.
struct Header {
  std::string title;
  std::vector<std::string> lines;
  std::string joined;  // the lines, '\n'-separated: phrases may wrap
  std::string path;
  int numbered_items = 0;  // lines of the head opening with a deliberation number
};

int count_numbered_items(std::string_view head) {
  int count = 0;
  for (auto line : metadata::first_lines(head, 400, kHeaderLineBytes))
    if (leading_number(fold(metadata::trim_markup(line)))) ++count;
  return count;
}

Header make_header(std::string_view title, std::string_view text, std::string_view path) {
  Header h;
  h.title =
      std::string(metadata::trim_markup(fold(metadata::utf8_prefix(title, kHeaderLineBytes))));
  for (auto line : metadata::first_lines(metadata::utf8_prefix(text, kHeadBytes), kHeaderLines,
                                         kHeaderLineBytes))
    h.lines.emplace_back(metadata::trim_markup(fold(line)));
  for (const auto& line : h.lines) h.joined += line + "\n";
  h.path = fold(metadata::utf8_prefix(path, 1024));
  h.numbered_items = count_numbered_items(metadata::utf8_prefix(text, kHeadBytes));
  return h;
}

bool whole_line(std::string_view line, std::string_view phrase) {
  std::size_t end = metadata::match_at(line, 0, phrase);
  if (end == std::string_view::npos) return false;
  for (; end < line.size(); ++end)
    if (metadata::is_word_byte(line[end])) return false;
  return true;
}

bool rule_matches(const TypeRule& rule, const Header& h) {
  auto any_line = [&](auto&& test) {
    if (!h.title.empty() && test(std::string_view(h.title))) return true;
    return std::any_of(h.lines.begin(), h.lines.end(),
                       [&](const std::string& l) { return test(std::string_view(l)); });
  };
  switch (rule.where) {
    case Where::Anywhere:
      return metadata::contains_phrase(h.title, rule.phrase) ||
             metadata::contains_phrase(h.joined, rule.phrase);
    case Where::LineStart:
      return any_line(
          [&](std::string_view l) { return metadata::starts_with_phrase(l, rule.phrase); });
    case Where::WholeLine:
      return any_line([&](std::string_view l) { return whole_line(l, rule.phrase); });
    case Where::Title:
      return metadata::contains_phrase(h.title, rule.phrase) ||
             metadata::contains_phrase(h.title, std::string(rule.phrase) + "s");
    case Where::Path:
      return h.path.find(rule.phrase) != std::string::npos;
    case Where::NumberedItems:
      return h.numbered_items >= kMinutesNumberedItems;
  }
  return false;
}

const TypeRule* matching_type_rule(const Header& h) {
  for (const auto& rule : kTypeRules)
    if (rule_matches(rule, h)) return &rule;
  return nullptr;
}

std::string_view where_name(Where where) {
  switch (where) {
    case Where::Anywhere:
      return "title/first lines contain";
    case Where::LineStart:
      return "title/a first line starts with";
    case Where::WholeLine:
      return "title/a first line is";
    case Where::Title:
      return "title contains";
    case Where::Path:
      return "path contains";
    case Where::NumberedItems:
      return "head lines opening with a deliberation number:";
  }
  return "";
}

// ---- Deliberation numbers -------------------------------------------------

bool is_dash_at(std::string_view s, std::size_t pos) {
  return pos < s.size() &&
         (s[pos] == '-' || s[pos] == ':' || s.compare(pos, 3, "\xE2\x80\x93") == 0 ||
          s.compare(pos, 3, "\xE2\x80\x94") == 0);
}

// « 2007-1 – Halte garderie », « DE-2011/9 – … », bullets before: the number
// that opens a deliberation record.
std::optional<std::string> leading_number(std::string_view folded) {
  std::size_t pos = 0;
  while (pos < folded.size() && pos < 32 && !metadata::is_ascii_alnum(folded[pos])) ++pos;
  if (folded.compare(pos, 2, "de") == 0 && pos + 2 < folded.size() &&
      (folded[pos + 2] == '-' || folded[pos + 2] == '_' || folded[pos + 2] == ' ')) {
    pos += 2;
    while (pos < folded.size() &&
           (metadata::is_space(folded[pos]) || folded[pos] == '-' || folded[pos] == '_'))
      ++pos;
  }
  if (std::size_t after = metadata::skip_number_sign(folded, pos); after != std::string_view::npos)
    pos = after;
  std::size_t end = 0;
  auto number = metadata::number_at(folded, pos, end);
  if (!number) return std::nullopt;
  end = metadata::skip_spaces(folded, end);
  if (end < folded.size() && folded[end] != '\n' && !is_dash_at(folded, end)) return std::nullopt;
  return number;
}

// « Délibération n° 2010/80 », « ARRETE MUNICIPAL / n°2012/3 » in a header
// line. Only singular act words or a line start: « délibérations n°2008/45 »
// and « Vu la loi n° … » cite other acts.
std::optional<std::string> labelled_number(const std::string& line) {
  for (std::size_t pos = 0; pos < line.size(); ++pos) {
    if (line[pos] != 'n' || (pos > 0 && metadata::is_word_byte(line[pos - 1]))) continue;
    std::size_t start = metadata::skip_number_sign(line, pos);
    if (start == std::string_view::npos) continue;
    std::string_view before = std::string_view(line).substr(0, pos);
    while (!before.empty() && metadata::is_space(before.back())) before.remove_suffix(1);
    bool labelled = before.empty();
    for (std::string_view word : {"deliberation", "arrete", "arrete municipal", "arrete du maire"})
      labelled = labelled || (before.size() >= word.size() &&
                              before.substr(before.size() - word.size()) == word &&
                              (before.size() == word.size() ||
                               !metadata::is_word_byte(before[before.size() - word.size() - 1])));
    std::size_t end = 0;
    if (auto number = labelled ? metadata::number_at(line, start, end) : std::nullopt)
      return number;
  }
  return std::nullopt;
}

// The number a body's first line gives when that line is a heading
// (« Délibération n° 2010/80 », « 2010/80 – Tarifs »): the document's own,
// which its decisions never cite. "" otherwise (« Vu la délibération n°… »).
std::string heading_number(std::string_view body) {
  const auto lines =
      metadata::first_lines(metadata::utf8_prefix(body, kHeadBytes), 1, kHeaderLineBytes);
  if (lines.empty()) return "";
  const std::string line = fold(metadata::trim_markup(lines.front()));
  if (auto number = leading_number(line)) return *number;
  if (line.starts_with("deliberation") || line.starts_with("extrait"))
    return labelled_number(line).value_or("");
  return "";
}

// ---- Language -------------------------------------------------------------

struct StopwordSet {
  std::string_view language;
  std::array<std::string_view, 28> words;
};

// Unambiguous stopwords only: "en", "a", "on", "y", "se", "son", "in" are
// common to French and another language and would blur the vote.
constexpr std::array<StopwordSet, 4> kStopwords{{
    {"fr", {"le",    "la",   "les",  "de",   "des",  "du",   "et",   "est", "une", "un",
            "pour",  "dans", "que",  "qui",  "sur",  "au",   "aux",  "par", "ne",  "pas",
            "cette", "nous", "vous", "sont", "avec", "mais", "leur", "ont"}},
    {"en", {"the",  "of",  "and",   "to",   "is",    "that", "for",  "with", "are", "be",
            "this", "by",  "it",    "from", "was",   "were", "have", "has",  "an",  "at",
            "or",   "not", "which", "will", "their", "they", "been", "its"}},
    {"de", {"und",  "der",  "die", "das",  "ist", "nicht", "mit",   "ein",  "eine",
            "zu",   "auf",  "von", "sich", "dem", "den",   "im",    "wird", "werden",
            "auch", "nach", "bei", "oder", "wie", "sind",  "einer", "zum",  "zur"}},
    {"es", {"el",    "los", "las",  "del",   "por",  "para", "con",     "es",     "una", "como",
            "al",    "lo",  "pero", "sus",   "esta", "este", "entre",   "cuando", "muy", "sin",
            "sobre", "ser", "hay",  "desde", "todo", "nos",  "durante", "ya"}},
}};

constexpr int kMinStopwordsForVerdict = 12;  // fewer: too short to tell, assume French

// Stopword → the languages (bits, kStopwords' order) it belongs to: one
// lookup per word of the head rather than 112 comparisons.
std::unordered_map<std::string_view, unsigned> stopword_languages() {
  std::unordered_map<std::string_view, unsigned> languages;
  for (std::size_t l = 0; l < kStopwords.size(); ++l)
    for (std::string_view word : kStopwords[l].words) languages[word] |= 1u << l;
  return languages;
}

std::string_view guess_language(std::string_view text) {
  static const std::unordered_map<std::string_view, unsigned> languages_of = stopword_languages();
  std::string folded = fold(metadata::utf8_prefix(text, kHeadBytes));
  std::array<int, kStopwords.size()> counts{};
  for (std::size_t pos = 0; pos < folded.size();) {
    while (pos < folded.size() && !metadata::is_ascii_alnum(folded[pos])) ++pos;
    std::size_t start = pos;
    while (pos < folded.size() && metadata::is_ascii_alnum(folded[pos])) ++pos;
    std::string_view word = std::string_view(folded).substr(start, pos - start);
    if (word.empty() || word.size() > 8) continue;
    const auto found = languages_of.find(word);
    if (found == languages_of.end()) continue;
    for (std::size_t l = 0; l < kStopwords.size(); ++l)
      if (found->second & (1u << l)) ++counts[l];
  }
  int total = 0;
  std::size_t best = 0;
  for (std::size_t l = 0; l < counts.size(); ++l) {
    total += counts[l];
    if (counts[l] > counts[best]) best = l;
  }
  if (total < kMinStopwordsForVerdict) return "fr";
  return kStopwords[best].language;
}

// ---- Title ----------------------------------------------------------------

// Lines that open many documents but name none of them.
bool is_generic_heading(std::string_view folded) {
  for (std::string_view g :
       {"communique de presse", "communique", "compte-rendu", "compte rendu", "extrait",
        "proces-verbal", "republique francaise", "ordre du jour", "sommaire", "conseil municipal"})
    if (whole_line(folded, g)) return true;
  for (std::string_view g : {"departement de", "departement d'", "canton de", "canton d'",
                             "commune de", "commune d'", "mairie de", "mairie d'"})
    if (metadata::starts_with_phrase(folded, g)) return true;
  return false;
}

// « CONSEIL MUNICIPAL SÉANCE DU 10 JUILLET 2012 » (a PDF's first-page
// heading), « CM 12 décembre 2012 » (its document properties): the session
// and its date, nothing else. Named again from the date found
// (replace_generic_title), they read as the JSON and HTML minutes do.
bool is_session_heading(std::string_view folded) {
  static constexpr std::string_view kSessionWords[] = {
      "cm",        "conseil",  "municipal",      "seance", "du",    "de",           "la",
      "ordinaire", "publique", "extraordinaire", "compte", "rendu", "compte-rendu", "le"};
  static constexpr std::string_view kDateWords[] = {
      "1er",     "janvier",  "fevrier",   "mars",     "avril",    "mai",      "juin",
      "juillet", "aout",     "septembre", "octobre",  "novembre", "decembre", "lundi",
      "mardi",   "mercredi", "jeudi",     "vendredi", "samedi",   "dimanche"};
  auto in = [](const auto& list, std::string_view word) {
    return std::find(std::begin(list), std::end(list), word) != std::end(list);
  };
  bool session = false, dated = false, numbered = false, only_dates = true;
  for (std::size_t pos = 0; pos < folded.size();) {
    while (pos < folded.size() && !metadata::is_word_byte(folded[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < folded.size() && (metadata::is_word_byte(folded[pos]) || folded[pos] == '-'))
      ++pos;
    const std::string_view word = folded.substr(start, pos - start);
    if (word.empty()) break;
    const bool number = std::all_of(word.begin(), word.end(), metadata::is_digit);
    if (!dated && in(kSessionWords, word)) {
      session = session || word == "cm" || word == "conseil" || word == "seance";
    } else if (number || in(kDateWords, word)) {
      dated = true;
      numbered = numbered || number;
    } else {
      only_dates = false;
    }
  }
  // « Séance de juin » has no day nor year: a name someone chose, kept.
  return session && dated && numbered && only_dates;
}

int letter_count(std::string_view folded) {
  int n = 0;
  for (char c : folded) n += (c >= 'a' && c <= 'z') ? 1 : 0;
  return n;
}

std::string shorten(std::string_view text, std::size_t max_bytes) {
  std::string flat = collapse_spaces(text);
  if (flat.size() <= max_bytes) return flat;
  std::string_view cut = metadata::utf8_prefix(flat, max_bytes);
  if (std::size_t space = cut.rfind(' '); space != std::string_view::npos && space > max_bytes / 2)
    cut = cut.substr(0, space);
  return std::string(cut) + "…";
}

std::string file_stem(std::string_view path) {
  if (std::size_t hash = path.find('#'); hash != std::string_view::npos)
    path = path.substr(0, hash);
  if (std::size_t slash = path.rfind('/'); slash != std::string_view::npos)
    path.remove_prefix(slash + 1);
  if (std::size_t dot = path.rfind('.'); dot != std::string_view::npos && dot > 0)
    path = path.substr(0, dot);
  return std::string(path);
}

// First meaningful line: not a generic heading, at least three letters.
std::optional<std::string> title_from_text(std::string_view text) {
  std::optional<std::string> fallback;
  for (auto line : metadata::first_lines(metadata::utf8_prefix(text, kHeadBytes), 30, 1024)) {
    std::string_view shown = metadata::trim_markup(line);
    std::string folded = fold(shown);
    if (letter_count(folded) < 3 || folded.find(' ') == std::string::npos) continue;  // « CONSEIL »
    if (!is_generic_heading(folded) && !metadata::is_organisation_line(shown) &&
        !opens_in_a_sentence(shown))
      return shorten(shown, kTitleBytes);
    if (!fallback) fallback = shorten(shown, kTitleBytes);
  }
  return fallback;
}

std::string quote(std::string_view original) { return "« " + shorten(original, 80) + " »"; }

// "délibération" → "Délibération": every type label starts with an ASCII letter.
std::string to_title_case_first(std::string label) {
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z')
    label[0] = static_cast<char>(label[0] - 32);
  return label;
}

// ---- complete_metadata steps ------------------------------------------------

std::string document_path(const SourceDocument& doc) {
  std::string path = doc.source_path.empty() ? doc.id : doc.source_path;
  if (std::size_t hash = path.find('#'); hash != std::string::npos) path.resize(hash);
  return path;
}

void complete_title(SourceDocument& doc) {
  if (!is_blank(doc.title)) return;
  if (auto line = title_from_text(doc.body)) {
    doc.title = *line;
    doc.provenance.push_back("title from first line: " + quote(doc.title));
  } else if (std::string stem = file_stem(document_path(doc)); !stem.empty()) {
    doc.title = stem;
    doc.provenance.push_back("title from file name: " + quote(stem));
  }
}

// A generic title ("COMPTE-RENDU", "EXTRAIT"), a bare session heading
// (« CM 12 décembre 2012 ») or, for minutes, the heading of their first
// deliberation (« DE-2012/68 – Protection sociale… », the <title> an office
// suite gave « CM juin 2012.html ») names no document: once type, date and
// number are known, say what the document is instead.
bool names_no_document(const SourceDocument& doc) {
  const std::string folded = fold(metadata::trim_markup(doc.title));
  if (doc.title.empty() || is_generic_heading(folded)) return true;
  // The JSON minutes' sessions are named already (and renamed after their
  // assembly by name_the_assembly).
  if (doc.format != "json-minutes" && is_session_heading(folded)) return true;
  return doc.type == DocType::ProcesVerbal && leading_number(folded).has_value();
}

void replace_generic_title(SourceDocument& doc) {
  if (!names_no_document(doc)) return;
  if (!doc.type || !doc.date.known()) return;
  std::string title;
  if (*doc.type == DocType::ProcesVerbal && doc.organisation.starts_with("Commune"))
    title = "Conseil municipal";
  else if (*doc.type == DocType::Arrete && !doc.number.empty())
    title = "Arrêté n° " + doc.number;
  else {
    title = std::string(doc_type_label(*doc.type));
    title = to_title_case_first(title);
  }
  title += (doc.date.day ? " du " : " de ") + doc.date.french();
  doc.provenance.push_back("generic title " + quote(doc.title) + " replaced by " + quote(title));
  doc.title = title;
}

// Whatever gave the title: no list mark before it, at most kTitleMaxChars
// characters (44 titles of ../shared/corpus were whole first sentences).
void tidy_title(SourceDocument& doc) {
  std::string tidy = shorten_title(strip_leading_bullets(doc.title));
  if (tidy == doc.title) return;
  if (tidy.empty()) return;  // a title of bullets only: better than none
  doc.provenance.push_back("title tidied (list marks, length): " + quote(tidy));
  doc.title = std::move(tidy);
}

// « Val-d’Aubrac » from a text and « Val-d'Aubrac » from a config are the same
// collectivité: one spelling for values that become facets and filters.
void unify_apostrophes(SourceDocument& doc) {
  auto unify = [](std::string& value) {
    for (std::string_view curly : {"\u2019", "\u02BC"}) {
      for (std::size_t at = value.find(curly); at != std::string::npos; at = value.find(curly, at))
        value.replace(at, curly.size(), "'");
    }
  };
  unify(doc.organisation);
  unify(doc.place);
  for (auto& person : doc.persons) unify(person);
}

// Council-session records do not say which body met: the JSON minutes
// extractor calls every session « Conseil municipal ». Once the organisation
// is known, name the assembly it really has.
void name_the_assembly(SourceDocument& doc) {
  static constexpr std::string_view kGeneric = "Conseil municipal";
  if (doc.format != "json-minutes" || doc.type != DocType::ProcesVerbal) return;
  if (!doc.title.starts_with(kGeneric)) return;
  const std::string org = fold(doc.organisation);
  std::string assembly;
  if (org.starts_with("communaute") || org.starts_with("metropole"))
    assembly = "Conseil communautaire";
  else if (org.starts_with("syndicat"))
    assembly = "Comité syndical";
  else if (org.starts_with("region"))
    assembly = "Conseil régional";
  else if (org.starts_with("departement"))
    assembly = "Conseil départemental";
  if (assembly.empty()) return;
  const std::string old_title = doc.title;
  doc.title = assembly + old_title.substr(kGeneric.size());
  if (doc.body.starts_with(old_title)) doc.body = doc.title + doc.body.substr(old_title.size());
  doc.provenance.push_back("assembly named after the organisation: " + quote(doc.title));
}

void complete_type(SourceDocument& doc, const FolderDefaults* folder) {
  if (doc.type) return;
  if (folder) {
    for (const auto& [format, type] : folder->type_by_format) {
      if (format != doc.format) continue;
      if ((doc.type = parse_doc_type(type))) {
        doc.provenance.push_back("type from folder default " + folder->path_prefix + " (" + format +
                                 "): " + std::string(doc_type_label(*doc.type)));
        return;
      }
    }
    if (!folder->type.empty() && (doc.type = parse_doc_type(folder->type))) {
      doc.provenance.push_back("type from folder default " + folder->path_prefix + ": " +
                               std::string(doc_type_label(*doc.type)));
      return;
    }
  }
  Header header = make_header(doc.title, doc.body, document_path(doc));
  if (const TypeRule* rule = matching_type_rule(header)) {
    doc.type = rule->type;
    doc.provenance.push_back("type from rule (" + std::string(where_name(rule->where)) + " « " +
                             std::string(rule->phrase) +
                             " »): " + std::string(doc_type_label(rule->type)));
    return;
  }
  doc.type = DocType::Autre;
  doc.provenance.push_back("type: no rule matched, autre");
}

struct FoundDate {
  metadata::DocumentDate date;
  const FoldedText* in;  // head or tail: where date's offsets point
};

// The document date from the head, or a signature date from the tail.
std::optional<FoundDate> text_date(const FoldedText& head, const FoldedText* tail) {
  auto best = metadata::best_document_date(head.folded());
  if (best && best->cue == metadata::DateCue::Strong) return FoundDate{*best, &head};
  if (tail) {
    auto signed_at = metadata::best_document_date(tail->folded());
    if (signed_at && signed_at->cue == metadata::DateCue::Strong)
      return FoundDate{*signed_at, tail};
  }
  if (best) return FoundDate{*best, &head};
  return std::nullopt;
}

// A cued date in the text beats the file name; a file name that gives a day
// or a month beats a date merely found in the text (often a table row: « CM
// juin 2012.html » lists invoices « 05/06/2012 »); a year alone comes last.
void complete_date(SourceDocument& doc, const std::string& path,
                   const std::optional<FoundDate>& dated) {
  auto from_text = [&] {
    doc.date = dated->date.match.date;
    doc.provenance.push_back(
        "date from text: " +
        quote(dated->in->original_span(dated->date.cue_begin, dated->date.match.end)));
  };
  auto from_path = metadata::date_in_file_name(fold(file_stem(path)));
  auto from_file_name = [&] {
    doc.date = *from_path;
    doc.provenance.push_back("date from file name: " + quote(file_stem(path)));
  };
  bool cued = dated && dated->date.cue == metadata::DateCue::Strong;
  if (cued) return from_text();
  if (from_path && from_path->month != 0) return from_file_name();
  if (dated) return from_text();
  if (from_path) return from_file_name();
  doc.provenance.push_back("date: none in text or file name");
}

}  // namespace

// ---- Public rules -----------------------------------------------------------

std::optional<DocType> infer_type(std::string_view title, std::string_view text,
                                  std::string_view path) {
  const TypeRule* rule = matching_type_rule(make_header(title, text, path));
  return rule ? std::optional<DocType>(rule->type) : std::nullopt;
}

std::optional<Date> date_from_text(std::string_view text) {
  FoldedText head(metadata::utf8_prefix(text, kHeadBytes));
  FoldedText tail(text.size() > kHeadBytes ? metadata::utf8_suffix(text, kTailBytes) : "");
  auto found = text_date(head, text.size() > kHeadBytes ? &tail : nullptr);
  return found ? std::optional<Date>(found->date.match.date) : std::nullopt;
}

std::optional<Date> date_from_path(std::string_view path) {
  std::string stem = file_stem(path);
  return metadata::date_in_file_name(fold(stem));
}

std::optional<std::string> deliberation_number(std::string_view text) {
  std::string_view head = metadata::utf8_prefix(text, kHeadBytes);
  std::string first = fold(metadata::utf8_prefix(head, kHeaderLineBytes));
  if (auto number = leading_number(first)) return number;
  for (auto line : metadata::first_lines(head, kHeaderLines, kHeaderLineBytes))
    if (auto number = labelled_number(fold(metadata::trim_markup(line)))) return number;
  return std::nullopt;
}

bool looks_non_french(std::string_view text) { return guess_language(text) != "fr"; }

void complete_metadata(SourceDocument& doc, const Config& config) {
  try {
    std::string path = document_path(doc);
    const FolderDefaults* folder = config.defaults_for(path);
    complete_title(doc);
    complete_type(doc, folder);

    std::string_view body = doc.body;
    FoldedText head(metadata::utf8_prefix(body, kHeadBytes));
    bool has_tail = body.size() > kHeadBytes;
    FoldedText tail(has_tail ? metadata::utf8_suffix(body, kTailBytes) : "");
    // Found even when the date is explicit: the place rule reads next to it.
    std::optional<FoundDate> dated = text_date(head, has_tail ? &tail : nullptr);
    if (!doc.date.known()) complete_date(doc, path, dated);

    metadata::complete_people_and_places(doc, folder, head, dated ? &dated->date : nullptr,
                                         dated ? *dated->in : head);

    if (doc.number.empty() && (doc.type == DocType::Deliberation || doc.type == DocType::Arrete)) {
      auto number = deliberation_number(doc.title);
      if (!number) number = deliberation_number(doc.body);
      if (number) {
        doc.number = *number;
        doc.provenance.push_back("number from text: " + doc.number);
      }
    }

    metadata::complete_decisions(doc, heading_number(doc.body));

    tidy_title(doc);
    replace_generic_title(doc);
    name_the_assembly(doc);
    unify_apostrophes(doc);

    if ((doc.language.empty() || doc.language == "fr")) {
      std::string_view guessed = guess_language(doc.body);
      if (guessed != "fr") {
        doc.language = std::string(guessed);
        doc.provenance.push_back("language: looks non-French (" + doc.language + ")");
      }
    }
  } catch (const std::exception& e) {
    // Only allocation can fail here; a document with partial metadata is still indexable.
    doc.provenance.push_back(std::string("metadata rules stopped: ") + e.what());
  }
}

}  // namespace vigie
