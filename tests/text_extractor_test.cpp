// TextExtractor: plain text in any encoding → one document, or a clear failure.
#include "extractors/text_extractor.h"

#include <doctest/doctest.h>

#include <string>

#include "vigie/text_normalization.h"

using namespace std::string_literals;

namespace {

vigie::ExtractOutcome extract_text(const std::string& bytes, vigie::ExtractLimits limits = {}) {
  vigie::TextExtractor extractor;
  return extractor.extract({"notes/séance.txt", bytes, limits});
}

}  // namespace

TEST_CASE("text files in various encodings give the same title and body") {
  struct Case {
    std::string name;
    std::string bytes;
  };
  const std::string expected_title = "Séance du conseil municipal";
  const Case cases[] = {
      {"UTF-8", "Séance du conseil municipal\nL’ordre du jour est adopté."},
      {"UTF-8 with BOM and CRLF",
       "\xEF\xBB\xBFSéance du conseil municipal\r\nL’ordre du jour est adopté."},
      {"windows-1252",
       "S\xE9"
       "ance du conseil municipal\nL\x92ordre du jour est adopt\xE9."s},
      {"UTF-16LE with BOM",
       "\xFF\xFES\0\xE9\0a\0n\0c\0e\0 \0d\0u\0 \0c\0o\0n\0s\0e\0i\0l\0 "
       "\0m\0u\0n\0i\0c\0i\0p\0a\0l\0"
       "\n\0L\0\x19\x20o\0r\0d\0r\0e\0 \0d\0u\0 \0j\0o\0u\0r\0 \0e\0s\0t\0 \0a\0d\0o\0p\0t\0\xE9\0.\0"s},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    vigie::ExtractOutcome outcome = extract_text(c.bytes);
    REQUIRE_FALSE(outcome.failure.has_value());
    REQUIRE(outcome.documents.size() == 1);
    const vigie::SourceDocument& doc = outcome.documents[0];
    CHECK(doc.title == expected_title);
    CHECK(doc.body == "Séance du conseil municipal\nL’ordre du jour est adopté.");
    CHECK(doc.id == "notes/séance.txt");
    CHECK(doc.source_path == "notes/séance.txt");
    CHECK(doc.format == "text");
  }
}

TEST_CASE("the title is the first non-blank line, trimmed and capped") {
  vigie::ExtractOutcome outcome = extract_text("\n   \n\t  Arrêté   municipal n° 2012-3  \nCorps");
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].title == "Arrêté municipal n° 2012-3");

  std::string long_line;
  for (int i = 0; i < 60; ++i) long_line += "délibéré ";
  outcome = extract_text(long_line + "\nsuite");
  REQUIRE(outcome.documents.size() == 1);
  const std::string& title = outcome.documents[0].title;
  CHECK(title.ends_with("délibéré…"));  // cut on a word boundary
  CHECK(title.size() < long_line.size());
  CHECK(vigie::is_valid_utf8(title));
}

TEST_CASE("empty, blank and binary files are reported, not indexed") {
  struct Case {
    std::string name;
    std::string bytes;
    vigie::ExtractFailure failure;
  };
  std::string png = "\x89PNG\r\n\x1A\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0"s;
  for (int i = 0; i < 20; ++i) png += "\0\x10\x7F\x02\x03\x90\xFF"s;
  const Case cases[] = {
      {"0 bytes", "", vigie::ExtractFailure::NoText},
      {"spaces and newlines", " \n\t\r\n  \n", vigie::ExtractFailure::NoText},
      {"non-breaking spaces only", "\xC2\xA0\xE2\x80\xAF\n", vigie::ExtractFailure::NoText},
      {"PNG header", png, vigie::ExtractFailure::Unsupported},
      {"NUL-filled", std::string(512, '\0') + "text", vigie::ExtractFailure::Unsupported},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    vigie::ExtractOutcome outcome = extract_text(c.bytes);
    REQUIRE(outcome.failure.has_value());
    CHECK(*outcome.failure == c.failure);
    CHECK(outcome.documents.empty());
    CHECK_FALSE(outcome.reason.empty());
  }
  CHECK(extract_text(png).reason == "binary content");
}

TEST_CASE("a stray control character does not make a text binary") {
  vigie::ExtractOutcome outcome = extract_text("Compte rendu\x0C\nPage 2\x1A"s);
  REQUIRE_FALSE(outcome.failure.has_value());
  CHECK(outcome.documents[0].body == "Compte rendu\x0C\nPage 2");
}

TEST_CASE("max_text_bytes cuts on a UTF-8 boundary and warns") {
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 10;
  vigie::ExtractOutcome outcome = extract_text("Délibérée à l’unanimité", limits);
  REQUIRE(outcome.documents.size() == 1);
  const std::string& body = outcome.documents[0].body;
  CHECK(body.size() <= 10);
  CHECK(vigie::is_valid_utf8(body));
  CHECK(body == "Délibér");  // "é" at bytes 9–10 would not fit whole
  REQUIRE(outcome.warnings.size() == 1);
  CHECK(outcome.warnings[0].find("cut") != std::string::npos);
}

TEST_CASE("decomposed accents come out NFC") {
  vigie::ExtractOutcome outcome = extract_text(
      "Se\xCC\x81"
      "ance");
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].body == "Séance");
}
