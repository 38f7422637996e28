#include "pipeline/file_indexing.h"

#include <xapian.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "metadata/metadata_rules.h"
#include "pipeline/index_state.h"

namespace vigie {
namespace {

std::string first_folder(const std::string& relative, const IndexRoot& root) {
  auto slash = relative.find('/');
  if (slash != std::string::npos) return relative.substr(0, slash);
  return root.name.empty() ? root.path.filename().string() : root.name;
}

// Reads a whole file, or says why it cannot.
std::optional<std::string> read_whole(const CrawledFile& f, std::uint64_t cap, FileResult& result) {
  std::error_code ec;
  auto size = std::filesystem::file_size(f.absolute, ec);
  if (ec) {
    result.problem_kind = "io";
    result.reason = "file vanished or unreadable: " + ec.message();
    return std::nullopt;
  }
  if (size > cap) {
    result.problem_kind = "too-large";
    result.reason = "file is " + std::to_string(size >> 20) + " MB, over the " +
                    std::to_string(cap >> 20) + " MB limit (indexer.max_file_mb)";
    return std::nullopt;
  }
  std::ifstream in(f.absolute, std::ios::binary);
  if (!in) {
    result.problem_kind = "io";
    result.reason = "cannot open (permission denied or vanished)";
    return std::nullopt;
  }
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) {
    result.problem_kind = "io";
    result.reason = "read error";
    return std::nullopt;
  }
  return bytes;
}

FileResult failed(std::string kind, std::string reason) {
  FileResult r;
  r.kind = FileResult::Kind::Failed;
  r.problem_kind = std::move(kind);
  r.reason = std::move(reason);
  return r;
}

// "size:mtime:hash" → "size:mtime"
std::string quick_prefix(const std::string& fingerprint) {
  auto second = fingerprint.find(':', fingerprint.find(':') + 1);
  return fingerprint.substr(0, second);
}

// A whole's signature is that of its text and its parts' together (the
// JSON record of a session lists its deliberations' titles; its parts hold
// their texts, which its PDF and HTML hold too), so that the three share a
// family. Parts name their whole by id, in the same file.
void finish_families(const std::vector<SourceDocument>& docs, std::vector<BuiltDocument>& built) {
  std::unordered_map<std::string_view, std::size_t> by_id;
  for (std::size_t i = 0; i < docs.size(); ++i) by_id.emplace(docs[i].id, i);
  for (const BuiltDocument& part : built) {
    if (part.part_of.empty()) continue;
    const auto whole = by_id.find(part.part_of);
    if (whole != by_id.end()) built[whole->second].sketch.merge(part.sketch);
  }
  for (BuiltDocument& doc : built) finish_family(doc);
}

}  // namespace

std::string quick_fingerprint(const CrawledFile& f) {
  return std::to_string(f.size) + ":" + std::to_string(f.mtime_ns);
}

std::string problem_record(const FileTask& task, const FileResult& result) {
  if (result.fingerprint.empty()) return {};
  RememberedProblem problem;
  problem.quick_fingerprint = quick_prefix(result.fingerprint);
  problem.skipped = result.kind == FileResult::Kind::Skipped;
  problem.kind = result.problem_kind;
  problem.reason = result.reason;
  problem.root_term = task.root_term;
  return encode_problem(problem);
}

void remember_problem(Xapian::WritableDatabase& db, IndexReport& report, const FileTask& task,
                      const FileResult& result) {
  FileProblem problem{task.file->id_path, result.problem_kind, result.reason};
  (result.kind == FileResult::Kind::Skipped ? report.skipped : report.failed).push_back(problem);
  if (auto record = problem_record(task, result); !record.empty())
    db.set_metadata(skip_key(task.source_term), record);
}

Extraction::Extraction(const Config& config, const std::vector<IndexRoot>& roots)
    : config_(config), roots_(roots) {
  limits_.max_unzipped_bytes = config.indexer.max_unzipped_bytes;
  limits_.max_zip_ratio = config.indexer.max_zip_ratio;
  limits_.max_pdf_pages = config.indexer.max_pdf_pages;
  limits_.max_text_bytes = config.indexer.max_text_bytes;
}

