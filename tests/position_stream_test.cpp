// Position streams (position_stream.h) and the phrase / PROCHE filter that
// reads them (position_filter_source.h): streams written and matched by
// hand, random documents and patterns against a brute-force reading of the
// same tokens, damaged streams, the vocabulary kept in a real database, and
// the filter against Xapian's own OP_PHRASE / OP_NEAR on the same documents
// (positions in both), on one database and on two shards with vocabularies
// of their own.
#include "index/position_stream.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <algorithm>
#include <random>
#include <set>

#include "index/index_schema.h"
#include "index/schema.h"
#include "matcher/position_filter_source.h"
#include "matcher/positional_search.h"
#include "test_support.h"

namespace {

using vigie::PositionMatcher;
using vigie::PositionPattern;
using vigie::PositionStreamWriter;
using vigie::StreamVocabulary;

struct Token {
  std::string word;
  std::uint32_t position;
};

StreamVocabulary vocabulary_of(const std::vector<std::string>& words) {
  std::unordered_map<std::string, std::uint64_t> counts;
  for (std::size_t i = 0; i < words.size(); ++i) counts[words[i]] = 1000 - i;  // in this order
  return StreamVocabulary::train(counts);
}

std::string stream_of(const std::vector<Token>& tokens, const StreamVocabulary* vocabulary,
                      std::uint32_t title_end = 0) {
  PositionStreamWriter writer(vocabulary);
  for (const auto& t : tokens) writer.add(t.word, t.position);
  return writer.finish(title_end);
}

// Tokens at consecutive positions from `first`.
std::vector<Token> words_at(const std::string& text, std::uint32_t first = 0) {
  std::vector<Token> out;
  std::string word;
  for (char c : text + " ") {
    if (c != ' ') {
      word += c;
    } else if (!word.empty()) {
      out.push_back({word, first++});
      word.clear();
    }
  }
  return out;
}

PositionPattern phrase(const std::vector<std::string>& words, bool title = false) {
  PositionPattern p;
  p.kind = PositionPattern::Kind::Phrase;
  for (const auto& w : words) p.slots.push_back({w});
  p.title_only = title;
  return p;
}

PositionPattern near(const std::vector<std::vector<std::string>>& slots, std::uint32_t span) {
  return PositionPattern{PositionPattern::Kind::Near, slots, span, false};
}

bool matches(const PositionPattern& pattern, const std::string& stream,
             const StreamVocabulary* vocabulary, std::size_t anchor = 0) {
  PositionMatcher m(
      pattern,
      [&](const std::string& w) { return vocabulary ? vocabulary->code(w) : std::nullopt; },
      anchor);
  return m.matches(stream);
}

// What the pattern asks, read from the tokens themselves.
bool brute_force(const PositionPattern& p, const std::vector<Token>& tokens,
                 std::uint32_t title_end) {
  auto fills = [&](std::size_t slot, const Token& t) {
    const auto& s = p.slots[slot];
    return std::find(s.begin(), s.end(), t.word) != s.end();
  };
  const std::size_t n = p.slots.size();
  if (p.kind == PositionPattern::Kind::Phrase) {
    for (const auto& start : tokens) {
      if (!fills(0, start)) continue;
      if (p.title_only && start.position + n > title_end) continue;
      bool all = true;
      for (std::size_t j = 1; j < n && all; ++j) {
        all = false;
        for (const auto& t : tokens)
          if (t.position == start.position + j && fills(j, t)) all = true;
      }
      if (all) return true;
    }
    return false;
  }
  // Near: distinct positions, one per slot, all within the span.
  std::vector<std::size_t> chosen;
  std::function<bool(std::size_t)> choose = [&](std::size_t slot) {
    if (slot == n) {
      std::uint32_t lo = UINT32_MAX, hi = 0;
      for (auto i : chosen) {
        lo = std::min(lo, tokens[i].position);
        hi = std::max(hi, tokens[i].position);
      }
      return hi - lo < p.span;
    }
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (!fills(slot, tokens[i]) || std::any_of(chosen.begin(), chosen.end(), [&](std::size_t c) {
            return tokens[c].position == tokens[i].position;
          }))
        continue;
      chosen.push_back(i);
      if (choose(slot + 1)) return true;
      chosen.pop_back();
    }
    return false;
  };
  return choose(0);
}

const std::vector<std::string> kWords = {"de",     "la",   "commune", "conseil", "municipal",
                                         "budget", "vote", "rare",    "x1",      "zz"};

