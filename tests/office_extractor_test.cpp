#include "extractors/office_extractor.h"

#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "vigie/text_normalization.h"

namespace {

using vigie::ExtractFailure;
using vigie::ExtractOutcome;
using vigie::FileInput;
using vigie::OfficeExtractor;
using vigie::SourceDocument;

struct Entry {
  std::string name;
  std::string content;
  bool store = false;  // ODF wants `mimetype` stored, first
};

std::string make_zip(const std::vector<Entry>& entries) {
  std::ostringstream out(std::ios::binary);
  Poco::Zip::Compress compress(out, true);
  for (const auto& entry : entries) {
    std::istringstream in(entry.content);
    compress.addFile(
        in, Poco::DateTime(), Poco::Path(entry.name, Poco::Path::PATH_UNIX),
        entry.store ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE);
  }
  compress.close();
  return out.str();
}

ExtractOutcome run(const std::string& bytes, vigie::ExtractLimits limits = {}) {
  return OfficeExtractor{}.extract(FileInput{"docs/fichier", bytes, limits});
}

std::string extra(const SourceDocument& doc, const std::string& key) {
  for (const auto& [k, v] : doc.extra)
    if (k == key) return v;
  return "<absent>";
}

const std::string kOdfNs = R"(xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
                           R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" )"
                           R"(xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" )"
                           R"(xmlns:dc="http://purl.org/dc/elements/1.1/")";

std::string odt_content(const std::string& inner, const std::string& prolog = "") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>)" + prolog + "<office:document-content " +
         kOdfNs + "><office:body><office:text>" + inner +
         "</office:text></office:body></office:document-content>";
}

std::string make_odt(const std::string& content, const std::string& meta = "",
                     const std::string& mime = "application/vnd.oasis.opendocument.text") {
  std::vector<Entry> entries = {{"mimetype", mime, true}, {"content.xml", content}};
  if (!meta.empty()) entries.push_back({"meta.xml", meta});
  return make_zip(entries);
}

const std::string kWordNs =
    R"(xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main")";

std::string make_docx(const std::string& body, const std::string& core = "",
                      const std::string& custom = "") {
  std::vector<Entry> entries = {
      {"[Content_Types].xml",
       R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
      {"word/document.xml",
       "<w:document " + kWordNs + "><w:body>" + body + "</w:body></w:document>"}};
  if (!core.empty()) entries.push_back({"docProps/core.xml", core});
  if (!custom.empty()) entries.push_back({"docProps/custom.xml", custom});
  return make_zip(entries);
}

const std::string kOdtBody =
    R"(<text:tracked-changes><text:changed-region><text:deletion><text:p>texte effacé</text:p>)"
    R"(</text:deletion></text:changed-region></text:tracked-changes>)"
    R"(<text:p>Avant-propos</text:p>)"
    R"(<text:h text:outline-level="1">Profession de foi</text:h>)"
    R"(<text:p>Élections municipales<text:tab/>2020<text:s text:c="3"/>fin</text:p>)"
    R"(<text:list><text:list-item><text:p>Premier point</text:p></text:list-item>)"
    R"(<text:list-item><text:p>Second<text:line-break/>point</text:p></text:list-item></text:list>)"
    R"(<text:p>Texte <office:annotation><text:p>commentaire caché</text:p></office:annotation>visible</text:p>)"
    "<text:p>Caf\x65\xCC\x81 \xEF\x83\x98 puce</text:p>";  // e + combining acute; U+F0D8

const std::string kOdtMeta =
    R"(<?xml version="1.0" encoding="UTF-8"?><office:document-meta )" + kOdfNs + "><office:meta>" +
    R"(<dc:title>Programme 2020</dc:title><dc:creator>Marie Curie</dc:creator>)"
    R"(<meta:creation-date>2019-12-01T10:00:00</meta:creation-date><dc:date>2020-01-05T08:00:00.12</dc:date>)"
    R"(<meta:keyword>élections</meta:keyword><meta:keyword>programme</meta:keyword>)"
    R"(<meta:user-defined meta:name="date" meta:value-type="date">2020-02-03</meta:user-defined>)"
    R"(<meta:user-defined meta:name="Commune">Chéméré</meta:user-defined>)"
    "</office:meta></office:document-meta>";

}  // namespace

