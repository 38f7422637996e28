#include "extractors/scdl_csv_extractor.h"

#include <csv.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "extractors/extract_support.h"
#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

constexpr std::size_t kMaxTitleBytes = 300;

// ---------------------------------------------------------------- text ----

std::string upper_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// The separator that occurs most often, outside quotes, on the header line.
char detect_separator(std::string_view text) {
  std::size_t commas = 0, semicolons = 0, tabs = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    commas += c == ',';
    semicolons += c == ';';
    tabs += c == '\t';
  }
  if (semicolons > commas && semicolons >= tabs) return ';';
  if (tabs > commas && tabs > semicolons) return '\t';
  return ',';
}

// ----------------------------------------------------------------- rows ----

// Columns that become SourceDocument fields; every other column goes to extra.
constexpr std::string_view kMappedColumns[] = {"COLL_NOM", "DELIB_ID", "DELIB_DATE", "DELIB_OBJET",
                                               "DELIB_URL"};

// libcsv callback state. Callbacks run inside C code: nothing may throw out
// of them (unwinding through C frames is undefined), so they catch and park
// the message in `error`, which parse_csv reports once libcsv has returned.
// These are the extractor's only catches; Extractor::extract is the boundary.
struct ParseState {
  const FileInput* input = nullptr;
  std::vector<std::string> header;  // upper-case, trimmed
  bool have_header = false;
  bool not_scdl = false;
  std::vector<std::string> row;
  std::size_t record = 0;  // data rows seen, 1-based in messages
  std::unordered_set<std::string> used_fragments;
  ExtractOutcome outcome;
  std::string error;

  std::optional<std::size_t> column(std::string_view name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header.begin());
  }
  std::string value(std::string_view name) const {
    const auto index = column(name);
    return index ? clean_field(row[*index]) : std::string();
  }
};

void accept_header(ParseState& state) {
  for (const auto& name : state.row) state.header.push_back(upper_ascii(collapse_spaces(name)));
  state.have_header = true;
  state.not_scdl =
      !state.column("DELIB_OBJET") || (!state.column("DELIB_ID") && !state.column("DELIB_DATE"));
}

std::string unique_fragment(ParseState& state, const std::string& delib_id) {
  std::string fragment =
      delib_id.empty() ? "row-" + std::to_string(state.record) : safe_fragment(delib_id);
  if (!state.used_fragments.insert(fragment).second) {
    int suffix = 2;
    while (!state.used_fragments.insert(fragment + "-" + std::to_string(suffix)).second) ++suffix;
    fragment += "-" + std::to_string(suffix);
  }
  return fragment;
}

std::string describe_body(const ParseState& state, const std::string& objet) {
  std::string body = objet;
  const auto line = [&body](std::string_view label, std::string text) {
    text = collapse_spaces(text);
    if (text.empty()) return;
    if (!body.empty()) body += '\n';
    body.append(label).append(text);
  };
  line("Matière : ", state.value("DELIB_MATIERE_CODE") + " " + state.value("DELIB_MATIERE_NOM"));
  line("Budget : ", state.value("BUDGET_NOM") + " " + state.value("BUDGET_ANNEE"));
  return body;
}

void accept_record(ParseState& state) {
  ++state.record;
  const std::string where = state.input->relative_path + " record " + std::to_string(state.record);
  if (state.row.size() != state.header.size()) {
    state.outcome.warnings.push_back(where + ": " + std::to_string(state.row.size()) +
                                     " fields, expected " + std::to_string(state.header.size()) +
                                     " — row skipped");
    return;
  }
  const std::string objet = state.value("DELIB_OBJET");
  const std::string delib_id = state.value("DELIB_ID");
  std::string body = describe_body(state, objet);
  if (body.empty() && delib_id.empty()) {
    state.outcome.warnings.push_back(where + ": no object, id or subject — row skipped");
    return;
  }

  SourceDocument doc;
  doc.id = state.input->relative_path + "#" + unique_fragment(state, delib_id);
  doc.type = DocType::Deliberation;
  doc.title = !objet.empty()      ? objet
              : !delib_id.empty() ? "Délibération " + delib_id
                                  : "Délibération (ligne " + std::to_string(state.record) + ")";
  cut_utf8(doc.title, kMaxTitleBytes);
  if (body.empty()) body = doc.title;
  if (cut_utf8(body, state.input->limits.max_text_bytes))
    state.outcome.warnings.push_back(where + ": text cut at " +
                                     std::to_string(state.input->limits.max_text_bytes) + " bytes");
  doc.body = std::move(body);
  const std::string raw_date = state.value("DELIB_DATE");
  if (auto date = Date::parse(raw_date))
    doc.date = *date;
  else if (!raw_date.empty())
    state.outcome.warnings.push_back(where + ": DELIB_DATE '" + raw_date + "' is not a date");
  doc.organisation = state.value("COLL_NOM");
  doc.number = delib_id;
  doc.url = state.value("DELIB_URL");
  for (std::size_t i = 0; i < state.header.size(); ++i) {
    const auto& name = state.header[i];
    if (std::find(std::begin(kMappedColumns), std::end(kMappedColumns), name) !=
        std::end(kMappedColumns))
      continue;
    std::string value = clean_field(state.row[i]);
    std::string key = lower(name);
    if (value.empty() || key.empty()) continue;
    doc.extra.emplace_back(std::move(key), std::move(value));
  }
  if (!doc.date.known() && !raw_date.empty()) doc.extra.emplace_back("delib_date", raw_date);
  doc.source_path = state.input->relative_path;
  doc.format = "csv-scdl";
  state.outcome.documents.push_back(std::move(doc));
}

