// match_bitmap (match_bitmap.h): the documents a query matches, read from
// the posting lists, must be exactly those Xapian's matcher finds — checked
// on a real database for every operator it evaluates and on random query
// trees; the operators it does not evaluate give nullopt. The searcher's use
// of it (totals and facets) is tested in searcher_test.cpp. Also here, on the
// same index: ColumnRangeSource (column_range_source.h), the date filters'
// posting source, against the value range it replaces.
#include "matcher/match_bitmap.h"

#include <doctest/doctest.h>
#include <xapian.h>

#include <functional>
#include <map>
#include <random>
#include <set>
#include <tuple>

#include "matcher/column_range_source.h"
#include "test_support.h"

namespace {

const char* const kTerms[] = {"a", "b", "c", "d", "e", "rare", "XTtype", "XY2020"};

// 600 documents; term t is in a document with a probability of its own, so
// that posting lists range from a handful to most documents. Some documents
// are deleted afterwards (holes in the ids).
struct RandomIndex {
  vigie::test::ScratchDir dir{"vigie-match-bitmap"};
  Xapian::Database db;
  RandomIndex() {
    const std::string path = (dir.path() / "db").string();
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE);
    std::mt19937 rng(7);
    const double odds[] = {0.5, 0.3, 0.2, 0.1, 0.05, 0.005, 0.6, 0.25};
    for (int i = 0; i < 600; ++i) {
      Xapian::Document doc;
      Xapian::termpos pos = 1;
      for (std::size_t t = 0; t < std::size(kTerms); ++t)
        if (std::uniform_real_distribution<>(0, 1)(rng) < odds[t])
          doc.add_posting(kTerms[t], pos++);
      doc.add_value(0, std::to_string(2000 + i % 30));
      w.add_document(doc);
    }
    for (Xapian::docid id = 5; id < 600; id += 37) w.delete_document(id);
    w.commit();
    db = Xapian::Database(path);
  }
};

const RandomIndex& random_index() {
  static const RandomIndex index;
  return index;
}

std::set<Xapian::docid> matcher(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire enquire(db);
  enquire.set_query(q);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  std::set<Xapian::docid> out;
  const Xapian::MSet mset = enquire.get_mset(0, db.get_doccount() + 1);
  for (auto it = mset.begin(); it != mset.end(); ++it) out.insert(*it);
  return out;
}

std::set<Xapian::docid> ids_of(const vigie::MatchBitmap& matches) {
  std::set<Xapian::docid> out;
  matches.for_each([&](Xapian::docid id) { out.insert(id); });
  CHECK(matches.count() == out.size());
  return out;
}

// The bitmap of `q`, computed with and without the filter bitmaps (one set
// shared by the whole file, as a revision's is by its searches): the same.
std::set<Xapian::docid> bitmap(const Xapian::Database& db, const Xapian::Query& q) {
  static vigie::FilterBitmaps filters;
  auto matches = vigie::match_bitmap(db, q);
  REQUIRE(matches);
  auto with_filters = vigie::match_bitmap(db, q, &filters);
  REQUIRE(with_filters);
  const auto out = ids_of(*matches);
  CHECK(ids_of(*with_filters) == out);
  return out;
}

Xapian::Query term(const char* t) { return Xapian::Query(t); }

// Slot 0 (the year) as numbers by document id, 0 for none: a column like
// IndexColumns::dates.
std::vector<std::uint32_t> year_column(const Xapian::Database& db) {
  std::vector<std::uint32_t> column(db.get_lastdocid() + 1, 0);
  for (auto it = db.valuestream_begin(0); it != db.valuestream_end(0); ++it)
    column[it.get_docid()] = static_cast<std::uint32_t>(std::stoul(*it));
  return column;
}

// What `q` matches by definition, with std::set operations on whole posting
// lists (no skipping, no size estimates). The random trees are checked
// against this rather than against the matcher: Xapian 1.4.22's matcher keeps
// documents it should exclude in one shape (see the test below).
std::set<Xapian::docid> by_sets(const Xapian::Database& db, const Xapian::Query& q) {
  std::set<Xapian::docid> out;
  const std::size_t n = q.get_num_subqueries();
  auto part = [&](std::size_t i) { return by_sets(db, q.get_subquery(i)); };
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      for (auto it = db.postlist_begin(*q.get_terms_begin());
           it != db.postlist_end(*q.get_terms_begin()); ++it)
        out.insert(*it);
      break;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
      for (std::size_t i = 0; i < n; ++i) out.merge(part(i));
      break;
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_FILTER:
      out = part(0);
      for (std::size_t i = 1; i < n; ++i) {
        const auto other = part(i);
        std::erase_if(out, [&](Xapian::docid id) { return !other.count(id); });
      }
      break;
    case Xapian::Query::OP_AND_NOT:
      out = part(0);
      for (std::size_t i = 1; i < n; ++i)
        for (auto id : part(i)) out.erase(id);
      break;
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_SCALE_WEIGHT:
      out = part(0);
      break;
    default:
      FAIL("not a shape the random trees make: " << q.get_description());
  }
  return out;
}

