#include "matcher/block_maxima.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "matcher/match_bitmap.h"

namespace vigie {
namespace {

// The cache key: the parameters the maxima depend on, then the terms.
std::string key_of(const std::vector<std::string>& terms, const Bm25Config& bm25) {
  std::string key;
  for (double p : {bm25.k1, bm25.b, bm25.min_normlen})
    key.append(reinterpret_cast<const char*>(&p), sizeof p);
  for (const auto& t : terms) {
    key += t;
    key += '\0';
  }
  return key;
}

std::vector<float> compute(const BlockMaxima& blocks, const Xapian::Database& db,
                           PostingCache* postings, const std::vector<std::string>& terms,
                           const std::vector<std::uint32_t>& lengths, const Bm25Config& bm25) {
  const double inverse_avlength = db.get_avlength() > 0 ? 1 / db.get_avlength() : 0;
  const double k1_b = bm25.k1 * bm25.b, k1_rest = bm25.k1 * (1 - bm25.b);
  std::vector<double> most(blocks.blocks(db.get_lastdocid()), 0.0);
  auto offer = [&](Xapian::docid id, Xapian::termcount wdf) {
    if (wdf == 0) return;
    const double length = id < lengths.size() ? lengths[id] : 0;
    const double normalised = std::max(length * inverse_avlength, bm25.min_normlen);
    const double wdf_double = wdf;
    const double part = wdf_double / (k1_b * normalised + k1_rest + wdf_double);
    double& m = most[blocks.block_of(id)];
    if (part > m) m = part;
  };
  if (terms.size() == 1) {
    for_each_posting(db, postings, terms.front(), nullptr, offer);
  } else if (const auto both = postings ? postings->get_union(db, terms) : nullptr) {
    both->for_each(offer);  // a synonym's summed wdfs, kept
  } else {                  // a synonym: the summed wdfs
    std::vector<Xapian::termcount> sums(db.get_lastdocid() + 1, 0);
    for (const auto& t : terms)
      for_each_posting(db, postings, t, nullptr,
                       [&](Xapian::docid id, Xapian::termcount wdf) { sums[id] += wdf; });
    for (Xapian::docid id = 1; id < sums.size(); ++id) offer(id, sums[id]);
  }
  // Rounded up to a float (a bound must not fall below what it bounds).
  std::vector<float> out(most.size());
  for (std::size_t i = 0; i < most.size(); ++i) {
    float f = static_cast<float>(most[i]);
    if (static_cast<double>(f) < most[i]) f = std::nextafter(f, std::numeric_limits<float>::max());
    out[i] = f;
  }
  return out;
}

}  // namespace

std::shared_ptr<const std::vector<float>> BlockMaxima::get(
    const Xapian::Database& db, PostingCache* postings, const std::vector<std::string>& terms,
    const std::vector<std::uint32_t>& lengths, const Bm25Config& bm25) {
  const std::string key = key_of(terms, bm25);
  {
    std::lock_guard lock(mutex_);
    if (auto it = kept_.find(key); it != kept_.end()) return it->second;
  }
  auto maxima = std::make_shared<const std::vector<float>>(
      compute(*this, db, postings, terms, lengths, bm25));
  Xapian::doccount most_frequent = 0;
  for (const auto& t : terms) most_frequent = std::max(most_frequent, db.get_termfreq(t));
  if (most_frequent < db.get_doccount() * kMinShare) return maxima;
  const std::size_t bytes = maxima->size() * sizeof(float) + key.size();
  std::lock_guard lock(mutex_);
  if (auto it = kept_.find(key); it != kept_.end()) return it->second;
  if (bytes_ + bytes > kMaxBytes) return maxima;
  kept_.emplace(key, maxima);
  bytes_ += bytes;
  return maxima;
}

std::size_t BlockMaxima::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace vigie
