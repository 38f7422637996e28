#include "vigie/position_stream.h"

#include <algorithm>
#include <charconv>

namespace vigie {
namespace {

constexpr std::uint64_t kJump = 0;
constexpr std::uint64_t kNewLiteral = 1;
constexpr std::uint64_t kLiteralAgain = 2;
constexpr std::uint64_t kFirstCode = 3;

void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// False at the end of `in` or on a varint longer than 64 bits.
bool get_varint(std::string_view in, std::size_t& at, std::uint64_t& v) {
  v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (at >= in.size()) return false;
    const auto byte = static_cast<unsigned char>(in[at++]);
    v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return true;
  }
  return false;
}

std::string metadata_key(std::string_view word) {
  std::string key(StreamVocabulary::kMetadataPrefix);
  key += word;
  return key;
}

std::optional<std::uint32_t> parse_code(const std::string& value) {
  std::uint32_t code = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), code);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
      code >= StreamVocabulary::kMaxWords)
    return std::nullopt;
  return code;
}

}  // namespace

StreamVocabulary StreamVocabulary::train(const std::unordered_map<std::string, std::uint64_t>& counts) {
  std::vector<std::pair<std::uint64_t, const std::string*>> words;
  for (const auto& [word, count] : counts)
    // Metadata keys are bounded (Xapian: 245 bytes); so are index terms.
    if (count >= 2 && !word.empty() && word.size() <= 200) words.emplace_back(count, &word);
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  if (words.size() > kMaxWords) words.resize(kMaxWords);
  StreamVocabulary vocabulary;
  for (std::size_t i = 0; i < words.size(); ++i) vocabulary.add(*words[i].second, static_cast<std::uint32_t>(i));
  return vocabulary;
}

StreamVocabulary StreamVocabulary::load(const Xapian::Database& db) {
  StreamVocabulary vocabulary;
  const std::string prefix(kMetadataPrefix);
  for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
    const std::string word = (*key).substr(prefix.size());
    const auto code = parse_code(db.get_metadata(*key));
    if (!code) throw PositionStreamError("damaged vocabulary entry for « " + word + " »");
    vocabulary.add(word, *code);
  }
  return vocabulary;
}

std::optional<std::uint32_t> StreamVocabulary::lookup(const Xapian::Database& db, std::string_view word) {
  if (word.empty() || word.size() > 200) return std::nullopt;
  // A damaged entry is a word without a code: its phrases then look for its
  // letters and find nothing, which is what a damaged index can give.
  return parse_code(db.get_metadata(metadata_key(word)));
}

void StreamVocabulary::store(Xapian::WritableDatabase& db) const {
  for (const auto& [word, code] : codes_) db.set_metadata(metadata_key(word), std::to_string(code));
}

void StreamVocabulary::add(std::string word, std::uint32_t code) {
  auto [it, fresh] = codes_.emplace(std::move(word), code);
  if (!fresh) return;
  if (words_.size() <= code) words_.resize(code + 1, nullptr);
  words_[code] = &it->first;  // node-based map: the key stays where it is
}

const std::string* StreamVocabulary::word(std::uint32_t code) const {
  return code < words_.size() ? words_[code] : nullptr;
}

