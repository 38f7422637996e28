#include "extractors/json_minutes_extractor.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "extractors/extract_support.h"
#include "vigie/text_normalization.h"
#include "vigie/title_text.h"

namespace vigie {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// ---------------------------------------------------------------- text ----

std::string clean_line(std::string_view text) {
  std::string line = collapse_spaces(to_nfc(strip_invisible(text, false)));
  // Leading bullets left by the Word → JSON conversion.
  static constexpr std::array<std::string_view, 6> kBullets = {"•", "▪", "►", "◦", "*", "·"};
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (auto bullet : kBullets) {
      if (line.starts_with(bullet)) {
        line = collapse_spaces(line.substr(bullet.size()));
        stripped = true;
      }
    }
  }
  return line;
}

// Line ends trimmed (the bullets left a space behind), blank lines at both ends
// dropped; inner blank lines and tabs kept, they separate table cells.
std::string clean_body(std::string_view text) {
  const std::string stripped = to_nfc(strip_invisible(text, true));
  std::string out;
  std::string_view rest = stripped;
  while (true) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    const auto first = line.find_first_not_of(" \t");
    line = first == std::string_view::npos ? std::string_view{} : line.substr(first);
    line = line.substr(0, line.find_last_not_of(" \t") + 1);
    if (!out.empty() || !line.empty()) out.append(line).append("\n");
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string first_nonempty_line(std::string_view text) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string line = clean_line(text.substr(0, end));
    if (!line.empty()) return line;
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return {};
}

// ------------------------------------------------------------- numbers ----

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "2010/83 – Télétransmission…", "2007-1 – Halte…", "2011/50 Cession" → the
// number "2010/83" and the rest of the title. The second part is 1-3 digits so
// "2004-2005 : tarifs" is not mistaken for a number.
std::pair<std::string, std::string> split_number(std::string_view title) {
  std::size_t i = 0;
  while (i < 4 && i < title.size() && is_digit(title[i])) ++i;
  if (i != 4) return {{}, std::string(title)};
  const std::string_view year = title.substr(0, 4);
  if (year < "1900" || year > "2099") return {{}, std::string(title)};
  std::size_t j = i;
  while (j < title.size() && title[j] == ' ') ++j;
  if (j >= title.size() || (title[j] != '/' && title[j] != '-')) return {{}, std::string(title)};
  ++j;
  while (j < title.size() && title[j] == ' ') ++j;
  const std::size_t digits_start = j;
  while (j < title.size() && is_digit(title[j])) ++j;
  const std::size_t digits = j - digits_start;
  if (digits == 0 || digits > 3) return {{}, std::string(title)};
  std::string number = std::string(year) + "/" + std::string(title.substr(digits_start, digits));
  std::string_view rest = title.substr(j);
  // Separator between number and subject: spaces, '-', '–', '—', ':'.
  for (bool more = true; more && !rest.empty();) {
    more = false;
    for (std::string_view sep : {" ", "-", "–", "—", ":"}) {
      if (rest.starts_with(sep)) {
        rest.remove_prefix(sep.size());
        more = true;
      }
    }
  }
  return {std::move(number), std::string(rest)};
}

bool is_placeholder(std::string_view value) {
  const std::string folded = collapse_spaces(fold(value));
  return folded.empty() || folded == "n/a" || folded == "na" || folded == "nc" || folded == "-";
}

// ---------------------------------------------------------------- JSON ----

using Value = rapidjson::Value;

