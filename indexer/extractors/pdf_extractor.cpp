#include "extractors/pdf_extractor.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <climits>
#include <cmath>
#include <ctime>
#include <cwctype>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "extractors/extract_support.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

constexpr std::string_view kPageSeparator = "\n\f\n";

// poppler reports every recoverable oddity of a PDF on stderr; in a batch of
// thousands of files that noise hides the indexer's own logs. Installing the
// handler is global state, so it is done once.
void silence_poppler_once() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::string to_std_string(const poppler::ustring& text) {
  const poppler::byte_array bytes = text.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

// Typographic ligatures (ﬁ ﬂ ﬀ ﬃ ﬄ ﬅ ﬆ) survive NFC; searching "financement"
// must still find "ﬁnancement", so they are spelled out. '\r' line ends
// become '\n'.
std::string clean_page_text(std::string_view utf8) {
  static constexpr std::string_view kLigatures[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  std::string out;
  out.reserve(utf8.size());
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    // U+FB00..U+FB06 are EF AC 80..86 in UTF-8.
    if (utf8.compare(i, 2, "\xEF\xAC") == 0 && i + 2 < utf8.size()) {
      const auto last = static_cast<unsigned char>(utf8[i + 2]);
      if (last >= 0x80 && last <= 0x86) {
        out += kLigatures[last - 0x80];
        i += 2;
        continue;
      }
    }
    if (utf8[i] == '\r') {
      if (i + 1 < utf8.size() && utf8[i + 1] == '\n') continue;
      out.push_back('\n');
      continue;
    }
    out.push_back(utf8[i]);
  }
  return out;
}

bool has_visible_text(std::string_view utf8) { return !is_blank(utf8); }

// A complete PDF ends with "%%EOF" (possibly followed by a few bytes of
// padding); its absence is the clearest sign of a truncated download.
bool looks_truncated(std::string_view bytes) {
  const std::size_t tail = bytes.size() > 1024 ? bytes.size() - 1024 : 0;
  return bytes.find("%%EOF", tail) == std::string_view::npos;
}

// "Microsoft Word - CM 19 mai 2015.doc" → "CM 19 mai 2015": printer drivers
// put the application and file name in the title.
std::string clean_pdf_title(std::string title) {
  static constexpr std::string_view kPrefixes[] = {"Microsoft Word - ", "Microsoft PowerPoint - ",
                                                   "Microsoft Excel - "};
  for (std::string_view prefix : kPrefixes) {
    if (title.starts_with(prefix)) title.erase(0, prefix.size());
  }
  static constexpr std::string_view kExtensions[] = {".docx", ".doc", ".odt", ".rtf", ".pdf"};
  for (std::string_view extension : kExtensions) {
    if (title.size() > extension.size() && fold(title).ends_with(extension)) {
      title.resize(title.size() - extension.size());
      break;
    }
  }
  return cap_title(title);
}

std::string iso_utc(std::time_t when) {
  std::tm parts{};
  if (!gmtime_r(&when, &parts)) return {};
  char buffer[32];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return std::string(buffer, length);
}

void read_document_info(const poppler::document& pdf, SourceDocument& doc) {
  doc.title = clean_pdf_title(to_nfc(to_std_string(pdf.get_title())));
  const std::string author = to_nfc(collapse_spaces(to_std_string(pdf.get_author())));
  if (!author.empty()) doc.extra.emplace_back("auteur", author);
  const std::time_t created = pdf.get_creation_date_t();
  if (created > 0) {
    const std::string iso = iso_utc(created);
    if (!iso.empty()) doc.extra.emplace_back("pdf_creation_date", iso);
  }
}

// The first page's heading: its words in the largest type, when that type
// is clearly larger than the text's. The Chémeré minutes set « CONSEIL
// MUNICIPAL SÉANCE DU 10 JUILLET 2012 » in 16 pt over 12 pt text (48 of
// 80 PDFs); in the others the tallest glyphs are bullets or the whole page
// is one size (« • •.Convention » in CM 13 octobre 2009): hence 1.25× the
// height most words have, and two words of two letters or more. A heading
// is at the top: in « CM 19 octobre 2010 » the tallest words are a bold
// sentence mid-page (« Le compte-rendu est adopté à l’unanimité… »), so
// they must all be in the page's top third. Boxes without a letter or a
// digit (bullets) are not counted. The size read is each word's box
// height: poppler-cpp gives font sizes too (text_list_include_font), but asking for them makes
// fontconfig leak a configuration per process, which fails every sanitizer
// run of the indexer.
constexpr double kHeadingScale = 1.25;
constexpr std::size_t kMaxHeadingWords = 30;  // more is a poster or a cover, not a heading

bool has_two_letters(const std::string& utf8) {
  int letters = 0;
  for (char c : utf8) letters += (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  return letters >= 2;
}

bool has_alnum(const poppler::ustring& text) {
  for (auto c : text)
    if (std::iswalnum(static_cast<wint_t>(c))) return true;
  return false;
}

std::string first_page_heading(const poppler::document& pdf) {
  std::unique_ptr<poppler::page> page(pdf.create_page(0));
  if (!page) return {};
  std::vector<poppler::text_box> words = page->text_list();
  std::erase_if(words, [](const poppler::text_box& word) { return !has_alnum(word.text()); });
  const double top_third = page->page_rect().height() / 3;
  std::map<long, std::size_t> words_by_height;  // in 1/100 pt
  double tallest = 0;
  for (const auto& word : words) {
    const double height = word.bbox().height();
    ++words_by_height[std::lround(height * 100)];
    tallest = std::max(tallest, height);
  }
  long body_height = 0;
  std::size_t most = 0;
  for (const auto& [height, count] : words_by_height) {
    if (count > most) most = count, body_height = height;
  }
  if (body_height <= 0 || tallest * 100 < kHeadingScale * static_cast<double>(body_height))
    return {};
  std::string heading;
  std::size_t count = 0, words_with_letters = 0;
  for (const auto& word : words) {
    if (word.bbox().height() < tallest * 0.95) continue;
    if (++count > kMaxHeadingWords || word.bbox().top() > top_third) return {};
    const std::string text = to_std_string(word.text());
    words_with_letters += has_two_letters(text);
    if (!heading.empty()) heading += ' ';
    heading += text;
  }
  if (words_with_letters < 2) return {};
  return cap_title(to_nfc(make_valid_utf8(heading)));
}

struct PageText {
  std::string text;
  bool cut = false;
};

// Raw (content stream) order reads the Chémeré minutes best: the physical
// layout interleaves the two columns of the session header line by line, and
// poppler's "non raw, non physical" mode drops the hyphen of words split at
// a line end ("Jean-\nPaul" → "JeanPaul"), which breaks French compound
// names. Word and LibreOffice write text in reading order, so raw order
// keeps each column and each table row together.
PageText read_pages(const poppler::document& pdf, std::uint64_t max_bytes) {
  PageText result;
  const int pages = pdf.pages();
  for (int index = 0; index < pages; ++index) {
    std::unique_ptr<poppler::page> page(pdf.create_page(index));
    if (!page) continue;
    const std::string text = clean_page_text(
        to_std_string(page->text(poppler::rectf(), poppler::page::raw_order_layout)));
    if (index > 0) result.text += kPageSeparator;
    // poppler ends every line with '\n' and each page with '\f'.
    result.text.append(text, 0, text.find_last_not_of(" \t\n\f") + 1);
    if (result.text.size() > max_bytes) {
      result.cut = true;
      break;
    }
  }
  return result;
}

ExtractOutcome extract_pdf(const FileInput& input, std::string_view format) {
  // Some producers put junk before the header; readers accept it within 1 KiB.
  if (input.bytes.substr(0, 1024 + 5).find("%PDF-") == std::string_view::npos) {
    return ExtractOutcome::failed(ExtractFailure::Corrupt, "no %PDF- header in the first 1 KiB");
  }
  if (input.bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return ExtractOutcome::failed(ExtractFailure::TooLarge, "PDF larger than 2 GiB");
  }
  silence_poppler_once();
  // poppler reads the caller's bytes in place: input.bytes outlives `pdf`.
  std::unique_ptr<poppler::document> pdf(poppler::document::load_from_raw_data(
      input.bytes.data(), static_cast<int>(input.bytes.size())));
  const bool truncated = looks_truncated(input.bytes);
  if (!pdf) {
    return ExtractOutcome::failed(ExtractFailure::Corrupt,
                                  truncated ? "poppler could not open the PDF (truncated: no %%EOF)"
                                            : "poppler could not open the PDF");
  }
  if (pdf->is_locked()) {
    return ExtractOutcome::failed(ExtractFailure::Encrypted, "PDF needs a password");
  }
  const int pages = pdf->pages();
  if (pages <= 0) return ExtractOutcome::failed(ExtractFailure::Corrupt, "PDF has no pages");
  if (pages > input.limits.max_pdf_pages) {
    return ExtractOutcome::failed(ExtractFailure::TooLarge,
                                  std::to_string(pages) +
                                      " pages, more than limits.max_pdf_pages (" +
                                      std::to_string(input.limits.max_pdf_pages) + ")");
  }

  PageText read = read_pages(*pdf, input.limits.max_text_bytes);
  std::string body = to_nfc(make_valid_utf8(read.text));
  if (!has_visible_text(body)) {
    // A truncated file whose page content is missing is corrupt, not a scan.
    if (truncated)
      return ExtractOutcome::failed(ExtractFailure::Corrupt, "truncated PDF (no %%EOF)");
    return ExtractOutcome::failed(ExtractFailure::NoText, "no text layer");
  }

  ExtractOutcome outcome;
  if (cut_utf8(body, input.limits.max_text_bytes)) {
    outcome.warnings.push_back(text_cut_warning(input.limits.max_text_bytes));
  }
  if (truncated) outcome.warnings.push_back("PDF looks truncated (no %%EOF); text may be partial");
  SourceDocument doc;
  doc.id = input.relative_path;
  doc.source_path = input.relative_path;
  doc.format = std::string(format);
  read_document_info(*pdf, doc);
  // The heading a reader sees beats the document properties, which the
  // printer driver filled with a file name (« CM 12 décembre 2012 »).
  if (std::string heading = first_page_heading(*pdf); !heading.empty())
    doc.title = std::move(heading);
  if (doc.title.empty()) doc.title = first_line_title(body);
  doc.body = std::move(body);
  outcome.documents.push_back(std::move(doc));
  return outcome;
}

}  // namespace

ExtractOutcome PdfExtractor::extract_file(const FileInput& input) const {
  return extract_pdf(input, format());
}

}  // namespace vigie