std::optional<std::uint32_t> StreamVocabulary::code(std::string_view word) const {
  if (codes_.empty()) return std::nullopt;
  auto it = codes_.find(std::string(word));
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

void PositionStreamWriter::add(std::string_view word, std::uint32_t position) {
  const std::int64_t at = std::max<std::int64_t>(position, previous_ < 0 ? 0 : previous_);
  if (at != previous_ + 1) {
    put_varint(entries_, kJump);
    put_varint(entries_, static_cast<std::uint64_t>(at - previous_));
  }
  previous_ = at;
  if (vocabulary_) {
    if (auto code = vocabulary_->code(word)) {
      put_varint(entries_, kFirstCode + *code);
      return;
    }
  }
  auto [literal, fresh] = literals_.try_emplace(std::string(word), static_cast<std::uint32_t>(literals_.size()));
  if (!fresh) {
    put_varint(entries_, kLiteralAgain);
    put_varint(entries_, literal->second);
    return;
  }
  put_varint(entries_, kNewLiteral);
  put_varint(entries_, word.size());
  entries_.append(word);
}

std::string PositionStreamWriter::finish(std::uint32_t title_end) {
  std::string stream;
  stream.reserve(entries_.size() + 5);
  put_varint(stream, title_end);
  stream += entries_;
  entries_.clear();
  literals_.clear();
  previous_ = -1;
  return stream;
}

PositionMatcher::PositionMatcher(const PositionPattern& pattern,
                                 const std::function<std::optional<std::uint32_t>(const std::string&)>& code_of)
    : kind_(pattern.kind),
      span_(pattern.span),
      title_only_(pattern.title_only),
      slot_count_(std::min(pattern.slots.size(), kMaxSlots)) {
  for (std::size_t i = 0; i < slot_count_; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    for (const auto& word : pattern.slots[i]) {
      word_slots_[word] |= bit;
      if (auto code = code_of(word)) code_slots_[*code] |= bit;
    }
  }
}

bool PositionMatcher::decode(std::string_view stream, std::vector<Hit>& hits, std::uint32_t& title_end) const {
  hits.clear();
  literal_slots_.clear();
  std::size_t at = 0;
  std::uint64_t v = 0;
  if (!get_varint(stream, at, v) || v > UINT32_MAX) return false;
  title_end = static_cast<std::uint32_t>(v);
  std::int64_t previous = -1;
  std::uint64_t jump = 1;
  while (at < stream.size()) {
    if (!get_varint(stream, at, v)) return false;
    std::uint64_t slots = 0;
    if (v == kJump) {
      if (!get_varint(stream, at, jump) || jump > UINT32_MAX) return false;
      continue;
    } else if (v == kNewLiteral) {
      std::uint64_t length = 0;
      if (!get_varint(stream, at, length) || length > stream.size() - at) return false;
      auto it = word_slots_.find(std::string(stream.substr(at, length)));
      at += length;
      slots = it == word_slots_.end() ? 0 : it->second;
      literal_slots_.push_back(slots);
    } else if (v == kLiteralAgain) {
      std::uint64_t i = 0;
      if (!get_varint(stream, at, i) || i >= literal_slots_.size()) return false;
      slots = literal_slots_[i];
    } else {
      auto it = code_slots_.find(static_cast<std::uint32_t>(std::min<std::uint64_t>(v - kFirstCode, UINT32_MAX)));
      slots = it == code_slots_.end() ? 0 : it->second;
    }
    const std::int64_t position = previous + static_cast<std::int64_t>(jump);
    if (position > static_cast<std::int64_t>(UINT32_MAX)) return false;
    previous = position;
    jump = 1;
    if (!slots) continue;
    // One hit per position (an alternative shares it): PROCHE, like
    // Xapian's OP_NEAR, wants each operand at a position of its own.
    if (!hits.empty() && hits.back().position == position)
      hits.back().slots |= slots;
    else
      hits.push_back({static_cast<std::uint32_t>(position), slots});
  }
  return true;
}

bool PositionMatcher::phrase_in(const std::vector<Hit>& hits, std::uint32_t title_end) const {
  const std::uint64_t n = slot_count_;
  for (std::size_t a = 0; a < hits.size(); ++a) {
    if (!(hits[a].slots & 1)) continue;
    const std::uint64_t start = hits[a].position;
    if (title_only_ && start + n > title_end) continue;
    bool whole = true;
    std::size_t k = a;
    for (std::uint64_t j = 1; j < n && whole; ++j) {
      // Hits are in position order: the next slot's is further on.
      while (k < hits.size() && hits[k].position < start + j) ++k;
      bool found = false;
      for (std::size_t m = k; m < hits.size() && hits[m].position == start + j && !found; ++m)
        found = (hits[m].slots >> j) & 1;
      whole = found;
    }
    if (whole) return true;
  }
  return false;
}

bool PositionMatcher::near_in(const std::vector<Hit>& hits) const {
  const std::size_t n = slot_count_;
  // Each slot needs a position of its own within the window: a matching of
  // slots to hits (augmenting paths; a window holds few hits).
  std::vector<int> owner;    // hit (window-relative) → slot, or -1
  std::vector<char> visited;
  for (std::size_t left = 0; left < hits.size(); ++left) {
    std::size_t right = left;
    while (right < hits.size() && hits[right].position - hits[left].position < span_) ++right;
    std::uint64_t covered = 0;
    for (std::size_t i = left; i < right; ++i) covered |= hits[i].slots;
    if (covered != (n == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1)) continue;
    const std::size_t width = right - left;
    if (width < n) continue;
    owner.assign(width, -1);
    std::function<bool(std::size_t)> place = [&](std::size_t slot) {
      for (std::size_t h = 0; h < width; ++h) {
        if (!((hits[left + h].slots >> slot) & 1) || visited[h]) continue;
        visited[h] = 1;
        if (owner[h] < 0 || place(static_cast<std::size_t>(owner[h]))) {
          owner[h] = static_cast<int>(slot);
          return true;
        }
      }
      return false;
    };
    bool all = true;
    for (std::size_t slot = 0; slot < n && all; ++slot) {
      visited.assign(width, 0);
      all = place(slot);
    }
    if (all) return true;
  }
  return false;
}

bool PositionMatcher::matches(std::string_view stream) const {
  if (slot_count_ == 0) return false;
  std::uint32_t title_end = 0;
  if (!decode(stream, hits_, title_end)) return false;
  return kind_ == PositionPattern::Kind::Phrase ? phrase_in(hits_, title_end) : near_in(hits_);
}

std::optional<StreamTokens> read_position_stream(std::string_view stream, const StreamVocabulary& vocabulary) {
  StreamTokens out;
  std::vector<std::string> literals;
  std::size_t at = 0;
  std::uint64_t v = 0;
  if (!get_varint(stream, at, v) || v > UINT32_MAX) return std::nullopt;
  out.title_end = static_cast<std::uint32_t>(v);
  std::int64_t previous = -1;
  std::uint64_t jump = 1;
  while (at < stream.size()) {
    if (!get_varint(stream, at, v)) return std::nullopt;
    std::string word;
    if (v == kJump) {
      if (!get_varint(stream, at, jump) || jump > UINT32_MAX) return std::nullopt;
      continue;
    } else if (v == kNewLiteral) {
      std::uint64_t length = 0;
      if (!get_varint(stream, at, length) || length > stream.size() - at) return std::nullopt;
      word = literals.emplace_back(stream.substr(at, length));
      at += length;
    } else if (v == kLiteralAgain) {
      std::uint64_t i = 0;
      if (!get_varint(stream, at, i) || i >= literals.size()) return std::nullopt;
      word = literals[i];
    } else {
      const std::string* known = v - kFirstCode < UINT32_MAX ? vocabulary.word(static_cast<std::uint32_t>(v - kFirstCode)) : nullptr;
      if (!known) return std::nullopt;
      word = *known;
    }
    const std::int64_t position = previous + static_cast<std::int64_t>(jump);
    if (position > static_cast<std::int64_t>(UINT32_MAX)) return std::nullopt;
    previous = position;
    jump = 1;
    out.tokens.emplace_back(static_cast<std::uint32_t>(position), std::move(word));
  }
  return out;
}

}  // namespace vigie
