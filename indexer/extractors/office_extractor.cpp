#include "extractors/office_extractor.h"

#include <Poco/Exception.h>
#include <Poco/MemoryStream.h>
#include <Poco/SAX/Attributes.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXParser.h>
#include <Poco/SAX/XMLReader.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipLocalFileHeader.h>
#include <Poco/Zip/ZipStream.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "extractors/extract_support.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxMetaValueBytes = 1000;
// Below this size an entry's expansion ratio says nothing (a 20 KB run of
// spaces legitimately deflates 500×); bombs are big by definition.
constexpr std::uint64_t kRatioFloorBytes = 1 << 20;

const std::string kOdtMime = "application/vnd.oasis.opendocument.text";

// ---------------------------------------------------------------- text ----

// ----------------------------------------------------------------- zip ----

using Poco::Zip::ZipArchive;
using Poco::Zip::ZipLocalFileHeader;

std::optional<ExtractError> check_declared_sizes(const ZipArchive& archive,
                                                 const ExtractLimits& limits) {
  std::uint64_t total_uncompressed = 0, total_compressed = 0;
  for (auto it = archive.headerBegin(); it != archive.headerEnd(); ++it) {
    const ZipLocalFileHeader& header = it->second;
    if (header.isEncrypted())
      return ExtractError{ExtractFailure::Encrypted, "zip entry '" + it->first + "' is encrypted"};
    const std::uint64_t uncompressed = header.getUncompressedSize();
    const std::uint64_t compressed = header.getCompressedSize();
    total_uncompressed += uncompressed;
    total_compressed += compressed;
    if (uncompressed > kRatioFloorBytes &&
        static_cast<double>(uncompressed) >
            limits.max_zip_ratio * static_cast<double>(std::max<std::uint64_t>(compressed, 1)))
      return ExtractError{
          ExtractFailure::TooLarge,
          "zip entry '" + it->first + "' expands " +
              std::to_string(uncompressed / std::max<std::uint64_t>(compressed, 1)) + "x (limit " +
              std::to_string(limits.max_zip_ratio) + ")"};
  }
  if (total_uncompressed > limits.max_unzipped_bytes)
    return ExtractError{ExtractFailure::TooLarge,
                        "zip declares " + std::to_string(total_uncompressed) +
                            " uncompressed bytes (limit " +
                            std::to_string(limits.max_unzipped_bytes) + ")"};
  if (total_uncompressed > kRatioFloorBytes &&
      static_cast<double>(total_uncompressed) >
          limits.max_zip_ratio * static_cast<double>(std::max<std::uint64_t>(total_compressed, 1)))
    return ExtractError{ExtractFailure::TooLarge,
                        "zip expands more than " + std::to_string(limits.max_zip_ratio) + "x"};
  return std::nullopt;
}

// Poco's ZipArchive allocates, then copies, a Zip64 end-of-central-directory
// record's extensible data with the 64-bit size the record declares, before
// reading a byte of it: 40 bytes can ask for exabytes (bad_alloc) or for
// gigabytes it then really touches (the indexer is OOM-killed). A record
// whose declared size runs past the end of the file cannot be parsed anyway:
// refuse it before Poco sees it. (Found by fuzz_office; the signature
// inside compressed data could trip this too, about once per 4 GB scanned.)
std::optional<ExtractError> impossible_zip64_record(std::string_view bytes) {
  static constexpr std::string_view kZip64EndRecord("PK\x06\x06", 4);
  for (auto at = bytes.find(kZip64EndRecord); at != std::string_view::npos;
       at = bytes.find(kZip64EndRecord, at + 1)) {
    const std::size_t after_size = at + 12;  // signature + 8-byte record size
    if (after_size > bytes.size())
      return ExtractError{ExtractFailure::Corrupt, "zip64 end-of-directory record is truncated"};
    std::uint64_t declared = 0;
    for (int i = 7; i >= 0; --i)
      declared =
          (declared << 8) | static_cast<unsigned char>(bytes[at + 4 + static_cast<std::size_t>(i)]);
    if (declared > bytes.size() - after_size)
      return ExtractError{ExtractFailure::Corrupt, "zip64 end-of-directory record declares " +
                                                       std::to_string(declared) +
                                                       " bytes past the end of the file"};
  }
  return std::nullopt;
}

