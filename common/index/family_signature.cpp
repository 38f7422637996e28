#include "index/family_signature.h"

#include <algorithm>
#include <iterator>
#include <limits>

namespace vigie {
namespace {

constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();

// splitmix64's finaliser: a shingle's hash from its words', every bit
// depending on every input bit (the bin comes from the top 6).
std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

}  // namespace

std::uint64_t shingle_word_hash(std::string_view word) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : word) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return mix(h);
}

void ShingleSketch::clear() {
  bins_.fill(kEmpty);
  seen_ = 0;
  shingles_ = 0;
  numbers_.clear();
}

namespace {
// Keeps the kNumberHashes least distinct values of `into` and `more`.
void keep_least(std::vector<std::uint32_t>& into, const std::vector<std::uint32_t>& more) {
  std::vector<std::uint32_t> all;
  std::set_union(into.begin(), into.end(), more.begin(), more.end(), std::back_inserter(all));
  if (all.size() > kNumberHashes) all.resize(kNumberHashes);
  into = std::move(all);
}
}  // namespace

void ShingleSketch::add_number(std::uint64_t number_hash) {
  const auto h = static_cast<std::uint32_t>(number_hash >> 32);
  if (numbers_.size() == kNumberHashes && h >= numbers_.back()) return;
  keep_least(numbers_, {h});
}

bool is_significant_number(std::string_view word) {
  std::size_t digits = 0;
  for (char c : word) {
    if (c >= '0' && c <= '9')
      ++digits;
    else if (c != '/' && c != '.' && c != '-')
      return false;
  }
  return digits >= 3;
}

double numbers_similarity(const std::vector<std::uint32_t>& a,
                          const std::vector<std::uint32_t>& b) {
  if (a.empty() || b.empty()) return 1.0;
  // The k least of the union, and how many of them both hold.
  std::vector<std::uint32_t> both = a;
  keep_least(both, b);
  std::size_t shared = 0;
  for (std::uint32_t h : both)
    shared +=
        std::binary_search(a.begin(), a.end(), h) && std::binary_search(b.begin(), b.end(), h);
  return static_cast<double>(shared) / static_cast<double>(both.size());
}

void ShingleSketch::add_word(std::uint64_t word_hash) {
  if (seen_ < 2) {
    previous_[seen_++] = word_hash;
    return;
  }
  // Order matters ("a b c" ≠ "c b a"): rotate each word by its place.
  const std::uint64_t h = mix(previous_[0] ^ ((previous_[1] << 21) | (previous_[1] >> 43)) ^
                              ((word_hash << 42) | (word_hash >> 22)));
  previous_[0] = previous_[1];
  previous_[1] = word_hash;
  ++shingles_;
  const std::size_t bin = h >> 57;  // 128 bins
  bins_[bin] = std::min(bins_[bin], static_cast<std::uint32_t>(h));
}

void ShingleSketch::merge(const ShingleSketch& other) {
  for (std::size_t i = 0; i < kSignatureBins; ++i) bins_[i] = std::min(bins_[i], other.bins_[i]);
  shingles_ += other.shingles_;
  keep_least(numbers_, other.numbers_);
}

FamilySignature ShingleSketch::signature() const {
  FamilySignature out{};
  if (empty()) return out;
  // Densification by rotation: an empty bin takes the next full bin's value
  // (cyclically), moved by how far it looked, so that two texts agree on it
  // with the probability of a real bin.
  for (std::size_t i = 0; i < kSignatureBins; ++i) {
    std::size_t step = 0;
    std::size_t j = i;
    while (bins_[j] == kEmpty) {
      j = (j + 1) % kSignatureBins;
      ++step;
    }
    const std::uint64_t value = bins_[j] + step * 0x9e3779b97f4a7c15ULL;
    out[i] = static_cast<std::uint8_t>(step == 0 ? value : mix(value));
  }
  return out;
}

std::string encode_signature(const ShingleSketch& sketch) {
  const FamilySignature bins = sketch.signature();
  std::string out(bins.begin(), bins.end());
  const auto shingles = static_cast<std::uint32_t>(
      std::min<std::uint64_t>(sketch.shingles(), std::numeric_limits<std::uint32_t>::max()));
  auto put32 = [&out](std::uint32_t v) {
    for (int byte = 0; byte < 4; ++byte) out.push_back(static_cast<char>((v >> (8 * byte)) & 0xff));
  };
  put32(shingles);
  for (std::uint32_t h : sketch.numbers()) put32(h);
  return out;
}

std::optional<SignatureValue> decode_signature(std::string_view value) {
  if (value.size() < kSignatureBins + 4 || (value.size() - kSignatureBins) % 4 != 0 ||
      value.size() > kSignatureBins + 4 + 4 * kNumberHashes)
    return std::nullopt;
  SignatureValue out;
  std::copy(value.begin(), value.begin() + kSignatureBins, out.bins.begin());
  auto get32 = [&value](std::size_t at) {
    std::uint32_t v = 0;
    for (int byte = 0; byte < 4; ++byte)
      v |= std::uint32_t{static_cast<unsigned char>(value[at + byte])} << (8 * byte);
    return v;
  };
  out.shingles = get32(kSignatureBins);
  for (std::size_t at = kSignatureBins + 4; at < value.size(); at += 4)
    out.numbers.push_back(get32(at));
  if (!std::is_sorted(out.numbers.begin(), out.numbers.end())) return std::nullopt;
  return out;
}

double signature_similarity(const FamilySignature& a, const FamilySignature& b) {
  std::size_t equal = 0;
  for (std::size_t i = 0; i < kSignatureBins; ++i) equal += a[i] == b[i];
  // Unrelated 8-bit values agree once in 256: P(equal) = J + (1 - J) / 256.
  constexpr double chance = 1.0 / 256;
  const double share = static_cast<double>(equal) / kSignatureBins;
  return std::max(0.0, (share - chance) / (1 - chance));
}

}  // namespace vigie
