#include "search/shard_set.h"

#include <algorithm>
#include <string_view>
#include <system_error>

#include "index/index_schema.h"
#include "vigie/index_setup.h"

namespace vigie {
namespace fs = std::filesystem;
namespace {

// What a shard must share with the first for their answers to be one
// index's: the stop words and synonyms its words were analysed with.
std::string analyser_setup(const Xapian::Database& db) {
  auto setup = recorded_setup(db);
  return setup ? setup->synonyms + '\x1f' + setup->stopwords : std::string("\x1e");
}

Xapian::Database open_shard(const ShardLine& line, unsigned timeout_ms) {
  if (line.kind == ShardLine::Kind::Remote)
    return Xapian::Remote::open(line.host, line.port, timeout_ms, timeout_ms);
  std::error_code ec;
  if (!fs::exists(line.path / "iamglass", ec))
    throw IndexUnavailable("shard " + line.name() + " (stub line " + std::to_string(line.line) +
                           ") is not a Vigie index: no glass database there");
  return Xapian::Database(line.path.string());
}

// A local database whose UUID is `uuid` among the folders of `roots` and
// theirs (an index directory's gen-N/shard-K).
std::optional<Xapian::Database> local_copy(const std::vector<fs::path>& roots,
                                           const std::string& uuid) {
  std::error_code ec;
  std::vector<fs::path> candidates;
  for (const fs::path& root : roots)
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (!entry.is_directory(ec)) continue;
      candidates.push_back(entry.path());
      for (const auto& inner : fs::directory_iterator(entry.path(), ec))
        if (inner.is_directory(ec)) candidates.push_back(inner.path());
    }
  for (const auto& dir : candidates) {
    if (!fs::exists(dir / "iamglass", ec)) continue;
    try {
      Xapian::Database db(dir.string());
      if (db.get_uuid() == uuid) return db;
    } catch (const Xapian::Error&) {
      // Not a readable database: not the copy.
    }
  }
  return std::nullopt;
}

}  // namespace

std::string ShardSet::failed_shard(const Xapian::Error& error) {
  const std::string context = error.get_context();
  constexpr std::string_view kTcp = "remote:tcp(";
  const auto start = context.find(kTcp);
  if (start == std::string::npos) return {};
  const auto end = context.find(')', start);
  if (end == std::string::npos) return {};
  return context.substr(start + kTcp.size(), end - start - kTcp.size());
}

ShardSet::ShardSet(ShardStub stub, unsigned timeout_ms, bool tolerate_down,
                   const std::vector<std::string>& down)
    : stub_(std::move(stub)) {
  std::optional<std::string> first_setup;
  for (const ShardLine& line : stub_.shards) {
    const bool remote = line.kind == ShardLine::Kind::Remote;
    any_remote_ = any_remote_ || remote;
    if (remote && tolerate_down && std::find(down.begin(), down.end(), line.name()) != down.end()) {
      missing_.push_back(line.name());
      continue;
    }
    Xapian::Database shard;
    std::optional<std::string> problem;
    std::string setup, uuid;
    try {
      shard = open_shard(line, timeout_ms);
      problem = index_schema::layout_problem(shard);
      setup = analyser_setup(shard);
      uuid = shard.get_uuid();
    } catch (const Xapian::Error& e) {
      // Down, past its timeout, or gone between the connection and the checks.
      if (remote && tolerate_down) {
        missing_.push_back(line.name());
        continue;
      }
      throw IndexUnavailable("shard " + line.name() + " (stub line " + std::to_string(line.line) +
                             ") cannot be opened: " + e.get_description());
    }
    if (problem) throw IndexUnavailable("shard " + line.name() + ": " + *problem);
    if (!first_setup) first_setup = setup;
    if (setup != *first_setup)
      throw IndexUnavailable("shard " + line.name() +
                             " was built with other synonyms or stop words than the first "
                             "shard: rebuild the shards with the same configuration");
    combined_.add_database(shard);
    if (!remote)
      vocabulary_.add_database(shard);
    else if (auto copy = local_copy(stub_.copy_dirs, uuid))
      vocabulary_.add_database(*copy);
    shards_.push_back(std::move(shard));
  }
  if (shards_.empty())
    throw IndexUnavailable("no shard of the index answers (" + std::to_string(missing_.size()) +
                           " down); retry later");
}

std::string ShardSet::revision() const {
  std::string out;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    if (!out.empty()) out += '.';
    const Xapian::Database& shard = shards_[i];
    // Xapian 1.4's remote backend does not tell a revision
    // (UnimplementedError): its counts stand for it — any commit adds,
    // removes or rewrites documents, which moves one of them.
    if (stub_.shards[i + missing_before(i)].kind == ShardLine::Kind::Remote)
      out += std::to_string(shard.get_lastdocid()) + ':' + std::to_string(shard.get_doccount()) +
             ':' + std::to_string(shard.get_total_length());
    else
      out += std::to_string(shard.get_revision());
  }
  return out;
}

std::size_t ShardSet::missing_before(std::size_t open_index) const {
  // shards_ skips the missing lines: the line of open shard i is the i-th
  // line that is not missing.
  std::size_t seen = 0, skipped = 0;
  for (const ShardLine& line : stub_.shards) {
    bool missing = false;
    for (const auto& name : missing_) missing = missing || name == line.name();
    if (missing) {
      ++skipped;
      continue;
    }
    if (seen++ == open_index) return skipped;
  }
  return skipped;
}

bool ShardSet::reopen() {
  bool changed = false;
  for (auto& shard : shards_) changed = shard.reopen() || changed;
  if (changed) vocabulary_.reopen();
  return changed;
}

}  // namespace vigie