// The smallest part of `q` on which the bitmap and the definition disagree, for
// failure messages ("" when they agree).
std::string first_disagreement(const Xapian::Database& db, const Xapian::Query& q) {
  for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
    std::string inner = first_disagreement(db, q.get_subquery(i));
    if (!inner.empty()) return inner;
  }
  auto matches = vigie::match_bitmap(db, q);
  if (!matches) return "";
  std::set<Xapian::docid> ids;
  matches->for_each([&](Xapian::docid id) { ids.insert(id); });
  return ids == by_sets(db, q) ? "" : q.get_description();
}

// A random query tree over the evaluated operators.
Xapian::Query random_query(std::mt19937& rng, int depth) {
  std::uniform_int_distribution<int> pick_term(0, static_cast<int>(std::size(kTerms)) - 1);
  if (depth == 0 || rng() % 4 == 0) return term(kTerms[pick_term(rng)]);
  static const Xapian::Query::op ops[] = {Xapian::Query::OP_OR,      Xapian::Query::OP_SYNONYM,
                                          Xapian::Query::OP_AND,     Xapian::Query::OP_FILTER,
                                          Xapian::Query::OP_AND_NOT, Xapian::Query::OP_AND_MAYBE};
  const auto op = ops[rng() % std::size(ops)];
  std::vector<Xapian::Query> parts;
  const int n = 2 + static_cast<int>(rng() % 3);
  for (int i = 0; i < n; ++i) parts.push_back(random_query(rng, depth - 1));
  Xapian::Query q(op, parts.begin(), parts.end());
  if (rng() % 5 == 0) q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, 2.0);
  return q;
}

}  // namespace

TEST_CASE("each evaluated operator matches what Xapian's matcher matches") {
  const auto& db = random_index().db;
  const std::pair<const char*, Xapian::Query> cases[] = {
      {"term", term("b")},
      {"rare term", term("rare")},
      {"absent term", term("nowhere")},
      {"OR", Xapian::Query(Xapian::Query::OP_OR, term("c"), term("d"))},
      {"SYNONYM", Xapian::Query(Xapian::Query::OP_SYNONYM, term("c"), term("e"))},
      {"AND", Xapian::Query(Xapian::Query::OP_AND, term("a"), term("b"))},
      {"AND, small first", Xapian::Query(Xapian::Query::OP_AND, term("XTtype"), term("rare"))},
      {"FILTER", Xapian::Query(Xapian::Query::OP_FILTER, term("a"), term("XY2020"))},
      {"AND_NOT", Xapian::Query(Xapian::Query::OP_AND_NOT, term("a"), term("b"))},
      {"AND_MAYBE", Xapian::Query(Xapian::Query::OP_AND_MAYBE, term("d"), term("a"))},
      {"SCALE_WEIGHT", Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, term("c"), 3.0)},
      {"MatchAll", Xapian::Query::MatchAll},
      {"MatchAll AND_NOT",
       Xapian::Query(Xapian::Query::OP_AND_NOT, Xapian::Query::MatchAll, term("a"))},
      {"MatchNothing", Xapian::Query::MatchNothing},
      {"a word and its family (the parser's shape)",
       Xapian::Query(Xapian::Query::OP_AND,
                     Xapian::Query(Xapian::Query::OP_OR, term("a"),
                                   Xapian::Query(Xapian::Query::OP_SYNONYM, term("a"), term("e"))),
                     Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, term("rare"), 2.0))},
  };
  for (const auto& [name, q] : cases) {
    CAPTURE(name);
    CHECK(bitmap(db, q) == matcher(db, q));
  }
}

TEST_CASE("random query trees: the bitmap gives the set each tree defines") {
  const auto& db = random_index().db;
  std::mt19937 rng(2026);
  for (int i = 0; i < 300; ++i) {
    const Xapian::Query q = random_query(rng, 3);
    CAPTURE(q.get_description());
    CAPTURE(first_disagreement(db, q));
    CHECK(bitmap(db, q) == by_sets(db, q));
  }
}

