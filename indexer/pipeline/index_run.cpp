#include "pipeline/index_run.h"

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "build/document_builder.h"
#include "build/synonym_file.h"
#include "index/data_dictionary.h"
#include "index/index_schema.h"
#include "index/position_stream.h"
#include "index/schema.h"
#include "index/stream_store.h"
#include "metadata/metadata_rules.h"
#include "pipeline/family_assignment.h"
#include "pipeline/file_indexing.h"
#include "pipeline/index_state.h"
#include "pipeline/progress_meter.h"
#include "pipeline/setup_record.h"
#include "pipeline/shard_build.h"
#include "pipeline/shard_routing.h"
#include "pipeline/write_failure_guard.h"
#include "vigie/index_directory.h"

namespace vigie {
namespace {

// Hands tasks to worker threads and gives results back in task order, with
// at most `window` tasks in flight (back-pressure on the extractors).
class OrderedPipeline {
 public:
  OrderedPipeline(std::size_t tasks, std::size_t window) : results_(tasks), window_(window) {}

  // Worker side: the next task index, or nullopt when all are taken.
  std::optional<std::size_t> take() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] {
      return aborted_ || next_task_ >= results_.size() || next_task_ < written_ + window_;
    });
    if (aborted_ || next_task_ >= results_.size()) return std::nullopt;
    return next_task_++;
  }
  void put(std::size_t index, FileResult result) {
    std::lock_guard lock(mutex_);
    results_[index] = std::move(result);
    ready_.notify_all();
  }
  // Writer side: stop handing out tasks (the writer failed).
  void abort() {
    std::lock_guard lock(mutex_);
    aborted_ = true;
    room_.notify_all();
  }
  // Writer side: waits for the result of task `index` (called in order).
  FileResult wait_for(std::size_t index) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return results_[index].has_value(); });
    FileResult result = std::move(*results_[index]);
    results_[index].reset();
    written_ = index + 1;
    room_.notify_all();
    return result;
  }

 private:
  std::mutex mutex_;
  std::condition_variable room_, ready_;
  std::vector<std::optional<FileResult>> results_;
  std::size_t window_;
  std::size_t next_task_ = 0, written_ = 0;
  bool aborted_ = false;
};

// The single writer of an incremental run: applies results to the live
// generation, one transaction per file. (A --full build writes shards
// instead: shard_build.h.)
class IndexWriter {
 public:
  IndexWriter(Xapian::WritableDatabase& db, IndexReport& report, std::size_t commit_every)
      : db_(db), report_(report), commit_every_(commit_every) {}

  void apply(const FileTask& task, FileResult& result) {
    const std::string& path = task.file->id_path;
    for (auto& w : result.warnings) report_.warnings.push_back(path + ": " + w);
    switch (result.kind) {
      case FileResult::Kind::Documents:
        write_documents(task, result);
        break;
      case FileResult::Kind::Touch:
        touch(task, result.fingerprint);
        break;
      case FileResult::Kind::Skipped:
      case FileResult::Kind::Failed:
        remember_problem(db_, report_, task, result);
        break;
    }
  }

  // Nothing to remember about a file any more: it indexed fine, or it is
  // gone (it may come back; it is then read afresh).
  void forget_problem(const std::string& source_term) {
    db_.set_metadata(skip_key(source_term), "");
  }

  void delete_file(const std::string& source_term) {
    db_.begin_transaction(false);
    report_.documents_deleted += count_documents(source_term);
    db_.delete_document(source_term);
    forget_problem(source_term);
    db_.commit_transaction();
    ++report_.deleted;
  }

  void commit() {
    db_.commit();
    pending_ = 0;
  }

 private:
  Xapian::doccount count_documents(const std::string& term) { return db_.get_termfreq(term); }

  void write_documents(const FileTask& task, FileResult& result) {
    db_.begin_transaction(false);
    if (task.known) db_.delete_document(task.source_term);
    for (auto& built : result.documents) {
      db_.replace_document(built.id_term, built.document);
      for (const auto& [word, count] : built.spelling) db_.add_spelling(word, count);
      families_.add(built);
    }
    families_.write(db_);
    forget_problem(task.source_term);
    db_.commit_transaction();
    if (task.known)
      ++report_.updated;
    else
      ++report_.added;
    report_.documents += result.documents.size();
    report_.text_bytes += result.text_bytes;
    pending_ += result.documents.size();
    pending_bytes_ += result.text_bytes;
    if (pending_ >= commit_every_ || pending_bytes_ >= (256u << 20)) {
      commit();
      pending_bytes_ = 0;
    }
  }

