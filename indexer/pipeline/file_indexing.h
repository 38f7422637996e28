// What one file gives the index: the task planned for it (FileTask), what
// reading and extracting it produced (FileResult), and the Extraction that
// turns one into the other. Shared by the incremental single writer
// (index_run.cpp) and the sharded --full build (shard_build.h).
//
// Thread-safety: an Extraction is immutable and shared by every extraction
// thread; each thread passes its own DocumentBuilder.
// Errors: a bad file gives a FileResult of kind Failed or Skipped (never an
// exception), with the kind and reason the report shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "build/document_builder.h"
#include "extractors/extractor.h"
#include "pipeline/file_crawler.h"
#include "pipeline/index_report.h"
#include "vigie/config.h"

namespace vigie {

struct FileTask {
  const CrawledFile* file = nullptr;
  std::string source_term;
  std::string root_term;
  bool known = false;    // the index has documents of this file
  std::string old_hash;  // their content hash, to tell a touched file from a changed one
};

struct FileResult {
  enum class Kind { Documents, Touch, Skipped, Failed } kind = Kind::Failed;
  std::vector<BuiltDocument> documents;
  std::string fingerprint;
  std::string problem_kind, reason;
  std::vector<std::string> warnings;
  std::uint64_t bytes = 0, text_bytes = 0;
};

// A file read and extracted, its documents not built yet: `documents` with
// their metadata complete, or nullopt with `result` saying why there is
// nothing to build (a failure, a skip, a touched file).
struct ExtractedFile {
  FileResult result;
  std::optional<std::vector<SourceDocument>> documents;
};

// "size:mtime", the part of a fingerprint known without reading the file.
std::string quick_fingerprint(const CrawledFile& f);

// The metadata value remembering why a file was skipped or failed (under
// skip_key(source term)), so that the next run does not re-read it while it
// is unchanged. Empty when the file could not even be read (no fingerprint).
std::string problem_record(const FileTask& task, const FileResult& result);
// Lists a skipped or failed file in `report` and remembers it in `db`
// (problem_record), so that an unchanged broken file is not re-extracted;
// the documents of its last good version (if any) keep serving.
void remember_problem(Xapian::WritableDatabase& db, IndexReport& report, const FileTask& task,
                      const FileResult& result);

class Extraction {
 public:
  Extraction(const Config& config, const std::vector<IndexRoot>& roots);
  // Reads, extracts and builds the documents of `task`'s file:
  // build(task, extract_file(task), builder).
  FileResult process(const FileTask& task, DocumentBuilder& builder) const;
  // The two halves, for a build that looks at the documents before building
  // them (the data dictionary's samples: shard_build.cpp).
  ExtractedFile extract_file(const FileTask& task) const;
  FileResult build(const FileTask& task, ExtractedFile file, DocumentBuilder& builder) const;

 private:
  // Reads and extracts; nullopt with `result` saying why when there is
  // nothing to build (a failure, a skip, a touched file).
  std::optional<std::vector<SourceDocument>> extract(const FileTask& task,
                                                     FileResult& result) const;

  const Config& config_;
  const std::vector<IndexRoot>& roots_;
  ExtractLimits limits_;
};

}  // namespace vigie