TEST_CASE(
    "A AND_NOT ((x AND_MAYBE y) FILTER z): the bitmap excludes what Xapian 1.4.22's matcher "
    "keeps") {
  // Found by the random trees: the matcher keeps the documents of the
  // excluded part in this shape (each part alone it matches correctly).
  // The parser makes AND_MAYBE for loose word lists; the bitmap, exact by
  // construction, then gives the true total.
  const auto& db = random_index().db;
  using Q = Xapian::Query;
  const Q included(Q::OP_OR, term("d"), term("a"));
  const Q excluded(Q::OP_FILTER, Q(Q::OP_AND_MAYBE, term("rare"), term("e")), term("a"));
  const Q q(Q::OP_AND_NOT, included, excluded);
  std::set<Xapian::docid> expected = matcher(db, included);
  for (auto id : matcher(db, excluded)) expected.erase(id);
  REQUIRE_FALSE(matcher(db, excluded).empty());
  CHECK(bitmap(db, q) == expected);
  CHECK(by_sets(db, q) == expected);
}

TEST_CASE("value ranges the caller describes are read from its column") {
  const auto& db = random_index().db;
  const auto column = year_column(db);
  using Q = Xapian::Query;
  const Q range(Q::OP_VALUE_RANGE, 0, "2005", "2010");
  const Q at_least(Q::OP_VALUE_GE, 0, "2020");
  const Q at_most(Q::OP_VALUE_LE, 0, "2003");
  const std::vector<vigie::ColumnRange> ranges = {{range, &column, 2005, 2010},
                                                  {at_least, &column, 2020, 99999999},
                                                  {at_most, &column, 0, 2003}};
  const std::pair<const char*, Q> cases[] = {
      {"a range alone", range},
      {"at least", at_least},
      {"at most", at_most},
      {"a rare term in a range (looked up)", Q(Q::OP_FILTER, term("rare"), range)},
      {"a common term in a range", Q(Q::OP_FILTER, term("XTtype"), range)},
      {"two ranges", Q(Q::OP_AND, at_least, Q(Q::OP_OR, term("d"), at_most))},
      {"MatchAll in a range", Q(Q::OP_FILTER, Q::MatchAll, at_most)},
      {"outside a range", Q(Q::OP_AND_NOT, term("b"), range)},
  };
  for (const auto& [name, q] : cases) {
    CAPTURE(name);
    auto matches = vigie::match_bitmap(db, q, nullptr, ranges);
    REQUIRE(matches);
    CHECK(ids_of(*matches) == matcher(db, q));
  }
  // Another node with the same bounds is not the one described: the matcher counts it.
  CHECK_FALSE(vigie::match_bitmap(db, Q(Q::OP_VALUE_RANGE, 0, "2005", "2010"), nullptr, ranges));
}

TEST_CASE("queries that need positions or values are left to the matcher") {
  const auto& db = random_index().db;
  const Xapian::Query refused[] = {
      Xapian::Query(Xapian::Query::OP_PHRASE, term("a"), term("b")),
      Xapian::Query(Xapian::Query::OP_NEAR, term("a"), term("b")),
      Xapian::Query(Xapian::Query::OP_VALUE_RANGE, 0, "2005", "2010"),
      Xapian::Query(Xapian::Query::OP_AND, term("a"),
                    Xapian::Query(Xapian::Query::OP_VALUE_GE, 0, "2010")),
      Xapian::Query(Xapian::Query::OP_OR, term("c"),
                    Xapian::Query(Xapian::Query::OP_PHRASE, term("a"), term("b"))),
      Xapian::Query(Xapian::Query::OP_ELITE_SET, term("a"), term("b")),
      Xapian::Query(Xapian::Query::OP_XOR, term("a"), term("b")),
  };
  for (const auto& q : refused) {
    CAPTURE(q.get_description());
    CHECK_FALSE(vigie::match_bitmap(db, q));
  }
}

TEST_CASE("MatchBitmap: set, test, count and set operations by document id") {
  vigie::MatchBitmap a(200), b(200);
  for (Xapian::docid id : {1u, 63u, 64u, 65u, 199u, 200u}) a.set(id);
  for (Xapian::docid id : {63u, 65u, 150u}) b.set(id);
  CHECK(a.count() == 6);
  CHECK(a.test(64));
  CHECK_FALSE(a.test(2));
  CHECK_FALSE(a.test(100000));  // beyond the last id: not a match, not a crash
  std::vector<Xapian::docid> ids;
  a.for_each([&](Xapian::docid id) { ids.push_back(id); });
  CHECK(ids == std::vector<Xapian::docid>{1, 63, 64, 65, 199, 200});
  vigie::MatchBitmap both = a;
  both.intersect(b);
  CHECK(both.count() == 2);
  vigie::MatchBitmap either = a;
  either.unite(b);
  CHECK(either.count() == 7);
  vigie::MatchBitmap only_a = a;
  only_a.subtract(b);
  CHECK(only_a.count() == 4);
  CHECK_FALSE(only_a.test(63));
}