  void touch(const FileTask& task, const std::string& fingerprint) {
    db_.begin_transaction(false);
    std::vector<Xapian::docid> ids;
    for (auto it = db_.postlist_begin(task.source_term); it != db_.postlist_end(task.source_term);
         ++it)
      ids.push_back(*it);
    for (auto id : ids) {
      Xapian::Document doc = db_.get_document(id);
      doc.add_value(schema::kSlotFingerprint, fingerprint);
      db_.replace_document(id, doc);
    }
    db_.commit_transaction();
    ++report_.unchanged;
  }

  Xapian::WritableDatabase& db_;
  IndexReport& report_;
  std::size_t commit_every_;
  StemFamilyWriter families_;
  std::size_t pending_ = 0;
  std::uint64_t pending_bytes_ = 0;
};

// New documents are stored like the generation's others: compressed with
// its data dictionary when its --full build trained one. Read before
// anything is written: a damaged one stops the run with nothing changed.
std::shared_ptr<const DataDictionary> load_data_dictionary(Xapian::WritableDatabase& writable) {
  try {
    return DataDictionary::load(writable);
  } catch (const DataDictionaryError& e) {
    throw IndexError(std::string("the index's data dictionary is damaged (") + e.what() +
                     "): rebuild it with vigie-index --full");
  }
}

// The stream vocabulary of the generation's --full build (position_stream.h),
// read before anything is written for the same reason.
std::shared_ptr<const StreamVocabulary> load_stream_vocabulary(Xapian::WritableDatabase& writable) {
  try {
    return std::make_shared<const StreamVocabulary>(StreamVocabulary::load(writable));
  } catch (const PositionStreamError& e) {
    throw IndexError(std::string("the index's position vocabulary is damaged (") + e.what() +
                     "): rebuild it with vigie-index --full");
  }
}

// An incremental run: extraction on `threads` threads, one writer applying
// the results in crawl order to the live generation.
void write_incrementally(Xapian::WritableDatabase& writable, const std::vector<FileTask>& tasks,
                         const std::vector<std::string>& vanished,
                         const std::vector<std::string>& forgotten, const Extraction& extraction,
                         const Config& config, const IndexOptions& options, IndexReport& report) {
  const std::shared_ptr<const DataDictionary> dictionary = load_data_dictionary(writable);
  const std::shared_ptr<const StreamVocabulary> vocabulary = load_stream_vocabulary(writable);
  IndexWriter writer(writable, report, options.commit_every_documents);
  for (const auto& term : vanished) writer.delete_file(term);
  for (const auto& term : forgotten) writer.forget_problem(term);

  const std::size_t threads = static_cast<std::size_t>(report.threads);
  std::uint64_t planned_bytes = 0;
  for (const auto& task : tasks) planned_bytes += task.file->size;
  OrderedPipeline pipeline(tasks.size(), threads * 4 + 4);
  std::vector<std::thread> workers;
  for (std::size_t t = 0; t < std::min(threads, std::max<std::size_t>(tasks.size(), 1)); ++t) {
    workers.emplace_back([&] {
      DocumentBuilder builder(config.search, dictionary, vocabulary);
      while (auto index = pipeline.take())
        pipeline.put(*index, extraction.process(tasks[*index], builder));
    });
  }
  ProgressMeter progress(options.progress, tasks.size(), planned_bytes);
  try {
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      FileResult result = pipeline.wait_for(i);
      report.bytes_read += result.bytes;
      writer.apply(tasks[i], result);
      progress.advance(tasks[i].file->size);
    }
  } catch (...) {
    pipeline.abort();  // workers finish their current file and stop
    for (auto& w : workers) w.join();
    throw;
  }
  for (auto& w : workers) w.join();
  progress.finish();

  write_synonyms(writable, config.analysis.synonyms, report.warnings);
  record_run_setup(writable, config, options.roots);
  writer.commit();
  writable.close();
}