// Inflates entries while counting real bytes against one budget for the file.
class ZipReader {
 public:
  ZipReader(std::string_view bytes, std::uint64_t budget)
      : stream_(bytes.data(), static_cast<std::streamsize>(bytes.size())),
        archive_(stream_),
        budget_(budget) {}

  const ZipArchive& archive() const { return archive_; }
  bool has(const std::string& name) const {
    return archive_.findHeader(name) != archive_.headerEnd();
  }

  // nullopt when the entry does not exist. Throws ExtractError{TooLarge} when the
  // inflated bytes pass the remaining budget, whatever the header said.
  std::optional<std::string> read(const std::string& name) {
    const auto it = archive_.findHeader(name);
    if (it == archive_.headerEnd()) return std::nullopt;
    stream_.clear();
    Poco::Zip::ZipInputStream entry(stream_, it->second, true);
    std::string content;
    std::array<char, 64 * 1024> buffer{};
    while (entry) {
      entry.read(buffer.data(), buffer.size());
      const auto got = static_cast<std::uint64_t>(entry.gcount());
      if (got > budget_)
        throw ExtractError{ExtractFailure::TooLarge,
                           "zip entry '" + name + "' inflates past the " +
                               "max_unzipped_bytes limit (the header understated it)"};
      budget_ -= got;
      content.append(buffer.data(), static_cast<std::size_t>(got));
    }
    // istream swallows the streambuf's exceptions (bad CRC, truncated data)
    // into badbit.
    if (entry.bad())
      throw ExtractError{ExtractFailure::Corrupt,
                         "zip entry '" + name + "' is damaged (CRC or truncation)"};
    return content;
  }

 private:
  Poco::MemoryInputStream stream_;
  ZipArchive archive_;
  std::uint64_t budget_;
};

// ----------------------------------------------------------------- XML ----

namespace ns {
const std::string kText = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const std::string kOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const std::string kMeta = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0";
const std::string kDc = "http://purl.org/dc/elements/1.1/";
const std::string kDcTerms = "http://purl.org/dc/terms/";
const std::string kCoreProps =
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
const std::string kCustomProps =
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties";
const std::string kWord = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const std::string kWordStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main";
}  // namespace ns

void parse_xml(const std::string& xml, const std::string& entry_name,
               Poco::XML::ContentHandler& handler) {
  if (xml.find("<!DOCTYPE") != std::string::npos)
    throw ExtractError{
        ExtractFailure::Corrupt,
        entry_name + " declares a DTD (refused: entity expansion / external entities)"};
  Poco::XML::SAXParser parser;
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACE_PREFIXES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
  parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
  // Belt and braces behind the DTD refusal: expat's own amplification guard.
  parser.setProperty(Poco::XML::SAXParser::PROPERTY_BLA_MAXIMUM_AMPLIFICATION, "20.0");
  parser.setProperty(Poco::XML::SAXParser::PROPERTY_BLA_ACTIVATION_THRESHOLD, "1048576");
  parser.setContentHandler(&handler);
  parser.parseMemoryNP(xml.data(), xml.size());
}

// Paragraph text shared by the ODT and DOCX handlers: builds the body one
// paragraph per line, remembers the first heading and first paragraph, and
// stops growing at max_text_bytes.
class ParagraphCollector {
 public:
  explicit ParagraphCollector(std::uint64_t max_bytes) : max_bytes_(max_bytes) {}

  void append(std::string_view text) {
    if (!truncated_) paragraph_.append(text);
  }
  void end_paragraph(bool heading) {
    std::string line = paragraph_;
    paragraph_.clear();
    if (is_blank(line)) return;
    const std::string clean = clean_field(line);
    if (heading && first_heading_.empty()) first_heading_ = clean;
    if (first_paragraph_.empty()) first_paragraph_ = clean;
    if (truncated_) return;
    body_ += line;
    body_ += '\n';
    if (body_.size() > max_bytes_) truncated_ = true;
  }
  std::string& body() { return body_; }
  const std::string& first_heading() const { return first_heading_; }
  const std::string& first_paragraph() const { return first_paragraph_; }
  bool truncated() const { return truncated_; }

 private:
  std::uint64_t max_bytes_;
  std::string paragraph_, body_, first_heading_, first_paragraph_;
  bool truncated_ = false;
};

