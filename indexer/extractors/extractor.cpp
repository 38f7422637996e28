#include "extractors/extractor.h"

#include <Poco/Exception.h>

#include <exception>
#include <string>

#include "vigie/text_normalization.h"

namespace vigie {

std::string_view failure_name(ExtractFailure failure) {
  switch (failure) {
    case ExtractFailure::Unsupported:
      return "unsupported";
    case ExtractFailure::Corrupt:
      return "corrupt";
    case ExtractFailure::Encrypted:
      return "encrypted";
    case ExtractFailure::NoText:
      return "no-text";
    case ExtractFailure::TooLarge:
      return "too-large";
  }
  return "unknown";
}

ExtractOutcome ExtractOutcome::failed(ExtractFailure failure, std::string reason) {
  ExtractOutcome outcome;
  outcome.failure = failure;
  outcome.reason = std::move(reason);
  return outcome;
}

namespace {

ExtractOutcome failed_in(std::string_view format, std::string_view error) {
  return ExtractOutcome::failed(ExtractFailure::Corrupt,
                                std::string(format) + " extraction failed: " + std::string(error));
}

// Every format's text leaves here, so the symbol-font bullets go here once
// (drop_private_use: 27 of the 300 first extracts of ../shared/corpus showed
// one as an empty box, from the PDFs).
ExtractOutcome without_private_use(ExtractOutcome outcome) {
  for (SourceDocument& doc : outcome.documents) {
    doc.title = drop_private_use(doc.title);
    doc.body = drop_private_use(doc.body);
  }
  return outcome;
}

}  // namespace

ExtractOutcome Extractor::extract(const FileInput& input) const {
  try {
    return without_private_use(extract_file(input));
  } catch (const ExtractError& error) {
    return ExtractOutcome::failed(error.kind(), error.what());
  } catch (const Poco::Exception& error) {
    // Before std::exception, which it derives from: its what() is only the
    // class name ("Zip Exception"); displayText() adds the message.
    return failed_in(format(), error.displayText());
  } catch (const std::exception& error) {
    return failed_in(format(), error.what());
  } catch (...) {
    return ExtractOutcome::failed(ExtractFailure::Corrupt,
                                  std::string(format()) + " extraction failed (unknown error)");
  }
}

}  // namespace vigie
