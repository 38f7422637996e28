#include "extractors/html_extractor.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>

#include "extractors/extract_support.h"
#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// WHATWG's prescan looks at the first 1024 bytes; office exports put a long
// <style> before the meta sometimes, so look a little further.
constexpr std::size_t kCharsetPrescanBytes = 4096;

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Reads the value after `key` ("charset", "encoding") at `at`: optional
// spaces, '=', optional quote, then the name.
std::string value_after(std::string_view text, std::size_t at) {
  std::size_t i = at;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  if (i >= text.size() || text[i] != '=') return {};
  ++i;
  while (i < text.size() && (text[i] == ' ' || text[i] == '"' || text[i] == '\'')) ++i;
  std::size_t end = i;
  while (end < text.size() &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' ||
          text[end] == '_' || text[end] == '.' || text[end] == ':')) {
    ++end;
  }
  return std::string(text.substr(i, end - i));
}

// ------------------------------------------------------------- libxml2 glue

void init_libxml_once() {
  // xmlInitParser must run once before threads use the parser.
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

using DocPtr = std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)>;

std::string_view name_of(const xmlNode* node) {
  return node->name ? std::string_view(reinterpret_cast<const char*>(node->name)) : "";
}

std::string attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (!value) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

// Elements whose content is never visible text.
bool is_skipped(std::string_view name) {
  static const std::unordered_set<std::string_view> kSkipped = {
      "script", "style", "noscript", "template", "head", "iframe",
      "object", "embed", "svg",      "canvas",   "math", "select"};
  return kSkipped.contains(name);
}

// Elements that start and end a line of text.
bool is_block(std::string_view name) {
  static const std::unordered_set<std::string_view> kBlocks = {
      "address", "article", "aside", "blockquote", "body",    "caption", "center",   "dd",
      "details", "dialog",  "dir",   "div",        "dl",      "dt",      "fieldset", "figcaption",
      "figure",  "footer",  "form",  "h1",         "h2",      "h3",      "h4",       "h5",
      "h6",      "header",  "hr",    "legend",     "li",      "main",    "menu",     "nav",
      "ol",      "p",       "pre",   "section",    "summary", "table",   "tbody",    "td",
      "tfoot",   "th",      "thead", "tr",         "ul",      "option",  "multicol"};
  return kBlocks.contains(name);
}

// ------------------------------------------------------------ text building

// Collects text line by line: HTML white space (not U+00A0, which French
// typography puts before « : ; ! ? » on purpose) collapses within a line.
class LineWriter {
 public:
  void append(std::string_view text, bool preformatted) {
    for (char c : text) {
      const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
      if (preformatted && c == '\n') {
        end_line(true);
      } else if (space) {
        pending_space_ = !line_.empty();
      } else {
        if (line_.empty() && !prefix_.empty()) {
          line_ = std::move(prefix_) + " ";
          prefix_.clear();
        }
        if (pending_space_) line_.push_back(' ');
        pending_space_ = false;
        line_.push_back(c);
      }
    }
  }

  // Ends the current line. Blocks end a line only if it has text; <br> ends
  // it even when empty, but never leaves more than one blank line in a row.
  void end_line(bool explicit_break) {
    pending_space_ = false;
    if (line_.empty()) {
      if (explicit_break && !text_.empty() && !text_.ends_with("\n\n")) text_.push_back('\n');
      return;
    }
    text_ += line_;
    text_.push_back('\n');
    line_.clear();
  }

  // Text that starts the next non-empty line (a list marker: an empty <li/>
  // followed by a paragraph still reads "M. Georges …").
  void set_prefix(std::string prefix) { prefix_ = std::move(prefix); }

  std::string take() {
    end_line(false);
    while (!text_.empty() && text_.back() == '\n') text_.pop_back();
    return std::move(text_);
  }

 private:
  std::string text_;
  std::string line_;
  std::string prefix_;
  bool pending_space_ = false;
};

// Numbering of an <ol>, as a browser shows it. Office exports number
// civilities this way: <ol type="A" start="13"><li/>… renders "M." before
// "Georges LECLEVE", and that "M." is part of the text people read.
struct OrderedList {
  long next = 1;
  char type = '1';  // '1', 'a', 'A', 'i', 'I'
};

