#include "extractors/markdown_extractor.h"

#include <cmark.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "extractors/extract_support.h"
#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// ---------------------------------------------------------------- front matter

struct FrontMatterEntry {
  std::string key;                  // folded: "organisation", "collectivite"
  std::vector<std::string> values;  // one for scalars, several for lists
};

struct FrontMatter {
  std::vector<FrontMatterEntry> entries;
  std::string_view rest;  // the Markdown after the closing line
};

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpaces = " \t\r";
  const std::size_t begin = text.find_first_not_of(kSpaces);
  if (begin == std::string_view::npos) return {};
  const std::size_t end = text.find_last_not_of(kSpaces);
  return text.substr(begin, end - begin + 1);
}

std::string unquote(std::string_view value) {
  value = trim(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::string(trim(value));
}

// "[a, b]" → {"a", "b"}; quoted items may hold commas.
std::vector<std::string> split_inline_list(std::string_view list) {
  list = list.substr(1, list.size() - 2);
  std::vector<std::string> items;
  std::string current;
  char quote = 0;
  for (char c : list) {
    if (quote) {
      if (c == quote) quote = 0;
      current.push_back(c);
    } else if (c == '"' || c == '\'') {
      quote = c;
      current.push_back(c);
    } else if (c == ',') {
      items.push_back(unquote(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  items.push_back(unquote(current));
  std::erase_if(items, [](const std::string& item) { return item.empty(); });
  return items;
}

// Reads `key: value`, `key: [a, b]` and `key:` followed by `- item` lines.
// This is the small subset of YAML that Markdown front matter uses in
// practice; anything fancier (nested maps, block scalars) is skipped.
// nullopt when a non-blank, non-comment line is not of these forms: then the
// block was not front matter at all.
std::optional<std::vector<FrontMatterEntry>> parse_entries(
    const std::vector<std::string_view>& lines) {
  std::vector<FrontMatterEntry> entries;
  for (std::string_view raw : lines) {
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("- ") || line == "-") {
      if (entries.empty()) return std::nullopt;
      std::string item = unquote(line.substr(1));
      if (!item.empty()) entries.back().values.push_back(std::move(item));
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    const bool nested = raw.front() == ' ' || raw.front() == '\t';
    if (nested) continue;  // a nested map entry: not a field we read
    FrontMatterEntry entry{fold(trim(line.substr(0, colon))), {}};
    const std::string_view value = trim(line.substr(colon + 1));
    if (value.size() >= 2 && value.front() == '[' && value.back() == ']') {
      entry.values = split_inline_list(value);
    } else if (!value.empty()) {
      entry.values.push_back(unquote(value));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

bool is_fence(std::string_view line, std::string_view fence) { return trim(line) == fence; }

// Front matter must open on the very first line with "---" and close with
// "---" (or YAML's "..."); otherwise "---" is a Markdown thematic break.
std::optional<FrontMatter> split_front_matter(std::string_view text) {
  const std::size_t first_end = text.find('\n');
  if (first_end == std::string_view::npos || !is_fence(text.substr(0, first_end), "---")) {
    return std::nullopt;
  }
  std::vector<std::string_view> lines;
  std::size_t offset = first_end + 1;
  while (offset <= text.size()) {
    const std::size_t end = text.find('\n', offset);
    const std::string_view line =
        text.substr(offset, end == std::string_view::npos ? std::string_view::npos : end - offset);
    if (is_fence(line, "---") || is_fence(line, "...")) {
      std::optional<std::vector<FrontMatterEntry>> entries = parse_entries(lines);
      if (!entries || entries->empty()) return std::nullopt;
      const std::size_t rest = end == std::string_view::npos ? text.size() : end + 1;
      return FrontMatter{std::move(*entries), text.substr(rest)};
    }
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    offset = end + 1;
  }
  return std::nullopt;
}

std::optional<Date> parse_front_matter_date(std::string_view value) {
  if (std::optional<Date> date = Date::parse(value)) return date;
  // "2023-03-24T10:00:00+01:00" or "2023-03-24 10:00": keep the day.
  const std::size_t cut = value.find_first_of("T ");
  if (cut != std::string_view::npos) return Date::parse(value.substr(0, cut));
  return std::nullopt;
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += ", ";
    out += value;
  }
  return out;
}

void apply_entry(const FrontMatterEntry& entry, SourceDocument& doc,
                 std::vector<std::string>& warnings) {
  if (entry.values.empty()) return;
  const std::string& key = entry.key;
  const std::string value = to_nfc(join(entry.values));
  if (key == "title" || key == "titre") {
    doc.title = cap_title(value);
  } else if (key == "date") {
    if (std::optional<Date> date = parse_front_matter_date(value)) {
      doc.date = *date;
    } else {
      warnings.push_back("front matter date not understood: " + value);
    }
  } else if (key == "type") {
    if (std::optional<DocType> type = parse_doc_type(value)) {
      doc.type = *type;
    } else {
      warnings.push_back("front matter type not understood: " + value);
    }
  } else if (key == "organisation" || key == "organization" || key == "collectivite") {
    doc.organisation = value;
  } else if (key == "authors" || key == "author" || key == "auteurs" || key == "auteur") {
    for (const std::string& person : entry.values) doc.persons.push_back(to_nfc(person));
  } else if (key == "place" || key == "lieu") {
    doc.place = value;
  } else if (key == "url") {
    doc.url = value;
  } else {
    doc.extra.emplace_back(key, value);
  }
}

// ------------------------------------------------------------ Markdown → text

using NodePtr = std::unique_ptr<cmark_node, decltype(&cmark_node_free)>;
using IterPtr = std::unique_ptr<cmark_iter, decltype(&cmark_iter_free)>;

// Removes tags from raw HTML blocks, keeping their text ("<p>Oui</p>" → "Oui").
std::string strip_tags(std::string_view html) {
  std::string out;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
    } else if (c == '>' && in_tag) {
      in_tag = false;
      out.push_back(' ');
    } else if (!in_tag) {
      out.push_back(c);
    }
  }
  return collapse_spaces(out);
}

// Walks the cmark tree and writes plain text; remembers headings for the title.
class PlainTextWriter {
 public:
  void enter(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_TEXT:
      case CMARK_NODE_CODE:
        append(literal(node));
        break;
      case CMARK_NODE_SOFTBREAK:
        append(" ");
        break;
      case CMARK_NODE_LINEBREAK:
        end_line(1);
        break;
      case CMARK_NODE_HTML_INLINE:
        // Tags carry no text; <br> still ends a line.
        if (literal(node).starts_with("<br")) end_line(1);
        break;
      case CMARK_NODE_CODE_BLOCK:
        append(literal(node));
        end_line(2);
        break;
      case CMARK_NODE_HTML_BLOCK:
        append(strip_tags(literal(node)));
        end_line(2);
        break;
      case CMARK_NODE_HEADING:
        heading_start_ = text_.size();
        break;
      default:
        break;
    }
  }

  void exit(cmark_node* node) {
    switch (cmark_node_get_type(node)) {
      case CMARK_NODE_HEADING:
        headings_.push_back(collapse_spaces(std::string_view(text_).substr(heading_start_)));
        end_line(2);
        break;
      case CMARK_NODE_PARAGRAPH:
        end_line(in_tight_list(node) ? 1 : 2);
        break;
      case CMARK_NODE_ITEM:
        end_line(1);
        break;
      case CMARK_NODE_LIST:
      case CMARK_NODE_BLOCK_QUOTE:
      case CMARK_NODE_THEMATIC_BREAK:
        end_line(2);
        break;
      default:
        break;
    }
  }

  std::string take_text() {
    while (!text_.empty() && (text_.back() == '\n' || text_.back() == ' ')) text_.pop_back();
    return std::move(text_);
  }
  const std::vector<std::string>& headings() const { return headings_; }

 private:
  static std::string_view literal(cmark_node* node) {
    const char* value = cmark_node_get_literal(node);
    return value ? std::string_view(value) : std::string_view();
  }

  static bool in_tight_list(cmark_node* paragraph) {
    cmark_node* item = cmark_node_parent(paragraph);
    if (!item || cmark_node_get_type(item) != CMARK_NODE_ITEM) return false;
    cmark_node* list = cmark_node_parent(item);
    return list && cmark_node_get_list_tight(list);
  }

  void append(std::string_view text) {
    // No leading spaces at the start of a line (soft breaks after a break).
    if (text == " " && (text_.empty() || text_.back() == '\n')) return;
    text_.append(text);
  }

  // Ends the current line so that the text ends with `newlines` '\n'.
  void end_line(int newlines) {
    while (!text_.empty() && text_.back() == ' ') text_.pop_back();
    if (text_.empty()) return;
    int present = 0;
    for (auto it = text_.rbegin(); it != text_.rend() && *it == '\n'; ++it) ++present;
    for (; present < newlines; ++present) text_.push_back('\n');
  }

  std::string text_;
  std::size_t heading_start_ = 0;
  std::vector<std::string> headings_;
};

struct RenderedMarkdown {
  std::string text;
  std::vector<std::string> headings;
};

std::optional<RenderedMarkdown> render_plain_text(std::string_view markdown) {
  NodePtr root(cmark_parse_document(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT),
               &cmark_node_free);
  if (!root) return std::nullopt;
  IterPtr iter(cmark_iter_new(root.get()), &cmark_iter_free);
  if (!iter) return std::nullopt;
  PlainTextWriter writer;
  for (cmark_event_type event = cmark_iter_next(iter.get()); event != CMARK_EVENT_DONE;
       event = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    if (event == CMARK_EVENT_ENTER) writer.enter(node);
    if (event == CMARK_EVENT_EXIT) writer.exit(node);
  }
  // Leaf nodes get no EXIT event; only containers do, which is what exit() needs.
  RenderedMarkdown rendered;
  rendered.headings = writer.headings();
  rendered.text = writer.take_text();
  return rendered;
}

// ---------------------------------------------------------------------- title

// Section labels that say what kind of page this is rather than what it is
// about. Press releases typically open with "## Communiqué de presse" and put
// the real title in the next heading, so a generic first heading is skipped
// in favour of the first heading that is not generic. Compared folded, with
// trailing punctuation removed.
bool is_generic_heading(std::string_view heading) {
  static constexpr std::array<std::string_view, 24> kGeneric = {"communique de presse",
                                                                "communique",
                                                                "dossier de presse",
                                                                "compte rendu",
                                                                "compte-rendu",
                                                                "proces-verbal",
                                                                "proces verbal",
                                                                "sommaire",
                                                                "table des matieres",
                                                                "introduction",
                                                                "resume",
                                                                "ordre du jour",
                                                                "contacts presse",
                                                                "contact presse",
                                                                "contacts",
                                                                "contact",
                                                                "annexe",
                                                                "annexes",
                                                                "a la une",
                                                                "actualites",
                                                                "actualite",
                                                                "edito",
                                                                "deliberation",
                                                                "manifeste"};
  std::string folded = fold(heading);
  while (!folded.empty() &&
         (folded.back() == ':' || folded.back() == '.' || folded.back() == ' ')) {
    folded.pop_back();
  }
  for (std::string_view generic : kGeneric) {
    if (folded == generic) return true;
  }
  return false;
}

std::string title_from_headings(const std::vector<std::string>& headings) {
  for (const std::string& heading : headings) {
    if (!heading.empty() && !is_generic_heading(heading)) return cap_title(heading);
  }
  for (const std::string& heading : headings) {
    if (!heading.empty()) return cap_title(heading);
  }
  return {};
}

ExtractOutcome extract_markdown(const FileInput& input, std::string_view format) {
  if (input.bytes.empty()) return ExtractOutcome::failed(ExtractFailure::NoText, "empty file");
  DecodedText decoded = decode_to_utf8(input.bytes);
  if (looks_binary(decoded.utf8)) {
    return ExtractOutcome::failed(ExtractFailure::Unsupported, "binary content");
  }
  std::string_view markdown = decoded.utf8;
  std::optional<FrontMatter> front = split_front_matter(markdown);
  if (front) markdown = front->rest;

  std::optional<RenderedMarkdown> rendered = render_plain_text(markdown);
  if (!rendered) return ExtractOutcome::failed(ExtractFailure::Corrupt, "cmark could not parse");
  std::string body = to_nfc(rendered->text);
  if (is_blank(body)) {
    return ExtractOutcome::failed(ExtractFailure::NoText, "no text outside the front matter");
  }

  ExtractOutcome outcome;
  SourceDocument doc;
  doc.id = input.relative_path;
  doc.source_path = input.relative_path;
  doc.format = std::string(format);
  if (front) {
    for (const FrontMatterEntry& entry : front->entries) apply_entry(entry, doc, outcome.warnings);
  }
  if (doc.title.empty()) doc.title = title_from_headings(rendered->headings);
  finish_text_document(std::move(doc), std::move(body), decoded, input.limits, outcome);
  return outcome;
}

}  // namespace

ExtractOutcome MarkdownExtractor::extract_file(const FileInput& input) const {
  return extract_markdown(input, format());
}

}  // namespace vigie
