// PdfExtractor: text in reading order, metadata kept apart from the session
// date, and a clear failure for every kind of bad PDF. The PDFs are built
// here, byte by byte (with a correct xref table), so each test says exactly
// what it feeds poppler.
#include "extractors/pdf_extractor.h"

#include <doctest/doctest.h>
#include <poppler-document.h>
#include <poppler-page.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "test_support.h"
#include "vigie/text_normalization.h"

using namespace std::string_literals;

namespace {

// ------------------------------------------------------------ MD5 and RC4
// Just enough of both for the standard security handler (revision 2) to
// build a genuinely encrypted PDF (RFC 1321; RC4 as in PDF 1.7 §7.6.2).

std::array<std::uint8_t, 16> md5(const std::string& message) {
  static constexpr std::uint32_t kShift[64] = {
      7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 7,  12, 17, 22, 5,  9,  14, 20, 5,  9,
      14, 20, 5,  9,  14, 20, 5,  9,  14, 20, 4,  11, 16, 23, 4,  11, 16, 23, 4,  11, 16, 23,
      4,  11, 16, 23, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21, 6,  10, 15, 21};
  static constexpr std::uint32_t kTable[64] = {
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
      0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
      0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
      0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
      0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
      0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
      0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
      0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
      0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
      0xeb86d391};
  std::string data = message;
  const std::uint64_t bit_length = static_cast<std::uint64_t>(message.size()) * 8;
  data.push_back(static_cast<char>(0x80));
  while (data.size() % 64 != 56) data.push_back('\0');
  for (int i = 0; i < 8; ++i) data.push_back(static_cast<char>((bit_length >> (8 * i)) & 0xFF));
  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  for (std::size_t chunk = 0; chunk < data.size(); chunk += 64) {
    std::uint32_t w[16];
    for (int i = 0; i < 16; ++i) {
      w[i] = 0;
      for (int b = 0; b < 4; ++b) {
        w[i] |= static_cast<std::uint32_t>(static_cast<std::uint8_t>(data[chunk + 4 * i + b]))
                << (8 * b);
      }
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    for (std::uint32_t i = 0; i < 64; ++i) {
      std::uint32_t f, g;
      if (i < 16) {
        f = (b & c) | (~b & d), g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d, g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d), g = (7 * i) % 16;
      }
      const std::uint32_t rotated = a + f + kTable[i] + w[g];
      a = d, d = c, c = b;
      b += (rotated << kShift[i]) | (rotated >> (32 - kShift[i]));
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d;
  }
  std::array<std::uint8_t, 16> digest{};
  for (int i = 0; i < 16; ++i) digest[i] = static_cast<std::uint8_t>(h[i / 4] >> (8 * (i % 4)));
  return digest;
}

std::string rc4(const std::string& key, const std::string& data) {
  std::uint8_t s[256];
  for (int i = 0; i < 256; ++i) s[i] = static_cast<std::uint8_t>(i);
  for (int i = 0, j = 0; i < 256; ++i) {
    j = (j + s[i] + static_cast<std::uint8_t>(key[i % key.size()])) & 0xFF;
    std::swap(s[i], s[j]);
  }
  std::string out = data;
  for (std::size_t n = 0, i = 0, j = 0; n < out.size(); ++n) {
    i = (i + 1) & 0xFF;
    j = (j + s[i]) & 0xFF;
    std::swap(s[i], s[j]);
    out[n] = static_cast<char>(out[n] ^ s[(s[i] + s[j]) & 0xFF]);
  }
  return out;
}

std::string bytes_of(const std::array<std::uint8_t, 16>& digest, std::size_t length = 16) {
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string hex(const std::string& bytes) {
  std::string out;
  char buffer[3];
  for (char c : bytes) {
    std::snprintf(buffer, sizeof buffer, "%02X",
                  static_cast<unsigned>(static_cast<std::uint8_t>(c)));
    out += buffer;
  }
  return out;
}

// Standard security handler, revision 2 (40-bit RC4), PDF 1.7 algorithms 2-5.
struct Rc4Security {
  std::string file_key;  // 5 bytes
  std::string encrypt_dictionary;
  std::string file_id;

  Rc4Security(const std::string& user_password, const std::string& owner_password) {
    static const std::string kPad =
        "\x28\xBF\x4E\x5E\x4E\x75\x8A\x41\x64\x00\x4E\x56\xFF\xFA\x01\x08"
        "\x2E\x2E\x00\xB6\xD0\x68\x3E\x80\x2F\x0C\xA9\xFE\x64\x53\x69\x7A"s;
    auto padded = [&](const std::string& password) { return (password + kPad).substr(0, 32); };
    file_id = "VigieTestFileId!";
    const std::string owner_key = bytes_of(md5(padded(owner_password)), 5);
    const std::string o = rc4(owner_key, padded(user_password));
    const std::int32_t permissions = -44;
    std::string p(4, '\0');
    for (int i = 0; i < 4; ++i)
      p[i] = static_cast<char>((static_cast<std::uint32_t>(permissions) >> (8 * i)) & 0xFF);
    file_key = bytes_of(md5(padded(user_password) + o + p + file_id), 5);
    const std::string u = rc4(file_key, kPad);
    encrypt_dictionary = "<< /Filter /Standard /V 1 /R 2 /O <" + hex(o) + "> /U <" + hex(u) +
                         "> /P " + std::to_string(permissions) + " >>";
  }

  std::string encrypt(int object_number, const std::string& data) const {
    std::string key = file_key;
    key.push_back(static_cast<char>(object_number & 0xFF));
    key.push_back(static_cast<char>((object_number >> 8) & 0xFF));
    key.push_back(static_cast<char>((object_number >> 16) & 0xFF));
    key += "\0\0"s;  // generation 0
    return rc4(bytes_of(md5(key), 10), data);
  }
};

// ------------------------------------------------------------ PDF builder

// Text drawn with Helvetica in WinAnsiEncoding: each line a Tj, lines 16 pt
// apart. Non-ASCII must be written as PDF octal escapes (\351 = é).
std::string text_content(const std::vector<std::string>& lines) {
  std::string content = "BT /F1 12 Tf 72 760 Td ";
  for (const std::string& line : lines) content += "(" + line + ") Tj 0 -16 Td ";
  return content + "ET";
}

// A gray rectangle and an inline 2×2 image: ink on the page, no text.
const std::string kImageOnlyContent =
    "q 0.5 g 72 600 200 100 re f Q q 100 0 0 100 300 600 cm "
    "BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xFF\xFF\x00 EI Q"s;

struct PdfOptions {
  std::string info;                       // Info dictionary body, "" = none
  const Rc4Security* security = nullptr;  // encrypt streams when set
  std::string font_encoding = "/WinAnsiEncoding";
};

// One page per content stream; objects: 1 catalog, 2 pages, 3 font, then
// (page, content) pairs, then Info and Encrypt. The xref offsets are exact.
std::string build_pdf(const std::vector<std::string>& page_contents,
                      const PdfOptions& options = {}) {
  std::vector<std::string> objects;
  const int page_count = static_cast<int>(page_contents.size());
  std::string kids;
  for (int i = 0; i < page_count; ++i) kids += std::to_string(4 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_count) +
                    " >>");
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding " +
                    options.font_encoding + " >>");
  for (int i = 0; i < page_count; ++i) {
    const int content_number = 5 + 2 * i;
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> "
        ">> /Contents " +
        std::to_string(content_number) + " 0 R >>");
    std::string stream = page_contents[i];
    if (options.security) stream = options.security->encrypt(content_number, stream);
    objects.push_back("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
                      "\nendstream");
  }
  std::string trailer_extra;
  if (!options.info.empty()) {
    objects.push_back("<< " + options.info + " >>");
    trailer_extra += " /Info " + std::to_string(objects.size()) + " 0 R";
  }
  if (options.security) {
    objects.push_back(options.security->encrypt_dictionary);
    trailer_extra += " /Encrypt " + std::to_string(objects.size()) + " 0 R /ID [<" +
                     hex(options.security->file_id) + "> <" + hex(options.security->file_id) + ">]";
  }
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R" +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

const std::vector<std::string> kSessionLines = {"CONSEIL MUNICIPAL",
                                                "S\\351ance du 12 d\\351cembre 2012",
                                                "Le Conseil Municipal de la Commune de CHEMERE"};

vigie::ExtractOutcome extract_pdf(const std::string& bytes, vigie::ExtractLimits limits = {}) {
  vigie::PdfExtractor extractor;
  return extractor.extract({"chemere/pdf/CM test.pdf", bytes, limits});
}

vigie::SourceDocument only_document(const vigie::ExtractOutcome& outcome) {
  CAPTURE(outcome.reason);
  REQUIRE_FALSE(outcome.failure.has_value());
  REQUIRE(outcome.documents.size() == 1);
  return outcome.documents[0];
}

std::string extra_value(const vigie::SourceDocument& doc, const std::string& key) {
  for (const auto& [k, v] : doc.extra) {
    if (k == key) return v;
  }
  return {};
}

}  // namespace

