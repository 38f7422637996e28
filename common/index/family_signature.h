// Family signatures: a short sketch of a document's text that tells whether
// two documents hold the same text — the minutes of one session as PDF, as
// HTML and as JSON — whatever the layout noise (page headers, line breaks,
// a few words), so that a search shows them once (docs/families.md).
//
// Method: the set of a document's word 3-shingles (three consecutive words
// of the analysed body, exact folded forms) summarised by one-permutation
// MinHash: each shingle's 64-bit hash falls in one of 128 bins by its top
// bits and the bin keeps the least of the rest; empty bins borrow from the
// next full one (densification, Shrivastava 2017). The share of equal bins
// of two signatures estimates the Jaccard similarity of their shingle sets
// (±0.04 at 0.7). One hash per shingle, not 128: a 1M-document build pays
// ~1 s for it, not a minute. Only the low 8 bits of each bin are kept
// (b-bit MinHash, Li & König 2010): 128 bytes a document; two unrelated
// bins agree by chance once in 256, which signature_similarity() takes out.
//
// Why 3-shingles: on the real minutes of ../shared/corpus, the PDF, HTML and
// JSON of one session have 3-shingle Jaccard 0.61–0.98 (median 0.88), and
// different sessions at most 0.68 (short sessions written from one
// template), a session and its one big deliberation at most 0.65;
// 1-shingles (words) put different sessions at 0.8.
//
// Short texts: with fewer than kMinShingles shingles most bins are
// borrowed, and two notes of eight words differing by one number were
// estimated at 0.7: a signature says how many shingles it summarises, and
// family_assignment.h joins short texts only when identical.
//
// Numbers: the decisions of one template — the same deliberation for
// another amount, the same order for another plot — are different documents
// however alike their words (0.87 for two 45-word deliberations differing by
// their amount). A signature also keeps the kNumberHashes least hashes of
// the text's distinct numbers of three digits or more (amounts, numbers of
// acts, years; not page numbers), a bottom-k sketch of that set: two texts
// whose numbers mostly differ are not one text (numbers_similarity()).
//
// The union of parts: a sketch of a document made of parts (a session's
// record and its deliberations) is the bin-wise least of theirs — exactly
// the sketch of the concatenated text (merge()).
//
// Thread-safety: values. Errors: decode() returns nullopt on a damaged value.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie {

inline constexpr std::size_t kSignatureBins = 128;
inline constexpr std::uint32_t kMinShingles = 32;
inline constexpr std::size_t kNumberHashes = 16;
using FamilySignature = std::array<std::uint8_t, kSignatureBins>;

// What the value slot holds: the signature and how many shingles it sums up.
struct SignatureValue {
  FamilySignature bins{};
  std::uint32_t shingles = 0;
  std::vector<std::uint32_t> numbers;  // the least hashes of its numbers, ascending
};

class ShingleSketch {
 public:
  ShingleSketch() { clear(); }
  void clear();
  // The next word of the text (a hash of its exact form; shingle_word_hash()).
  void add_word(std::uint64_t word_hash);
  // A number of the text (numbers_similarity()); also given to add_word().
  void add_number(std::uint64_t number_hash);
  // Ends the text: the next word starts a new shingle window (title | body).
  void break_text() { seen_ = 0; }
  // This sketch becomes that of this text and `other`'s together.
  void merge(const ShingleSketch& other);
  // No shingle yet (fewer than 3 words): no signature, no family.
  bool empty() const { return shingles_ == 0; }
  // The densified, 8-bit signature.
  FamilySignature signature() const;
  std::uint64_t shingles() const { return shingles_; }
  const std::vector<std::uint32_t>& numbers() const { return numbers_; }

 private:
  std::array<std::uint32_t, kSignatureBins> bins_;
  std::array<std::uint64_t, 2> previous_{};
  unsigned seen_ = 0;  // words in the window (at most 2 kept)
  std::uint64_t shingles_ = 0;
  std::vector<std::uint32_t> numbers_;  // ascending, distinct, at most kNumberHashes
};

// Whether a word (an exact folded form) counts as a number of the text:
// three digits or more, nothing but digits and / . - separators.
bool is_significant_number(std::string_view word);

// A word's hash for add_word() (FNV-1a 64 of its bytes, then mixed).
std::uint64_t shingle_word_hash(std::string_view word);

// Value slot form: the 128 bins, the shingle count, then the number hashes
// (4 bytes each, little-endian).
std::string encode_signature(const ShingleSketch& sketch);
std::optional<SignatureValue> decode_signature(std::string_view value);

// The share of the two texts' numbers they have in common (bottom-k estimate
// of the Jaccard similarity of their number sets); 1 when either has none.
double numbers_similarity(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b);

// The share of equal bins, less what chance gives 8-bit values: an estimate
// of the Jaccard similarity of the two texts' shingle sets.
double signature_similarity(const FamilySignature& a, const FamilySignature& b);

}  // namespace vigie
