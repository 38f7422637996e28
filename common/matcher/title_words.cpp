#include "matcher/title_words.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "index/schema.h"
#include "matcher/proximity.h"

namespace vigie {
namespace {

// Xapian 1.4's BM25 term weight without a relevance set (bm25weight.cc):
// log((N − n + ½) / (n + ½)), the ratio taken as ratio × ½ + 1 when ≤ 2 so
// that a word in most titles still weighs a little.
double idf(double documents, double holding) {
  double ratio = (documents - holding + 0.5) / (holding + 0.5);
  if (ratio <= 2.0) ratio = ratio * 0.5 + 1.0;
  return std::log(ratio);
}

// Whether `id` holds `term`: the cached postings, else a posting list skip.
bool holds(const Xapian::Database& db, PostingCache* postings, const std::string& term,
           Xapian::docid id) {
  if (postings)
    if (const auto kept = postings->get(db, term)) return kept->find(id) != kept->npos;
  auto it = db.postlist_begin(term);
  it.skip_to(id);
  return it != db.postlist_end(term) && *it == id;
}

}  // namespace

void boost_title_words(const Xapian::Database& db, PostingCache* postings,
                       const std::vector<QueryWord>& words, double boost,
                       std::vector<WeighedDocument>& weighed) {
  if (words.empty() || boost <= 0 || weighed.empty()) return;
  const double documents = db.get_doccount();
  std::vector<std::vector<std::string>> titles(words.size());
  for (std::size_t w = 0; w < words.size(); ++w)
    for (const auto& form : words[w].forms)
      titles[w].push_back(std::string(schema::kTitlePrefix) + form);
  std::vector<double> weights(words.size(), 0.0);
  double total = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    double holding = 0;  // titles holding a form: at most the sum of the forms'
    for (const auto& term : titles[w]) holding += db.get_termfreq(term);
    if (holding == 0) continue;  // in no title: weighs nothing either way
    weights[w] = idf(documents, std::min(holding, documents));
    total += weights[w];
  }
  if (total <= 0) return;
  const auto candidates = heaviest(weighed, kProximityCandidates);
  std::vector<double> helds;
  for (std::size_t i : candidates) {
    double held = 0;
    for (std::size_t w = 0; w < words.size(); ++w) {
      if (weights[w] <= 0) continue;
      const auto& terms = titles[w];
      if (std::any_of(terms.begin(), terms.end(), [&](const std::string& term) {
            return holds(db, postings, term, weighed[i].id);
          }))
        held += weights[w];
    }
    helds.push_back(held);
  }
  for (std::size_t k = 0; k < candidates.size(); ++k)
    weighed[candidates[k]].weight *= 1.0 + boost * helds[k] / total;
}

std::size_t words_held(const Xapian::Database& db, PostingCache* postings,
                       const std::vector<QueryWord>& words, std::string_view prefix,
                       Xapian::docid id) {
  std::size_t held = 0;
  for (const auto& word : words)
    held += std::any_of(word.forms.begin(), word.forms.end(), [&](const std::string& form) {
      return holds(db, postings, std::string(prefix) + form, id);
    });
  return held;
}

}  // namespace vigie
