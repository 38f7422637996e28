#include "pipeline/stream_spill.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include "index/stream_store.h"
#include "vigie/index_directory.h"

namespace vigie {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const char* what, const fs::path& path) {
  throw IndexError(std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

// The blocks' records one after the other: the streams of ids 1, 2, …
class SpilledStreams {
 public:
  explicit SpilledStreams(const std::vector<SpilledBlock>& blocks) : blocks_(blocks) {}
  ~SpilledStreams() {
    if (file_) std::fclose(file_);
  }
  SpilledStreams(const SpilledStreams&) = delete;
  SpilledStreams& operator=(const SpilledStreams&) = delete;

  std::string_view next() {
    while (left_ == 0) {
      if (file_) std::fclose(file_);
      file_ = nullptr;
      if (next_block_ == blocks_.size()) throw IndexError("position streams missing");
      const SpilledBlock& block = blocks_[next_block_++];
      left_ = block.documents;
      if (left_ == 0) continue;
      path_ = block.streams;
      file_ = std::fopen(path_.c_str(), "rb");
      if (!file_) fail("cannot open", path_);
    }
    --left_;
    std::uint32_t size = 0;
    if (std::fread(&size, sizeof size, 1, file_) != 1) fail("cannot read", path_);
    stream_.resize(size);
    if (std::fread(stream_.data(), 1, size, file_) != size) fail("cannot read", path_);
    return stream_;
  }

 private:
  const std::vector<SpilledBlock>& blocks_;
  std::size_t next_block_ = 0;
  Xapian::docid left_ = 0;  // records left in `file_`
  std::FILE* file_ = nullptr;
  fs::path path_;
  std::string stream_;
};

}  // namespace

StreamSpill::StreamSpill(fs::path path) : path_(std::move(path)) {
  file_ = std::fopen(path_.c_str(), "wb");
  if (!file_) fail("cannot create", path_);
}

StreamSpill::~StreamSpill() {
  if (file_) std::fclose(file_);
}

void StreamSpill::add(std::string_view stream) {
  const auto size = static_cast<std::uint32_t>(stream.size());
  if (std::fwrite(&size, sizeof size, 1, file_) != 1 ||
      std::fwrite(stream.data(), 1, stream.size(), file_) != stream.size())
    fail("cannot write", path_);
}

void StreamSpill::close() {
  std::FILE* file = file_;
  file_ = nullptr;
  if (std::fclose(file) != 0) fail("cannot write", path_);
}

void write_spilled_streams(const fs::path& generation, const std::vector<SpilledBlock>& blocks) {
  Xapian::docid spilled = 0;
  for (const auto& block : blocks) spilled += block.documents;
  const Xapian::Database db(generation.string());
  if (spilled != db.get_lastdocid())
    throw IndexError("position streams: " + std::to_string(spilled) +
                     " documents spilled, the merged index ends at id " +
                     std::to_string(db.get_lastdocid()));
  SpilledStreams streams(blocks);
  try {
    StreamStore::write(db, generation, [&](Xapian::docid) { return streams.next(); });
  } catch (const StreamStoreError& e) {
    throw IndexError(std::string("cannot write the position file: ") + e.what());
  }
}

}  // namespace vigie