// A random document: words from kWords, sometimes a jump, sometimes an
// alternative at the same position; the first few are its title.
std::vector<Token> random_document(std::mt19937& rng, std::uint32_t& title_end) {
  std::vector<Token> tokens;
  std::uniform_int_distribution<std::size_t> word(0, kWords.size() - 1);
  const int length = std::uniform_int_distribution<int>(0, 40)(rng);
  const int title = std::uniform_int_distribution<int>(0, 6)(rng);
  std::uint32_t position = 0;
  title_end = 0;
  for (int i = 0; i < length; ++i) {
    if (i == title) {
      title_end = position;
      position += 100;
    }
    const int roll = std::uniform_int_distribution<int>(0, 9)(rng);
    if (roll == 0 && !tokens.empty()) {
      tokens.push_back({kWords[word(rng)], tokens.back().position});  // an alternative
      continue;
    }
    if (roll == 1) position += std::uniform_int_distribution<std::uint32_t>(1, 3)(rng);
    tokens.push_back({kWords[word(rng)], position++});
  }
  if (length <= title) title_end = position;
  return tokens;
}

PositionPattern random_pattern(std::mt19937& rng) {
  PositionPattern p;
  p.kind = std::uniform_int_distribution<int>(0, 1)(rng) ? PositionPattern::Kind::Phrase
                                                         : PositionPattern::Kind::Near;
  const int n = std::uniform_int_distribution<int>(1, 4)(rng);
  std::uniform_int_distribution<std::size_t> word(0, kWords.size() - 1);
  for (int i = 0; i < n; ++i) {
    auto& slot = p.slots.emplace_back();
    slot.push_back(kWords[word(rng)]);
    if (std::uniform_int_distribution<int>(0, 4)(rng) == 0) slot.push_back(kWords[word(rng)]);
  }
  p.span = static_cast<std::uint32_t>(n) + std::uniform_int_distribution<std::uint32_t>(0, 6)(rng);
  p.title_only =
      p.kind == PositionPattern::Kind::Phrase && std::uniform_int_distribution<int>(0, 4)(rng) == 0;
  return p;
}

}  // namespace

TEST_CASE("a phrase matches its words at consecutive positions, in order, and nothing else") {
  const auto vocabulary = vocabulary_of({"de", "la", "conseil", "commune"});
  for (const StreamVocabulary* v : {&vocabulary, static_cast<const StreamVocabulary*>(nullptr)}) {
    CAPTURE(v != nullptr);
    const std::string s = stream_of(words_at("le conseil de la commune de chémeré"), v);
    CHECK(matches(phrase({"conseil", "de", "la", "commune"}), s, v));
    CHECK(matches(phrase({"commune", "de", "chémeré"}), s, v));
    CHECK(matches(phrase({"de", "la"}), s, v));
    CHECK_FALSE(matches(phrase({"conseil", "la", "commune"}), s, v));  // a word skipped
    CHECK_FALSE(matches(phrase({"la", "de"}), s, v));                  // out of order
    CHECK_FALSE(matches(phrase({"conseil", "municipal"}), s, v));      // a word absent
    CHECK_FALSE(matches(phrase({}), s, v));
  }
}

TEST_CASE(
    "a document with more than 4,096 words outside the vocabulary: four-byte tokens, the same "
    "answers") {
  std::vector<Token> tokens;
  for (std::uint32_t i = 0; i < 5000; ++i) tokens.push_back({"mot" + std::to_string(i), i});
  tokens.push_back({"conseil", 5000});
  tokens.push_back({"municipal", 5001});
  const auto vocabulary = vocabulary_of({"conseil"});
  const std::string s = stream_of(tokens, &vocabulary);
  CHECK(s.size() > 4 * tokens.size());
  CHECK(matches(phrase({"mot4998", "mot4999", "conseil", "municipal"}), s, &vocabulary));
  CHECK(matches(phrase({"mot4", "mot5"}), s, &vocabulary));
  CHECK_FALSE(matches(phrase({"mot5", "mot4"}), s, &vocabulary));
  const auto back = vigie::read_position_stream(s, vocabulary);
  REQUIRE(back);
  REQUIRE(back->tokens.size() == tokens.size());
  CHECK(back->tokens[4999].second == "mot4999");
  CHECK(back->tokens[5001].first == 5001);
}

