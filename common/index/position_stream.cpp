#include "index/position_stream.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>

namespace vigie {
namespace {

constexpr std::uint64_t kLiteralBase = StreamVocabulary::kLiteralBase;

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

// A stream's parts, checked for shape (the tokens' values are checked by
// whoever reads them).
struct StreamParts {
  std::uint32_t title_end = 0;
  unsigned width = 2;
  std::size_t jump_count = 0;
  std::string_view jumps;  // jump_count varint pairs
  std::size_t literal_count = 0;
  std::string_view literals;  // literal_count (n, bytes) entries
  std::string_view tokens;
  std::size_t token_count() const { return tokens.size() / width; }
  std::uint32_t token(std::size_t i) const {
    const auto* p = reinterpret_cast<const unsigned char*>(tokens.data()) + i * width;
    std::uint32_t v = p[0] | static_cast<std::uint32_t>(p[1]) << 8;
    if (width == 4)
      v |= static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
    return v;
  }
};

bool split_stream(std::string_view stream, StreamParts& parts) {
  std::size_t at = 0;
  std::uint64_t v = 0;
  if (!get_varint(stream, at, v) || v > UINT32_MAX) return false;
  parts.title_end = static_cast<std::uint32_t>(v);
  if (!get_varint(stream, at, v) || (v != 2 && v != 4)) return false;
  parts.width = static_cast<unsigned>(v);
  if (!get_varint(stream, at, v) || v > stream.size()) return false;
  parts.jump_count = v;
  const std::size_t jumps_begin = at;
  for (std::size_t i = 0; i < 2 * parts.jump_count; ++i)
    if (!get_varint(stream, at, v)) return false;
  parts.jumps = stream.substr(jumps_begin, at - jumps_begin);
  if (!get_varint(stream, at, v) || v > stream.size()) return false;
  parts.literal_count = v;
  const std::size_t literals_begin = at;
  for (std::size_t i = 0; i < parts.literal_count; ++i) {
    if (!get_varint(stream, at, v) || v > stream.size() - at) return false;
    at += v;
  }
  parts.literals = stream.substr(literals_begin, at - literals_begin);
  parts.tokens = stream.substr(at);
  return parts.tokens.size() % parts.width == 0;
}

// Calls fn(i, word) for each literal of a stream split by split_stream.
template <typename Fn>
void for_each_literal(const StreamParts& parts, Fn&& fn) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < parts.literal_count; ++i) {
    std::uint64_t length = 0;
    get_varint(parts.literals, at, length);  // checked by split_stream
    fn(i, parts.literals.substr(at, length));
    at += length;
  }
}

// Walks the jumps of a stream: the position of token i is i + offset().
class JumpWalker {
 public:
  explicit JumpWalker(const StreamParts& parts) : bytes_(parts.jumps), left_(parts.jump_count) {
    load();
  }
  // Moves past the jumps at tokens ≤ i; false when they make no sense.
  bool advance_to(std::size_t i) {
    while (has_next_ && next_index_ <= i) {
      offset_ += static_cast<std::int64_t>(next_k_) - 1;
      if (!load()) return false;
    }
    return ok_;
  }
  std::int64_t offset() const { return offset_; }

 private:
  bool load() {
    has_next_ = false;
    if (left_ == 0) return ok_;
    std::uint64_t delta = 0, k = 0;
    if (!get_varint(bytes_, at_, delta) || !get_varint(bytes_, at_, k) || k > UINT32_MAX ||
        delta > UINT32_MAX) {
      ok_ = false;
      return false;
    }
    next_index_ += delta;
    next_k_ = k;
    has_next_ = true;
    --left_;
    return ok_;
  }

  std::string_view bytes_;
  std::size_t at_ = 0, left_;
  std::uint64_t next_index_ = 0, next_k_ = 0;
  bool has_next_ = false, ok_ = true;
  std::int64_t offset_ = 0;
};

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

