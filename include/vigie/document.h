// SourceDocument: what an extractor produces and the index stores — one
// searchable unit (a file, or a record inside a file such as one deliberation
// of a session's minutes). Plain value type; safe to move between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "vigie/date.h"
#include "vigie/decisions.h"

namespace vigie {

// The kinds of public-policy texts Vigie knows. Display names are French.
enum class DocType { Manifeste, Communique, Deliberation, ProcesVerbal, Arrete, Rapport, Autre };

// "délibération", "procès-verbal", ... (the display form, with accents).
std::string_view doc_type_label(DocType type);
// Stable ASCII key used in terms and URLs: "deliberation", "proces-verbal", ...
std::string_view doc_type_key(DocType type);
// Accepts a label or a key, any case, with or without accents
// ("Communiqué", "communique", "PV", "proces verbal"); nullopt if unknown.
std::optional<DocType> parse_doc_type(std::string_view text);
const std::vector<DocType>& all_doc_types();

struct SourceDocument {
  std::string id;  // relative path from the indexed root's parent, plus "#fragment"
  std::string title;
  std::string body;  // UTF-8, NFC, the text that is indexed and shown
  std::optional<DocType> type;
  Date date;
  std::string organisation;  // collectivité / body that issued it
  std::vector<std::string> persons;
  std::string place;
  std::string number;       // deliberation number, e.g. "2010/80"
  std::string source_path;  // file it came from (same root-relative form as id)
  std::string format;       // "pdf", "html", "markdown", "text", "json-minutes", "csv-scdl", "odt",
                            // "docx", "doc"
  std::string collection;   // first folder under the root (e.g. "chemere"), for XK filters
  std::string url;          // canonical URL when the source gives one
  // The id of the document this one is a part of: a deliberation taken from
  // a session's minutes names the session's record (same file). Empty if none.
  std::string part_of;
  std::string language = "fr";  // ISO 639-1; "und" when unknown; non-French text is flagged
  // What a deliberation decides (vote, amounts, legal texts, cited acts):
  // filled by the metadata rules from the body, never by guessing.
  Decisions decisions;
  // Anything else worth showing (votes, prefecture ids...), in source order.
  std::vector<std::pair<std::string, std::string>> extra;
  // Notes about what the metadata rules inferred, for reports (not indexed).
  std::vector<std::string> provenance;
};

// A PDF's body holds its pages in order, each after the form feed that ends
// the one before (the PDF extractor writes "\n\f\n" between pages, as it
// always has: indexes built before pages were shown have them too).
constexpr char kPageBreak = '\f';
// The 1-based page of a PDF's body that byte `offset` is on; 0 when the
// document is not a PDF (its form feeds, if any, are not pages).
int page_at(const SourceDocument& doc, std::size_t offset);

}  // namespace vigie