// Phrases read the position streams from a file of their own, written for
// the revision this run leaves (stream_store.h). Without it (here, a full
// disk) they read the streams this run wrote through Xapian and the others
// in the generation's previous file: a warning, not a failed run.
void write_stream_store(const std::filesystem::path& generation, IndexReport& report) {
  try {
    const Xapian::Database db(generation.string());
    if (StreamStore::open(db, generation)) return;  // nothing changed since a run wrote it
    StreamStore::write(db, generation, report.added + report.updated + report.deleted == 0);
  } catch (const StreamStoreError& e) {
    report.warnings.push_back(
        std::string("phrase position file not written (phrases will read the index): ") + e.what());
  } catch (const Xapian::Error& e) {
    report.warnings.push_back("phrase position file not written (phrases will read the index): " +
                              e.get_description());
  }
}

// The roots (XA term bodies: a name, or an unnamed root's absolute path)
// the index at `stub` holds documents of, other than `given` (XA terms).
std::vector<std::string> other_roots(const std::filesystem::path& stub,
                                     const std::vector<std::string>& given) {
  std::vector<std::string> others;
  const Xapian::Database db(stub.string());
  const std::string prefix(schema::kRootPrefix);
  for (auto term = db.allterms_begin(prefix); term != db.allterms_end(prefix); ++term)
    if (std::find(given.begin(), given.end(), *term) == given.end())
      others.push_back((*term).substr(prefix.size()));
  return others;
}

