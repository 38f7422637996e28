#include "build/synonym_file.h"

#include "vigie/synonyms.h"
#include "vigie/term_forms.h"

namespace vigie {

void write_synonyms(Xapian::WritableDatabase& db, const std::filesystem::path& file,
                    std::vector<std::string>& warnings) {
  // The table also holds the stem families the indexer wrote (term_forms.h):
  // only the user's keys are replaced.
  std::vector<std::string> keys;
  for (auto it = db.synonym_keys_begin(); it != db.synonym_keys_end(); ++it)
    if (!is_stem_family_key(*it)) keys.push_back(*it);
  for (const auto& key : keys) db.clear_synonyms(key);
  FrenchAnalyzer analyzer;
  for (const auto& group : load_synonyms(file, warnings)) {
    std::vector<std::string> forms;
    for (const auto& form : group.forms) {
      std::string key = synonym_key(analyzer, form);
      if (!key.empty()) forms.push_back(key);
    }
    for (const auto& a : forms)
      for (const auto& b : forms)
        if (a != b) db.add_synonym(a, b);
  }
}

}  // namespace vigie