// ODT content.xml: text:p / text:h are paragraphs (headings for text:h),
// text:tab, text:s (text:c spaces), text:line-break inline; deleted text in
// text:tracked-changes, comments (office:annotation) and footnote marks are
// skipped.
class OdtBodyHandler : public Poco::XML::DefaultHandler {
 public:
  explicit OdtBodyHandler(ParagraphCollector& out) : out_(out) {}

  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                    const Poco::XML::XMLString&, const Poco::XML::Attributes& attributes) override {
    if (skip_depth_ > 0 || (uri == ns::kOffice && local == "annotation") ||
        (uri == ns::kText && (local == "tracked-changes" || local == "note-citation"))) {
      ++skip_depth_;
      return;
    }
    if (uri != ns::kText) return;
    if (local == "p" || local == "h") {
      if (paragraph_depth_ > 0) out_.end_paragraph(heading_);  // a note's paragraph inside ours
      ++paragraph_depth_;
      heading_ = local == "h";
    } else if (local == "list-item") {
      if (paragraph_depth_ > 0) out_.end_paragraph(heading_);
    } else if (local == "tab") {
      out_.append("\t");
    } else if (local == "line-break") {
      out_.append("\n");
    } else if (local == "s") {
      const std::string& count = attributes.getValue(ns::kText, "c");
      const int spaces = count.empty() ? 1 : std::clamp(std::atoi(count.c_str()), 1, 100);
      out_.append(std::string(static_cast<std::size_t>(spaces), ' '));
    }
  }
  void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                  const Poco::XML::XMLString&) override {
    if (skip_depth_ > 0) {
      --skip_depth_;
      return;
    }
    if (uri == ns::kText && (local == "p" || local == "h") && paragraph_depth_ > 0) {
      out_.end_paragraph(heading_);
      --paragraph_depth_;
      heading_ = false;
    }
  }
  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    if (skip_depth_ == 0 && paragraph_depth_ > 0)
      out_.append({ch + start, static_cast<std::size_t>(length)});
  }

 private:
  ParagraphCollector& out_;
  int skip_depth_ = 0;
  int paragraph_depth_ = 0;
  bool heading_ = false;
};

bool is_word_ns(const std::string& uri) { return uri == ns::kWord || uri == ns::kWordStrict; }

bool is_heading_style(std::string style) {
  for (auto& c : style) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return style.starts_with("heading") || style.starts_with("titre") || style.starts_with("title");
}

// DOCX word/document.xml: w:p paragraphs, text only inside w:t (field codes
// live in w:instrText, deletions in w:delText), w:tab / w:br / w:cr inside a
// run (a w:tab in w:pPr is a tab stop, not a character).
class DocxBodyHandler : public Poco::XML::DefaultHandler {
 public:
  explicit DocxBodyHandler(ParagraphCollector& out) : out_(out) {}

  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                    const Poco::XML::XMLString&, const Poco::XML::Attributes& attributes) override {
    if (!is_word_ns(uri)) return;
    if (local == "p") {
      heading_ = false;
    } else if (local == "r") {
      ++run_depth_;
    } else if (local == "t") {
      in_text_ = true;
    } else if (run_depth_ > 0 && local == "tab") {
      out_.append("\t");
    } else if (run_depth_ > 0 && (local == "br" || local == "cr")) {
      out_.append("\n");
    } else if (local == "pStyle") {
      heading_ = is_heading_style(attributes.getValue(uri, "val"));
    }
  }
  void endElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                  const Poco::XML::XMLString&) override {
    if (!is_word_ns(uri)) return;
    if (local == "p")
      out_.end_paragraph(heading_);
    else if (local == "r" && run_depth_ > 0)
      --run_depth_;
    else if (local == "t")
      in_text_ = false;
  }
  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    if (in_text_) out_.append({ch + start, static_cast<std::size_t>(length)});
  }

 private:
  ParagraphCollector& out_;
  int run_depth_ = 0;
  bool in_text_ = false;
  bool heading_ = false;
};

// meta.xml, docProps/core.xml and docProps/custom.xml: values keyed
// "dc:title", "meta:creation-date", "dcterms:created", "cp:keywords",
// "user:<name>" (ODT meta:user-defined and DOCX custom properties).
class MetadataHandler : public Poco::XML::DefaultHandler {
 public:
  std::multimap<std::string, std::string> values;