TEST_CASE("filter bitmaps: the repeated filter terms only, each read once per revision") {
  CHECK(vigie::FilterBitmaps::keeps("XTdeliberation"));
  CHECK(vigie::FilterBitmaps::keeps("XY2020"));
  CHECK(vigie::FilterBitmaps::keeps("XOcommune de vue"));
  CHECK_FALSE(vigie::FilterBitmaps::keeps("XT"));             // a bare prefix
  CHECK_FALSE(vigie::FilterBitmaps::keeps("budget"));         // words
  CHECK_FALSE(vigie::FilterBitmaps::keeps("Sbudget"));        // title words
  CHECK_FALSE(vigie::FilterBitmaps::keeps("XN2010/80"));      // numbers: one document each
  CHECK_FALSE(vigie::FilterBitmaps::keeps("Q004/doc-1.md"));  // ids
  const auto& db = random_index().db;
  vigie::FilterBitmaps filters;
  auto first = filters.get(db, "XTtype");
  CHECK(filters.get(db, "XTtype") == first);  // kept
  CHECK(ids_of(*first) == by_sets(db, term("XTtype")));
  CHECK(filters.get(db, "XTabsent")->count() == 0);
}

TEST_CASE(
    "ColumnRangeSource matches what the value range it replaces matches, in every position of a "
    "query") {
  const auto& db = random_index().db;
  const auto column = year_column(db);
  using Q = Xapian::Query;
  const std::tuple<const char*, const char*, std::uint32_t, std::uint32_t> bounds[] = {
      {"2005", "2010", 2005, 2010},
      {"2029", "2029", 2029, 2029},
      {"0000", "2002", 0, 2002},
      {"2020", "9999", 2020, 9999},
      {"3000", "4000", 3000, 4000}};
  for (const auto& [low, high, low_n, high_n] : bounds) {
    CAPTURE(low);
    CAPTURE(high);
    const Q values(Q::OP_VALUE_RANGE, 0, low, high);
    const Q column_range = vigie::column_range_query(column, low_n, high_n);
    const std::pair<const char*, std::function<Q(const Q&)>> shapes[] = {
        {"alone", [](const Q& r) { return r; }},
        {"filtering a rare term (skip_to, check)",
         [](const Q& r) { return Q(Q::OP_FILTER, term("rare"), r); }},
        {"filtering a common term", [](const Q& r) { return Q(Q::OP_FILTER, term("XTtype"), r); }},
        {"excluded", [](const Q& r) { return Q(Q::OP_AND_NOT, term("b"), r); }},
        {"or a term", [](const Q& r) { return Q(Q::OP_OR, term("rare"), r); }},
        {"in an AND of two terms",
         [](const Q& r) {
           const Q parts[] = {term("a"), r, term("c")};
           return Q(Q::OP_AND, std::begin(parts), std::end(parts));
         }},
    };
    for (const auto& [name, shape] : shapes) {
      CAPTURE(name);
      CHECK(matcher(db, shape(column_range)) == matcher(db, shape(values)));
    }
    // Weighted, as the searcher ranks: the same documents, a filter adds no weight.
    Xapian::Enquire weighted(db);
    weighted.set_query(Q(Q::OP_FILTER, term("a"), column_range));
    const auto mset = weighted.get_mset(0, 1000);
    CHECK(mset.size() == matcher(db, Q(Q::OP_FILTER, term("a"), values)).size());
    CHECK(mset.get_matches_estimated() == mset.size());
  }
}

