// decode_to_utf8: every byte string becomes valid NFC UTF-8, with the legacy
// encodings French documents really come in.
#include "vigie/text_decoding.h"

#include <doctest/doctest.h>

#include <random>
#include <string>

#include "vigie/text_normalization.h"

using namespace std::string_literals;

namespace {

struct DecodingCase {
  std::string name;
  std::string bytes;
  std::string declared;
  std::string expected_utf8;
  std::string expected_charset;
  bool expected_detected;
};

// Windows-1252 French sample: é (E9), ’ (92), – (96), œ (9C), € (80), « » (AB BB).
const std::string kCp1252Sample =
    "D\xE9lib\xE9ration du conseil municipal \x96 l\x92\xE9t\xE9 des \x9C"
    "uvres co\xFBte 12 \x80, \xAB d\xE9"
    "cid\xE9 \xBB \xE0 l\x92unanimit\xE9."s;
const std::string kCp1252SampleUtf8 =
    "Délibération du conseil municipal – l’été des œuvres coûte 12 €, « décidé » à l’unanimité.";

std::string utf16le(std::string_view ascii) {
  std::string out;
  for (char c : ascii) {
    out.push_back(c);
    out.push_back('\0');
  }
  return out;
}

}  // namespace

TEST_CASE("decode_to_utf8 picks the right charset and converts") {
  const DecodingCase cases[] = {
      {"ascii is UTF-8", "Conseil municipal", "", "Conseil municipal", "UTF-8", false},
      {"empty input", "", "", "", "UTF-8", false},
      {"UTF-8 BOM is removed", "\xEF\xBB\xBF\xC3\xA9t\xC3\xA9", "", "été", "UTF-8", false},
      {"UTF-8 NFD becomes NFC", "e\xCC\x81t\xC3\xA9", "", "\xC3\xA9t\xC3\xA9", "UTF-8", false},
      {"valid UTF-8 wins over a Latin-1 label", "\xC3\xA9t\xC3\xA9", "iso-8859-1", "été", "UTF-8",
       false},
      {"undeclared windows-1252 is detected", kCp1252Sample, "", kCp1252SampleUtf8, "windows-1252",
       true},
      {"declared ISO-8859-1 is read as windows-1252", "l\x92\xE9t\xE9 \x96 \xE9t\xE9", "ISO-8859-1",
       "l’été – été", "windows-1252", false},
      {"declared ISO-8859-15 gives œ and €", "c\xBDur \xE0 10 \xA4", "iso-8859-15", "cœur à 10 €",
       "iso-8859-15", false},
      {"Latin-9 is recognised from œ between letters",
       "Le c\xBDur de la ville \xE9tait \xE0 10 \xA4", "", "Le cœur de la ville était à 10 €",
       "ISO-8859-15", true},
      {"a UTF-8 label on Latin bytes is not trusted", kCp1252Sample, "utf-8", kCp1252SampleUtf8,
       "windows-1252", true},
      {"an unknown label falls back to detection", kCp1252Sample, "x-no-such-charset",
       kCp1252SampleUtf8, "windows-1252", true},
      {"quoted label is accepted", "l\x92\xE9t\xE9", "\"windows-1252\"", "l’été", "windows-1252",
       false},
      {"UTF-16LE BOM", "\xFF\xFE"s + utf16le("Vote: 12") + "\xE9\x00"s, "", "Vote: 12é", "UTF-16LE",
       false},
      {"UTF-16BE BOM", "\xFE\xFF\x00\x41\x00\xE9"s, "", "Aé", "UTF-16BE", false},
      {"declared UTF-16LE without BOM", utf16le("Conseil"), "UTF-16LE", "Conseil", "UTF-16LE",
       false},
  };
  for (const DecodingCase& c : cases) {
    CAPTURE(c.name);
    vigie::DecodedText decoded = vigie::decode_to_utf8(c.bytes, c.declared);
    CHECK(decoded.utf8 == c.expected_utf8);
    CHECK(decoded.charset == c.expected_charset);
    CHECK(decoded.detected == c.expected_detected);
    CHECK_FALSE(decoded.replaced_invalid);
  }
}

TEST_CASE("undeclared UTF-16 without BOM is detected, not taken as UTF-8 with NULs") {
  const std::string text =
      "Le conseil municipal s'est r\xE9uni en s\xE9"
      "ance ordinaire le douze d\xE9"
      "cembre.";
  std::string bytes;
  for (char c : text) {
    bytes.push_back(c);
    bytes.push_back('\0');
  }
  vigie::DecodedText decoded = vigie::decode_to_utf8(bytes);
  CHECK(decoded.charset == "UTF-16LE");
  CHECK(decoded.detected);
  CHECK(decoded.utf8 == "Le conseil municipal s'est réuni en séance ordinaire le douze décembre.");
}

TEST_CASE("mostly UTF-8 text keeps its accents and marks the damaged byte") {
  // One stray windows-1252 apostrophe inside otherwise UTF-8 text.
  const std::string bytes =
      "Délibération n° 2012/80 : l\x92"
      "école, été, séance"s;
  vigie::DecodedText decoded = vigie::decode_to_utf8(bytes);
  CHECK(decoded.charset == "UTF-8");
  CHECK(decoded.replaced_invalid);
  CHECK(decoded.utf8 ==
        "Délibération n° 2012/80 : l\xEF\xBF\xBD"
        "école, été, séance");
}

TEST_CASE("truncated UTF-16 input is decoded with a replacement character") {
  vigie::DecodedText decoded = vigie::decode_to_utf8("\xFF\xFE\x41\x00\x42"s);
  CHECK(decoded.charset == "UTF-16LE");
  CHECK(decoded.replaced_invalid);
  CHECK(vigie::is_valid_utf8(decoded.utf8));
  CHECK(decoded.utf8.starts_with("A"));
}

TEST_CASE("random bytes always come out as valid NFC UTF-8") {
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> size(0, 300);
  const char* labels[] = {"", "utf-8", "iso-8859-1", "shift_jis", "utf-16", "bogus", "UTF-32BE"};
  for (int round = 0; round < 400; ++round) {
    std::string bytes(static_cast<std::size_t>(size(random)), '\0');
    for (char& c : bytes) c = static_cast<char>(byte(random));
    const char* label = labels[round % std::size(labels)];
    CAPTURE(round);
    CAPTURE(label);
    vigie::DecodedText decoded = vigie::decode_to_utf8(bytes, label);
    REQUIRE(vigie::is_valid_utf8(decoded.utf8));
    CHECK(vigie::to_nfc(decoded.utf8) == decoded.utf8);
    CHECK_FALSE(decoded.charset.empty());
  }
}