  void startElement(const Poco::XML::XMLString& uri, const Poco::XML::XMLString& local,
                    const Poco::XML::XMLString&, const Poco::XML::Attributes& attributes) override {
    if (!key_.empty()) {  // custom property values nest (vt:lpwstr)
      ++depth_;
      return;
    }
    if (uri == ns::kDc)
      key_ = "dc:" + local;
    else if (uri == ns::kDcTerms)
      key_ = "dcterms:" + local;
    else if (uri == ns::kCoreProps && local != "coreProperties")
      key_ = "cp:" + local;
    else if (uri == ns::kMeta && local == "user-defined")
      key_ = "user:" + attributes.getValue(ns::kMeta, "name");
    else if (uri == ns::kMeta)
      key_ = "meta:" + local;
    else if (uri == ns::kCustomProps && local == "property")
      key_ = "user:" + attributes.getValue("", "name");
    if (!key_.empty()) {
      depth_ = 0;
      text_.clear();
    }
  }
  void endElement(const Poco::XML::XMLString&, const Poco::XML::XMLString&,
                  const Poco::XML::XMLString&) override {
    if (key_.empty()) return;
    if (depth_ > 0) {
      --depth_;
      return;
    }
    std::string value = clean_field(text_);
    cut_utf8(value, kMaxMetaValueBytes);
    if (!value.empty()) values.emplace(lower(key_), std::move(value));
    key_.clear();
  }
  void characters(const Poco::XML::XMLChar ch[], int start, int length) override {
    if (!key_.empty() && text_.size() < kMaxMetaValueBytes * 4)
      text_.append(ch + start, static_cast<std::size_t>(length));
  }

 private:
  std::string key_, text_;
  int depth_ = 0;
};

// ------------------------------------------------------------ assembly ----

enum class OfficeKind { Odt, Docx };

using Metadata = std::multimap<std::string, std::string>;

std::optional<OfficeKind> detect_kind(ZipReader& zip) {
  if (zip.has("mimetype")) {
    const std::string mime = collapse_spaces(zip.read("mimetype").value_or(""));
    if (mime == kOdtMime || mime == kOdtMime + "-template") return OfficeKind::Odt;
    if (mime.starts_with("application/vnd.oasis.opendocument."))
      throw ExtractError{ExtractFailure::Unsupported,
                         "OpenDocument of type '" + mime + "' is not a text document"};
  }
  if (zip.has("[Content_Types].xml") && zip.has("word/document.xml")) return OfficeKind::Docx;
  return std::nullopt;
}

std::string require_entry(ZipReader& zip, const std::string& name, std::string_view kind) {
  auto content = zip.read(name);
  if (!content) throw ExtractError{ExtractFailure::Corrupt, std::string(kind) + " without " + name};
  return std::move(*content);
}

void parse_body(const std::string& xml, const std::string& name,
                Poco::XML::ContentHandler& handler) {
  try {
    parse_xml(xml, name, handler);
  } catch (const Poco::Exception& error) {
    throw ExtractError{ExtractFailure::Corrupt, name + ": " + error.displayText()};
  }
}

// Metadata is a bonus: a broken meta.xml costs a warning, not the document.
void parse_metadata(ZipReader& zip, const std::string& name, Metadata& values,
                    std::vector<std::string>& warnings) {
  const auto xml = zip.read(name);
  if (!xml) return;
  MetadataHandler handler;
  try {
    parse_xml(*xml, name, handler);
  } catch (const ExtractError& refused) {  // a DTD
    warnings.push_back(std::string(refused.what()) + "; metadata ignored");
    return;
  } catch (const Poco::Exception& error) {
    warnings.push_back(name + ": " + error.displayText() + "; metadata ignored");
    return;
  }
  values.merge(handler.values);
}

std::string first_value(const Metadata& meta, std::initializer_list<std::string_view> keys) {
  for (auto key : keys) {
    const auto it = meta.find(std::string(key));
    if (it != meta.end()) return it->second;
  }
  return {};
}

// "2010-06-22T10:11:12Z" → "2010-06-22"; anything else kept as written.
std::string file_date(const std::string& value) {
  const auto date = Date::parse(std::string_view(value).substr(0, 10));
  return date ? date->iso() : value;
}

