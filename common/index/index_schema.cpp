#include "index/index_schema.h"

#include <charconv>

namespace vigie::index_schema {

int version_of(const Xapian::Database& db) {
  const std::string value = db.get_metadata(std::string(kMetadataKey));
  int version = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), version);
  if (ec != std::errc() || end != value.data() + value.size() || version < kStemTerms)
    return kStemTerms;
  return version;
}

void mark_current(Xapian::WritableDatabase& db) {
  db.set_metadata(std::string(kMetadataKey), std::to_string(kCurrent));
}

std::optional<std::string> layout_problem(const Xapian::Database& db) {
  const int version = version_of(db);
  if (version == kCurrent) return std::nullopt;
  return "the index has layout version " + std::to_string(version) +
         " and this Vigie reads version " + std::to_string(kCurrent) +
         " only: rebuild it with vigie-index --full";
}

bool must_rebuild(const std::filesystem::path& path, std::vector<std::string>& notes) {
  int version = kCurrent;
  try {
    version = version_of(Xapian::Database(path.string()));
  } catch (const Xapian::Error&) {
    return false;
  }
  if (version == kCurrent) return false;
  notes.push_back("the index has layout version " + std::to_string(version) +
                  "; this vigie-index writes version " + std::to_string(kCurrent) +
                  ": rebuilding it in full instead of updating it");
  return true;
}

}  // namespace vigie::index_schema