StreamVocabulary StreamVocabulary::train(
    const std::unordered_map<std::string, std::uint64_t>& counts) {
  std::vector<std::pair<std::uint64_t, const std::string*>> words;
  for (const auto& [word, count] : counts)
    // Metadata keys are bounded (Xapian: 245 bytes); so are index terms.
    if (count >= 2 && !word.empty() && word.size() <= 200) words.emplace_back(count, &word);
  std::sort(words.begin(), words.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  if (words.size() > kMaxWords) words.resize(kMaxWords);
  StreamVocabulary vocabulary;
  for (std::size_t i = 0; i < words.size(); ++i)
    vocabulary.add(*words[i].second, static_cast<std::uint32_t>(i));
  return vocabulary;
}

StreamVocabulary StreamVocabulary::load(const Xapian::Database& db) {
  StreamVocabulary vocabulary;
  if (const std::string whole = db.get_metadata(std::string(kWholeKey)); !whole.empty()) {
    for (std::size_t at = 0; at < whole.size();) {
      std::uint64_t code = 0, size = 0;
      if (!get_varint(whole, at, code) || !get_varint(whole, at, size) ||
          size > whole.size() - at || code >= kMaxWords)
        throw PositionStreamError("damaged vocabulary (" + std::string(kWholeKey) + ")");
      vocabulary.add(whole.substr(at, size), static_cast<std::uint32_t>(code));
      at += size;
    }
    return vocabulary;
  }
  const std::string prefix(kMetadataPrefix);
  for (auto key = db.metadata_keys_begin(prefix); key != db.metadata_keys_end(prefix); ++key) {
    const std::string word = (*key).substr(prefix.size());
    const auto code = parse_code(db.get_metadata(*key));
    if (!code) throw PositionStreamError("damaged vocabulary entry for « " + word + " »");
    vocabulary.add(word, *code);
  }
  return vocabulary;
}

std::optional<std::uint32_t> StreamVocabulary::lookup(const Xapian::Database& db,
                                                      std::string_view word) {
  if (word.empty() || word.size() > 200) return std::nullopt;
  // A damaged entry is a word without a code: its phrases then look for its
  // letters and find nothing, which is what a damaged index can give.
  return parse_code(db.get_metadata(metadata_key(word)));
}

void StreamVocabulary::store(Xapian::WritableDatabase& db) const {
  std::string whole;
  for (std::uint32_t code = 0; code < words_.size(); ++code) {
    if (!words_[code]) continue;
    const std::string& word = *words_[code];
    db.set_metadata(metadata_key(word), std::to_string(code));
    put_varint(whole, code);
    put_varint(whole, word.size());
    whole += word;
  }
  db.set_metadata(std::string(kWholeKey), whole);
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
  auto it = codes_.find(word);
  if (it == codes_.end()) return std::nullopt;
  return it->second;
}

void PositionStreamWriter::add_code(std::uint32_t code, std::uint32_t position) {
  const std::int64_t at = std::max<std::int64_t>(position, previous_ < 0 ? 0 : previous_);
  if (at != previous_ + 1) {
    put_varint(jumps_, tokens_.size() - last_jump_);
    put_varint(jumps_, static_cast<std::uint64_t>(at - previous_));
    last_jump_ = tokens_.size();
    ++jump_count_;
  }
  previous_ = at;
  tokens_.push_back(code);
}

std::uint32_t PositionStreamWriter::add(std::string_view word, std::uint32_t position) {
  std::uint32_t code;
  if (auto known = vocabulary_ ? vocabulary_->code(word) : std::nullopt) {
    code = *known;
  } else {
    auto literal = literals_.find(word);
    if (literal == literals_.end()) {
      literal =
          literals_.emplace(std::string(word), static_cast<std::uint32_t>(literals_.size())).first;
      put_varint(literal_bytes_, word.size());
      literal_bytes_.append(word);
    }
    code = StreamVocabulary::kLiteralBase + literal->second;
  }
  add_code(code, position);
  return code;
}

std::string PositionStreamWriter::finish(std::uint32_t title_end) {
  const unsigned width =
      std::any_of(tokens_.begin(), tokens_.end(), [](std::uint32_t t) { return t > 0xFFFF; }) ? 4
                                                                                              : 2;
  std::string stream;
  put_varint(stream, title_end);
  put_varint(stream, width);
  put_varint(stream, jump_count_);
  stream += jumps_;
  put_varint(stream, literals_.size());
  stream += literal_bytes_;
  stream.reserve(stream.size() + tokens_.size() * width);
  for (std::uint32_t t : tokens_)
    for (unsigned b = 0; b < width; ++b) stream.push_back(static_cast<char>((t >> (8 * b)) & 0xff));
  tokens_.clear();
  jumps_.clear();
  jump_count_ = last_jump_ = 0;
  literal_bytes_.clear();
  literals_.clear();
  previous_ = -1;
  return stream;
}

PositionMatcher::PositionMatcher(
    const PositionPattern& pattern,
    const std::function<std::optional<std::uint32_t>(const std::string&)>& code_of,
    std::size_t anchor)
    : kind_(pattern.kind),
      span_(pattern.span),
      title_only_(pattern.title_only),
      slot_count_(std::min(pattern.slots.size(), kMaxSlots)) {
  std::unordered_map<std::uint32_t, std::uint64_t> by_code;
  for (std::size_t i = 0; i < slot_count_; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    for (const auto& word : pattern.slots[i]) {
      if (auto code = code_of(word); code && *code < StreamVocabulary::kMaxWords) {
        by_code[*code] |= bit;
        continue;
      }
      // Only a word without a code is ever spelled in a stream.
      if (!word_slots_.count(word)) spelled_.push_back(word);
      word_slots_[word] |= bit;
      word_lengths_ |= std::uint64_t{1} << std::min<std::size_t>(word.size(), 63);
      if (!word.empty()) word_starts_.set(static_cast<unsigned char>(word[0]));
      spelled_words_ = true;
    }
  }
  code_slots_.assign(by_code.begin(), by_code.end());
  std::sort(code_slots_.begin(), code_slots_.end());
  // A bit for every two-byte token value: set for the slot words' codes and
  // for every literal (kLiteralBase and up, looked up per document).
  code_bits_.assign(0x10000 / 64, 0);
  for (const auto& [code, slots] : code_slots_)
    code_bits_[code / 64] |= std::uint64_t{1} << (code % 64);
  for (std::size_t w = kLiteralBase / 64; w < code_bits_.size(); ++w)
    code_bits_[w] = ~std::uint64_t{0};
  // A phrase is anchored on the slot asked for when its coded words are
  // few; the scan then looks for them alone — in a document none of whose
  // spelled words fills a slot (decode()).
  anchor_ = SIZE_MAX;
  if (kind_ == PositionPattern::Kind::Phrase && anchor < slot_count_) {
    std::vector<std::uint16_t> anchor_codes;
    for (const auto& [code, slots] : code_slots_)
      if ((slots >> anchor) & 1) anchor_codes.push_back(static_cast<std::uint16_t>(code));
    if (!anchor_codes.empty() && anchor_codes.size() <= kScanCodes) {
      anchor_ = anchor;
      anchor_codes_ = std::move(anchor_codes);
    }
  }
  if (code_slots_.size() <= kScanCodes)
    for (const auto& [code, slots] : code_slots_)
      scan_codes_.push_back(static_cast<std::uint16_t>(code));
}

std::size_t PositionMatcher::next_candidate(const std::vector<std::uint16_t>& codes,
                                            const unsigned char* tokens, std::size_t from,
                                            std::size_t count, bool literals) const {
  // Eight two-byte tokens at a time, compared with each code at once (GCC's
  // vector extensions: SSE2 on x86-64, plain code elsewhere).
  using Lanes = std::uint16_t __attribute__((vector_size(16)));
  using Found = std::int16_t __attribute__((vector_size(16)));
  auto broadcast = [](std::uint16_t v) { return Lanes{v, v, v, v, v, v, v, v}; };
  std::size_t i = from;
  if constexpr (std::endian::native == std::endian::little) {
    const Lanes literal_floor = broadcast(static_cast<std::uint16_t>(kLiteralBase));
    for (; i + 8 <= count; i += 8) {
      Lanes lanes;
      std::memcpy(&lanes, tokens + 2 * i, sizeof lanes);
      Found found = literals ? (lanes >= literal_floor) : Found{};
      for (std::uint16_t code : codes) found |= (lanes == broadcast(code));
      std::uint64_t halves[2];
      std::memcpy(halves, &found, sizeof halves);
      if (halves[0] | halves[1]) break;
    }
  }
  return i;
}

std::uint64_t PositionMatcher::slots_of_code(std::uint64_t code) const {
  auto it = std::lower_bound(
      code_slots_.begin(), code_slots_.end(),
      std::pair<std::uint32_t, std::uint64_t>(static_cast<std::uint32_t>(code), 0));
  return it != code_slots_.end() && it->first == code ? it->second : 0;
}

bool PositionMatcher::decode(std::string_view stream, std::vector<Hit>& hits,
                             std::uint32_t& title_end, bool may_spell) const {
  hits.clear();
  StreamParts parts;
  if (!split_stream(stream, parts)) return false;
  title_end = parts.title_end;
  // Whether a spelled word of this stream fills a slot, and which: looked
  // up without a copy, only when of a slot word's length and first byte,
  // and only when the caller cannot tell that the document holds none.
  bool literals = false;
  if (spelled_words_ && may_spell) {
    literal_slots_.assign(parts.literal_count, 0);
    for_each_literal(parts, [&](std::size_t i, std::string_view word) {
      if (!((word_lengths_ >> std::min<std::size_t>(word.size(), 63)) & 1)) return;
      if (word.empty() || !word_starts_.test(static_cast<unsigned char>(word[0]))) return;
      auto it = word_slots_.find(word);
      if (it != word_slots_.end()) {
        literal_slots_[i] = it->second;
        literals = true;
      }
    });
  }
  // The scan: one bit test per token, nearly always "no slot" (the loop
  // the matcher spends its time in: bench/README.md, change 9).
  const std::size_t count = parts.token_count();
  const std::uint64_t* bits = code_bits_.data();
  const auto* bytes = reinterpret_cast<const unsigned char*>(parts.tokens.data());
  auto slots_of = [&](std::uint32_t t, std::uint64_t& slots) {
    if (t < kLiteralBase) {
      slots = slots_of_code(t);
    } else if (t - kLiteralBase < parts.literal_count) {
      slots = literals ? literal_slots_[t - kLiteralBase] : 0;
    } else {
      return false;  // a literal the stream never gave
    }
    return true;
  };
  // Anchored (a phrase whose rarest slot has few codes): the vector scan
  // looks for that slot's words only, and the tokens around each of them —
  // as far as the phrase reaches, plus one per jump, since an alternative
  // shares a position — are examined for the other slots: every occurrence
  // of the phrase holds an anchor.
  // A phrase's words take their forms (query_terms.h): one of them is
  // nearly always spelled in some stream, but seldom in the document at
  // hand, which is then scanned as if none were (« adjoint technique » at
  // 100k: 3.0 → 1.2 ms).
  const bool anchored =
      anchor_ < slot_count_ && !literals && parts.width == 2 && parts.jump_count <= kMaxAnchorJumps;
  const std::size_t reach = slot_count_ + parts.jump_count;
  // The words the vector scan looks for: the anchor's, or every slot's.
  const std::vector<std::uint16_t>& codes = anchored ? anchor_codes_ : scan_codes_;
  const bool vectors = parts.width == 2 && !codes.empty();
  std::size_t examined = 0;  // tokens below this index are in `hits` if they fill a slot
  auto examine = [&](std::size_t i) {
    std::uint32_t t;
    if (parts.width == 2) {
      t = bytes[2 * i] | static_cast<std::uint32_t>(bytes[2 * i + 1]) << 8;
      if (!((bits[t >> 6] >> (t & 63)) & 1)) return std::uint64_t{0};
    } else {
      t = parts.token(i);
    }
    std::uint64_t slots = 0;
    if (!slots_of(t, slots)) return ~std::uint64_t{0};  // damaged
    return slots;
  };
  for (std::size_t i = 0; i < count; ++i) {
    if (vectors) {
      // Past the blocks of eight tokens where no word sought is.
      i = next_candidate(codes, bytes, std::max(i, examined), count, literals);
      if (i == count) break;
    }
    if (i < examined) continue;
    const std::uint64_t slots = examine(i);
    if (slots == ~std::uint64_t{0}) return false;
    if (!anchored) {
      if (slots)
        hits.push_back({static_cast<std::uint32_t>(std::min<std::size_t>(i, UINT32_MAX)), slots});
      examined = i + 1;
      continue;
    }
    if (!((slots >> anchor_) & 1)) continue;
    std::size_t end = std::min(count, i + reach + 1);
    for (std::size_t k = std::max(examined, i >= reach ? i - reach : 0); k < end; ++k) {
      const std::uint64_t near = examine(k);
      if (near == ~std::uint64_t{0}) return false;
      if (!near) continue;
      hits.push_back({static_cast<std::uint32_t>(std::min<std::size_t>(k, UINT32_MAX)), near});
      if ((near >> anchor_) & 1)
        end = std::min(count, std::max(end, k + reach + 1));  // another anchor
    }
    examined = end;
    i = end - 1;
  }
  // Token indexes to positions; one hit per position (an alternative
  // shares it): PROCHE, like Xapian's OP_NEAR, wants each operand at a
  // position of its own.
  JumpWalker jumps(parts);
  std::size_t kept = 0;
  for (std::size_t h = 0; h < hits.size(); ++h) {
    if (!jumps.advance_to(hits[h].position)) return false;
    const std::int64_t position = static_cast<std::int64_t>(hits[h].position) + jumps.offset();
    if (position < 0 || position > static_cast<std::int64_t>(UINT32_MAX)) return false;
    const auto p = static_cast<std::uint32_t>(position);
    if (kept > 0 && hits[kept - 1].position > p) return false;  // positions never go back
    if (kept > 0 && hits[kept - 1].position == p) {
      hits[kept - 1].slots |= hits[h].slots;
    } else {
      hits[kept++] = {p, hits[h].slots};
    }
  }
  hits.resize(kept);
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
  std::vector<int> owner;  // hit (window-relative) → slot, or -1
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

bool PositionMatcher::matches(std::string_view stream, bool may_spell) const {
  if (slot_count_ == 0) return false;
  std::uint32_t title_end = 0;
  if (!decode(stream, hits_, title_end, may_spell)) return false;
  return kind_ == PositionPattern::Kind::Phrase ? phrase_in(hits_, title_end) : near_in(hits_);
}

std::optional<StreamTokens> read_position_stream(std::string_view stream,
                                                 const StreamVocabulary& vocabulary) {
  StreamParts parts;
  if (!split_stream(stream, parts)) return std::nullopt;
  StreamTokens out;
  out.title_end = parts.title_end;
  std::vector<std::string_view> literals;
  for_each_literal(parts, [&](std::size_t, std::string_view word) { literals.push_back(word); });
  JumpWalker jumps(parts);
  std::int64_t previous = -1;
  for (std::size_t i = 0; i < parts.token_count(); ++i) {
    const std::uint32_t t = parts.token(i);
    std::string word;
    if (t < kLiteralBase) {
      const std::string* known = vocabulary.word(t);
      if (!known) return std::nullopt;
      word = *known;
    } else if (t - kLiteralBase < literals.size()) {
      word = literals[t - kLiteralBase];
    } else {
      return std::nullopt;
    }
    if (!jumps.advance_to(i)) return std::nullopt;
    const std::int64_t position = static_cast<std::int64_t>(i) + jumps.offset();
    if (position < previous || position < 0 || position > static_cast<std::int64_t>(UINT32_MAX))
      return std::nullopt;
    previous = position;
    out.tokens.emplace_back(static_cast<std::uint32_t>(position), std::move(word));
  }
  return out;
}

}  // namespace vigie
