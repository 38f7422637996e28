// ShardStub: the shards an index directory's `current` stub lists, read the
// way Xapian 1.4 reads a stub file (docs/admin-guide.md, "Shards"):
//
//   # a comment                 ignored, as are blank lines
//   auto gen-000004             a local database (relative to the index directory)
//   glass /srv/vigie/shard-2    the same, glass named
//   remote 10.0.0.7:7000        a database served by `xapian-tcpsrv --port 7000`
//   # vigie-copies /srv/vigie/index
//                               where local copies of remote shards are (a
//                               comment to Xapian; search/shard_set.h says why)
//
// Xapian reads `remote :PROGRAM ARGS` as a program to run (xapian-progsrv
// over ssh): Vigie refuses it, as it refuses any other line, so that a typo
// is an error at start naming the line rather than a program run or a hang.
// Thread-safety: functions of their arguments. Errors: IndexError.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace vigie {

struct ShardLine {
  enum class Kind { Local, Remote };
  Kind kind = Kind::Local;
  std::filesystem::path path;  // Local: absolute
  std::string host;            // Remote
  unsigned port = 0;           // Remote
  int line = 0;                // 1-based line of the stub
  // What messages and the JSON call it: the path, or "HOST:PORT".
  std::string name() const;
};

struct ShardStub {
  std::vector<ShardLine> shards;
  // `# vigie-copies DIR` lines (resolved like paths), then `root` itself.
  std::vector<std::filesystem::path> copy_dirs;
  bool sharded() const {
    return shards.size() > 1 || (shards.size() == 1 && shards[0].kind == ShardLine::Kind::Remote);
  }
};

// The shards of the stub's text, local paths resolved against `root` (the
// index directory). Throws IndexError("STUB:LINE: …") on a line Vigie
// cannot open, and when no shard is listed.
ShardStub parse_shard_stub(const std::string& text, const std::filesystem::path& root,
                           const std::string& stub_name);
// The same for the stub file `stub` (IndexError when unreadable).
ShardStub read_shard_stub(const std::filesystem::path& stub, const std::filesystem::path& root);

}  // namespace vigie
