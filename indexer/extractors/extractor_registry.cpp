// choose_extractor: content sniffing first (binary signatures do not lie about
// the format, extensions sometimes do), then the extension.
#include <algorithm>
#include <cctype>
#include <string>

#include "extractors/extractor.h"
#include "extractors/html_extractor.h"
#include "extractors/json_minutes_extractor.h"
#include "extractors/markdown_extractor.h"
#include "extractors/office_extractor.h"
#include "extractors/pdf_extractor.h"
#include "extractors/scdl_csv_extractor.h"
#include "extractors/text_extractor.h"
#include "extractors/word_doc_extractor.h"

namespace vigie {
namespace {

std::string extension_of(std::string_view path) {
  auto slash = path.rfind('/');
  std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  auto dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return {};
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

bool looks_like_html(std::string_view head) {
  std::string start = lower_ascii(head.substr(0, 1024));
  return start.find("<!doctype html") != std::string::npos ||
         start.find("<html") != std::string::npos;
}

}  // namespace

const Extractor* choose_extractor(std::string_view relative_path, std::string_view head) {
  static const PdfExtractor pdf;
  static const OfficeExtractor office;
  static const WordDocExtractor word;
  static const JsonMinutesExtractor json;
  static const ScdlCsvExtractor csv;
  static const MarkdownExtractor markdown;
  static const HtmlExtractor html;
  static const TextExtractor text;

  // The PDF header may follow up to 1 KB of junk (PDF 1.7, annex H).
  if (head.substr(0, 1024).find("%PDF-") != std::string_view::npos) return &pdf;
  if (head.starts_with("PK\x03\x04")) return &office;      // it tells ODT from DOCX, or refuses
  if (head.starts_with("\xD0\xCF\x11\xE0")) return &word;  // OLE2 compound file (.doc)

  const std::string ext = extension_of(relative_path);
  if (ext == "pdf") return &pdf;  // not a PDF header: the extractor reports it corrupt
  if (ext == "odt" || ext == "docx") return &office;
  if (ext == "doc") return &word;
  if (ext == "json") return &json;
  if (ext == "csv") return &csv;
  if (ext == "md" || ext == "markdown") return &markdown;
  if (ext == "html" || ext == "htm" || ext == "xhtml") return &html;
  if (ext == "txt" || ext == "text") return &text;
  if (ext.empty() && JsonMinutesExtractor::looks_like(head)) return &json;
  if (ext.empty() && looks_like_html(head)) return &html;
  return nullptr;
}

}  // namespace vigie
