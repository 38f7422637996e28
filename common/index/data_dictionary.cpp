#include "index/data_dictionary.h"

#include <zdict.h>  // ZDICT_trainFromBuffer, ZDICT_getDictID
#include <zstd.h>

#include <algorithm>
#include <mutex>

#include "index/schema.h"

namespace vigie {
namespace {

// Level 3 (zstd's default): at 10k generated documents, 6 % less indexing CPU
// than level 9 for a document-data table 15 % larger (7.5 vs 6.5 MB, 2.6 % of
// the index); levels 5–7 sit between (bench/README.md, change 15).
constexpr int kLevel = 3;
// zstd's default capacity: 6 % better than 64 KB on the bench's documents.
constexpr std::size_t kMaxDictionaryBytes = 112640;
// Below this much sample data a dictionary learns little and zstd's trainer
// may fail: the data stays JSON.
constexpr std::size_t kMinSampleBytes = 64 * 1024;
constexpr std::size_t kMinSamples = 32;
// A frame claiming more than this is damaged (document data is far smaller:
// indexer.max_text_bytes).
constexpr unsigned long long kMaxDataBytes = 1ull << 30;

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

// One context per thread, reused: creating one costs more than compressing
// a document.
ZSTD_CCtx* thread_cctx() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> cctx(ZSTD_createCCtx());
  return cctx.get();
}
ZSTD_DCtx* thread_dctx() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> dctx(ZSTD_createDCtx());
  return dctx.get();
}

bool is_frame(std::string_view data) {
  return data.size() >= 4 && static_cast<unsigned char>(data[0]) == 0x28 &&
         static_cast<unsigned char>(data[1]) == 0xB5 &&
         static_cast<unsigned char>(data[2]) == 0x2F && static_cast<unsigned char>(data[3]) == 0xFD;
}

}  // namespace

struct DataDictionary::Contexts {
  ZSTD_DDict* ddict = nullptr;
  // The compression dictionary costs ~1 MB and tens of milliseconds to
  // prepare: only writers make it, on first use.
  mutable std::once_flag cdict_once;
  mutable ZSTD_CDict* cdict = nullptr;
  ~Contexts() {
    ZSTD_freeDDict(ddict);
    ZSTD_freeCDict(cdict);
  }
};

DataDictionary::DataDictionary(std::string bytes)
    : bytes_(std::move(bytes)), contexts_(std::make_unique<Contexts>()) {
  id_ = ZDICT_getDictID(bytes_.data(), bytes_.size());
  if (id_ == 0) throw DataDictionaryError("not a zstd dictionary (no dictionary id)");
  contexts_->ddict = ZSTD_createDDict(bytes_.data(), bytes_.size());
  if (!contexts_->ddict) throw DataDictionaryError("zstd refused the dictionary");
}

DataDictionary::~DataDictionary() = default;

std::shared_ptr<const DataDictionary> DataDictionary::train(
    const std::vector<std::string>& samples) {
  std::string joined;
  std::vector<std::size_t> sizes;
  for (const auto& s : samples) {
    if (s.empty()) continue;
    joined += s;
    sizes.push_back(s.size());
  }
  if (sizes.size() < kMinSamples || joined.size() < kMinSampleBytes) return nullptr;
  // The capacity matters more than the sample's size: 0.6 MB of samples for
  // the full 110 KB did within 2 % of 7 MB, and 3 times better than 0.6 MB
  // for 32 KB (bench/README.md).
  const std::size_t capacity =
      std::clamp<std::size_t>(joined.size() / 4, 4096, kMaxDictionaryBytes);
  std::string dictionary(capacity, '\0');
  const std::size_t made = ZDICT_trainFromBuffer(dictionary.data(), capacity, joined.data(),
                                                 sizes.data(), static_cast<unsigned>(sizes.size()));
  // The trainer fails on samples with nothing in common: no dictionary then.
  if (ZDICT_isError(made)) return nullptr;
  dictionary.resize(made);
  return std::make_shared<const DataDictionary>(std::move(dictionary));
}

std::shared_ptr<const DataDictionary> DataDictionary::load(const Xapian::Database& db) {
  std::string bytes = db.get_metadata(std::string(kMetadataKey));
  if (bytes.empty()) return nullptr;
  return std::make_shared<const DataDictionary>(std::move(bytes));
}

void DataDictionary::store(Xapian::WritableDatabase& db) const {
  db.set_metadata(std::string(kMetadataKey), bytes_);
}

std::string DataDictionary::compress(std::string_view data) const {
  std::call_once(contexts_->cdict_once, [&] {
    contexts_->cdict = ZSTD_createCDict(bytes_.data(), bytes_.size(), kLevel);
  });
  if (!contexts_->cdict)
    throw DataDictionaryError("zstd could not prepare the dictionary for compression");
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const std::size_t n = ZSTD_compress_usingCDict(thread_cctx(), out.data(), out.size(), data.data(),
                                                 data.size(), contexts_->cdict);
  if (ZSTD_isError(n)) throw DataDictionaryError(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::optional<std::string> DataDictionary::decompress(std::string_view frame) const {
  if (!is_frame(frame) || ZSTD_getDictID_fromFrame(frame.data(), frame.size()) != id_)
    return std::nullopt;
  const unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxDataBytes)
    return std::nullopt;
  std::string out(static_cast<std::size_t>(size), '\0');
  const std::size_t n = ZSTD_decompress_usingDDict(thread_dctx(), out.data(), out.size(),
                                                   frame.data(), frame.size(), contexts_->ddict);
  if (ZSTD_isError(n) || n != out.size()) return std::nullopt;
  return out;
}

std::string stored_data(std::string json, const DataDictionary* dictionary) {
  if (!dictionary) return json;
  return dictionary->compress(json);
}

std::string stored_data_json(std::string_view stored, const DataDictionary* dictionary) {
  if (!is_frame(stored)) return std::string(stored);
  if (!dictionary) return {};
  return dictionary->decompress(stored).value_or(std::string());
}

void set_stored_data(Xapian::Document& doc, std::string stored) {
  doc.add_value(schema::kSlotData, stored);
}

std::string stored_data_of(const Xapian::Document& doc) { return doc.get_value(schema::kSlotData); }

}  // namespace vigie
