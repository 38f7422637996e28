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
                       const std::vector<QueryWord>& words, double boost, std::size_t count,
                       std::vector<WeighedDocument>& weighed) {
  if (words.empty() || boost <= 0 || weighed.empty()) return;
  const double documents = db.get_doccount();
  const std::vector<std::size_t> candidates = heaviest(weighed, count);
  std::vector<double> held(candidates.size(), 0.0);
  double total = 0;
  for (const auto& word : words) {
    std::vector<std::string> terms;
    double holding = 0;  // titles holding a form: at most the sum of the forms'
    for (const auto& form : word.forms) {
      std::string term = std::string(schema::kTitlePrefix) + form;
      if (const Xapian::doccount n = db.get_termfreq(term); n > 0) {
        holding += n;
        terms.push_back(std::move(term));
      }
    }
    if (terms.empty()) continue;  // in no title: weighs nothing either way
    const double weight = idf(documents, std::min(holding, documents));
    total += weight;
    // Which candidates hold a form: each form's postings read once, the
    // candidates in id order (a look-up per candidate and form opened a
    // posting list each time: +0.3 ms on three-word queries at 100k).
    std::vector<bool> holds(candidates.size(), false);
    for (const auto& term : terms) {
      if (const auto kept = postings ? postings->get(db, term) : nullptr) {
        for (std::size_t c = 0; c < candidates.size(); ++c)
          holds[c] = holds[c] || kept->find(weighed[candidates[c]].id) != kept->npos;
        continue;
      }
      auto it = db.postlist_begin(term);
      const auto end = db.postlist_end(term);
      for (std::size_t c = 0; c < candidates.size() && it != end; ++c) {
        it.skip_to(weighed[candidates[c]].id);
        if (it != end && *it == weighed[candidates[c]].id) holds[c] = true;
      }
    }
    for (std::size_t c = 0; c < candidates.size(); ++c)
      if (holds[c]) held[c] += weight;
  }
  if (total <= 0) return;
  for (std::size_t c = 0; c < candidates.size(); ++c)
    weighed[candidates[c]].weight *= 1.0 + boost * held[c] / total;
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
