#include "vigie/synonyms.h"

#include <fstream>
#include <sstream>

#include "vigie/text_normalization.h"

namespace vigie {

std::vector<SynonymGroup> parse_synonyms(std::string_view text,
                                         std::vector<std::string>& warnings) {
  std::vector<SynonymGroup> groups;
  std::istringstream lines{std::string(text)};
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    std::string trimmed = collapse_spaces(line);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    SynonymGroup group;
    std::size_t start = 0;
    while (start <= trimmed.size()) {
      auto bar = trimmed.find('|', start);
      std::string form = collapse_spaces(
          trimmed.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
      if (!form.empty()) group.forms.push_back(make_valid_utf8(form));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (group.forms.size() < 2) {
      warnings.push_back("synonyms line " + std::to_string(number) +
                         ": needs at least two forms separated by |");
      continue;
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

std::vector<SynonymGroup> load_synonyms(const std::filesystem::path& file,
                                        std::vector<std::string>& warnings) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    warnings.push_back("synonyms file " + file.string() + " not found: no synonyms");
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_synonyms(text.str(), warnings);
}

std::string synonym_key(FrenchAnalyzer& analyzer, std::string_view form) {
  std::string key;
  analyzer.analyze(form, [&](const Token& t) {
    if (t.alternative) return;
    if (!key.empty()) key += ' ';
    key += t.exact;
  });
  return key;
}

}  // namespace vigie