TEST_CASE(
    "a phrase does not span a jump, alternatives share a position, the title bounds title "
    "phrases") {
  const auto vocabulary = vocabulary_of({"vice", "president"});
  // Title "vice-président du conseil" (the joined form as an alternative),
  // body 100 positions after.
  std::vector<Token> tokens = {
      {"vice", 0}, {"president", 1}, {"vicepresident", 1}, {"du", 2}, {"conseil", 3}};
  for (auto t : words_at("conseil municipal du vice président", 104)) tokens.push_back(t);
  for (const StreamVocabulary* v : {&vocabulary, static_cast<const StreamVocabulary*>(nullptr)}) {
    const std::string s = stream_of(tokens, v, 4);
    CHECK(matches(phrase({"vice", "president", "du"}), s, v));
    CHECK(matches(phrase({"vicepresident", "du", "conseil"}), s, v));
    CHECK_FALSE(matches(phrase({"conseil", "conseil"}), s, v));  // 3 and 104
    CHECK(matches(phrase({"du", "conseil"}, true), s, v));
    CHECK_FALSE(matches(phrase({"conseil", "municipal"}, true), s, v));  // in the body only
    CHECK(matches(phrase({"conseil", "municipal"}), s, v));
    CHECK(matches(phrase({"vice", "president"}, true), s, v));
  }
}

TEST_CASE(
    "a phrase anchored on any slot, in a stream with more jumps than an anchor's window allows") {
  // 40 alternatives (jumps of 0) before "il y a": the matcher then examines
  // the whole stream, and must still look for every slot's words.
  std::vector<Token> tokens;
  for (std::uint32_t i = 0; i < 40; ++i) {
    tokens.push_back({"porte", 2 * i});
    tokens.push_back({"parole", 2 * i + 1});
    tokens.push_back({"porteparole", 2 * i + 1});
  }
  for (const auto& t : words_at("il y a un an", 200)) tokens.push_back(t);
  const auto vocabulary = vocabulary_of({"il", "y", "a", "porte", "parole"});
  const std::string s = stream_of(tokens, &vocabulary);
  for (std::size_t anchor = 0; anchor < 4; ++anchor) {
    CAPTURE(anchor);
    CHECK(matches(phrase({"il", "y", "a"}), s, &vocabulary, anchor));
    CHECK(matches(phrase({"parole", "porte", "parole"}), s, &vocabulary, anchor));
    CHECK_FALSE(matches(phrase({"y", "il", "a"}), s, &vocabulary, anchor));
  }
}

TEST_CASE("PROCHE: every operand at a position of its own, all within the span, in any order") {
  const std::string s =
      stream_of(words_at("le prefet constate la secheresse du departement"), nullptr);
  // prefet at 1, secheresse at 4: last - first = 3 < span.
  CHECK(matches(near({{"prefet"}, {"secheresse"}}, 4), s, nullptr));
  CHECK_FALSE(matches(near({{"prefet"}, {"secheresse"}}, 3), s, nullptr));
  CHECK(matches(near({{"secheresse"}, {"prefet"}}, 4), s, nullptr));
  CHECK(matches(near({{"departement", "commune"}, {"prefet"}}, 6), s, nullptr));
  // One occurrence cannot fill two operands.
  CHECK_FALSE(matches(near({{"prefet"}, {"prefet"}}, 50), s, nullptr));
  const std::string twice = stream_of(words_at("prefet et prefet"), nullptr);
  CHECK(matches(near({{"prefet"}, {"prefet"}}, 3), twice, nullptr));
  // Two operands that one word fills: each needs its own position.
  CHECK(matches(near({{"le", "prefet"}, {"prefet"}}, 2), s, nullptr));
  CHECK_FALSE(matches(near({{"constate", "prefet"}, {"prefet"}}, 1), s, nullptr));
  // An alternative shares its position: it cannot be the second operand.
  const std::string joined =
      stream_of({{"vice", 0}, {"president", 1}, {"vicepresident", 1}}, nullptr);
  CHECK_FALSE(matches(near({{"president"}, {"vicepresident"}}, 5), joined, nullptr));
  CHECK(matches(near({{"vice"}, {"vicepresident"}}, 2), joined, nullptr));
}