TEST_CASE("a hand-built PDF gives its text, pages separated by form feeds") {
  const std::string pdf = build_pdf({text_content(kSessionLines), text_content({"Page deux"})});
  const vigie::SourceDocument doc = only_document(extract_pdf(pdf));
  CHECK(
      doc.body ==
      "CONSEIL MUNICIPAL\nSéance du 12 décembre 2012\nLe Conseil Municipal de la Commune de CHEMERE"
      "\n\f\nPage deux");
  CHECK(doc.title == "CONSEIL MUNICIPAL");  // no Info title: first line
  CHECK(doc.format == "pdf");
  CHECK(doc.id == "chemere/pdf/CM test.pdf");
  CHECK(doc.source_path == "chemere/pdf/CM test.pdf");
  CHECK(vigie::to_nfc(doc.body) == doc.body);
}

TEST_CASE("document info: title cleaned, author and creation date kept out of the session fields") {
  PdfOptions options;
  options.info =
      "/Title (Microsoft Word - CM 19 mai 2015.doc) /Author (station2) "
      "/CreationDate (D:20150527103000Z)";
  const vigie::SourceDocument doc =
      only_document(extract_pdf(build_pdf({text_content(kSessionLines)}, options)));
  CHECK(doc.title == "CM 19 mai 2015");
  CHECK(extra_value(doc, "auteur") == "station2");
  CHECK(extra_value(doc, "pdf_creation_date") == "2015-05-27T10:30:00Z");
  CHECK_FALSE(doc.date.known());  // printing day ≠ session day
  CHECK(doc.persons.empty());
}

