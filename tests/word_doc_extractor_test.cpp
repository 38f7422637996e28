#include "extractors/word_doc_extractor.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "test_support.h"
#include "vigie/text_normalization.h"

// The real antiword is not installed on the build machine: the process
// plumbing is tested with small shell scripts standing in for it, and the
// test against the real program is skipped (doctest reports it) when
// `antiword` is not on PATH.

namespace {

using vigie::ExtractFailure;
using vigie::ExtractOutcome;
using vigie::FileInput;
using vigie::WordDocExtractor;

const std::string kOle2("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);

// A fake antiword: a /bin/sh script with the given body, made executable.
std::string fake_antiword(const vigie::test::ScratchDir& dir, const std::string& name,
                          const std::string& body) {
  const auto path = dir.path() / name;
  vigie::test::write_file(path, "#!/bin/sh\n" + body + "\n");
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path.string();
}

ExtractOutcome run(const WordDocExtractor& extractor, const std::string& bytes,
                   vigie::ExtractLimits limits = {}) {
  return extractor.extract(FileInput{"anciens/CM 2003.doc", bytes, limits});
}

}  // namespace

TEST_CASE("Word .doc: without antiword the file is Unsupported with the install hint") {
  const auto outcome = run(WordDocExtractor(""), kOle2 + "corps");
  REQUIRE(outcome.failure);
  CHECK(*outcome.failure == ExtractFailure::Unsupported);
  CHECK(outcome.reason == "legacy .doc needs antiword (apt-get install antiword)");
  // The default constructor looks on PATH and agrees with available().
  const auto by_default = run(WordDocExtractor{}, kOle2 + "corps");
  if (!WordDocExtractor::available()) {
    MESSAGE("antiword is not installed: the test against the real program is skipped");
    REQUIRE(by_default.failure);
    CHECK(by_default.reason == outcome.reason);
  }
  CHECK(WordDocExtractor::find_on_path("sh") != "");
  CHECK(WordDocExtractor::find_on_path("no-such-program-vigie") == "");
}

TEST_CASE("Word .doc: files without the OLE2 signature are refused before running anything") {
  for (const std::string& bytes :
       {std::string(), std::string("{\\rtf1 texte}"), std::string("PK\x03\x04zip")}) {
    const auto outcome = run(WordDocExtractor("/nonexistent/antiword"), bytes);
    REQUIRE(outcome.failure);
    CHECK(*outcome.failure == ExtractFailure::Unsupported);
    CHECK(outcome.reason.find("OLE2") != std::string::npos);
  }
}

TEST_CASE("Word .doc: an antiword that cannot start makes the file Unsupported, with why") {
  const auto missing = run(WordDocExtractor("/nonexistent/antiword"), kOle2);
  REQUIRE(missing.failure);
  CHECK(*missing.failure == ExtractFailure::Unsupported);
  CHECK(missing.reason == "antiword: cannot run /nonexistent/antiword: No such file or directory");

  // No temp folder to hand the bytes to antiword in.
  vigie::test::ScratchDir dir("vigie-doc-test");
  const auto program = fake_antiword(dir, "antiword", "echo texte");
  const auto not_a_folder = dir.path() / "not-a-folder";
  vigie::test::write_file(not_a_folder, "");
  const char* tmpdir = std::getenv("TMPDIR");
  const std::optional<std::string> saved =
      tmpdir ? std::optional<std::string>(tmpdir) : std::nullopt;
  ::setenv("TMPDIR", not_a_folder.c_str(), 1);
  const auto no_temp = run(WordDocExtractor(program), kOle2);
  if (saved)
    ::setenv("TMPDIR", saved->c_str(), 1);
  else
    ::unsetenv("TMPDIR");
  REQUIRE(no_temp.failure);
  CHECK(*no_temp.failure == ExtractFailure::Unsupported);
  CHECK(no_temp.reason.starts_with("antiword: no temp folder: "));
}

TEST_CASE("Word .doc: antiword output becomes the document; the temp file is removed") {
  vigie::test::ScratchDir dir("vigie-doc-test");
  const std::string seen = (dir.path() / "seen-path").string();
  // Checks the arguments, remembers the temp file path, prints the file minus
  // its 8-byte signature, padded like antiword does.
  const auto program = fake_antiword(
      dir, "antiword",
      "[ \"$1\" = -m ] && [ \"$2\" = UTF-8.txt ] && [ \"$3\" = -w ] && [ \"$4\" = 0 ] || exit 9\n"
      "printf '%s' \"$5\" > '" +
          seen +
          "'\n"
          "printf '\\n\\n'; tail -c +9 \"$5\"; printf '   \\n\\n'");
  const auto outcome = run(WordDocExtractor(program),
                           kOle2 + "Conseil municipal  du 3 mars\nDélibération e\xCC\x81t\xC3\xA9");
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 1);
  const auto& doc = outcome.documents[0];
  CHECK(doc.id == "anciens/CM 2003.doc");
  CHECK(doc.source_path == "anciens/CM 2003.doc");
  CHECK(doc.format == "doc");
  CHECK(doc.title == "Conseil municipal du 3 mars");
  CHECK(doc.body == "Conseil municipal  du 3 mars\nDélibération été");  // NFC
  const std::string temp_path = vigie::test::read_file(seen);
  CHECK(temp_path.find("vigie-doc-") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(temp_path));
}

