// Synonym groups from config/synonyms.txt ("IA | intelligence artificielle"),
// shared by the indexer (which writes them into the index) and the query
// parser (which expands them). Forms are compared by their analysed key.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/french_analyzer.h"

namespace vigie {

struct SynonymGroup {
  std::vector<std::string> forms;  // as written in the file
};

// Reads the file; malformed lines (fewer than two forms) are reported in
// `warnings` with their line number and skipped. A missing file gives no
// groups and a warning.
std::vector<SynonymGroup> load_synonyms(const std::filesystem::path& file,
                                        std::vector<std::string>& warnings);
std::vector<SynonymGroup> parse_synonyms(std::string_view text, std::vector<std::string>& warnings);

// The analysed key of a form: its exact tokens joined by single spaces
// ("Intelligence  artificielle" → "intelligence artificielle").
std::string synonym_key(FrenchAnalyzer& analyzer, std::string_view form);

}  // namespace vigie