TEST_CASE("Office: ODT text, structure and metadata") {
  const auto outcome = run(make_odt(odt_content(kOdtBody), kOdtMeta));
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 1);
  const auto& doc = outcome.documents[0];
  CHECK(doc.id == "docs/fichier");
  CHECK(doc.source_path == "docs/fichier");
  CHECK(doc.format == "odt");
  CHECK(doc.body ==
        "Avant-propos\nProfession de foi\nÉlections municipales\t2020   fin\nPremier "
        "point\nSecond\npoint\n"
        "Texte visible\nCafé  puce");
  CHECK(doc.title == "Programme 2020");
  CHECK(doc.date.iso() == "2020-02-03");  // the custom property named "date"
  CHECK(extra(doc, "date_creation_fichier") == "2019-12-01");
  CHECK(extra(doc, "date_modification_fichier") == "2020-01-05");
  CHECK(extra(doc, "auteur_fichier") == "Marie Curie");
  CHECK(extra(doc, "mots_cles") == "élections; programme");
  CHECK(extra(doc, "commune") == "Chéméré");
  CHECK(outcome.warnings.empty());
}

TEST_CASE(
    "Office: without metadata the title is the first heading, file dates never become doc.date") {
  const std::string meta =
      R"(<office:document-meta )" + kOdfNs +
      "><office:meta><meta:creation-date>2019-12-01T10:00:00</meta:creation-date>"
      "</office:meta></office:document-meta>";
  auto outcome = run(make_odt(odt_content(kOdtBody), meta));
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].title == "Profession de foi");
  CHECK_FALSE(outcome.documents[0].date.known());
  CHECK(extra(outcome.documents[0], "date_creation_fichier") == "2019-12-01");

  outcome = run(make_odt(odt_content("<text:p>  </text:p><text:p>Seul paragraphe</text:p>")));
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].title == "Seul paragraphe");
}

TEST_CASE("Office: DOCX runs, tabs, breaks; field codes and deletions left out") {
  const std::string body =
      R"(<w:p><w:r><w:t>Chéméré, le 3 mars</w:t></w:r></w:p>)"
      R"(<w:p><w:pPr><w:pStyle w:val="Titre1"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>)"
      R"(<w:r><w:t>Communiqué de presse</w:t></w:r></w:p>)"
      R"(<w:p><w:r><w:t xml:space="preserve">La mairie </w:t></w:r><w:r><w:t>annonce</w:t><w:tab/><w:t>ceci</w:t>)"
      R"(<w:br/><w:t>suite</w:t></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>)"
      R"(<w:del><w:r><w:delText>supprimé</w:delText></w:r></w:del></w:p>)";
  auto outcome = run(make_docx(body));
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].format == "docx");
  CHECK(outcome.documents[0].body ==
        "Chéméré, le 3 mars\nCommuniqué de presse\nLa mairie annonce\tceci\nsuite");
  CHECK(outcome.documents[0].title == "Communiqué de presse");

  const std::string core =
      R"(<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" )"
      R"(xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" )"
      R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Communiqué du 3 mars</dc:title>)"
      R"(<dc:creator>Service communication</dc:creator>)"
      R"(<dcterms:created xsi:type="dcterms:W3CDTF">2023-03-02T09:00:00Z</dcterms:created></cp:coreProperties>)";
  const std::string custom =
      R"(<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" )"
      R"(xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">)"
      R"(<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Date"><vt:lpwstr>2023-03-03</vt:lpwstr></property>)"
      R"(<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="Service"><vt:lpwstr>Com</vt:lpwstr></property>)"
      R"(</Properties>)";
  outcome = run(make_docx(body, core));
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].title == "Communiqué du 3 mars");
  CHECK(extra(outcome.documents[0], "auteur_fichier") == "Service communication");
  CHECK(extra(outcome.documents[0], "date_creation_fichier") == "2023-03-02");
  CHECK_FALSE(outcome.documents[0].date.known());

  outcome = run(make_docx(body, core, custom));
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].date.iso() == "2023-03-03");
  CHECK(extra(outcome.documents[0], "service") == "Com");
}