void on_field(void* field, std::size_t length, void* data) {
  auto& state = *static_cast<ParseState*>(data);
  if (!state.error.empty() || state.not_scdl) return;
  try {
    state.row.emplace_back(field ? static_cast<const char*>(field) : "", field ? length : 0);
  } catch (const std::exception& e) {  // parked: must not unwind into libcsv
    state.error = e.what();
  }
}

void on_row(int /*terminator*/, void* data) {
  auto& state = *static_cast<ParseState*>(data);
  if (!state.error.empty() || state.not_scdl) return;
  try {
    const bool blank = std::all_of(state.row.begin(), state.row.end(),
                                   [](const std::string& field) { return is_blank(field); });
    if (!state.have_header) {
      if (!blank) accept_header(state);
    } else if (!blank) {
      accept_record(state);
    }
    state.row.clear();
  } catch (const std::exception& e) {  // parked: must not unwind into libcsv
    state.error = e.what();
  }
}

ExtractOutcome parse_csv(const FileInput& input) {
  // decode_to_utf8 drops the BOM, keeps valid UTF-8 as is and converts
  // windows-1252 / Latin-9 exports (common from French spreadsheets).
  const DecodedText decoded = decode_to_utf8(input.bytes);
  const std::string& text = decoded.utf8;

  ParseState state;
  state.input = &input;
  csv_parser parser;
  if (csv_init(&parser, CSV_APPEND_NULL) != 0)
    return ExtractOutcome::failed(ExtractFailure::Corrupt, "libcsv could not initialise");
  csv_set_delim(&parser, static_cast<unsigned char>(detect_separator(text)));
  // libcsv grows a field's buffer by blk_size bytes at a time (128 by
  // default): a multi-megabyte field — an unterminated quote swallows the
  // rest of the file — meant one realloc per 128 bytes, quadratic copying
  // (5 MB took minutes under ASan). Found by the hostile files table.
  csv_set_blk_size(&parser, 1u << 20);
  const std::size_t parsed = csv_parse(&parser, text.data(), text.size(), on_field, on_row, &state);
  const bool complete = parsed == text.size() && csv_fini(&parser, on_field, on_row, &state) == 0;
  const int code = csv_error(&parser);
  csv_free(&parser);

  if (!complete)
    return ExtractOutcome::failed(
        ExtractFailure::Corrupt,
        "CSV parse error after byte " + std::to_string(parsed) + ": " + csv_strerror(code));
  if (!state.error.empty())
    return ExtractOutcome::failed(ExtractFailure::Corrupt, "CSV: " + state.error);
  if (!state.have_header || state.not_scdl)
    return ExtractOutcome::failed(ExtractFailure::Unsupported,
                                  "CSV is not an SCDL deliberations file");
  if (decoded.charset != "UTF-8")
    state.outcome.warnings.insert(state.outcome.warnings.begin(),
                                  input.relative_path + ": decoded from " + decoded.charset);
  if (state.outcome.documents.empty())
    return ExtractOutcome::failed(
        ExtractFailure::NoText,
        "SCDL CSV has a header but no usable row (" + std::to_string(state.record) + " rows read)");
  return std::move(state.outcome);
}

}  // namespace

ExtractOutcome ScdlCsvExtractor::extract_file(const FileInput& input) const {
  return parse_csv(input);
}

bool ScdlCsvExtractor::looks_like(std::string_view head) {
  const auto end = head.find('\n');
  return upper_ascii(head.substr(0, end)).find("DELIB_OBJET") != std::string::npos;
}

}  // namespace vigie
