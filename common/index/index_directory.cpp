#include "vigie/index_directory.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

namespace vigie {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kGenerationPrefix = "gen-";
constexpr const char* kRetiredMarker = ".retired";
constexpr std::string_view kShardPrefix = "shard-";  // vigie-index --shards N

std::optional<long> generation_number(const fs::path& p) {
  std::string name = p.filename().string();
  if (!name.starts_with(kGenerationPrefix) || name.size() != kGenerationPrefix.size() + 6)
    return std::nullopt;
  long n = 0;
  for (char c : name.substr(kGenerationPrefix.size())) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

void fsync_path(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

IndexDirectory::IndexDirectory(fs::path root) : root_(std::move(root)) {}

bool IndexDirectory::exists() const {
  return live_generation().has_value() || lists_remote_shards();
}

std::optional<fs::path> IndexDirectory::live_generation() const {
  std::ifstream in(stub_path());
  if (!in) return std::nullopt;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string backend, path;
    if (!(words >> backend >> path) || backend.starts_with("#")) continue;
    if (backend != "auto" && backend != "glass") continue;
    fs::path p = path;
    if (!p.is_absolute()) p = root_ / p;
    if (p.filename().string().starts_with(kShardPrefix) && generation_number(p.parent_path()))
      return p.parent_path();
    return p;
  }
  return std::nullopt;
}

bool IndexDirectory::lists_remote_shards() const {
  std::ifstream in(stub_path());
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string backend;
    if (words >> backend && backend == "remote") return true;
  }
  return false;
}

std::vector<fs::path> IndexDirectory::shards_of(const fs::path& generation) {
  std::vector<fs::path> shards;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(generation, ec))
    if (entry.is_directory(ec) && entry.path().filename().string().starts_with(kShardPrefix))
      shards.push_back(entry.path());
  std::sort(shards.begin(), shards.end());
  return shards;
}

std::vector<fs::path> IndexDirectory::generations() const {
  std::vector<std::pair<long, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    if (auto n = generation_number(entry.path()); n && entry.is_directory())
      found.push_back({*n, entry.path()});
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& [n, p] : found) out.push_back(p);
  return out;
}

fs::path IndexDirectory::next_generation() const {
  long next = 1;
  for (const auto& g : generations()) next = std::max(next, *generation_number(g) + 1);
  char name[32];
  std::snprintf(name, sizeof name, "gen-%06ld", next);
  return root_ / name;
}

void IndexDirectory::switch_to(const fs::path& generation) const {
  const fs::path previous = live_generation().value_or(fs::path());
  const fs::path tmp = root_ / "current.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "# Vigie live generation (written by vigie-index; see docs/admin-guide.md)\n";
    const auto shards = shards_of(generation);
    if (shards.empty()) out << "auto " << generation.filename().string() << "\n";
    for (const auto& shard : shards)
      out << "auto " << generation.filename().string() << "/" << shard.filename().string() << "\n";
    out.flush();
    if (!out) {
      const std::string reason = std::strerror(errno);
      std::error_code ignored;  // a half-written stub must not linger (disk full)
      fs::remove(tmp, ignored);
      throw IndexError("cannot write " + tmp.string() + ": " + reason);
    }
  }
  fsync_path(tmp, O_RDONLY);
  if (std::rename(tmp.c_str(), stub_path().c_str()) != 0)
    throw IndexError("cannot switch " + stub_path().string() + ": " + std::strerror(errno));
  fsync_path(root_, O_RDONLY | O_DIRECTORY);
  if (!previous.empty() && previous != generation) {
    std::ofstream marker(previous / kRetiredMarker,
                         std::ios::trunc);  // its mtime = retirement time
  }
}

std::vector<fs::path> IndexDirectory::remove_abandoned() const {
  std::vector<fs::path> removed;
  const auto live = live_generation();
  for (const auto& g : generations()) {
    std::error_code ec;
    if (live && g == *live) continue;
    // A generation that was live once carries the retired marker (switch_to).
    if (fs::exists(g / kRetiredMarker, ec)) continue;
    fs::remove_all(g, ec);
    if (!ec) removed.push_back(g);
  }
  return removed;
}

std::vector<fs::path> IndexDirectory::remove_retired(int keep, std::chrono::seconds grace) const {
  std::vector<fs::path> removed = remove_abandoned();
  const auto live = live_generation();
  if (!live) return removed;
  auto all = generations();
  int kept = 0;
  const auto now = fs::file_time_type::clock::now();
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    std::error_code ec;
    if (*it == *live || kept < keep) {
      ++kept;
      continue;
    }
    auto retired = fs::last_write_time(*it / kRetiredMarker, ec);
    if (ec || now - retired < grace) continue;
    fs::remove_all(*it, ec);
    if (!ec) removed.push_back(*it);
  }
  return removed;
}

IndexLock::IndexLock(const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  const fs::path lock = root / ".lock";
  fd_ = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw IndexError("cannot open " + lock.string() + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd_);
    fd_ = -1;
    throw IndexError("another vigie-index is already writing " + root.string() + " (lock " +
                     lock.string() + " is held); wait for it to finish");
  }
}

IndexLock::~IndexLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace vigie