TEST_CASE("Word .doc: antiword failures are reported with its message") {
  vigie::test::ScratchDir dir("vigie-doc-test");
  struct Row {
    std::string script;
    ExtractFailure failure;
    std::string reason_part;
  };
  const Row rows[] = {
      {"echo \"I'm afraid the text stream of this file is too small to handle.\" >&2; exit 1",
       ExtractFailure::Corrupt, "exit 1): I'm afraid the text stream"},
      {"echo 'This document is encrypted' >&2; exit 1", ExtractFailure::Encrypted, "encrypted"},
      {"kill -SEGV $$", ExtractFailure::Corrupt, "signal 11"},
      {"printf '  \\n\\n'", ExtractFailure::NoText, "no text"},
  };
  int n = 0;
  for (const auto& row : rows) {
    CAPTURE(row.script);
    const auto outcome =
        run(WordDocExtractor(fake_antiword(dir, "fake" + std::to_string(n++), row.script)), kOle2);
    REQUIRE(outcome.failure);
    CHECK(*outcome.failure == row.failure);
    CHECK(outcome.reason.find(row.reason_part) != std::string::npos);
  }
}

TEST_CASE("Word .doc: a hanging antiword is killed at the time bound") {
  vigie::test::ScratchDir dir("vigie-doc-test");
  // Not `exec`: the grandchild must die too (the whole process group is killed).
  const auto program = fake_antiword(dir, "antiword", "sleep 30; echo late");
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = run(WordDocExtractor(program, std::chrono::milliseconds(300)), kOle2);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  REQUIRE(outcome.failure);
  CHECK(*outcome.failure == ExtractFailure::TooLarge);
  CHECK(outcome.reason.find("did not finish") != std::string::npos);
  CHECK(elapsed < std::chrono::seconds(5));
}

TEST_CASE("Word .doc: endless output is cut at max_text_bytes") {
  vigie::test::ScratchDir dir("vigie-doc-test");
  const auto program = fake_antiword(dir, "antiword", "exec yes 'ligne de texte'");
  vigie::ExtractLimits limits;
  limits.max_text_bytes = 1000;
  const auto outcome = run(WordDocExtractor(program), kOle2, limits);
  REQUIRE_FALSE(outcome.failure);
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].body.size() <= 1000);
  CHECK(outcome.documents[0].title == "ligne de texte");
  REQUIRE(outcome.warnings.size() == 1);
  CHECK(outcome.warnings[0].find("text cut") != std::string::npos);
}

TEST_CASE("Word .doc: the real antiword rejects a non-Word OLE2 file cleanly" *
          doctest::skip(!WordDocExtractor::available())) {
  MESSAGE("running against the installed antiword");
  // An OLE2 header followed by zeros is no Word document.
  const auto outcome = run(WordDocExtractor{}, kOle2 + std::string(4096, '\0'));
  REQUIRE(outcome.failure);
  CHECK(outcome.documents.empty());
}
