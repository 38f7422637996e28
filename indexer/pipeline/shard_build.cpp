#include "pipeline/shard_build.h"

#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "build/synonym_file.h"
#include "index/data_dictionary.h"
#include "index/document_data.h"
#include "index/index_schema.h"
#include "index/position_stream.h"
#include "index/schema.h"
#include "pipeline/family_assignment.h"
#include "pipeline/index_state.h"
#include "pipeline/progress_meter.h"
#include "pipeline/shard_routing.h"
#include "pipeline/stream_spill.h"
#include "vigie/french_analyzer.h"

namespace vigie {
namespace fs = std::filesystem;
namespace {

// Blocks per thread: more blocks than threads so that a thread slowed down
// (big files, a busy core) does not leave the others idle at the end.
constexpr std::size_t kBlocksPerThread = 4;
// Text written to a shard between two commits (bounds Xapian's buffers
// when documents are huge; the flush threshold counts documents only).
constexpr std::uint64_t kCommitEveryTextBytes = 256u << 20;
// Distinct spelling words, or stem-family pairs, buffered before they go to
// Xapian (memory bound).
constexpr std::size_t kSpellingWordsBuffered = 500000;
// The data dictionary's sample (data_dictionary.h): files spread over the
// whole crawl, and at most this much of their document data (an equal share
// per file). More gained nothing measurable (bench/README.md). The sample
// files are extracted once, their documents kept for the build while they
// add up to under kSampleKeptBytes.
constexpr std::size_t kSampleFiles = 256;
constexpr std::size_t kSampleBytes = 4u << 20;
constexpr std::uint64_t kSampleKeptBytes = 64u << 20;

struct Block {
  std::size_t begin = 0, end = 0;  // positions in the build's task order
  std::size_t output = 0;          // the output shard it goes to
  bool first_of_output = false;    // writes its output shard's metadata
  fs::path shard;
  fs::path streams;             // its documents' position streams, when kept out of the shard
                                // (stream_spill.h)
  Xapian::docid documents = 0;  // written into its shard
  IndexReport report;           // this block's part, merged in block order
  std::vector<std::string> late_warnings;  // the synonyms' (block 0), reported last
  std::exception_ptr error;
};

// Gives `db` the spelling words and stem families buffered (then empty).
void write_words(Xapian::WritableDatabase& db,
                 std::unordered_map<std::string, Xapian::termcount>& spelling,
                 StemFamilyWriter& families) {
  // Glass looks every add_spelling() word up in its own maps: once per word
  // of the vocabulary instead of once per word of every document.
  for (const auto& [word, count] : spelling) db.add_spelling(word, count);
  spelling.clear();
  families.write(db);
}

// The spelling words and stem families of the finished blocks, written once
// into the merged generation. Written into each shard instead, glass would
// build every shard's spelling fragments and compaction would decompress,
// merge and compress them all again (alone on one core at the end): 10 % of
// a 10,000-document build's time (bench/README.md). The result is the same:
// frequencies add up and families are sets either way.
// Thread-safety: take() from any thread; write() once all blocks are done.
class WordTables {
 public:
  explicit WordTables(std::size_t held) : held_(held) {}

  // Takes a block's words, unless holding them would pass the bound given
  // (false: the block keeps them, to write into its own shard).
  bool take(std::unordered_map<std::string, Xapian::termcount>& spelling,
            StemFamilyWriter& families) {
    std::lock_guard lock(mutex_);
    if (spelling_.size() + spelling.size() > held_ ||
        families_.buffered() + families.buffered() > held_)
      return false;
    if (spelling_.empty()) {
      spelling_.swap(spelling);
    } else {
      for (auto& [word, count] : spelling) spelling_[word] += count;
      spelling.clear();
    }
    families_.absorb(families);
    return true;
  }

  void write(Xapian::WritableDatabase& db) { write_words(db, spelling_, families_); }