TEST_CASE("typographic ligatures are spelled out") {
  // WinAnsi has no ﬁ: a Differences array maps code 1 to the /fi glyph,
  // which poppler reports as U+FB01.
  PdfOptions options;
  options.font_encoding = "<< /BaseEncoding /WinAnsiEncoding /Differences [1 /fi] >>";
  const std::string pdf = build_pdf({text_content({"\\001nancement"})}, options);
  const vigie::SourceDocument doc = only_document(extract_pdf(pdf));
  CHECK(doc.body == "financement");
}

TEST_CASE("bad PDFs fail with the right reason") {
  const std::string good = build_pdf({text_content(kSessionLines)});
  struct Case {
    std::string name;
    std::string bytes;
    vigie::ExtractFailure failure;
    std::string reason_part;
  };
  std::string garbage = "%PDF-1.4\n";
  for (int i = 0; i < 400; ++i) garbage.push_back(static_cast<char>((i * 37 + 11) % 256));
  const Case cases[] = {
      {"truncated copy", good.substr(0, good.size() / 2), vigie::ExtractFailure::Corrupt,
       "truncated"},
      {"garbage after a header", garbage, vigie::ExtractFailure::Corrupt, "poppler"},
      {"no header at all", "Bonjour, ceci n'est pas un PDF", vigie::ExtractFailure::Corrupt,
       "%PDF-"},
      {"empty file", "", vigie::ExtractFailure::Corrupt, "%PDF-"},
      {"image-only page", build_pdf({kImageOnlyContent}), vigie::ExtractFailure::NoText,
       "no text layer"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    vigie::ExtractOutcome outcome = extract_pdf(c.bytes);
    REQUIRE(outcome.failure.has_value());
    CHECK(*outcome.failure == c.failure);
    CHECK(outcome.reason.find(c.reason_part) != std::string::npos);
    CHECK(outcome.documents.empty());
  }
}

TEST_CASE("a password-protected PDF is reported as encrypted") {
  const Rc4Security security("secret", "owner");
  PdfOptions options;
  options.security = &security;
  const std::string pdf = build_pdf({text_content(kSessionLines)}, options);

  vigie::ExtractOutcome outcome = extract_pdf(pdf);
  REQUIRE(outcome.failure.has_value());
  CHECK(*outcome.failure == vigie::ExtractFailure::Encrypted);

  // The fixture is genuinely encrypted: the right password opens it and
  // gives the text back.
  std::unique_ptr<poppler::document> opened(poppler::document::load_from_raw_data(
      pdf.data(), static_cast<int>(pdf.size()), "", "secret"));
  REQUIRE(opened);
  CHECK_FALSE(opened->is_locked());
  CHECK(opened->is_encrypted());
  std::unique_ptr<poppler::page> page(opened->create_page(0));
  REQUIRE(page);
  const poppler::byte_array text = page->text().to_utf8();
  CHECK(std::string(text.begin(), text.end()).find("CONSEIL MUNICIPAL") != std::string::npos);
}

TEST_CASE("an owner-password-only PDF (no user password) is read normally") {
  const Rc4Security security("", "owner");
  PdfOptions options;
  options.security = &security;
  const vigie::SourceDocument doc =
      only_document(extract_pdf(build_pdf({text_content(kSessionLines)}, options)));
  CHECK(doc.body.starts_with("CONSEIL MUNICIPAL\nSéance du 12 décembre 2012"));
}

TEST_CASE("limits: page count and text size") {
  const std::string three_pages =
      build_pdf({text_content({"un"}), text_content({"deux"}), text_content({"trois"})});
  vigie::ExtractLimits limits;
  limits.max_pdf_pages = 2;
  vigie::ExtractOutcome outcome = extract_pdf(three_pages, limits);
  REQUIRE(outcome.failure.has_value());
  CHECK(*outcome.failure == vigie::ExtractFailure::TooLarge);
  CHECK(outcome.reason.find("3 pages") != std::string::npos);

  limits = {};
  limits.max_text_bytes = 20;
  outcome = extract_pdf(build_pdf({text_content(kSessionLines)}), limits);
  const vigie::SourceDocument doc = only_document(outcome);
  CHECK(doc.body.size() <= 20);
  CHECK(vigie::is_valid_utf8(doc.body));
  CHECK(doc.body == "CONSEIL MUNICIPAL\nS");
  REQUIRE(outcome.warnings.size() == 1);
  CHECK(outcome.warnings[0].find("cut") != std::string::npos);
}

TEST_CASE("a Chémeré session PDF reads in order, columns kept apart") {
  const auto path = vigie::test::shared_corpus() / "chemere" / "pdf" / "CM 12 décembre 2012.pdf";
  const vigie::SourceDocument doc = only_document(extract_pdf(vigie::test::read_file(path)));
  // The first page's heading (16 pt over 12 pt text), not the document
  // properties' « CM 12 décembre 2012 ».
  CHECK(doc.title == "CONSEIL MUNICIPAL SEANCE DU 12 DECEMBRE 2012");
  CHECK(extra_value(doc, "auteur") == "poste3");
  CHECK(extra_value(doc, "pdf_creation_date").starts_with("2012-12-20"));
  CHECK_FALSE(doc.date.known());
  CHECK(doc.body.find("CONSEIL MUNICIPAL\nSEANCE DU 12 DECEMBRE 2012") != std::string::npos);
  // Raw order keeps the right-hand column's sentence whole (the physical
  // layout would interleave "Présents : 12" into it).
  CHECK(
      doc.body.find("L'an deux mil douze, le douze décembre, à vingt\nheures, le Conseil Municipal "
                    "de la Commune de\nCHEMERE") != std::string::npos);
  CHECK(doc.body.find("Jean-\nPaul LERAY") != std::string::npos);  // hyphen kept
  CHECK(doc.body.find("\n\f\n") != std::string::npos);
}

TEST_CASE("every Chémeré PDF gives clean text") {
  const auto dir = vigie::test::shared_corpus() / "chemere" / "pdf";
  int files = 0, headings = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".pdf") continue;
    ++files;
    CAPTURE(entry.path().filename().string());
    const vigie::SourceDocument doc =
        only_document(extract_pdf(vigie::test::read_file(entry.path())));
    CHECK(doc.body.size() > 1000);
    CHECK(vigie::is_valid_utf8(doc.body));
    CHECK(vigie::to_nfc(doc.body) == doc.body);
    CHECK(vigie::fold(doc.body).find("conseil municipal") != std::string::npos);
    CHECK_FALSE(doc.title.empty());
    CHECK_FALSE(doc.date.known());
    // No symbol-font bullet (U+F0B7, U+F0D8…) is left to show as a box.
    CHECK(vigie::drop_private_use(doc.body) == doc.body);
    CHECK(vigie::drop_private_use(doc.title) == doc.title);
    // Titled from the first page's heading, or else from the document info
    // (« CM 12 octobre 2011 », « COMPTE-RENDU »: the metadata rules name
    // both after the session), never from a line of the text.
    const bool heading = doc.title.starts_with("CONSEIL MUNICIPAL") ||
                         doc.title.starts_with("COMPTE-RENDU CONSEIL MUNICIPAL");
    headings += heading;
    if (!heading) CHECK((doc.title.starts_with("CM ") || doc.title == "COMPTE-RENDU"));
  }
  CHECK(files == 80);
  CHECK(headings == 48);  // counted on the first pages with a separate poppler script
}

