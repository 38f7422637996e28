#include "matcher/title_words.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "index/schema.h"

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

}  // namespace

void boost_title_words(const Xapian::Database& db, PostingCache* postings,
                       const std::vector<QueryWord>& words, double boost, std::size_t count,
                       std::vector<WeighedDocument>& weighed) {
  if (words.empty() || boost <= 0 || weighed.empty()) return;
  const double documents = db.get_doccount();
  const std::vector<std::size_t> candidates = heaviest(weighed, count);
  std::vector<Xapian::docid> ids;  // ascending, as weighed is in id order
  for (std::size_t c : candidates) ids.push_back(weighed[c].id);
  std::vector<double> held(candidates.size(), 0.0);
  double total = 0;
  for (const auto& word : words) {
    std::vector<std::string> terms;
    double titled = 0;  // titles holding a form: at most the sum of the forms'
    for (const auto& form : word.forms) {
      std::string term = std::string(schema::kTitlePrefix) + form;
      if (const Xapian::doccount n = db.get_termfreq(term); n > 0) {
        titled += n;
        terms.push_back(std::move(term));
      }
    }
    if (terms.empty()) continue;  // in no title: weighs nothing either way
    const double weight = idf(documents, std::min(titled, documents));
    total += weight;
    // Title terms are not cached on one database (their postings would
    // take the budget of the words' that weighing reads); a remote shard
    // reads a posting list a message a posting.
    const bool cache = postings && postings->through_matcher();
    const std::vector<bool> holds = holding(db, cache ? postings : nullptr, terms, ids);
    for (std::size_t c = 0; c < candidates.size(); ++c)
      if (holds[c]) held[c] += weight;
  }
  if (total <= 0) return;
  for (std::size_t c = 0; c < candidates.size(); ++c)
    weighed[candidates[c]].weight *= 1.0 + boost * held[c] / total;
}

std::vector<bool> holding(const Xapian::Database& db, PostingCache* postings,
                          const std::vector<std::string>& terms,
                          const std::vector<Xapian::docid>& ids) {
  std::vector<bool> out(ids.size(), false);
  for (const auto& term : terms) {
    if (const auto kept = postings ? postings->get(db, term) : nullptr) {
      for (std::size_t i = 0; i < ids.size(); ++i)
        out[i] = out[i] || kept->find(ids[i]) != kept->npos;
      continue;
    }
    auto it = db.postlist_begin(term);
    const auto end = db.postlist_end(term);
    for (std::size_t i = 0; i < ids.size() && it != end; ++i) {
      it.skip_to(ids[i]);
      if (it != end && *it == ids[i]) out[i] = true;
    }
  }
  return out;
}

}  // namespace vigie