 private:
  const std::size_t held_;
  std::mutex mutex_;
  std::unordered_map<std::string, Xapian::termcount> spelling_;
  StemFamilyWriter families_;
};

// Writes one block's files into its shard, in crawl order.
class ShardWriter {
 public:
  // The shard is written in a transaction: when a write fails (a full disk),
  // the database's destructor cancels the rest instead of writing it again
  // (a second failure while the first unwinds is a std::terminate() from
  // glass's own cleanup, which WriteFailureGuard can only report from
  // errno). It still happens when the failure hits glass's value-chunk
  // writer during the final commit. Glass still flushes its postings every
  // XAPIAN_FLUSH_THRESHOLD documents within the transaction; the commit is
  // the close() in finish().
  // `block.streams` empty: the streams stay in the documents (a generation
  // of shards: stream_store.h).
  explicit ShardWriter(Block& block)
      : db_(block.shard.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_NO_SYNC),
        block_(block),
        report_(block.report) {
    if (!block.streams.empty()) spill_.emplace(block.streams);
    db_.begin_transaction(false);
  }

  void apply(const FileTask& task, const FileResult& result) {
    const std::string& path = task.file->id_path;
    report_.bytes_read += result.bytes;
    for (const auto& w : result.warnings) report_.warnings.push_back(path + ": " + w);
    switch (result.kind) {
      case FileResult::Kind::Documents:
        write_documents(result);
        break;
      case FileResult::Kind::Touch:
        ++report_.unchanged;
        break;  // not in a rebuild: nothing is known
      case FileResult::Kind::Skipped:
      case FileResult::Kind::Failed:
        remember_problem(db_, report_, task, result);
        break;
    }
  }

  Xapian::WritableDatabase& database() { return db_; }

  // Commits the shard; its spelling words and stem families go to `tables`
  // (or into the shard when `tables` holds too many already).
  void finish(WordTables& tables) {
    if (!tables.take(spelling_, families_)) write_spelling_and_families();
    db_.commit_transaction();
    db_.close();
    if (spill_) spill_->close();
  }

 private:
  void write_documents(const FileResult& result) {
    // add_document, never replace_document(term): a replace makes glass
    // flush every buffered position list to look the term up, which undoes
    // its batching (42 % of a build's CPU once). Ids written twice are
    // resolved after the merge.
    for (const auto& built : result.documents) {
      if (spill_) {
        // A handle on the built document, which is this run's alone.
        Xapian::Document document = built.document;
        spill_->add(document.get_value(schema::kSlotPositions));
        document.remove_value(schema::kSlotPositions);
        db_.add_document(document);
      } else {
        db_.add_document(built.document);
      }
      ++block_.documents;
      for (const auto& [word, count] : built.spelling) spelling_[word] += count;
      families_.add(built);
    }
    ++report_.added;
    report_.documents += result.documents.size();
    report_.text_bytes += result.text_bytes;
    pending_bytes_ += result.text_bytes;
    if (pending_bytes_ >= kCommitEveryTextBytes || spelling_.size() >= kSpellingWordsBuffered ||
        families_.buffered() >= kSpellingWordsBuffered)
      commit();
  }

  void commit() {
    write_spelling_and_families();
    db_.commit_transaction();
    db_.begin_transaction(false);
    pending_bytes_ = 0;
  }

  void write_spelling_and_families() { write_words(db_, spelling_, families_); }