TEST_CASE("Office: broken, foreign and empty files are reported, not thrown") {
  const std::string odt = make_odt(odt_content("<text:p>Bonjour</text:p>"));
  const std::string manifest_encrypted =
      R"(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">)"
      R"(<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>)"
      R"(</manifest:manifest>)";
  struct Row {
    std::string name;
    std::string bytes;
    ExtractFailure failure;
    std::string reason_part;
  };
  const std::vector<Row> rows = {
      {"empty", "", ExtractFailure::Corrupt, "not a zip"},
      {"garbage after PK", "PK\x03\x04 this is not a zip at all", ExtractFailure::Corrupt,
       "invalid zip"},
      {"truncated zip", odt.substr(0, odt.size() / 2), ExtractFailure::Corrupt, ""},
      {"OLE2", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'),
       ExtractFailure::Unsupported, "OLE2"},
      {"plain zip", make_zip({{"readme.txt", "hello"}}), ExtractFailure::Unsupported,
       "neither ODT nor DOCX"},
      {"spreadsheet",
       make_odt(odt_content(""), "", "application/vnd.oasis.opendocument.spreadsheet"),
       ExtractFailure::Unsupported, "spreadsheet"},
      {"no content.xml", make_zip({{"mimetype", "application/vnd.oasis.opendocument.text", true}}),
       ExtractFailure::Corrupt, "without content.xml"},
      {"bad XML", make_docx("<w:p><w:r><w:t>unclosed"), ExtractFailure::Corrupt,
       "word/document.xml"},
      {"no text", make_odt(odt_content("<text:p> </text:p>")), ExtractFailure::NoText, "no text"},
      {"encrypted",
       make_zip({{"mimetype", "application/vnd.oasis.opendocument.text", true},
                 {"META-INF/manifest.xml", manifest_encrypted},
                 {"content.xml", "\x01\x02 ciphertext"}}),
       ExtractFailure::Encrypted, "password"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    const auto outcome = run(row.bytes);
    REQUIRE(outcome.failure);
    CHECK(*outcome.failure == row.failure);
    CHECK(outcome.reason.find(row.reason_part) != std::string::npos);
    CHECK(outcome.documents.empty());
  }
}

TEST_CASE("Office: billion laughs and external entities are refused quickly") {
  std::string laughs = "<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">";
  for (int i = 1; i <= 20; ++i)
    laughs += "<!ENTITY lol" + std::to_string(i) + " \"" + std::string("&lol") +
              std::to_string(i - 1) + ";" + "&lol" + std::to_string(i - 1) + ";&lol" +
              std::to_string(i - 1) + ";&lol" + std::to_string(i - 1) + ";\">";
  laughs += "]>";
  const auto started = std::chrono::steady_clock::now();
  auto outcome =
      run(make_odt(odt_content("<text:p>&lol20;</text:p>", laughs)));  // 4^20 × 3 bytes if expanded
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(outcome.failure);
  CHECK(*outcome.failure == ExtractFailure::Corrupt);
  CHECK(outcome.reason.find("DTD") != std::string::npos);
  CHECK(elapsed < std::chrono::seconds(2));

  const std::string xxe = R"(<!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>)";
  outcome = run(make_odt(odt_content("<text:p>a&secret;b</text:p>", xxe)));
  REQUIRE(outcome.failure);
  CHECK(outcome.reason.find("DTD") != std::string::npos);

  // In meta.xml a DTD costs the metadata, not the document.
  const std::string meta =
      "<?xml version=\"1.0\"?>" + laughs + "<office:document-meta " + kOdfNs +
      "><office:meta><dc:title>&lol20;</dc:title></office:meta></office:document-meta>";
  outcome = run(make_odt(odt_content("<text:p>Texte</text:p>"), meta));
  REQUIRE_FALSE(outcome.failure);
  CHECK(outcome.documents[0].title == "Texte");
  REQUIRE(outcome.warnings.size() == 1);
  CHECK(outcome.warnings[0].find("meta.xml declares a DTD") != std::string::npos);
}

