// Position streams: a document's word positions kept as one value of the
// document (schema::kSlotPositions) instead of in Xapian's position table.
//
// Why: glass stores one B-tree item per (word, document) pair — key = the
// word and the docid, ~17 bytes before the first position — and a document
// has ~210 distinct words, most of them once: at 100k documents the
// position table was 376 MB, 59 % of the index (bench/README.md). The same
// positions as one stream per document cost ~700 bytes: every word is a
// two-byte code of the generation's vocabulary, or a reference to its
// letters. Phrases and PROCHE (position_filter_source.h) read the stream of
// each candidate document, as Xapian reads its position lists.
//
// The vocabulary: the words of the --full build's sample (the data
// dictionary's, shard_build.cpp) seen twice or more, most frequent first:
// the same vocabulary, hence the same index, whatever the number of
// threads. It is kept in the generation's metadata, one key per word
// (kMetadataPrefix + word → code), so that a query looks up its few words
// in the shard it searches; incremental runs load it whole and spell the
// words it lacks.
//
// Stream layout (varints: 7 bits per byte, low bits first):
//   title_end         positions < title_end are the title's
//   width             2 or 4: bytes per token (4 only for a document with
//                     more than 4,096 distinct words outside the vocabulary)
//   jumps, then for each: (token index − previous jump's, k): that token is
//                     at the previous token's position + k instead of + 1
//                     (k = 0: an alternative sharing its position; after the
//                     title: the gap that keeps phrases from spanning it; the
//                     first token: k = its position + 1)
//   literals, then for each: (n, n bytes): a word outside the vocabulary
//   tokens            one per word, in position order, `width` bytes little
//                     endian: a vocabulary code (< kLiteralBase), or
//                     kLiteralBase + the index of a literal
// Fixed-width tokens make the matcher's scan a tight loop without a branch
// per token kind (varint codes measured 4 ns per byte, bench/README.md).
//
// Thread-safety: a StreamVocabulary is immutable once built and may be
// shared; a writer or matcher belongs to one thread. Errors: load() throws
// PositionStreamError on a damaged vocabulary entry; a damaged stream never
// throws: it matches nothing.
#pragma once

#include <xapian.h>

#include <bitset>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace vigie {

class PositionStreamError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Hashes std::string keys and std::string_view lookups alike, so that a
// word read from a token or a stream is looked up without a copy.
struct WordHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view word) const {
    return std::hash<std::string_view>{}(word);
  }
};
template <typename T>
using WordMap = std::unordered_map<std::string, T, WordHash, std::equal_to<>>;

class StreamVocabulary {
 public:
  static constexpr std::string_view kMetadataPrefix = "vigie.pw:";
  // The whole vocabulary again under one key (word lengths and codes as
  // varints): what load() reads in one request, where one key per word
  // costs a remote shard a round trip per word (61,440 at most).
  static constexpr std::string_view kWholeKey = "vigie.pwords";
  // Codes are below kLiteralBase (two-byte tokens); the sample's vocabulary
  // is ~8,000 words at 256 files.
  static constexpr std::uint32_t kLiteralBase = 0xF000;
  static constexpr std::size_t kMaxWords = kLiteralBase;

  // The words of `counts` seen at least twice, most frequent first (ties in
  // byte order), at most kMaxWords.
  static StreamVocabulary train(const std::unordered_map<std::string, std::uint64_t>& counts);
  // The vocabulary kept in `db` (empty when it has none): its whole-key
  // copy, or its key per word in a generation written before there was one.
  // A damaged entry throws PositionStreamError.
  static StreamVocabulary load(const Xapian::Database& db);
  // One word's code in `db`'s vocabulary, without loading it (queries).
  static std::optional<std::uint32_t> lookup(const Xapian::Database& db, std::string_view word);
  // Keeps this vocabulary in `db`, a key per word and the whole-key copy
  // (effective at its next commit).
  void store(Xapian::WritableDatabase& db) const;

  std::optional<std::uint32_t> code(std::string_view word) const;
  // The word of `code` (nullptr when it has none).
  const std::string* word(std::uint32_t code) const;
  std::size_t size() const { return codes_.size(); }

 private:
  void add(std::string word, std::uint32_t code);

  WordMap<std::uint32_t> codes_;
  std::vector<const std::string*> words_;  // by code (into codes_)
};

// A stream read back whole: the title's end and every (position, word).
// For tests and tools (queries read streams with a PositionMatcher).
struct StreamTokens {
  std::uint32_t title_end = 0;
  std::vector<std::pair<std::uint32_t, std::string>> tokens;
};
// nullopt when the stream is damaged or names a code `vocabulary` lacks.
std::optional<StreamTokens> read_position_stream(std::string_view stream,
                                                 const StreamVocabulary& vocabulary);