std::string_view string_member(const Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::vector<std::string> name_list(const Value& object, const char* key) {
  std::vector<std::string> names;
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsArray()) return names;
  for (const auto& item : it->value.GetArray()) {
    if (!item.IsString()) continue;
    std::string name = clean_line({item.GetString(), item.GetStringLength()});
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string french_date(const Date& date) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "janvier", "février", "mars",      "avril",   "mai",      "juin",
      "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  if (!date.known()) return {};
  std::string out;
  if (date.day == 1)
    out = "1er ";
  else if (date.day > 1)
    out = std::to_string(date.day) + " ";
  if (date.month >= 1) out += std::string(kMonths[static_cast<std::size_t>(date.month - 1)]) + " ";
  return out + std::to_string(date.year);
}

// What a session shares with each of its deliberations.
struct Session {
  std::string path;
  Date date;
  std::vector<std::string> persons;  // président, secrétaire
  ExtractLimits limits;
};

void cap_body(std::string& body, const Session& session, std::string_view id,
              std::vector<std::string>& warnings) {
  if (cut_utf8(body, session.limits.max_text_bytes))
    warnings.push_back(std::string(id) + ": text cut at " +
                       std::to_string(session.limits.max_text_bytes) + " bytes");
}

// The Word → JSON conversion cut some titles at a line break inside them:
// « 15ème » then « tranche d’assainissement : Autorisation… » as the text's
// second line. A title that is the text's first line, followed by a line in
// lower case, goes on with that line.
std::string title_with_its_next_line(std::string title, std::string_view body) {
  const auto first_end = body.find('\n');
  if (first_end == std::string_view::npos || clean_line(body.substr(0, first_end)) != title)
    return title;
  const std::string_view rest = body.substr(first_end + 1);
  const std::string next = clean_line(rest.substr(0, rest.find('\n')));
  if (next.empty() || !opens_in_a_sentence(next)) return title;
  return title + " " + next;
}

// One deliberation → a document; nullopt (with a warning) when it has neither
// title nor text. `used` keeps fragments unique within the session.
std::optional<SourceDocument> deliberation_document(const Value& entry, std::size_t position,
                                                    const Session& session,
                                                    std::unordered_set<std::string>& used,
                                                    std::vector<std::string>& warnings) {
  const std::string where = session.path + " deliberation " + std::to_string(position);
  if (!entry.IsObject()) {
    warnings.push_back(where + ": not an object, skipped");
    return std::nullopt;
  }
  std::string body = clean_body(string_member(entry, "text"));
  std::string title = clean_line(string_member(entry, "titre"));
  if (title.empty()) title = first_nonempty_line(body);
  if (title.empty()) {
    warnings.push_back(where + ": no title and no text, skipped");
    return std::nullopt;
  }
  title = title_with_its_next_line(std::move(title), body);
  auto [number, subject] = split_number(title);
  if (!subject.empty()) title = subject;
  const std::string raw_id = clean_line(string_member(entry, "id"));
  if (!is_placeholder(raw_id)) {
    auto [id_number, ignored] = split_number(raw_id);
    number = ignored.empty() && !id_number.empty() ? id_number : raw_id;
  }

  std::string fragment = !is_placeholder(raw_id) ? safe_fragment(raw_id)
                         : !number.empty()       ? safe_fragment(number)
                                                 : "delib-" + std::to_string(position);
  if (!used.insert(fragment).second) {
    int suffix = 2;
    while (!used.insert(fragment + "-" + std::to_string(suffix)).second) ++suffix;
    fragment += "-" + std::to_string(suffix);
  }

  SourceDocument doc;
  doc.id = session.path + "#" + fragment;
  doc.part_of = session.path;  // the session's record (session_document())
  doc.type = DocType::Deliberation;
  doc.title = shorten_title(title);
  if (body.empty()) body = title;
  doc.body = std::move(body);
  doc.date = session.date;
  doc.persons = session.persons;
  doc.number = std::move(number);
  for (const char* key : {"id_pref", "date_transmission_pref", "date_reception_pref"}) {
    std::string value = clean_line(string_member(entry, key));
    if (!is_placeholder(value)) doc.extra.emplace_back(key, std::move(value));
  }
  doc.extra.emplace_back("proces_verbal", session.path);
  return doc;
}

// The conversion also made records of the bullets inside a deliberation:
// « au 1er janvier 2009, le logement devra… », « indique que la présente
// délibération sera affichée… », « Pour le budget communal : » and its
// table. Such a record opens in the middle of a sentence and has no number
// of its own: its text goes on the previous deliberation's, where it was
// written (9 records on ../shared/corpus).
bool continues_previous(const SourceDocument& doc, const std::vector<SourceDocument>& before) {
  return !before.empty() && doc.number.empty() && opens_in_a_sentence(doc.title);
}

void append_continuation(SourceDocument& previous, SourceDocument piece) {
  previous.provenance.push_back("text of the JSON record « " + piece.title +
                                " » (opens in a sentence, no number) appended");
  previous.body += "\n" + piece.body;
}

// The deliberation's text rarely repeats when it was voted: say it, so that
// « séance du 14 mars 2023 » finds the deliberations as well as the session.
void finish_deliberation(SourceDocument& doc, const Session& session,
                         std::vector<std::string>& warnings) {
  if (session.date.known()) doc.body += "\n\nSéance du " + french_date(session.date) + ".";
  cap_body(doc.body, session, doc.id, warnings);
}

void add_line(std::string& body, std::string_view label, std::string_view value) {
  if (value.empty()) return;
  body += label;
  body += value;
  body += '\n';
}

SourceDocument session_document(const Value& root, const Session& session,
                                const std::vector<SourceDocument>& deliberations,
                                std::vector<std::string>& warnings) {
  SourceDocument doc;
  doc.id = session.path;
  doc.type = DocType::ProcesVerbal;
  doc.title = "Conseil municipal";
  if (session.date.known()) doc.title += " du " + french_date(session.date);
  doc.date = session.date;
  doc.persons = session.persons;

  std::string body = doc.title + "\n";
  add_line(body, "Président : ", clean_line(string_member(root, "president")));
  add_line(body, "Secrétaire de séance : ", clean_line(string_member(root, "secretaire")));
  add_line(body, "Ordre du jour : ", clean_line(string_member(root, "ODJ")));
  if (!deliberations.empty()) body += "Délibérations :\n";
  for (const auto& deliberation : deliberations) {
    body += "- ";
    if (!deliberation.number.empty()) body += deliberation.number + " – ";
    body += deliberation.title + "\n";
  }
  add_line(body, "Présents : ", join(name_list(root, "presents"), ", "));
  add_line(body, "Excusés : ", join(name_list(root, "excuses"), ", "));
  add_line(body, "Absents : ", join(name_list(root, "absents"), ", "));
  const std::string start = clean_line(string_member(root, "heure_debut"));
  const std::string end = clean_line(string_member(root, "heure_fin"));
  add_line(body, "Heure de début : ", start);
  add_line(body, "Heure de fin : ", end);
  cap_body(body, session, doc.id, warnings);
  doc.body = std::move(body);

  if (!start.empty()) doc.extra.emplace_back("heure_debut", start);
  if (!end.empty()) doc.extra.emplace_back("heure_fin", end);
  for (const char* key : {"date_convocation", "date_affichage"}) {
    std::string value = clean_line(string_member(root, key));
    if (!value.empty()) doc.extra.emplace_back(key, std::move(value));
  }
  const auto presents = root.FindMember("total_presents");
  if (presents != root.MemberEnd() && presents->value.IsInt() && presents->value.GetInt() > 0)
    doc.extra.emplace_back("total_presents", std::to_string(presents->value.GetInt()));
  doc.extra.emplace_back("nombre_deliberations", std::to_string(deliberations.size()));
  return doc;
}

void stamp(SourceDocument& doc, const FileInput& input) {
  doc.source_path = input.relative_path;
  doc.format = "json-minutes";
}

ExtractOutcome extract_record(const FileInput& input) {
  std::string_view bytes = input.bytes;
  if (bytes.starts_with(kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  rapidjson::Document root;
  // Iterative parsing: a file of 100 000 nested '[' must not overflow the
  // stack of an extractor thread.
  root.Parse<rapidjson::kParseDefaultFlags | rapidjson::kParseIterativeFlag>(bytes.data(),
                                                                             bytes.size());
  if (root.HasParseError())
    return ExtractOutcome::failed(ExtractFailure::Corrupt,
                                  "JSON syntax error at byte " +
                                      std::to_string(root.GetErrorOffset()) + ": " +
                                      rapidjson::GetParseError_En(root.GetParseError()));
  const auto not_minutes = [] {
    return ExtractOutcome::failed(ExtractFailure::Unsupported,
                                  "JSON is not a council-session record");
  };
  if (!root.IsObject()) return not_minutes();
  const auto deliberations = root.FindMember("deliberations");
  const auto date = root.FindMember("date");
  if (deliberations == root.MemberEnd() || !deliberations->value.IsArray() ||
      date == root.MemberEnd() || !date->value.IsString())
    return not_minutes();

  ExtractOutcome outcome;
  Session session{input.relative_path, {}, {}, input.limits};
  const std::string raw_date = clean_line(string_member(root, "date"));
  if (auto parsed = Date::parse(raw_date))
    session.date = *parsed;
  else
    outcome.warnings.push_back(input.relative_path + ": session date '" + raw_date +
                               "' is not a date");
  for (const char* key : {"president", "secretaire"}) {
    std::string name = clean_line(string_member(root, key));
    if (!name.empty() &&
        std::find(session.persons.begin(), session.persons.end(), name) == session.persons.end())
      session.persons.push_back(std::move(name));
  }

  std::vector<SourceDocument> documents;
  std::unordered_set<std::string> used;
  std::size_t position = 0;
  for (const auto& entry : deliberations->value.GetArray()) {
    auto doc = deliberation_document(entry, ++position, session, used, outcome.warnings);
    if (!doc) continue;
    if (continues_previous(*doc, documents))
      append_continuation(documents.back(), std::move(*doc));
    else
      documents.push_back(std::move(*doc));
  }
  for (auto& doc : documents) finish_deliberation(doc, session, outcome.warnings);
  SourceDocument minutes = session_document(root, session, documents, outcome.warnings);
  outcome.documents.push_back(std::move(minutes));
  for (auto& doc : documents) outcome.documents.push_back(std::move(doc));
  for (auto& doc : outcome.documents) stamp(doc, input);
  return outcome;
}

}  // namespace

ExtractOutcome JsonMinutesExtractor::extract_file(const FileInput& input) const {
  return extract_record(input);
}

bool JsonMinutesExtractor::looks_like(std::string_view head) {
  if (head.starts_with(kUtf8Bom)) head.remove_prefix(kUtf8Bom.size());
  const auto first = head.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || head[first] != '{') return false;
  return head.find("\"deliberations\"") != std::string_view::npos;
}

}  // namespace vigie
