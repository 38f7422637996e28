// WordDocExtractor: legacy Word 97-2003 .doc files (format "doc"), through the
// external `antiword` program — no maintained C++ library reads them, and
// running a converter in its own process keeps its crashes out of ours.
//
// The bytes are written to a private temp file, antiword runs with a time
// bound (killed, with its process group, after `timeout`) and an output bound
// (max_text_bytes: the rest is cut with a warning). Without antiword the
// extractor answers Unsupported "legacy .doc needs antiword (apt-get install
// antiword)".
//
// Thread-safety: immutable after construction; extract() is const and safe
// from any thread (each call owns its temp file, pipes and child).
// Errors: no OLE2 signature → Unsupported; antiword missing, or not
// startable (temp file, pipe, spawn) → Unsupported; antiword fails → Corrupt
// (Encrypted when it says so) with its message; timeout → TooLarge; empty
// text → NoText. Never throws.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class WordDocExtractor : public Extractor {
 public:
  // Uses `antiword` from PATH (if any) and the 30 s bound.
  WordDocExtractor();
  // For tests and packagers: an explicit program (empty = unavailable) and bound.
  explicit WordDocExtractor(std::string antiword_path,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30));

  std::string_view format() const override { return "doc"; }

  // True when `antiword` is an executable on PATH.
  static bool available();
  // Full path of an executable found on PATH, or "" when there is none.
  static std::string find_on_path(std::string_view program);

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;

 private:
  std::string antiword_path_;
  std::chrono::milliseconds timeout_;
};

}  // namespace vigie
