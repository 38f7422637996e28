// Position streams: a document's word positions kept as one value of the
// document (schema::kSlotPositions) instead of in Xapian's position table.
//
// Why: glass stores one B-tree item per (word, document) pair — key = the
// word and the docid, ~17 bytes before the first position — and a document
// has ~210 distinct words, most of them once: at 100k documents the
// position table was 376 MB, 59 % of the index (bench/README.md). The same
// positions as one stream per document cost ~600 bytes: every word is a
// one- or two-byte code of the generation's vocabulary, or its letters.
// Phrases and PROCHE (position_filter_source.h) read the stream of each
// candidate document, as Xapian reads its position lists.
//
// The vocabulary: the words of the --full build's sample (the data
// dictionary's, shard_build.cpp) seen twice or more, most frequent first:
// the same vocabulary, hence the same index, whatever the number of
// threads. It is kept in the generation's metadata, one key per word
// (kMetadataPrefix + word → code), so that a query looks up its few words
// in the shard it searches; incremental runs load it whole and write words
// it lacks as letters.
//
// Stream layout (varints, 7 bits per byte, low bits first):
//   title_end                         positions < title_end are the title's
//   then one entry per token, in position order; a token's position is the
//   previous token's + 1 (the first token's: 0) unless a jump precedes it:
//     0, k         jump: the next token is at the previous position + k
//                  (k = 0: an alternative sharing its position; after the
//                  title: the gap that keeps phrases from spanning it;
//                  the first token: k = its position + 1)
//     1, n, bytes  a word outside the vocabulary, spelled (n bytes); it is
//                  the document's next "literal" (0, 1, 2…)
//     2, i         literal i again
//     3 + code     the vocabulary's word `code`
//
// Thread-safety: a StreamVocabulary is immutable once built and may be
// shared; a writer or matcher belongs to one thread. Errors: load() throws
// PositionStreamError on a damaged vocabulary entry; a damaged stream never
// throws: it matches nothing.
#pragma once

#include <xapian.h>

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

class StreamVocabulary {
 public:
  static constexpr std::string_view kMetadataPrefix = "vigie.pw:";
  // Codes up to 124 take one byte, up to 16,380 two: the sample's vocabulary
  // is ~8,000 words at 256 files.
  static constexpr std::size_t kMaxWords = 65536;

  // The words of `counts` seen at least twice, most frequent first (ties in
  // byte order), at most kMaxWords.
  static StreamVocabulary train(const std::unordered_map<std::string, std::uint64_t>& counts);
  // The vocabulary kept in `db` (empty when it has none).
  static StreamVocabulary load(const Xapian::Database& db);
  // One word's code in `db`'s vocabulary, without loading it (queries).
  static std::optional<std::uint32_t> lookup(const Xapian::Database& db, std::string_view word);
  // Keeps this vocabulary in `db` (effective at its next commit).
  void store(Xapian::WritableDatabase& db) const;

  std::optional<std::uint32_t> code(std::string_view word) const;
  // The word of `code` (nullptr when it has none).
  const std::string* word(std::uint32_t code) const;
  std::size_t size() const { return codes_.size(); }

 private:
  void add(std::string word, std::uint32_t code);

  std::unordered_map<std::string, std::uint32_t> codes_;
  std::vector<const std::string*> words_;  // by code (into codes_)
};

// A stream read back whole: the title's end and every (position, word).
// For tests and tools (queries read streams with a PositionMatcher).
struct StreamTokens {
  std::uint32_t title_end = 0;
  std::vector<std::pair<std::uint32_t, std::string>> tokens;
};
// nullopt when the stream is damaged or names a code `vocabulary` lacks.
std::optional<StreamTokens> read_position_stream(std::string_view stream, const StreamVocabulary& vocabulary);

// Builds one document's stream.
class PositionStreamWriter {
 public:
  // `vocabulary` may be null (every word spelled); it must outlive the writer.
  explicit PositionStreamWriter(const StreamVocabulary* vocabulary) : vocabulary_(vocabulary) {}
  // Positions must not decrease from one call to the next.
  void add(std::string_view word, std::uint32_t position);
  // The stream, the writer emptied for the next document.
  std::string finish(std::uint32_t title_end);

 private:
  const StreamVocabulary* vocabulary_;
  std::string entries_;
  std::unordered_map<std::string, std::uint32_t> literals_;
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
  PositionMatcher(const PositionPattern& pattern,
                  const std::function<std::optional<std::uint32_t>(const std::string&)>& code_of);
  // Whether the stream holds the pattern; false for a damaged stream.
  bool matches(std::string_view stream) const;

 private:
  struct Hit {
    std::uint32_t position;
    std::uint64_t slots;  // bit i: a token at this position fills slot i
  };
  bool decode(std::string_view stream, std::vector<Hit>& hits, std::uint32_t& title_end) const;
  bool phrase_in(const std::vector<Hit>& hits, std::uint32_t title_end) const;
  bool near_in(const std::vector<Hit>& hits) const;

  PositionPattern::Kind kind_;
  std::uint32_t span_;
  bool title_only_;
  std::size_t slot_count_;
  std::unordered_map<std::uint32_t, std::uint64_t> code_slots_;
  std::unordered_map<std::string, std::uint64_t> word_slots_;  // every slot word, for literals
  mutable std::vector<Hit> hits_;                              // reused between documents
  mutable std::vector<std::uint64_t> literal_slots_;
};

}  // namespace vigie
