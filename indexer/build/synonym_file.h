// Writes the synonym groups of config/synonyms.txt into the index (Xapian
// synonyms, keyed by analysed form), replacing the groups written before.
// The stem families that share the synonym table (keys starting with Z or
// XZ: term_forms.h) are kept.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <string>
#include <vector>

namespace vigie {

void write_synonyms(Xapian::WritableDatabase& db, const std::filesystem::path& file,
                    std::vector<std::string>& warnings);

}  // namespace vigie