void apply_metadata(const Metadata& meta, SourceDocument& doc) {
  const auto put = [&doc](std::string key, std::string value) {
    if (!value.empty()) doc.extra.emplace_back(std::move(key), std::move(value));
  };
  const std::string created = first_value(meta, {"meta:creation-date", "dcterms:created"});
  const std::string modified = first_value(meta, {"dc:date", "dcterms:modified"});
  if (!created.empty()) put("date_creation_fichier", file_date(created));
  if (!modified.empty()) put("date_modification_fichier", file_date(modified));
  put("auteur_fichier", first_value(meta, {"dc:creator", "meta:initial-creator"}));
  put("sujet", first_value(meta, {"dc:subject"}));
  put("description", first_value(meta, {"dc:description"}));
  std::string keywords;
  for (const auto& [key, value] : meta) {
    if (key != "meta:keyword" && key != "cp:keywords") continue;
    keywords += (keywords.empty() ? "" : "; ") + value;
  }
  put("mots_cles", keywords);
  for (const auto& [key, value] : meta) {
    if (!key.starts_with("user:") || key.size() == 5) continue;
    const std::string name = key.substr(5);
    // A property the author named "date" is the document's date, by intent.
    if (name == "date") {
      if (const auto date = Date::parse(std::string_view(value).substr(0, 10));
          date && !doc.date.known()) {
        doc.date = *date;
        continue;
      }
    }
    put(name, value);
  }
}

std::string finish_body(ParagraphCollector& text, const ExtractLimits& limits,
                        const std::string& path, std::vector<std::string>& warnings) {
  std::string body = to_nfc(strip_invisible(text.body(), true));
  while (!body.empty() && body.back() == '\n') body.pop_back();
  if (cut_utf8(body, limits.max_text_bytes) || text.truncated())
    warnings.push_back(path + ": text cut at " + std::to_string(limits.max_text_bytes) + " bytes");
  return body;
}

ExtractOutcome extract_office(const FileInput& input) {
  const std::string_view bytes = input.bytes;
  if (bytes.starts_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
    throw ExtractError{ExtractFailure::Unsupported,
                       "OLE2 compound file, not a zip (legacy .doc, or a password-protected DOCX)"};
  if (!bytes.starts_with("PK")) throw ExtractError{ExtractFailure::Corrupt, "not a zip archive"};
  if (auto failure = impossible_zip64_record(bytes)) throw *failure;
  std::optional<ZipReader> zip;
  try {
    zip.emplace(bytes, input.limits.max_unzipped_bytes);
  } catch (const Poco::Exception& error) {
    throw ExtractError{ExtractFailure::Corrupt, "invalid zip archive: " + error.displayText()};
  }
  if (auto failure = check_declared_sizes(zip->archive(), input.limits)) throw *failure;
  const auto kind = detect_kind(*zip);
  if (!kind) throw ExtractError{ExtractFailure::Unsupported, "zip archive is neither ODT nor DOCX"};

  ExtractOutcome outcome;
  ParagraphCollector text(input.limits.max_text_bytes);
  Metadata meta;
  if (*kind == OfficeKind::Odt) {
    const auto manifest = zip->read("META-INF/manifest.xml");
    if (manifest && manifest->find("encryption-data") != std::string::npos)
      throw ExtractError{ExtractFailure::Encrypted, "ODT is password-protected"};
    OdtBodyHandler handler(text);
    parse_body(require_entry(*zip, "content.xml", "ODT"), "content.xml", handler);
    parse_metadata(*zip, "meta.xml", meta, outcome.warnings);
  } else {
    DocxBodyHandler handler(text);
    parse_body(require_entry(*zip, "word/document.xml", "DOCX"), "word/document.xml", handler);
    parse_metadata(*zip, "docProps/core.xml", meta, outcome.warnings);
    parse_metadata(*zip, "docProps/custom.xml", meta, outcome.warnings);
  }

  SourceDocument doc;
  doc.id = input.relative_path;
  doc.source_path = input.relative_path;
  doc.format = *kind == OfficeKind::Odt ? "odt" : "docx";
  doc.body = finish_body(text, input.limits, input.relative_path, outcome.warnings);
  if (doc.body.empty())
    throw ExtractError{ExtractFailure::NoText, doc.format + " document has no text"};
  doc.title = first_value(meta, {"dc:title"});
  if (doc.title.empty()) doc.title = text.first_heading();
  if (doc.title.empty()) doc.title = text.first_paragraph();
  cut_utf8(doc.title, kMaxTitleBytes);
  apply_metadata(meta, doc);
  outcome.documents.push_back(std::move(doc));
  return outcome;
}

}  // namespace

ExtractOutcome OfficeExtractor::extract_file(const FileInput& input) const {
  return extract_office(input);
}

}  // namespace vigie
