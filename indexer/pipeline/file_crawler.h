// FileCrawler: lists the files under the indexed roots, with what the
// incremental plan needs (size, mtime). Hidden files and folders (".git",
// ".DS_Store") are not indexed; symbolic links to folders are not followed
// (no loops). Files and folders whose name matches one of the exclusion
// patterns (indexer.exclude: README, LICENSE… by default) are skipped and
// listed. Unreadable folders are reported, never fatal.
// Thread-safety: a function of the file system; call from one thread.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace vigie {

// A folder given to vigie-index, optionally named ("demo=corpus"): document
// ids are "<name>/<path in root>" for named roots, "<path in root>" otherwise.
struct IndexRoot {
  std::string name;
  std::filesystem::path path;
  // XA term body: the name, or the absolute path of an unnamed root.
  std::string key() const;
  // "demo=corpus" or "corpus"; throws std::invalid_argument on an empty path.
  static IndexRoot parse(const std::string& argument);
};

// A file's modification time as the crawl records it (mtime_ns below):
// std::filesystem::last_write_time's count, from a stat(2) already made.
std::int64_t file_time_ns(const struct stat& st);

struct CrawledFile {
  std::filesystem::path absolute;
  std::string relative;  // path inside its root, '/' separators, UTF-8
  std::string id_path;   // relative, prefixed with the root name when named
  std::size_t root_index = 0;
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
};

struct CrawlProblem {
  std::string path;
  std::string reason;
};

struct CrawlResult {
  std::vector<CrawledFile> files;      // sorted by id_path
  std::vector<CrawlProblem> problems;  // unreadable folders, special files
  std::vector<std::string> excluded;   // id paths skipped by a pattern, in crawl order
};

// `exclude`: glob patterns (* ? [...], case-insensitive). One without '/'
// is matched against each file or folder name, one with '/' against the
// path inside the root (« chemere/notes/* »). A root that is a single file
// is indexed whatever its name: it was asked for.
CrawlResult crawl(const std::vector<IndexRoot>& roots,
                  const std::vector<std::string>& exclude = {});

}  // namespace vigie