TEST_CASE("random documents and patterns: the matcher agrees with a reading of the tokens") {
  std::mt19937 rng(11);
  const auto vocabulary = vocabulary_of({"de", "la", "commune", "conseil", "budget"});
  int matched = 0;
  for (int round = 0; round < 3000; ++round) {
    std::uint32_t title_end = 0;
    const auto tokens = random_document(rng, title_end);
    const auto pattern = random_pattern(rng);
    const StreamVocabulary* v = round % 2 ? &vocabulary : nullptr;
    const bool expected = brute_force(pattern, tokens, title_end);
    CAPTURE(round);
    const std::string stream = stream_of(tokens, v, title_end);
    CHECK(matches(pattern, stream, v) == expected);
    // Whichever slot anchors the scan, the same answer.
    for (std::size_t anchor = 1; anchor < pattern.slots.size(); ++anchor)
      CHECK(matches(pattern, stream, v, anchor) == expected);
    matched += expected;
    // Read back whole: the same tokens.
    const auto back = vigie::read_position_stream(stream, v ? *v : StreamVocabulary());
    REQUIRE(back);
    CHECK(back->title_end == title_end);
    REQUIRE(back->tokens.size() == tokens.size());
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      CHECK(back->tokens[i].first == tokens[i].position);
      CHECK(back->tokens[i].second == tokens[i].word);
    }
  }
  CHECK(matched > 300);  // both answers were exercised
  CHECK(matched < 2700);
}

TEST_CASE("a damaged stream matches nothing and never reads out of bounds") {
  const auto vocabulary = vocabulary_of({"de", "la"});
  std::vector<Token> tokens = words_at("la zone de la commune de la ville", 0);
  tokens.push_back({"commune", 300});
  const std::string s = stream_of(tokens, &vocabulary, 3);
  const auto p = phrase({"de", "la", "commune"});
  REQUIRE(matches(p, s, &vocabulary));
  for (std::size_t cut = 0; cut < s.size(); ++cut) matches(p, s.substr(0, cut), &vocabulary);
  for (std::size_t i = 0; i < s.size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      std::string damaged = s;
      damaged[i] = static_cast<char>(damaged[i] ^ (1 << bit));
      matches(p, damaged, &vocabulary);
      matches(near({{"de"}, {"commune"}}, 5), damaged, &vocabulary);
    }
  // (title_end, width, jumps, literals, tokens.) A literal claiming more
  // bytes than there are, a token naming a literal never given, a varint
  // that never ends, a jump beyond any position, a width of 3, tokens cut
  // in the middle.
  using namespace std::string_literals;
  CHECK_FALSE(matches(p,
                      "\x00\x02\x00\x01\xff\xff\xff\x0f"
                      "ab"s,
                      nullptr));
  CHECK_FALSE(matches(p, "\x00\x02\x00\x00\x05\xf0"s, nullptr));
  CHECK_FALSE(matches(p, std::string(20, '\xff'), nullptr));
  CHECK_FALSE(matches(p, "\x00\x02\x01\x00\xff\xff\xff\xff\x7f\x00\x00\x00"s, &vocabulary));
  CHECK_FALSE(matches(p, "\x00\x03\x00\x00\x00\x00\x00"s, &vocabulary));
  CHECK_FALSE(matches(p, "\x00\x02\x00\x00\x00\x00\x01"s, &vocabulary));
  CHECK_FALSE(matches(p, std::string(), nullptr));
  CHECK(vigie::read_position_stream("\x00\x02\x00\x00\x00\x00\x01\x00"s, vocabulary));  // "de la"
  CHECK_FALSE(vigie::read_position_stream("\x00\x02\x00\x00\x05\xf0"s, vocabulary));
  CHECK_FALSE(
      vigie::read_position_stream("\x00\x02\x00\x00\x7f\x00"s, vocabulary));  // a code it lacks
  for (std::size_t cut = 0; cut < s.size(); ++cut)
    vigie::read_position_stream(s.substr(0, cut), vocabulary);
}