FileResult Extraction::process(const FileTask& task, DocumentBuilder& builder) const {
  return build(task, extract_file(task), builder);
}

ExtractedFile Extraction::extract_file(const FileTask& task) const {
  ExtractedFile file;
  try {
    file.documents = extract(task, file.result);
  } catch (const Xapian::Error& e) {
    file = {failed("internal", "Xapian: " + e.get_description()), std::nullopt};
  } catch (const std::exception& e) {
    file = {failed("internal", std::string("unexpected error: ") + e.what()), std::nullopt};
  }
  return file;
}

FileResult Extraction::build(const FileTask& task, ExtractedFile file,
                             DocumentBuilder& builder) const {
  if (!file.documents) return std::move(file.result);
  FileResult result = std::move(file.result);
  builder.start_file();
  try {
    const SourceStamp stamp{task.source_term, task.root_term, result.fingerprint};
    for (const SourceDocument& doc : *file.documents) {
      result.text_bytes += doc.body.size();
      result.documents.push_back(builder.build(doc, stamp));
    }
    finish_families(*file.documents, result.documents);
    result.kind = FileResult::Kind::Documents;
  } catch (const Xapian::Error& e) {
    result = failed("internal", "Xapian: " + e.get_description());
  } catch (const std::exception& e) {
    result = failed("internal", std::string("unexpected error: ") + e.what());
  }
  // The documents built are thrown away: the words they listed first must
  // be listed by a later one.
  if (result.kind != FileResult::Kind::Documents) builder.forget_file();
  return result;
}

std::optional<std::vector<SourceDocument>> Extraction::extract(const FileTask& task,
                                                               FileResult& result) const {
  const CrawledFile& file = *task.file;
  auto bytes = read_whole(file, config_.indexer.max_file_bytes, result);
  if (!bytes) {
    result.kind = FileResult::Kind::Failed;
    return std::nullopt;
  }
  result.bytes = bytes->size();
  const std::string hash = content_hash(*bytes);
  result.fingerprint = quick_fingerprint(file) + ":" + hash;
  if (task.known && hash == task.old_hash) {  // touched, not changed
    result.kind = FileResult::Kind::Touch;
    return std::nullopt;
  }
  const std::string_view head = std::string_view(*bytes).substr(0, 8192);
  const Extractor* extractor = choose_extractor(file.relative, head);
  if (!extractor) {
    result.kind = FileResult::Kind::Skipped;
    result.problem_kind = "unsupported";
    result.reason = "not a format Vigie indexes";
    return std::nullopt;
  }
  ExtractOutcome outcome = extractor->extract(FileInput{file.relative, *bytes, limits_});
  result.warnings = std::move(outcome.warnings);
  if (outcome.failure) {
    result.kind = *outcome.failure == ExtractFailure::Unsupported ? FileResult::Kind::Skipped
                                                                  : FileResult::Kind::Failed;
    result.problem_kind = std::string(failure_name(*outcome.failure));
    result.reason = outcome.reason;
    return std::nullopt;
  }
  if (outcome.documents.empty()) {
    result.kind = FileResult::Kind::Failed;
    result.problem_kind = "no-text";
    result.reason = "no documents in file";
    return std::nullopt;
  }
  const IndexRoot& root = roots_[file.root_index];
  for (SourceDocument& doc : outcome.documents) {
    // Folder defaults and rules see the path inside the root; ids carry the
    // root's name when it has one.
    doc.source_path = file.relative;
    complete_metadata(doc, config_);
    if (doc.collection.empty()) doc.collection = first_folder(file.relative, root);
    if (!root.name.empty()) {
      doc.id = root.name + "/" + doc.id;
      if (!doc.part_of.empty()) doc.part_of = root.name + "/" + doc.part_of;
      doc.source_path = file.id_path;
    }
  }
  return std::move(outcome.documents);
}

}  // namespace vigie