std::string roman(long n, bool upper) {
  static constexpr std::pair<long, std::string_view> kNumerals[] = {
      {1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"},
      {40, "xl"},  {10, "x"},   {9, "ix"},  {5, "v"},    {4, "iv"},  {1, "i"}};
  std::string out;
  for (const auto& [value, numeral] : kNumerals) {
    for (; n >= value; n -= value) out += numeral;
  }
  if (upper) {
    for (char& c : out) c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string list_marker(long n, char type) {
  if (n < 1 || n > 3999) return std::to_string(n) + ".";
  switch (type) {
    case 'a':
    case 'A': {
      std::string letters;  // 1 → a, 26 → z, 27 → aa (spreadsheet style, as browsers do)
      for (long k = n; k > 0; k = (k - 1) / 26) {
        letters.insert(letters.begin(), static_cast<char>(type + (k - 1) % 26));
      }
      return letters + ".";
    }
    case 'i':
    case 'I':
      return roman(n, type == 'I') + ".";
    default:
      return std::to_string(n) + ".";
  }
}

long integer_attribute(const xmlNode* node, const char* name, long fallback) {
  const std::string value = attribute(node, name);
  char* end = nullptr;
  const long parsed = std::strtol(value.c_str(), &end, 10);
  return value.empty() || end == value.c_str() ? fallback : parsed;
}

OrderedList ordered_list_of(const xmlNode* ol) {
  OrderedList list;
  list.next = integer_attribute(ol, "start", 1);
  const std::string type = attribute(ol, "type");
  if (type.size() == 1 && std::string_view("1aAiI").find(type[0]) != std::string_view::npos) {
    list.type = type[0];
  }
  return list;
}

struct WriteContext {
  bool preformatted = false;
  OrderedList* list = nullptr;  // the <ol> whose items we are in, if any
};

void write_text(const xmlNode* node, LineWriter& writer, WriteContext context) {
  for (const xmlNode* child = node->children; child; child = child->next) {
    if (child->type == XML_TEXT_NODE || child->type == XML_CDATA_SECTION_NODE) {
      if (child->content) {
        writer.append(reinterpret_cast<const char*>(child->content), context.preformatted);
      }
      continue;
    }
    if (child->type != XML_ELEMENT_NODE) continue;  // comments, PIs, DTD
    const std::string_view name = name_of(child);
    if (is_skipped(name)) continue;
    if (name == "br") {
      writer.end_line(true);
      continue;
    }
    const bool block = is_block(name);
    if (block) writer.end_line(false);
    WriteContext inner = context;
    inner.preformatted = context.preformatted || name == "pre" || name == "textarea";
    OrderedList list;
    if (name == "ol") {
      list = ordered_list_of(child);
      inner.list = &list;
    } else if (name == "ul" || name == "dl") {
      inner.list = nullptr;
    } else if (name == "li" && context.list) {
      const long number = integer_attribute(child, "value", context.list->next);
      writer.set_prefix(list_marker(number, context.list->type));
      context.list->next = number + 1;
      inner.list = nullptr;
    }
    write_text(child, writer, inner);
    if (block) writer.end_line(false);
  }
}

// Visible text of one element, on one line (for titles).
std::string inline_text(const xmlNode* node) {
  LineWriter writer;
  write_text(node, writer, {});
  return collapse_spaces(writer.take());
}

// ------------------------------------------------------------ head metadata

struct PageFacts {
  const xmlNode* body = nullptr;
  const xmlNode* title = nullptr;
  const xmlNode* first_h1 = nullptr;
  const xmlNode* first_h2 = nullptr;
  std::vector<const xmlNode*> metas;
  std::vector<const xmlNode*> links;
};

void collect_facts(const xmlNode* node, PageFacts& facts) {
  for (const xmlNode* child = node; child; child = child->next) {
    if (child->type != XML_ELEMENT_NODE) continue;
    const std::string_view name = name_of(child);
    if (name == "svg" || name == "math") continue;  // they have <title>s of their own
    if (name == "body" && !facts.body) facts.body = child;
    if (name == "title" && !facts.title) facts.title = child;
    if (name == "h1" && !facts.first_h1) facts.first_h1 = child;
    if (name == "h2" && !facts.first_h2) facts.first_h2 = child;
    if (name == "meta") facts.metas.push_back(child);
    if (name == "link") facts.links.push_back(child);
    collect_facts(child->children, facts);
  }
}

std::optional<Date> parse_meta_date(std::string_view value) {
  if (std::optional<Date> date = Date::parse(value)) return date;
  const std::size_t cut = value.find_first_of("T ");  // "2012-12-12T13:55:00"
  if (cut != std::string_view::npos) return Date::parse(value.substr(0, cut));
  return std::nullopt;
}

// A placeholder author ("_", "-", "x") carries nothing.
bool is_placeholder(std::string_view value) { return collapse_spaces(value).size() <= 1; }

void apply_meta(const xmlNode* meta, SourceDocument& doc) {
  const std::string name = ascii_lower(attribute(meta, "name"));
  const std::string content = to_nfc(collapse_spaces(attribute(meta, "content")));
  if (name.empty() || content.empty()) return;
  if (name == "author" || name == "dc.creator" || name == "dcterms.creator") {
    if (!is_placeholder(content)) doc.persons.push_back(content);
  } else if (name == "description" || name == "dc.description") {
    doc.extra.emplace_back("description", content);
  } else if (name == "date" || name == "dc.date" || name == "dcterms.created" ||
             name == "dcterms.date" || name == "dcterms.issued") {
    // The first declared date wins; file timestamps ("created", "changed"
    // from office suites) are deliberately not read: they date the file,
    // not the session or decision.
    if (!doc.date.known()) {
      if (std::optional<Date> date = parse_meta_date(content)) doc.date = *date;
    }
  }
}

void apply_head(const PageFacts& facts, SourceDocument& doc) {
  for (const xmlNode* meta : facts.metas) apply_meta(meta, doc);
  for (const xmlNode* link : facts.links) {
    if (ascii_lower(attribute(link, "rel")) == "canonical" && doc.url.empty()) {
      doc.url = collapse_spaces(attribute(link, "href"));
    }
  }
  std::string title;
  if (facts.title) title = inline_text(facts.title);
  if (title.empty() && facts.first_h1) title = inline_text(facts.first_h1);
  if (title.empty() && facts.first_h2) title = inline_text(facts.first_h2);
  doc.title = cap_title(to_nfc(title));
}

ExtractOutcome extract_html(const FileInput& input, std::string_view format) {
  if (input.bytes.empty()) return ExtractOutcome::failed(ExtractFailure::NoText, "empty file");
  DecodedText decoded = decode_to_utf8(input.bytes, declared_html_charset(input.bytes));
  if (looks_binary(decoded.utf8)) {
    return ExtractOutcome::failed(ExtractFailure::Unsupported, "binary content");
  }
  if (decoded.utf8.size() > static_cast<std::size_t>(INT_MAX)) {
    return ExtractOutcome::failed(ExtractFailure::TooLarge, "HTML larger than 2 GiB");
  }
  init_libxml_once();
  // Already UTF-8: IGNORE_ENC stops libxml2 from re-decoding when it meets
  // the page's own <meta charset=windows-1252>.
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                      HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC;
  DocPtr tree(htmlReadMemory(decoded.utf8.data(), static_cast<int>(decoded.utf8.size()), nullptr,
                             "UTF-8", options),
              &xmlFreeDoc);
  if (!tree) return ExtractOutcome::failed(ExtractFailure::Corrupt, "libxml2 built no HTML tree");
  const xmlNode* root = xmlDocGetRootElement(tree.get());
  if (!root) return ExtractOutcome::failed(ExtractFailure::NoText, "no element in the page");

  PageFacts facts;
  collect_facts(root, facts);
  LineWriter writer;
  write_text(facts.body ? facts.body : root, writer, {});
  std::string body = to_nfc(writer.take());
  if (is_blank(body)) {
    return ExtractOutcome::failed(ExtractFailure::NoText, "no text in the page body");
  }

  ExtractOutcome outcome;
  SourceDocument doc;
  doc.id = input.relative_path;
  doc.source_path = input.relative_path;
  doc.format = std::string(format);
  apply_head(facts, doc);
  finish_text_document(std::move(doc), std::move(body), decoded, input.limits, outcome);
  return outcome;
}

}  // namespace

std::string declared_html_charset(std::string_view head) {
  const std::string lowered = ascii_lower(head.substr(0, kCharsetPrescanBytes));
  if (lowered.starts_with("<?xml")) {
    const std::size_t prolog_end = lowered.find("?>");
    const std::size_t encoding = lowered.find("encoding");
    if (encoding != std::string::npos && encoding < prolog_end) {
      std::string value = value_after(lowered, encoding + 8);
      if (!value.empty()) return value;
    }
  }
  for (std::size_t meta = lowered.find("<meta"); meta != std::string::npos;
       meta = lowered.find("<meta", meta + 5)) {
    const std::size_t end = std::min(lowered.find('>', meta), lowered.size());
    const std::string_view tag = std::string_view(lowered).substr(meta, end - meta);
    const std::size_t charset = tag.find("charset");
    if (charset == std::string_view::npos) continue;
    std::string value = value_after(tag, charset + 7);
    if (!value.empty()) return value;
  }
  return {};
}

ExtractOutcome HtmlExtractor::extract_file(const FileInput& input) const {
  return extract_html(input, format());
}

}  // namespace vigie
