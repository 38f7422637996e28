// Extractor::extract, the one exception boundary of extraction: whatever a
// format's extract_file() throws comes back as an ExtractOutcome failure whose
// reason names the format, and extract() itself never throws.
#include <Poco/Exception.h>
#include <doctest/doctest.h>

#include <functional>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "extractors/extractor.h"

namespace {

using vigie::ExtractError;
using vigie::ExtractFailure;
using vigie::ExtractOutcome;
using vigie::FileInput;

// A test-only format whose extract_file() runs `act` (which may throw), then
// returns one document.
class ProbeExtractor : public vigie::Extractor {
 public:
  explicit ProbeExtractor(std::function<void()> act) : act_(std::move(act)) {}
  std::string_view format() const override { return "probe"; }

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override {
    act_();
    ExtractOutcome outcome;
    vigie::SourceDocument doc;
    doc.id = input.relative_path;
    doc.body = "texte";
    outcome.documents.push_back(std::move(doc));
    return outcome;
  }

 private:
  std::function<void()> act_;
};

}  // namespace

TEST_CASE("extract() turns every exception of extract_file() into a failure naming the format") {
  struct Row {
    std::string name;
    std::function<void()> act;
    ExtractFailure failure;
    std::string reason;
  };
  const Row rows[] = {
      {"std::runtime_error", [] { throw std::runtime_error("page tree loops"); },
       ExtractFailure::Corrupt, "probe extraction failed: page tree loops"},
      {"std::bad_alloc", [] { throw std::bad_alloc(); }, ExtractFailure::Corrupt,
       "probe extraction failed: " + std::string(std::bad_alloc().what())},
      // displayText(), not what(): Poco's what() is only "Bad data format".
      {"Poco::Exception", [] { throw Poco::DataFormatException("central directory cut"); },
       ExtractFailure::Corrupt, "probe extraction failed: Bad data format: central directory cut"},
      {"ExtractError keeps its kind and reason",
       [] { throw ExtractError(ExtractFailure::Encrypted, "probe file is password-protected"); },
       ExtractFailure::Encrypted, "probe file is password-protected"},
      {"ExtractError Unsupported (the pipeline skips rather than fails)",
       [] { throw ExtractError(ExtractFailure::Unsupported, "probe of another kind"); },
       ExtractFailure::Unsupported, "probe of another kind"},
      {"an int", [] { throw 42; }, ExtractFailure::Corrupt,
       "probe extraction failed (unknown error)"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.name);
    const ProbeExtractor extractor(row.act);
    std::optional<ExtractOutcome> outcome;
    CHECK_NOTHROW(outcome = extractor.extract(FileInput{"essais/probe.bin", "octets", {}}));
    REQUIRE(outcome.has_value());
    REQUIRE(outcome->failure.has_value());
    CHECK(*outcome->failure == row.failure);
    CHECK(outcome->reason == row.reason);
    CHECK(outcome->reason.find("probe") != std::string::npos);
    CHECK(outcome->documents.empty());
  }
}

TEST_CASE("extract() passes a successful extract_file() through unchanged") {
  const ProbeExtractor extractor([] {});
  const ExtractOutcome outcome = extractor.extract(FileInput{"essais/probe.bin", "octets", {}});
  CHECK_FALSE(outcome.failure.has_value());
  CHECK(outcome.reason.empty());
  REQUIRE(outcome.documents.size() == 1);
  CHECK(outcome.documents[0].id == "essais/probe.bin");
}