TEST_CASE(
    "the vocabulary: frequent words first, kept in a database, looked up one by one, damage "
    "reported") {
  std::unordered_map<std::string, std::uint64_t> counts{
      {"de", 50}, {"la", 50}, {"commune", 7}, {"once", 1}, {"", 9}};
  const auto vocabulary = StreamVocabulary::train(counts);
  CHECK(vocabulary.size() == 3);
  CHECK(vocabulary.code("de") == 0u);  // ties in byte order
  CHECK(vocabulary.code("la") == 1u);
  CHECK(vocabulary.code("commune") == 2u);
  CHECK_FALSE(vocabulary.code("once"));

  vigie::test::ScratchDir dir("vigie-position-vocabulary");
  const std::string path = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase db(path, Xapian::DB_CREATE);
    vocabulary.store(db);
    db.commit();
  }
  Xapian::Database db(path);
  const auto loaded = StreamVocabulary::load(db);
  CHECK(loaded.size() == 3);
  CHECK(loaded.code("commune") == 2u);
  CHECK(*loaded.word(1) == "la");
  CHECK(StreamVocabulary::lookup(db, "la") == 1u);
  CHECK_FALSE(StreamVocabulary::lookup(db, "once"));
  CHECK_FALSE(StreamVocabulary::lookup(db, ""));
  CHECK(StreamVocabulary::load(
            Xapian::WritableDatabase((dir.path() / "empty").string(), Xapian::DB_CREATE))
            .size() == 0);
  const std::string whole_key(StreamVocabulary::kWholeKey);
  const std::string whole = db.get_metadata(whole_key);
  CHECK_FALSE(whole.empty());
  {
    // A generation written before the whole-key copy: a key per word.
    Xapian::WritableDatabase w(path);
    w.set_metadata(whole_key, "");
    w.commit();
  }
  const auto per_key = StreamVocabulary::load(Xapian::Database(path));
  CHECK(per_key.size() == 3);
  CHECK(per_key.code("la") == 1u);
  CHECK(*per_key.word(2) == "commune");
  {
    Xapian::WritableDatabase w(path);
    w.set_metadata(std::string(StreamVocabulary::kMetadataPrefix) + "la", "not a number");
    w.commit();
  }
  Xapian::Database damaged(path);
  CHECK_THROWS_AS(StreamVocabulary::load(damaged), vigie::PositionStreamError);
  CHECK_FALSE(StreamVocabulary::lookup(damaged, "la"));
  {
    // The whole-key copy cut short: damaged too, never read past its end.
    Xapian::WritableDatabase w(path);
    w.set_metadata(whole_key, whole.substr(0, whole.size() - 2));
    w.commit();
  }
  CHECK_THROWS_AS(StreamVocabulary::load(Xapian::Database(path)), vigie::PositionStreamError);
}

namespace {

struct WrittenDocument {
  std::string id;
  std::vector<Token> tokens;
  std::uint32_t title_end;
};

// Random documents written twice into one database: Xapian positions (for
// OP_PHRASE) and a position stream (for the filter), with a vocabulary of a
// few of the words.
void write_documents(Xapian::WritableDatabase& db, std::mt19937& rng, const std::string& shard,
                     int count, const StreamVocabulary& vocabulary,
                     std::vector<WrittenDocument>& written) {
  vocabulary.store(db);
  db.set_metadata(std::string(vigie::index_schema::kMetadataKey),
                  std::to_string(vigie::index_schema::kCurrent));
  for (int i = 0; i < count; ++i) {
    WrittenDocument w{"Q" + shard + std::to_string(i), {}, 0};
    w.tokens = random_document(rng, w.title_end);
    Xapian::Document doc;
    for (const auto& t : w.tokens) doc.add_posting(t.word, t.position + 1);
    doc.add_value(vigie::schema::kSlotPositions, stream_of(w.tokens, &vocabulary, w.title_end));
    doc.add_boolean_term(w.id);
    db.add_document(doc);
    written.push_back(std::move(w));
  }
  db.commit();
}

// Every match of `q` on `db`, by Xapian's matcher.
Xapian::MSet all_matches(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  return enquire.get_mset(0, db.get_doccount() + 1);
}

std::set<std::string> ids(const Xapian::Database& db, const Xapian::Query& q) {
  std::set<std::string> out;
  const auto mset = all_matches(db, q);
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    auto doc = it.get_document();
    auto t = doc.termlist_begin();
    t.skip_to("Q");
    out.insert(*t);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "the filter finds what the streams hold, on one database and on two shards; phrases as "
    "OP_PHRASE does") {
  vigie::test::ScratchDir dir("vigie-position-filter");
  std::mt19937 rng(5);
  const std::string one = (dir.path() / "one").string(), two = (dir.path() / "two").string();
  std::vector<WrittenDocument> in_one, in_two;
  {
    Xapian::WritableDatabase db(one, Xapian::DB_CREATE);
    write_documents(db, rng, "a", 400, vocabulary_of({"de", "la", "commune", "conseil"}), in_one);
    Xapian::WritableDatabase other(two, Xapian::DB_CREATE);
    write_documents(other, rng, "b", 300, vocabulary_of({"budget", "vote", "la", "zz", "de"}),
                    in_two);
  }
  std::vector<WrittenDocument> in_both = in_one;
  in_both.insert(in_both.end(), in_two.begin(), in_two.end());
  Xapian::Database single(one);
  Xapian::Database shards(one);
  shards.add_database(Xapian::Database(two));
  int nonempty = 0;
  for (int round = 0; round < 300; ++round) {
    PositionPattern p = random_pattern(rng);
    if (p.slots.size() < 2)
      p.slots.push_back({kWords[static_cast<std::size_t>(round) % kWords.size()]});
    p.span = std::max<std::uint32_t>(p.span, static_cast<std::uint32_t>(p.slots.size()));
    std::vector<Xapian::Query> parts;
    for (const auto& slot : p.slots)
      parts.emplace_back(Xapian::Query::OP_OR, slot.begin(), slot.end());
    CAPTURE(round);
    CAPTURE(
        vigie::PositionFilterSource(std::make_shared<vigie::PositionChecks>(p)).get_description());
    for (const auto& [db, docs] : {std::pair{&single, &in_one}, std::pair{&shards, &in_both}}) {
      std::set<std::string> expected;
      for (const auto& d : *docs)
        if (brute_force(p, d.tokens, d.title_end)) expected.insert(d.id);
      CHECK(ids(*db, vigie::positional_query(p, parts)) == expected);
      // The source alone (it leads: its own walk of the rarest slot).
      CHECK(ids(*db, Xapian::Query((new vigie::PositionFilterSource(
                                        std::make_shared<vigie::PositionChecks>(p)))
                                       ->release())) == expected);
      // Xapian's phrases agree (its OP_NEAR is greedy: it misses some
      // windows where an operand's other occurrence would do).
      if (p.kind == PositionPattern::Kind::Phrase && !p.title_only)
        CHECK(ids(*db, Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                                     static_cast<Xapian::termcount>(parts.size()))) == expected);
      nonempty += !expected.empty();
    }
  }
  CHECK(nonempty > 100);
}