TEST_CASE("a heading in a larger font on the first page is the title") {
  const std::string heading =
      "BT /F1 18 Tf 72 760 Td (CONSEIL MUNICIPAL) Tj 0 -24 Td "
      "(SEANCE DU 12 DECEMBRE 2012) Tj ET "
      "BT /F1 12 Tf 72 600 Td (Le Conseil Municipal de la Commune) Tj "
      "0 -16 Td (de CHEMERE, convoque le 5 decembre 2012) Tj ET";
  PdfOptions options;
  options.info = "/Title (Microsoft Word - CM 12.doc)";
  CHECK(only_document(extract_pdf(build_pdf({heading}, options))).title ==
        "CONSEIL MUNICIPAL SEANCE DU 12 DECEMBRE 2012");
  // One size throughout: no heading, the document properties' title.
  CHECK(only_document(extract_pdf(build_pdf({text_content(kSessionLines)}, options))).title ==
        "CM 12");
  // A single larger word (a drop cap, a bullet) is not a heading.
  const std::string drop_cap = "BT /F1 30 Tf 72 760 Td (L) Tj ET " + text_content(kSessionLines);
  CHECK(only_document(extract_pdf(build_pdf({drop_cap}, options))).title == "CM 12");
}

TEST_CASE("a real multi-page PDF: each page's text is on that page of the body") {
  const auto path = vigie::test::shared_corpus() / "chemere" / "pdf" / "CM 12 décembre 2012.pdf";
  const std::string bytes = vigie::test::read_file(path);
  const vigie::SourceDocument doc = only_document(extract_pdf(bytes));
  std::unique_ptr<poppler::document> pdf(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  REQUIRE(pdf);
  REQUIRE(pdf->pages() == 9);
  CHECK(std::count(doc.body.begin(), doc.body.end(), vigie::kPageBreak) == 8);
  std::size_t from = 0;
  for (int index = 0; index < pdf->pages(); ++index) {
    CAPTURE(index);
    std::unique_ptr<poppler::page> page(pdf->create_page(index));
    const auto utf8 = page->text(poppler::rectf(), poppler::page::raw_order_layout).to_utf8();
    const std::string text(utf8.begin(), utf8.end());
    // The page's longest line: distinctive enough to be found once, in order.
    std::string longest;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t end = text.find('\n', at);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(at, end - at);
      if (line.size() > longest.size() && line.find('\r') == std::string::npos &&
          line.find('\f') == std::string::npos && vigie::drop_private_use(line) == line)
        longest = line;
      at = end + 1;
    }
    REQUIRE(longest.size() > 20);
    const std::size_t found = doc.body.find(vigie::to_nfc(longest), from);
    REQUIRE(found != std::string::npos);
    CHECK(vigie::page_at(doc, found) == index + 1);
    from = found;
  }
  CHECK(vigie::page_at(doc, 0) == 1);
  CHECK(vigie::page_at(doc, doc.body.size()) == 9);
  vigie::SourceDocument html = doc;
  html.format = "html";
  CHECK(vigie::page_at(html, doc.body.size()) == 0);  // form feeds of other formats are not pages
}

TEST_CASE("extract() gives the same result from several threads at once") {
  const auto dir = vigie::test::shared_corpus() / "chemere" / "pdf";
  std::vector<std::string> files;
  for (const char* name :
       {"CM 12 décembre 2012.pdf", "CM 22 janvier 2008.pdf", "CM 19 mai 2015.pdf"}) {
    files.push_back(vigie::test::read_file(dir / name));
  }
  files.push_back(build_pdf({text_content(kSessionLines)}));
  std::vector<std::string> expected;
  for (const std::string& bytes : files) expected.push_back(only_document(extract_pdf(bytes)).body);

  const vigie::PdfExtractor extractor;  // one shared instance, as in the pipeline
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        for (std::size_t i = 0; i < files.size(); ++i) {
          const std::size_t pick = (i + static_cast<std::size_t>(t)) % files.size();
          vigie::ExtractOutcome outcome = extractor.extract({"x.pdf", files[pick], {}});
          if (outcome.failure || outcome.documents.size() != 1 ||
              outcome.documents[0].body != expected[pick]) {
            ++mismatches[static_cast<std::size_t>(t)];
          }
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}