TEST_CASE(
    "the posting cache: frequent terms only, up to its size, and the same bitmaps as the index's "
    "postings") {
  const auto& db = random_index().db;
  vigie::PostingCache cache;
  // "a" is in about half of the documents; "rare" in about 3 of 600 (under 1/64).
  // Every posting, wdfs included, read back in order and found by id: a
  // dense term ("a": a bitmap) and a sparse one ("e", 5 %: its ids).
  for (const char* name : {"a", "e"}) {
    CAPTURE(name);
    const auto kept = cache.get(db, name);
    REQUIRE(kept);
    CHECK(kept->dense() == (std::string(name) == "a"));
    CHECK(kept->size() == db.get_termfreq(name));
    std::vector<std::pair<Xapian::docid, Xapian::termcount>> expected, got;
    for (auto it = db.postlist_begin(name); it != db.postlist_end(name); ++it) {
      expected.emplace_back(*it, it.get_wdf());
      const std::size_t i = kept->find(*it);
      REQUIRE(i != vigie::PostingCache::Postings::npos);
      CHECK(kept->wdf(i) == it.get_wdf());
    }
    kept->for_each([&](Xapian::docid id, Xapian::termcount wdf) { got.emplace_back(id, wdf); });
    CHECK(got == expected);
    got.clear();  // a range of ids only
    kept->for_each_in(100, 300,
                      [&](Xapian::docid id, Xapian::termcount wdf) { got.emplace_back(id, wdf); });
    std::erase_if(expected, [](const auto& p) { return p.first < 100 || p.first >= 300; });
    CHECK(got == expected);
    CHECK(kept->find(5) == vigie::PostingCache::Postings::npos);  // deleted
  }
  // A synonym's union: every document of either term, the wdfs summed.
  for (const std::vector<std::string>& terms :
       {std::vector<std::string>{"a", "e"}, std::vector<std::string>{"e", "rare"}}) {
    const auto both = cache.get_union(db, terms);
    REQUIRE(both);
    std::map<Xapian::docid, Xapian::termcount> expected;
    for (const auto& t : terms)
      for (auto it = db.postlist_begin(t); it != db.postlist_end(t); ++it)
        expected[*it] += it.get_wdf();
    std::map<Xapian::docid, Xapian::termcount> got;
    both->for_each([&](Xapian::docid id, Xapian::termcount wdf) { got[id] = wdf; });
    CHECK(got == expected);
    CHECK(cache.get_union(db, terms) == both);  // kept
  }
  CHECK(cache.get_union(db, {"rare", "absent"}) == nullptr);  // too rare
  const auto a = cache.get(db, "a");
  CHECK(cache.get(db, "a") == a);  // kept: read once
  CHECK(cache.get(db, "rare") == nullptr);
  CHECK(cache.get(db, "absent") == nullptr);
  CHECK(cache.bytes() == a->bytes() + cache.get(db, "e")->bytes() +
                             cache.get_union(db, {"a", "e"})->bytes() +
                             cache.get_union(db, {"e", "rare"})->bytes());
  // Full: nothing more is kept (the caller reads the index).
  vigie::PostingCache small(a->bytes() + 8);
  REQUIRE(small.get(db, "a"));
  CHECK(small.get(db, "b") == nullptr);
  CHECK(small.bytes() == a->bytes());

  // Random trees give the same bitmaps with the cache (every frequent term
  // from it) as without.
  std::mt19937 rng(64);
  vigie::BitmapSources sources;
  sources.postings = &cache;
  for (int i = 0; i < 300; ++i) {
    const Xapian::Query q = random_query(rng, 3);
    CAPTURE(q.get_description());
    auto with = vigie::match_bitmap(db, q, sources);
    auto without = vigie::match_bitmap(db, q);
    REQUIRE(with.has_value() == without.has_value());
    if (!with) continue;
    std::set<Xapian::docid> x, y;
    with->for_each([&](Xapian::docid id) { x.insert(id); });
    without->for_each([&](Xapian::docid id) { y.insert(id); });
    CHECK(x == y);
  }
  CHECK(cache.bytes() > a->bytes() * 2);  // more terms were kept
}

TEST_CASE("the posting cache keeps a wdf of 255 and more exactly (a byte each below)") {
  vigie::test::ScratchDir dir("vigie-posting-cache-wdf");
  const std::string path = (dir.path() / "db").string();
  {
    Xapian::WritableDatabase w(path, Xapian::DB_CREATE);
    for (Xapian::termcount i = 1; i <= 64; ++i) {
      Xapian::Document doc;
      doc.add_term("dense", i % 4 == 0 ? 250 + i * 3 : i);  // 262, 274, …: over a byte
      if (i % 8 == 0) doc.add_term("sparse", 1000 + i);
      w.add_document(doc);
    }
    w.commit();
  }
  Xapian::Database db(path);
  vigie::PostingCache cache;
  for (const char* name : {"dense", "sparse"}) {
    CAPTURE(name);
    const auto kept = cache.get(db, name);
    REQUIRE(kept);
    for (auto it = db.postlist_begin(name); it != db.postlist_end(name); ++it)
      CHECK(kept->wdf(kept->find(*it)) == it.get_wdf());
  }
}
