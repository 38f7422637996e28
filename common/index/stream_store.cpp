#include "index/stream_store.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "index/schema.h"

namespace vigie {
namespace {

constexpr char kMagic[8] = {'V', 'I', 'G', 'I', 'E', 'P', 'S', '1'};
constexpr std::size_t kUuidBytes = 40;
constexpr std::size_t kHeaderBytes =
    sizeof kMagic + 4 + 4 + kUuidBytes;  // 56: the offsets stay 8-aligned
constexpr std::size_t kFlushBytes = 1u << 20;

std::string system_error(const std::string& what, const std::filesystem::path& path) {
  return what + " " + path.string() + ": " + std::strerror(errno);
}

// The temporary file being written: closed, and removed unless renamed.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::filesystem::path path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) throw StreamStoreError(system_error("cannot create", path_));
  }
  ~TemporaryFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!renamed_) ::unlink(path_.c_str());
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  void write_at(std::uint64_t at, const char* bytes, std::size_t size) {
    while (size > 0) {
      const ssize_t n = ::pwrite(fd_, bytes, size, static_cast<off_t>(at));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw StreamStoreError(system_error("cannot write", path_));
      bytes += n;
      size -= static_cast<std::size_t>(n);
      at += static_cast<std::uint64_t>(n);
    }
  }
  // Flushes it to disk and gives it its final name.
  void commit_as(const std::filesystem::path& final_path) {
    if (::fsync(fd_) != 0) throw StreamStoreError(system_error("cannot sync", path_));
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) throw StreamStoreError(system_error("cannot close", path_));
    if (::rename(path_.c_str(), final_path.c_str()) != 0)
      throw StreamStoreError(system_error("cannot rename into place", path_));
    renamed_ = true;
  }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool renamed_ = false;
};

void put_u32(std::string& out, std::uint32_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

std::uint32_t get_u32(const char* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

std::string header_of(const Xapian::Database& db) {
  const Xapian::docid last = db.get_lastdocid();
  const Xapian::rev revision = db.get_revision();
  const std::string uuid = db.get_uuid();
  if (revision > std::numeric_limits<std::uint32_t>::max() || uuid.size() > kUuidBytes ||
      last >= std::numeric_limits<std::uint32_t>::max() - 2)
    throw StreamStoreError("this index's revision or UUID does not fit a position file");
  std::string header(kMagic, sizeof kMagic);
  put_u32(header, static_cast<std::uint32_t>(revision));
  put_u32(header, last);
  header += uuid;
  header.resize(kHeaderBytes, '\0');
  return header;
}

// Gives the file of `store` the header of `db` (same generation, same last
// id, no stream changed): a searcher that mapped it already validated the
// old header and keeps its mapping; one that opens it now sees the new one.
void restamp(const Xapian::Database& db, const std::filesystem::path& path) {
  const std::string header = header_of(db);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw StreamStoreError(system_error("cannot open", path));
  const ssize_t n = ::pwrite(fd, header.data(), header.size(), 0);
  const bool synced = n == static_cast<ssize_t>(header.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) throw StreamStoreError(system_error("cannot write", path));
}

}  // namespace

void StreamStore::write(const Xapian::Database& db, const std::filesystem::path& generation_dir,
                        const StreamOf& stream_of) {
  const std::string header = header_of(db);
  const Xapian::docid last = db.get_lastdocid();
  const std::filesystem::path final_path = generation_dir / kFileName;
  TemporaryFile file(final_path.string() + ".tmp");
  std::vector<std::uint64_t> offsets(static_cast<std::size_t>(last) + 2);
  const std::uint64_t data_start = kHeaderBytes + offsets.size() * sizeof(std::uint64_t);
  std::uint64_t at = data_start;  // where the next stream goes
  std::uint64_t flushed = at;     // where `pending` goes
  std::string pending;
  offsets[0] = at;
  for (Xapian::docid id = 1; id <= last; ++id) {
    offsets[id] = at;
    const std::string_view stream = stream_of(id);
    pending += stream;
    at += stream.size();
    if (pending.size() >= kFlushBytes) {
      file.write_at(flushed, pending.data(), pending.size());
      flushed += pending.size();
      pending.clear();
    }
  }
  offsets[static_cast<std::size_t>(last) + 1] = at;
  file.write_at(flushed, pending.data(), pending.size());
  file.write_at(0, header.data(), header.size());
  file.write_at(kHeaderBytes, reinterpret_cast<const char*>(offsets.data()),
                offsets.size() * sizeof(std::uint64_t));
  file.commit_as(final_path);
}

void StreamStore::write(const Xapian::Database& db, const std::filesystem::path& generation_dir,
                        bool unchanged) {
  const std::shared_ptr<const StreamStore> previous = open_generation(db, generation_dir);
  const Xapian::ValueIterator end = db.valuestream_end(schema::kSlotPositions);
  Xapian::ValueIterator values = db.valuestream_begin(schema::kSlotPositions);
  if (previous && (values == end || unchanged) && previous->last_docid() == db.get_lastdocid()) {
    restamp(db, generation_dir / kFileName);
    return;
  }
  // The previous file's streams of documents that still exist.
  Xapian::PostingIterator documents = db.postlist_begin("");
  const Xapian::PostingIterator no_more = db.postlist_end("");
  std::string value;
  write(db, generation_dir, [&](Xapian::docid id) -> std::string_view {
    if (values != end && values.get_docid() < id) values.skip_to(id);
    if (values != end && values.get_docid() == id) {
      value = *values;
      return value;
    }
    if (!previous || id > previous->last_docid()) return {};
    if (documents != no_more && *documents < id) documents.skip_to(id);
    if (documents == no_more || *documents != id) return {};
    return previous->stream(id);
  });
}

std::shared_ptr<StreamStore> StreamStore::map(const Xapian::Database& db,
                                              const std::filesystem::path& generation_dir) {
  const std::filesystem::path path = generation_dir / kFileName;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size < static_cast<off_t>(kHeaderBytes)) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* mapped = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);  // the mapping keeps the file
  if (mapped == MAP_FAILED) return nullptr;
  const char* base = static_cast<const char*>(mapped);
  // From here, the mapping is the store's: its destructor unmaps it.
  const std::uint32_t revision = get_u32(base + sizeof kMagic);
  const std::uint32_t last = get_u32(base + sizeof kMagic + 4);
  std::shared_ptr<StreamStore> store(new StreamStore(base, size, last));

  std::string uuid(base + kHeaderBytes - kUuidBytes, kUuidBytes);
  uuid.resize(std::strlen(uuid.c_str()));
  if (std::memcmp(base, kMagic, sizeof kMagic) != 0 || uuid != db.get_uuid() ||
      revision > db.get_revision() || last > db.get_lastdocid())
    return nullptr;  // another database's (or not a store at all)
  // Offsets inside the file and in order: stream() may then trust them.
  const std::uint64_t entries = static_cast<std::uint64_t>(last) + 2;
  const std::uint64_t data_start = kHeaderBytes + entries * sizeof(std::uint64_t);
  if (data_start > size) return nullptr;
  const std::uint64_t* offsets = store->offsets_;
  if (offsets[0] != data_start) return nullptr;
  for (std::uint64_t i = 1; i < entries; ++i)
    if (offsets[i] < offsets[i - 1]) return nullptr;
  if (offsets[entries - 1] > size) return nullptr;
  store->complete_ = revision == db.get_revision() && last == db.get_lastdocid();
  return store;
}

