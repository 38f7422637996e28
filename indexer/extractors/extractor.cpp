#include "extractors/extractor.h"

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

}  // namespace vigie