// --threads, 0 meaning one per core.
int thread_count(const IndexOptions& options) {
  return options.threads > 0 ? options.threads
                             : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// The XA terms of the roots given to this run.
std::vector<std::string> root_terms_of(const std::vector<IndexRoot>& roots) {
  std::vector<std::string> root_terms;
  for (const auto& root : roots)
    root_terms.push_back(std::string(schema::kRootPrefix) + root.key());
  return root_terms;
}

// Whether the live generation, one database of the current layout, has
// lost its stream file: the streams of its --full build were there only
// (stream_store.h), so updating it would leave them out of the next file.
bool lost_streams(const IndexDirectory& directory, std::vector<std::string>& notes) {
  const auto live = directory.live_generation();
  if (!live || !IndexDirectory::shards_of(*live).empty()) return false;
  try {
    const Xapian::Database db(live->string());
    if (db.get_doccount() == 0 || index_schema::version_of(db) != index_schema::kCurrent ||
        StreamStore::open_generation(db, *live))
      return false;
  } catch (const Xapian::Error&) {
    return false;  // reported when the run opens it
  }
  notes.push_back("the index's phrase position file (" + std::string(StreamStore::kFileName) +
                  ") is missing or damaged: rebuilding it in full instead of updating it");
  return true;
}

// Whether this run builds a new generation: on --full, on a first run, or
// when the index has an older layout (index_schema::must_rebuild, which
// warns) or lost its stream file. Throws when that rebuild would drop roots
// not given to the run.
bool is_full_run(const IndexDirectory& directory, const IndexOptions& options,
                 const std::vector<std::string>& root_terms, std::vector<std::string>& warnings) {
  const bool upgrade = !options.full && directory.exists() &&
                       (index_schema::must_rebuild(directory.stub_path(), warnings) ||
                        lost_streams(directory, warnings));
  if (upgrade) {
    // A rebuild keeps only the roots it is given: rebuilding on its own an
    // index that also holds other roots (indexed by other runs) would drop
    // their documents.
    const auto others = other_roots(directory.stub_path(), root_terms);
    if (!others.empty()) {
      std::string listed;
      for (const auto& r : others) listed += (listed.empty() ? "" : ", ") + r;
      throw IndexError("the index at " + options.db.string() +
                       " must be rebuilt in full, but it also holds documents of "
                       "roots not given to this run (" +
                       listed +
                       "): run vigie-index --full with all its roots (nothing was changed)");
    }
  }
  return options.full || !directory.exists() || upgrade;
}

// The generation a run writes: the live one, or a new one for a rebuild.
struct Target {
  std::filesystem::path path;
  bool full = false;
  // The shards this run writes: the live generation's (an incremental
  // run), or how many a rebuild makes; none: one database.
  std::vector<std::filesystem::path> shards;
  std::size_t output_shards = 1;
  std::optional<Xapian::WritableDatabase> writable;  // incremental runs but dry ones
  Xapian::Database current;                          // the live one, for the plan (incremental)
};

// Opens the live generation of an incremental run (read-only for a dry
// run); a rebuild only makes sure the index folder exists.
void open_target(const IndexOptions& options, const IndexDirectory& directory, Target& target) {
  try {
    if (!options.dry_run) {
      std::filesystem::create_directories(options.db);
      // Glass buffers postings per term in std::maps until it has seen
      // XAPIAN_FLUSH_THRESHOLD documents (default 10,000, and read only from
      // the environment when a database is opened). At 10,000 every posting
      // walks a deep tree and the writer holds ~430 MB; at 1,000 a --full
      // build of 10,000 documents takes ~22 % less CPU and 92 MB, at 400 a
      // build of 100,000 another 5 % (bench/README.md). A value set by the
      // user wins.
      ::setenv("XAPIAN_FLUSH_THRESHOLD", "400", /*overwrite=*/0);
      if (!target.full && !target.shards.empty()) {
        target.current = Xapian::Database(directory.stub_path().string());
      } else if (!target.full) {
        target.writable.emplace(target.path.string(), Xapian::DB_OPEN);
        target.current = *target.writable;
      }
    } else if (directory.exists() && !target.full) {
      target.current = Xapian::Database(directory.stub_path().string());
    }
  } catch (const Xapian::Error& e) {
    throw IndexError("cannot open the index at " + target.path.string() + ": " +
                     e.get_description());
  }
}

// What a run has to do, from what the index holds and what is on disk.
struct WorkPlan {
  std::vector<FileTask> tasks;         // files to read, in crawl order
  std::vector<std::string> vanished;   // XR terms of files gone from these roots
  std::vector<std::string> forgotten;  // remembered problem files gone, without documents
};

// The task for one crawled file, or nothing when it has not changed since
// it was indexed, or since it failed (reported again, not re-read).
// `indexed`: what the index holds of it (null: nothing).
std::optional<FileTask> task_for(const CrawledFile& file, const std::string& source_term,
                                 const IndexedFile* indexed,
                                 const std::vector<std::string>& root_terms,
                                 const IndexState& state, IndexReport& report) {
  FileTask task{&file, source_term, root_terms[file.root_index], false, {}};
  const std::string quick = quick_fingerprint(file);
  if (indexed) {
    if (indexed->fingerprint.starts_with(quick + ":")) {
      ++report.unchanged;
      return std::nullopt;
    }
    task.known = true;
    task.old_hash = indexed->fingerprint.substr(indexed->fingerprint.rfind(':') + 1);
  } else if (auto skip = state.skips.find(source_term);
             skip != state.skips.end() && skip->second.quick_fingerprint == quick) {
    auto& list = skip->second.skipped ? report.skipped : report.failed;
    list.push_back(
        {file.id_path, skip->second.kind, skip->second.reason + " (unchanged since last run)"});
    return std::nullopt;
  }
  return task;
}

// The files to read, and the ones gone since the last run, in crawl order.
WorkPlan plan_work(const std::vector<CrawledFile>& files, const IndexState& state,
                   const std::vector<std::string>& root_terms, IndexReport& report) {
  WorkPlan plan;
  // Files come sorted by id path: two roots giving the same path are
  // neighbours. The set of every file's term is built only when some
  // indexed or remembered file may be gone (a million unchanged files: 0.4 s
  // of a run that a changed file waits for).
  std::vector<std::string> terms;
  terms.reserve(files.size());
  std::size_t known = 0;
  for (const CrawledFile& file : files) {
    std::string source_term = schema::source_key(file.id_path);
    if (!terms.empty() && terms.back() == source_term) {
      report.failed.push_back({file.id_path, "duplicate",
                               "another root gives the same path; name the roots (NAME=FOLDER)"});
      continue;
    }
    const auto it = state.files.find(source_term);
    const IndexedFile* indexed = it != state.files.end() ? &it->second : nullptr;
    if (indexed && indexed->in_these_roots) ++known;
    if (auto task = task_for(file, source_term, indexed, root_terms, state, report))
      plan.tasks.push_back(std::move(*task));
    terms.push_back(std::move(source_term));
  }
  std::size_t indexed_here = 0;
  for (const auto& entry : state.files) indexed_here += entry.second.in_these_roots;
  if (indexed_here == known && state.skips.empty()) return plan;
  const std::unordered_set<std::string> seen(terms.begin(), terms.end());
  for (const auto& [term, indexed] : state.files)
    if (indexed.in_these_roots && !seen.count(term)) plan.vanished.push_back(term);
  // Problem files gone without documents; those with documents are cleared
  // with them (delete_file).
  for (const auto& [term, problem] : state.skips)
    if (problem.in_these_roots && !seen.count(term) && !state.files.count(term))
      plan.forgotten.push_back(term);
  return plan;
}

// A dry run reports what it would do.
void report_plan(const WorkPlan& plan, IndexReport& report) {
  for (const auto& t : plan.tasks) (t.known ? report.updated : report.added)++;
  report.deleted = plan.vanished.size();
}

// The databases of the generation a run writes: its shards, or itself.
std::vector<std::filesystem::path> databases_of(const Target& target) {
  return target.shards.empty() ? std::vector<std::filesystem::path>{target.path} : target.shards;
}

// What the index holds: of a generation of shards, every shard's (the
// `skip:` metadata of a combined database would be its first shard's).
IndexState read_state(const Target& target, const std::vector<std::string>& root_terms) {
  if (target.shards.empty()) return read_index_state(target.current, root_terms);
  IndexState state;
  for (const auto& shard : target.shards) {
    IndexState part = read_index_state(Xapian::Database(shard.string()), root_terms);
    state.files.merge(part.files);
    state.skips.merge(part.skips);
  }
  return state;
}

// An incremental run over a generation of shards: each file's changes go
// into the shard its source term hashes to (shard_routing.h), as in the
// --full build that made them.
void write_shards_incrementally(const std::vector<std::filesystem::path>& shards,
                                const WorkPlan& plan, const Extraction& extraction,
                                const Config& config, const IndexOptions& options,
                                IndexReport& report) {
  for (std::size_t k = 0; k < shards.size(); ++k) {
    auto here = [&](const std::string& term) { return shard_of_file(term, shards.size()) == k; };
    std::vector<FileTask> tasks;
    for (const auto& task : plan.tasks)
      if (here(task.source_term)) tasks.push_back(task);
    std::vector<std::string> vanished, forgotten;
    for (const auto& term : plan.vanished)
      if (here(term)) vanished.push_back(term);
    for (const auto& term : plan.forgotten)
      if (here(term)) forgotten.push_back(term);
    Xapian::WritableDatabase writable(shards[k].string(), Xapian::DB_OPEN);
    write_incrementally(writable, tasks, vanished, forgotten, extraction, config, options, report);
  }
}

// Extracts and writes: a new generation in shards, or the changes into the
// live one. A Xapian write error becomes an IndexError that says what was
// (not) written.
void write_index(const Config& config, const IndexOptions& options, const WorkPlan& plan,
                 const IndexDirectory& directory, Target& target, IndexReport& report) {
  try {
    const Extraction extraction(config, options.roots);
    const std::size_t threads = static_cast<std::size_t>(report.threads);
    if (target.full) {
      // Every thread writes a shard of its own; the shards are merged into
      // the generation (shard_build.h).
      build_generation_in_shards(target.path, plan.tasks, extraction, config.search,
                                 {threads, options.progress, config.analysis.synonyms,
                                  options.word_tables_held, target.output_shards},
                                 report);
      // The set-up goes in before the stream file names the revision it was
      // written for (go_live): one more commit of a few KB.
      target.shards = IndexDirectory::shards_of(target.path);
      for (const auto& database : databases_of(target)) {
        Xapian::WritableDatabase generation(database.string(), Xapian::DB_OPEN);
        record_run_setup(generation, config, options.roots);
        generation.commit();
      }
    } else if (!target.shards.empty()) {
      write_shards_incrementally(target.shards, plan, extraction, config, options, report);
    } else {
      write_incrementally(*target.writable, plan.tasks, plan.vanished, plan.forgotten, extraction,
                          config, options, report);
    }
  } catch (const Xapian::Error& e) {
    // Xapian has cancelled the changes it could not write, so closing commits
    // nothing. A --full run's unfinished generation is removed: it holds the
    // very space that ran out, and `current` never named it.
    target.writable.reset();
    if (target.full) directory.remove_abandoned();
    const char* system_error = e.get_error_string();
    throw IndexError(write_failure_message(
        {target.path.string(), directory.live_generation().value_or("").filename().string(),
         target.full, e.get_description(), system_error ? system_error : ""}));
  }
}

// Families are reassigned over the whole generation when the run changed
// anything (family_assignment.h). A failure leaves the previous families: a
// warning, not a failed run (the documents are written).
// (A --full build assigns them in its shards, before compaction.)
void update_families(const Target& target, IndexReport& report) {
  if (target.full || report.added + report.updated + report.deleted == 0) return;
  const auto started = std::chrono::steady_clock::now();
  try {
    FamilyStats stats;
    if (!target.shards.empty()) {
      stats = assign_families_in_shards(target.shards);
    } else {
      Xapian::WritableDatabase db(target.path.string(), Xapian::DB_OPEN);
      stats = assign_families(db);
      db.commit();
    }
    report.families = stats.families;
    report.family_members = stats.members;
    report.family_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  } catch (const Xapian::Error& e) {
    report.warnings.push_back("document families not updated: " + e.get_description());
  }
}

// After the writes: the streams' file, then for a rebuild the switch and
// the removal of retired generations past index.keep_generations.
void go_live(const Config& config, const IndexDirectory& directory, const Target& target,
             IndexReport& report) {
  // Before the streams' file, which is written for the revision this leaves.
  update_families(target, report);
  // Before the generation goes live: searchers then find its streams' file
  // (a generation of shards has none: search/shard_set.h).
  if (target.shards.empty()) write_stream_store(target.path, report);
  if (target.full) {
    directory.switch_to(target.path);
    directory.remove_retired(config.index.keep_generations,
                             std::chrono::seconds(config.index.grace_seconds));
  }
}

double seconds_since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

IndexReport run_index(const Config& config, const IndexOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  IndexReport report;
  report.dry_run = options.dry_run;
  report.threads = thread_count(options);

  std::optional<IndexLock> lock;
  if (!options.dry_run) lock.emplace(options.db);
  IndexDirectory directory(options.db);
  const std::vector<std::string> root_terms = root_terms_of(options.roots);
  if (directory.lists_remote_shards())
    throw IndexError(directory.stub_path().string() +
                     " lists remote shards: it is a stub for searchers; run vigie-index on the "
                     "index directory that holds the generation (docs/admin-guide.md, \"Shards\")");
  const auto live = directory.live_generation();
  const std::size_t live_shards = live ? IndexDirectory::shards_of(*live).size() : 0;
  Target target;
  target.full = is_full_run(directory, options, root_terms, report.warnings);
  if (!target.full && options.shards > 0 &&
      options.shards != std::max<std::size_t>(live_shards, 1)) {
    report.warnings.push_back(
        "the live generation has " + std::to_string(std::max<std::size_t>(live_shards, 1)) +
        " shard(s), not " + std::to_string(options.shards) + ": rebuilding it in full");
    target.full = true;
  }
  report.full = target.full;
  // A rebuild killed before its switch left a generation that was never
  // live (shards, a half-done compaction): remove it whatever this run is.
  if (!options.dry_run) directory.remove_abandoned();

  target.path = target.full ? directory.next_generation() : *directory.live_generation();
  if (!target.full) target.shards = IndexDirectory::shards_of(target.path);
  target.output_shards =
      options.shards > 0 ? options.shards : std::max<std::size_t>(live_shards, 1);
  report.generation = target.path.filename().string();
  open_target(options, directory, target);

  // Plan: what the index already holds, compared with what is on disk —
  // both read at once, the crawl (system calls) beside the index (Xapian):
  // 4.4 and 2.8 s one after the other for a million unchanged files, which a
  // changed file waited for before it could be written.
  auto crawling =
      std::async(std::launch::async, [&] { return crawl(options.roots, config.indexer.exclude); });
  const IndexState state = target.full ? IndexState{} : read_state(target, root_terms);
  const CrawlResult crawl_result = crawling.get();
  for (const auto& p : crawl_result.problems) report.failed.push_back({p.path, "io", p.reason});
  const WorkPlan plan = plan_work(crawl_result.files, state, root_terms, report);
  if (options.dry_run) {
    report_plan(plan, report);
    report.seconds = seconds_since(started);
    return report;
  }

  // Xapian can also fail a write where the runtime terminates: reported the same.
  const WriteFailureGuard guard(directory, target.path, target.full);
  write_index(config, options, plan, directory, target, report);
  go_live(config, directory, target, report);
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace vigie