TEST_CASE("Office: zip bombs are refused from the directory before inflating") {
  // 16 MB of spaces deflate ~1000x: over the default ratio of 200.
  const std::string spaces = odt_content("<text:p>" + std::string(16u << 20, ' ') + "x</text:p>");
  auto outcome = run(make_odt(spaces));
  REQUIRE(outcome.failure);
  CHECK(*outcome.failure == ExtractFailure::TooLarge);
  CHECK(outcome.reason.find("expands") != std::string::npos);

  // Honest but over the total size limit.
  std::string varied;
  for (int i = 0; varied.size() < 200000; ++i)
    varied += "<text:p>Paragraphe " + std::to_string(i * 7919) + "</text:p>";
  vigie::ExtractLimits small;
  small.max_unzipped_bytes = 100000;
  outcome = run(make_odt(odt_content(varied)), small);
  REQUIRE(outcome.failure);
  CHECK(*outcome.failure == ExtractFailure::TooLarge);
  CHECK(outcome.reason.find("declares") != std::string::npos);
  // Same file, default limits: fine.
  CHECK_FALSE(run(make_odt(odt_content(varied))).failure);
}

TEST_CASE("Office: a header that understates the size is caught while inflating") {
  std::string varied;
  for (int i = 0; varied.size() < 200000; ++i)
    varied += "<text:p>Paragraphe " + std::to_string(i * 7919) + "</text:p>";
  std::string zip = make_odt(odt_content(varied));
  // Rewrite content.xml's uncompressed size to 100 bytes in the local header
  // (offset 22) and the central directory (offset 24).
  const auto patch = [&zip](std::string_view signature, std::size_t size_offset,
                            std::size_t name_offset) {
    int patched = 0;
    for (auto at = zip.find(signature); at != std::string::npos; at = zip.find(signature, at + 1)) {
      if (zip.compare(at + name_offset, 11, "content.xml") != 0) continue;
      const std::uint32_t fake = 100;
      for (int b = 0; b < 4; ++b)
        zip[at + size_offset + static_cast<std::size_t>(b)] =
            static_cast<char>((fake >> (8 * b)) & 0xFF);
      ++patched;
    }
    return patched;
  };
  REQUIRE(patch("PK\x03\x04", 22, 30) == 1);
  REQUIRE(patch("PK\x01\x02", 24, 46) == 1);
  vigie::ExtractLimits small;
  small.max_unzipped_bytes = 100000;
  const auto outcome = run(zip, small);
  REQUIRE(outcome.failure);
  CHECK(*outcome.failure == ExtractFailure::TooLarge);
  CHECK(outcome.reason.find("inflates past") != std::string::npos);
}

TEST_CASE("Office: text is capped at max_text_bytes") {
  std::string paragraphs;
  for (int i = 0; i < 100; ++i)
    paragraphs += "<text:p>Ligne numéro " + std::to_string(i) + "</text:p>";
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 51;
  const auto outcome = run(make_odt(odt_content(paragraphs)), limits);
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].body.size() <= 51);
  CHECK(vigie::is_valid_utf8(outcome.documents[0].body));
  REQUIRE(outcome.warnings.size() == 1);
  CHECK(outcome.warnings[0].find("text cut") != std::string::npos);
}