std::shared_ptr<const StreamStore> StreamStore::open(const Xapian::Database& db,
                                                     const std::filesystem::path& generation_dir) {
  auto store = map(db, generation_dir);
  if (!store || !store->complete()) return nullptr;
  return store;
}

std::shared_ptr<const StreamStore> StreamStore::open_generation(
    const Xapian::Database& db, const std::filesystem::path& generation_dir) {
  return map(db, generation_dir);
}

std::string_view DocumentStreams::stream(Xapian::docid id) {
  // A document added since the store was opened (a reopened handle) is read from its value.
  if (store_ && store_->complete() && id <= store_->last_docid()) return store_->stream(id);
  const Xapian::ValueIterator end = db_.valuestream_end(schema::kSlotPositions);
  if (!values_ || id < at_) values_ = db_.valuestream_begin(schema::kSlotPositions);
  at_ = id;
  Xapian::ValueIterator& values = *values_;
  if (values != end && values.get_docid() < id) values.skip_to(id);
  if (values != end && values.get_docid() == id) {
    value_ = *values;
    return value_;
  }
  return store_ ? store_->stream(id) : std::string_view();
}

std::shared_ptr<const StreamStore> StreamStoreSlot::get(const Xapian::Database& db) const {
  if (generation_dir_.empty()) return nullptr;
  std::lock_guard lock(mutex_);
  if (store_ && store_->complete()) return store_;
  const auto now = std::chrono::steady_clock::now();
  if (looked_ && now - *looked_ < retry_) return store_;
  looked_ = now;
  if (auto found = StreamStore::open_generation(db, generation_dir_)) store_ = std::move(found);
  return store_;
}

StreamStore::StreamStore(const char* base, std::size_t size, Xapian::docid last_docid)
    : base_(base),
      size_(size),
      last_docid_(last_docid),
      offsets_(reinterpret_cast<const std::uint64_t*>(base + kHeaderBytes)) {}

StreamStore::~StreamStore() { ::munmap(const_cast<char*>(base_), size_); }

}  // namespace vigie
