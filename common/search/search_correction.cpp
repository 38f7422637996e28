#include "search/search_correction.h"

#include <algorithm>
#include <cctype>

#include "index/schema.h"
#include "query/query_lexer.h"

namespace vigie {
namespace {

// IndexColumns::facets reads (type, organisation, year): see index_columns.cpp.
constexpr std::size_t kOrganisationColumn = 1;

// The words of a folded name, cut at spaces and ASCII punctuation, so that
// « Aubrac » is found in « Commune de Val-d'Aubrac ».
std::vector<std::string> words_of(const std::string& folded) {
  std::vector<std::string> words;
  std::string word;
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

Xapian::doccount documents_of(const Xapian::Database& db, const std::string& key) {
  return db.get_termfreq(std::string(schema::kOrgPrefix) + key);
}

bool is_organisation_field(const Lexeme& l) {
  return l.kind == LexKind::Field && !l.prefix && !l.excluded &&
         (l.field == "collectivite" || l.field == "org" || l.field == "organisation");
}

// The query with each `collectivite:` value the index does not know
// replaced by the name organisation_named_like finds, quoted.
std::string corrected_fields(const std::string& query, const Xapian::Database& db,
                             const IndexColumns& columns) {
  std::vector<std::string> warnings;  // the real parse reports them
  const std::string clean = sanitize_query_text(query, warnings);
  // The real parse has already bounded the query (max_query_terms).
  const auto lexemes = lex_query(clean, clean.size() + 1, warnings);
  std::string out;
  std::size_t copied = 0;
  for (const auto& l : lexemes) {
    if (!is_organisation_field(l) || l.begin < copied) continue;
    auto name = organisation_named_like(l.text, db, columns);
    // A name with a quotation mark could not be written back as one value.
    if (!name || name->find('"') != std::string::npos) continue;
    out.append(clean, copied, l.begin - copied);
    out += l.quoted ? *name : '"' + *name + '"';
    copied = l.end;
  }
  if (copied == 0) return query;
  out.append(clean, copied, std::string::npos);
  return out;
}

}  // namespace

std::optional<std::string> organisation_named_like(std::string_view given,
                                                   const Xapian::Database& db,
                                                   const IndexColumns& columns) {
  const std::string key = schema::facet_key(given);
  const std::vector<std::string> wanted = words_of(key);
  if (wanted.empty() || documents_of(db, key) > 0) return std::nullopt;
  const FacetColumns& facets = columns.facets;
  std::optional<std::string> best;
  Xapian::doccount best_count = 0;
  for (std::size_t code = 1; code <= facets.distinct_values(kOrganisationColumn); ++code) {
    const std::string& name = facets.value(kOrganisationColumn, static_cast<std::uint32_t>(code));
    const std::string name_key = schema::facet_key(name);
    const std::vector<std::string> have = words_of(name_key);
    if (!std::includes(have.begin(), have.end(), wanted.begin(), wanted.end())) continue;
    const Xapian::doccount count = documents_of(db, name_key);
    if (count == 0) continue;
    if (!best || count > best_count || (count == best_count && name.size() < best->size())) {
      best = name;
      best_count = count;
    }
  }
  return best;
}

std::optional<CorrectedRequest> corrected_request(const SearchRequest& request,
                                                  const std::string& spelling_suggestion,
                                                  const Xapian::Database& db,
                                                  const IndexColumns& columns) {
  CorrectedRequest fixed{request, {}};
  fixed.request.correct = false;
  const std::string& typed = spelling_suggestion.empty() ? request.query : spelling_suggestion;
  const std::string query = corrected_fields(typed, db, columns);
  if (query != request.query) {
    fixed.corrections.push_back({"q", request.query, query});
    fixed.request.query = query;
  }
  for (auto& organisation : fixed.request.organisations) {
    auto name = organisation_named_like(organisation, db, columns);
    if (!name) continue;
    fixed.corrections.push_back({"organisation", organisation, *name});
    organisation = *name;
  }
  if (fixed.corrections.empty()) return std::nullopt;
  return fixed;
}

}  // namespace vigie