namespace {

std::set<Xapian::docid> docids(const Xapian::Database& db, const Xapian::Query& q) {
  const auto mset = all_matches(db, q);
  return {mset.begin(), mset.end()};
}

std::set<Xapian::docid> docids(const vigie::MatchBitmap& bits) {
  std::set<Xapian::docid> out;
  bits.for_each([&](Xapian::docid id) { out.insert(id); });
  return out;
}

std::vector<Xapian::docid> ranked(const Xapian::MSet& mset) {
  std::vector<Xapian::docid> out;
  for (auto it = mset.begin(); it != mset.end(); ++it) out.push_back(*it);
  return out;
}

}  // namespace

TEST_CASE(
    "match_bitmap checks phrases on what the rest leaves; a sample's page is the exact page; one "
    "shard only") {
  vigie::test::ScratchDir dir("vigie-positional-search");
  std::mt19937 rng(9);
  const std::string one = (dir.path() / "one").string(), two = (dir.path() / "two").string();
  std::vector<WrittenDocument> written;
  {
    Xapian::WritableDatabase db(one, Xapian::DB_CREATE);
    write_documents(db, rng, "a", 400, vocabulary_of({"de", "la", "commune", "conseil"}), written);
    Xapian::WritableDatabase other(two, Xapian::DB_CREATE);
    write_documents(other, rng, "b", 50, vocabulary_of({"de", "la"}), written);
  }
  Xapian::Database db(one);
  Xapian::Database shards(one);
  shards.add_database(Xapian::Database(two));
  std::vector<std::uint32_t> lengths_of_db(db.get_lastdocid() + 1, 0);
  for (auto it = db.postlist_begin(""); it != db.postlist_end(""); ++it)
    lengths_of_db[*it] = it.get_doclength();
  vigie::MatchBitmap odd(db.get_lastdocid());
  for (Xapian::docid id = 1; id <= db.get_lastdocid(); id += 2) odd.set(id);
  int sampled = 0;
  for (int round = 0; round < 120; ++round) {
    PositionPattern p = random_pattern(rng);
    if (p.slots.size() < 2)
      p.slots.push_back({kWords[static_cast<std::size_t>(round) % kWords.size()]});
    p.span = std::max<std::uint32_t>(p.span, static_cast<std::uint32_t>(p.slots.size()));
    std::vector<Xapian::Query> parts;
    for (const auto& slot : p.slots)
      parts.emplace_back(Xapian::Query::OP_OR, slot.begin(), slot.end());
    CAPTURE(round);
    std::vector<vigie::PositionalPart> record;
    const Xapian::Query phrase = vigie::positional_query(p, parts, record);
    REQUIRE(record.size() == 1);
    const Xapian::Query words(Xapian::Query::OP_AND, parts.begin(), parts.end());
    const Xapian::Query other(kWords[static_cast<std::size_t>(round * 7) % kWords.size()]);
    // Each shape with the phrase, and with the AND of its words (relaxed).
    const std::pair<Xapian::Query, Xapian::Query> shapes[] = {
        {phrase, words},
        {Xapian::Query(Xapian::Query::OP_OR, phrase, other),
         Xapian::Query(Xapian::Query::OP_OR, words, other)},
        {Xapian::Query(Xapian::Query::OP_AND_NOT, other, phrase),
         Xapian::Query(Xapian::Query::OP_AND_NOT, other, words)},
        {Xapian::Query(Xapian::Query::OP_AND, other, phrase),
         Xapian::Query(Xapian::Query::OP_AND, other, words)}};
    // Xapian's matcher first, the source reading streams itself.
    std::vector<std::set<Xapian::docid>> expected, relaxed;
    std::vector<std::vector<Xapian::docid>> pages;
    for (const auto& [shape, loose] : shapes) {
      expected.push_back(docids(db, shape));
      relaxed.push_back(docids(db, loose));
      Xapian::Enquire enquire(db);
      enquire.set_query(shape);
      pages.push_back(ranked(enquire.get_mset(3, 10)));
    }
    vigie::BitmapSources sources;
    sources.positions = record;
    CHECK_FALSE(vigie::count_positional(shards, phrase, sources, 10).has_value());
    CHECK_FALSE(
        vigie::match_bitmap(shards, phrase, sources).has_value());  // not attached: not evaluated
    CHECK_FALSE(record[0].checks->attach(shards));
    REQUIRE(record[0].checks->attach(db));
    for (std::size_t s = 0; s < std::size(shapes); ++s) {
      CAPTURE(s);
      record[0].checks->set_relaxed(true);
      auto loose = vigie::match_bitmap(db, shapes[s].first, sources);
      record[0].checks->set_relaxed(false);
      REQUIRE(loose);
      CHECK(docids(*loose) == relaxed[s]);
      // Within the odd documents.
      auto within = vigie::match_bitmap(db, shapes[s].first, sources, &odd);
      REQUIRE(within);
      std::set<Xapian::docid> odd_expected;
      for (auto id : expected[s])
        if (id % 2 == 1) odd_expected.insert(id);
      CHECK(docids(*within) == odd_expected);
      // A negated phrase is not relaxed: its matches are not among the relaxed query's.
      auto count = vigie::count_positional(db, shapes[s].first, sources, 1000000);
      if (shapes[s].first.get_type() == Xapian::Query::OP_AND_NOT) {
        CHECK_FALSE(count.has_value());
        continue;
      }
      // Exact.
      REQUIRE(count);
      CHECK(count->exact());
      CHECK(docids(count->matches) == expected[s]);
      // A sample of ~10: its matches are matches, and the page is Xapian's.
      auto sample = vigie::count_positional(db, shapes[s].first, sources, 10);
      REQUIRE(sample);
      CHECK(sample->candidates == relaxed[s].size());
      if (!sample->exact()) ++sampled;
      for (auto id : docids(sample->matches)) CHECK(expected[s].count(id) == 1);
      std::optional<vigie::DuplicateFilter> no_filter;
      // Ranked by the matcher over every candidate, or over a shortlist
      // (bitmap_ranking.h: Xapian's default BM25 parameters, as the pages').
      const std::vector<std::uint32_t>* const choices[] = {nullptr, &lengths_of_db};
      const Xapian::BM25Weight weight;
      for (const auto* c : {&*count, &*sample})
        for (const auto* lengths : choices) {
          const vigie::Ranking ranking{weight, lengths, vigie::Bm25Config{1, 0, 1, 0.5, 0.5}};
          CHECK(ranked(vigie::positional_page(db, shapes[s].first, sources, ranking, *c, 3, 10,
                                              nullptr, no_filter)) == pages[s]);
        }
    }
  }
  CHECK(sampled > 100);
}
