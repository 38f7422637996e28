#include "pipeline/setup_record.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "index/schema.h"
#include "vigie/index_setup.h"

namespace vigie {
namespace {

// A file's bytes, or "" when it cannot be read (the synonyms and stop words
// loaders already warned: "no synonyms").
std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return {};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string root_key(const IndexedRoot& root) {
  return root.name.empty() ? root.dir.generic_string() : root.name;
}

}  // namespace

void record_run_setup(Xapian::WritableDatabase& db, const Config& config,
                      const std::vector<IndexRoot>& roots) {
  IndexSetup setup;
  for (const auto& root : roots) {
    IndexedRoot recorded{root.name, root.key()};
    if (!root.name.empty()) recorded.dir = parse_root_argument(root.path.string()).dir;
    setup.roots.push_back(std::move(recorded));
  }
  if (auto before = recorded_setup(db)) {
    for (const auto& old : before->roots) {
      const bool given =
          std::any_of(setup.roots.begin(), setup.roots.end(),
                      [&](const IndexedRoot& r) { return root_key(r) == root_key(old); });
      if (!given && db.term_exists(std::string(schema::kRootPrefix) + root_key(old)))
        setup.roots.push_back(old);
    }
  }
  setup.folders = config.indexer.folders;
  setup.synonyms = file_text(config.analysis.synonyms);
  setup.stopwords = file_text(config.analysis.stopwords);
  setup.search = config.search;
  record_setup(db, setup);
}

}  // namespace vigie