  Xapian::WritableDatabase db_;
  Block& block_;
  IndexReport& report_;
  std::optional<StreamSpill> spill_;
  std::uint64_t pending_bytes_ = 0;
  std::unordered_map<std::string, Xapian::termcount> spelling_;  // not yet given to Xapian
  StemFamilyWriter families_;  // not yet given to Xapian nor to WordTables
};

void append(IndexReport& to, IndexReport& part) {
  to.added += part.added;
  to.unchanged += part.unchanged;
  to.documents += part.documents;
  to.text_bytes += part.text_bytes;
  to.bytes_read += part.bytes_read;
  for (auto& w : part.warnings) to.warnings.push_back(std::move(w));
  for (auto& p : part.skipped) to.skipped.push_back(std::move(p));
  for (auto& p : part.failed) to.failed.push_back(std::move(p));
}

// Two documents with one id (two files giving the same id): the later one
// wins, as a replace would, but keeps its own docid so that the result does
// not depend on which shards the two landed in.
std::vector<Xapian::docid> superseded_documents(const fs::path& generation) {
  std::vector<Xapian::docid> superseded;
  Xapian::Database merged(generation.string());
  const std::string prefix(schema::kIdPrefix);
  for (auto term = merged.allterms_begin(prefix); term != merged.allterms_end(prefix); ++term) {
    if (term.get_termfreq() < 2) continue;
    std::vector<Xapian::docid> ids;
    for (auto it = merged.postlist_begin(*term); it != merged.postlist_end(*term); ++it)
      ids.push_back(*it);
    superseded.insert(superseded.end(), ids.begin(), ids.end() - 1);
  }
  return superseded;
}

// The merged generation's last writes: the build's spelling words and stem
// families, and the deletion of superseded documents, in one commit.
void finish_generation(const fs::path& generation, WordTables& tables) {
  const std::vector<Xapian::docid> superseded = superseded_documents(generation);
  Xapian::WritableDatabase db(generation.string(), Xapian::DB_OPEN);
  db.begin_transaction(
      false);  // cancelled, not written again, if a write fails (ShardWriter says why)
  tables.write(db);
  for (auto id : superseded) db.delete_document(id);
  db.commit_transaction();
}

// Runs `job(i)` for i in [0, count) on `threads` threads (the calling one
// included); the first exception is rethrown once all have stopped.
template <typename Job>
void run_parallel(std::size_t count, std::size_t threads, Job job) {
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t i; !failed && (i = next++) < count;) {
      try {
        job(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < std::min(threads, count); ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  if (error) std::rethrow_exception(error);
}

// A file of the dictionary's sample: its document data as JSON (what the
// dictionary learns from), the words of its text with their counts (what the
// position streams' vocabulary learns from), and the file as extracted,
// kept for its block.
struct SampleFile {
  std::vector<std::string> data;
  std::unordered_map<std::string, std::uint64_t> words;
  std::optional<ExtractedFile> extracted;
};

// The first `limit` bytes of `text`, cut after a space (no half word).
std::string_view head_of(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  const std::size_t space = text.rfind(' ', limit);
  return text.substr(0, space == std::string_view::npos ? 0 : space);
}

// The files of the dictionary's sample, extracted (in parallel), by task
// index. Their documents are kept for the build while they add up to under
// kSampleKeptBytes; the others are extracted again when their block is built.
std::unordered_map<std::size_t, SampleFile> extract_sample(const std::vector<FileTask>& tasks,
                                                           const Extraction& extraction,
                                                           std::size_t threads) {
  std::unordered_map<std::size_t, SampleFile> sample;
  const std::size_t step = std::max<std::size_t>(1, tasks.size() / kSampleFiles);
  for (std::size_t i = 0; i < tasks.size() && sample.size() < kSampleFiles; i += step) sample[i];
  std::vector<std::pair<std::size_t, SampleFile*>> slots;
  for (auto& [i, file] : sample) slots.emplace_back(i, &file);
  const std::size_t per_file = kSampleBytes / std::max<std::size_t>(sample.size(), 1);
  std::atomic<std::uint64_t> kept{0};
  run_parallel(slots.size(), threads, [&](std::size_t k) {
    SampleFile& file = *slots[k].second;
    file.extracted = extraction.extract_file(tasks[slots[k].first]);
    if (!file.extracted->documents) return;
    // Each file gives its share of kSampleBytes (the first part of a huge
    // document is as good a sample as the rest of it).
    std::size_t share = 0, text_share = 0;
    std::uint64_t bytes = 0;
    std::optional<FrenchAnalyzer> analyzer;
    for (const auto& doc : *file.extracted->documents) {
      if (share < per_file) {
        file.data.push_back(encode_document_data(doc).substr(0, per_file - share));
        share += file.data.back().size();
      }
      for (std::string_view text : {std::string_view(doc.title), std::string_view(doc.body)}) {
        if (text_share >= per_file) break;
        text = head_of(text, per_file - text_share);
        text_share += text.size() + 1;
        if (!analyzer) analyzer.emplace();
        analyzer->analyze(text, [&](const Token& t) { ++file.words[t.exact]; });
      }
      bytes += doc.body.size() + doc.title.size();
    }
    if (kept.fetch_add(bytes) + bytes > kSampleKeptBytes) file.extracted.reset();
  });
  return sample;
}

// Trains the generation's data dictionary on the sample's document data, in
// crawl order: the same dictionary, hence the same index, whatever the
// number of threads. nullptr when the sample is too small (data_dictionary.h).
std::shared_ptr<const DataDictionary> train_dictionary(
    const std::unordered_map<std::size_t, SampleFile>& sample) {
  std::vector<std::size_t> order;
  for (const auto& [i, file] : sample) order.push_back(i);
  std::sort(order.begin(), order.end());
  std::vector<std::string> data;
  for (std::size_t i : order)
    for (const auto& one : sample.at(i).data) data.push_back(one);
  return DataDictionary::train(data);
}

// The generation's position-stream vocabulary from the sample's words: counts
// add up in any order, so it is the same whatever the number of threads.
std::shared_ptr<const StreamVocabulary> train_vocabulary(
    const std::unordered_map<std::size_t, SampleFile>& sample) {
  std::unordered_map<std::string, std::uint64_t> counts;
  for (const auto& [i, file] : sample)
    for (const auto& [word, count] : file.words) counts[word] += count;
  return std::make_shared<const StreamVocabulary>(StreamVocabulary::train(counts));
}

}  // namespace

std::vector<std::pair<std::size_t, std::size_t>> split_by_size(
    const std::vector<std::uint64_t>& sizes, std::size_t blocks) {
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  if (sizes.empty() || blocks == 0) return {{0, sizes.size()}};
  // +1 per item: empty files still cost an open and an extraction.
  long double total = 0;
  for (auto s : sizes) total += static_cast<long double>(s) + 1;
  long double sum = 0;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    sum += static_cast<long double>(sizes[i]) + 1;
    const std::size_t closed = ranges.size() + 1;
    if (closed < blocks &&
        sum * static_cast<long double>(blocks) >= total * static_cast<long double>(closed)) {
      ranges.push_back({begin, i + 1});
      begin = i + 1;
    }
  }
  if (begin < sizes.size()) ranges.push_back({begin, sizes.size()});
  return ranges;
}

void build_generation_in_shards(const fs::path& generation, const std::vector<FileTask>& tasks,
                                const Extraction& extraction, const SearchConfig& search,
                                const ShardBuildOptions& options, IndexReport& report) {
  const fs::path shards = generation / "shards";
  fs::create_directories(shards);

  std::uint64_t planned_bytes = 0;
  for (const auto& task : tasks) planned_bytes += task.file->size;
  const std::size_t threads = std::max<std::size_t>(options.threads, 1);
  const std::size_t outputs = std::max<std::size_t>(options.output_shards, 1);
  // The tasks by output shard, each in crawl order; blocks never span two.
  std::vector<std::size_t> order;
  std::vector<Block> blocks;
  for (std::size_t output = 0; output < outputs; ++output) {
    const std::size_t first = order.size();
    std::vector<std::uint64_t> sizes;
    for (std::size_t i = 0; i < tasks.size(); ++i)
      if (shard_of_file(tasks[i].source_term, outputs) == output) {
        order.push_back(i);
        sizes.push_back(tasks[i].file->size);
      }
    bool first_block = true;
    for (auto [begin, end] : split_by_size(sizes, threads * kBlocksPerThread)) {
      char name[32];
      std::snprintf(name, sizeof name, "%04zu", blocks.size());
      Block block{
          first + begin, first + end, output, first_block, shards / name, {}, 0, {}, {}, {}};
      // One database: its streams go to its stream file only (stream_store.h).
      if (outputs == 1) block.streams = shards / (std::string(name) + ".streams");
      blocks.push_back(std::move(block));
      first_block = false;
    }
  }

  std::unordered_map<std::size_t, SampleFile> sample = extract_sample(tasks, extraction, threads);
  const std::shared_ptr<const DataDictionary> dictionary = train_dictionary(sample);
  const std::shared_ptr<const StreamVocabulary> vocabulary = train_vocabulary(sample);

  ProgressMeter progress(options.progress, tasks.size(), planned_bytes);
  std::mutex progress_mutex;
  std::atomic<std::size_t> next_block{0};
  std::atomic<bool> failed{false};
  WordTables word_tables(options.word_tables_held);
  auto work = [&] {
    DocumentBuilder builder(search, dictionary, vocabulary);
    for (std::size_t b; !failed && (b = next_block++) < blocks.size();) {
      Block& block = blocks[b];
      try {
        ShardWriter writer(block);
        for (std::size_t at = block.begin; at < block.end && !failed; ++at) {
          const std::size_t i = order[at];
          // A sample file belongs to one block: only this thread touches it.
          auto in_sample = sample.find(i);
          const bool kept = in_sample != sample.end() && in_sample->second.extracted;
          writer.apply(
              tasks[i],
              kept ? extraction.build(tasks[i], std::move(*in_sample->second.extracted), builder)
                   : extraction.process(tasks[i], builder));
          std::lock_guard lock(progress_mutex);
          progress.advance(tasks[i].file->size);
        }
        if (block.first_of_output) {
          write_synonyms(writer.database(), options.synonyms, block.late_warnings);
          // Compaction keeps the first source's value of a metadata key.
          index_schema::mark_current(writer.database());
          if (dictionary) dictionary->store(writer.database());
          vocabulary->store(writer.database());
        }
        writer.finish(word_tables);
      } catch (...) {
        block.error = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> workers;
  for (std::size_t t = 1; t < std::min(threads, blocks.size()); ++t) workers.emplace_back(work);
  work();
  for (auto& w : workers) w.join();
  progress.finish();
  for (auto& block : blocks)
    if (block.error) std::rethrow_exception(block.error);

  for (auto& block : blocks) append(report, block.report);
  for (auto& block : blocks)
    for (auto& w : block.late_warnings) report.warnings.push_back(std::move(w));

  {
    // Families before compaction (family_assignment.h says why).
    const auto started = std::chrono::steady_clock::now();
    std::vector<fs::path> shard_paths;
    for (const auto& block : blocks) shard_paths.push_back(block.shard);
    const FamilyStats families = assign_families_in_shards(shard_paths);
    report.families = families.families;
    report.family_members = families.members;
    report.family_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  }
  for (std::size_t output = 0; output < outputs; ++output) {
    const fs::path target = outputs == 1 ? generation : generation / shard_folder_name(output);
    Xapian::Database sources;
    for (const auto& block : blocks)
      if (block.output == output) sources.add_database(Xapian::Database(block.shard.string()));
    // Renumbering (the default) puts each shard's docids after the previous
    // shard's last one: crawl order. FULL packs blocks (the generation
    // stays updatable by incremental runs; FULLER would not).
    sources.compact(target.string(), Xapian::Compactor::FULL);
    WordTables none(0);
    finish_generation(target, output == 0 ? word_tables : none);
    if (outputs == 1) {
      std::vector<SpilledBlock> spilled;
      for (const auto& block : blocks) spilled.push_back({block.streams, block.documents});
      write_spilled_streams(target, spilled);
    }
  }
  fs::remove_all(shards);
}

}  // namespace vigie
