// FileCrawler: lists the files under the indexed roots, with what the
// incremental plan needs (size, mtime). Hidden files and folders (".git",
// ".DS_Store") are not indexed; symbolic links to folders are not followed
// (no loops). Unreadable folders are reported, never fatal.
// Thread-safety: a function of the file system; call from one thread.
#pragma once

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
};

CrawlResult crawl(const std::vector<IndexRoot>& roots);

}  // namespace vigie