// Builds one document's stream.
class PositionStreamWriter {
 public:
  // `vocabulary` may be null (every word spelled); it must outlive the writer.
  explicit PositionStreamWriter(const StreamVocabulary* vocabulary) : vocabulary_(vocabulary) {}
  // Positions must not decrease from one call to the next. Returns the
  // word's code in this document's stream, for add_code().
  std::uint32_t add(std::string_view word, std::uint32_t position);
  // The word add() gave `code` for (in the same document), once more.
  void add_code(std::uint32_t code, std::uint32_t position);
  // The stream, the writer emptied for the next document.
  std::string finish(std::uint32_t title_end);

 private:
  const StreamVocabulary* vocabulary_;
  std::vector<std::uint32_t> tokens_;
  std::string jumps_;  // the varint pairs, as stored
  std::size_t jump_count_ = 0, last_jump_ = 0;
  std::string literal_bytes_;  // the (n, bytes) entries, as stored
  WordMap<std::uint32_t> literals_;
  std::int64_t previous_ = -1;
};

// What a phrase or a PROCHE asks of a document's positions.
struct PositionPattern {
  enum class Kind { Phrase, Near };
  Kind kind = Kind::Phrase;
  // One slot per word of the phrase (in order) or operand of the PROCHE;
  // each lists the exact forms that fill it (several for a prefix*).
  std::vector<std::vector<std::string>> slots;
  // Near: every slot at a position of its own, all within `span` positions
  // (last - first < span), in any order — Xapian's OP_NEAR window.
  std::uint32_t span = 0;
  // Phrase: within the title.
  bool title_only = false;
};

// A pattern with its words resolved to one vocabulary's codes, testing
// streams of documents of that vocabulary's generation.
class PositionMatcher {
 public:
  static constexpr std::size_t kMaxSlots = 64;  // slots beyond are not checked

  // `code_of` gives a word's vocabulary code, or nullopt when it has none.
  // `anchor`: for a phrase, the slot whose words are rarest in the
  // documents (the scan looks for them first); any slot gives the same
  // answers, only slower or faster.
  PositionMatcher(const PositionPattern& pattern,
                  const std::function<std::optional<std::uint32_t>(const std::string&)>& code_of,
                  std::size_t anchor = 0);
  // Whether the stream holds the pattern; false for a damaged stream.
  // `may_spell` false: the caller knows the document holds none of
  // spelled_words() (its postings say so), whose look-ups are then skipped.
  bool matches(std::string_view stream, bool may_spell = true) const;
  // The slot words without a code in the vocabulary, which a stream can
  // only spell out (a phrase's rarer forms, mostly: query_terms.h).
  const std::vector<std::string>& spelled_words() const { return spelled_; }

 private:
  struct Hit {
    std::uint32_t position;  // (the token's index until decode() ends)
    std::uint64_t slots;     // bit i: a token at this position fills slot i
  };
  bool decode(std::string_view stream, std::vector<Hit>& hits, std::uint32_t& title_end,
              bool may_spell) const;
  // The start of the first block of eight two-byte tokens from `from` that
  // holds one of `codes` (or a literal, when `literals`: some spelled word
  // of the stream fills a slot), or of the last, shorter block.
  std::size_t next_candidate(const std::vector<std::uint16_t>& codes, const unsigned char* tokens,
                             std::size_t from, std::size_t count, bool literals) const;
  std::uint64_t slots_of_code(std::uint64_t code) const;  // a code whose bit is set
  bool phrase_in(const std::vector<Hit>& hits, std::uint32_t title_end) const;
  bool near_in(const std::vector<Hit>& hits) const;

  PositionPattern::Kind kind_;
  std::uint32_t span_;
  bool title_only_;
  std::size_t slot_count_;
  // Slots of the vocabulary codes: a bit per code says whether it fills any
  // (one test per token of the stream, the hot loop), then (code, slots)
  // pairs sorted by code.
  std::vector<std::uint64_t> code_bits_;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> code_slots_;
  // Every slot word without a code, for the spelled words of a stream
  // (looked up only when of one of these lengths and first bytes: most are
  // not).
  WordMap<std::uint64_t> word_slots_;
  std::vector<std::string> spelled_;  // its words, once each
  std::uint64_t word_lengths_ = 0;    // bit min(length, 63)
  std::bitset<256> word_starts_;      // their first bytes
  mutable std::vector<Hit> hits_;     // reused between documents
  mutable std::vector<std::uint64_t> literal_slots_;
  // Whether some slot word has no code: only then can a spelled word of a
  // stream fill a slot (the writer spells only the words the vocabulary
  // lacks), and only then are the literals looked up.
  bool spelled_words_ = false;
  // Codes the scan compares eight tokens at a time with (kScanCodes at most).
  static constexpr std::size_t kScanCodes = 8;
  std::vector<std::uint16_t> scan_codes_;    // every slot word's, when few
  std::vector<std::uint16_t> anchor_codes_;  // the anchored slot's
  std::size_t anchor_ = SIZE_MAX;  // the anchored slot, SIZE_MAX when the scan is not anchored
  // More jumps than this (alternatives, mostly) widen every anchor's
  // window too much: the whole stream is examined instead.
  static constexpr std::size_t kMaxAnchorJumps = 32;
};

}  // namespace vigie
