// Searching what deliberations decide (docs/query-language.md: vote:,
// montant:, article:, loi:, decret:; sort by amount; the « Vote » and
// « Montant » facets; « Délibérations citées » and « Citée par »): tables of
// the value parsers, then searches on a real index of deliberations whose
// decisions are set by hand (decisions_fixture.h).
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

#include "decisions_fixture.h"
#include "index/document_data.h"
#include "test_support.h"
#include "vigie/config.h"
#include "vigie/decision_search.h"
#include "vigie/hit_csv.h"
#include "vigie/search_json.h"
#include "vigie/searcher.h"

namespace {

using vigie::AmountRange;
using vigie::kMaxAmountCents;
using Ids = std::set<std::string>;

struct AmountCase {
  const char* written;
  std::optional<AmountRange> expected;  // nullopt: an error
  const char* message = "";             // part of the error message
};

const AmountCase kAmountCases[] = {
    {">10000", AmountRange{1'000'001, kMaxAmountCents}},
    {">=10000", AmountRange{1'000'000, kMaxAmountCents}},
    {"<500", AmountRange{0, 49'999}},
    {"<=500", AmountRange{0, 50'000}},
    {"1000..5000", AmountRange{100'000, 500'000}},
    {"1000,50", AmountRange{100'050, 100'050}},
    {"1000.5", AmountRange{100'050, 100'050}},
    {"1.500", AmountRange{150'000, 150'000}},  // a dot before three digits groups thousands
    {"10 000", AmountRange{1'000'000, 1'000'000}},
    {"10\u00a0000", AmountRange{1'000'000, 1'000'000}},
    {"10\u202f000,40", AmountRange{1'000'040, 1'000'040}},
    {"1000..", AmountRange{100'000, kMaxAmountCents}},
    {"..5000", AmountRange{0, 500'000}},
    {"1500 €", AmountRange{150'000, 150'000}},
    {"1500euros", AmountRange{150'000, 150'000}},
    {"1000..9999,99", AmountRange{100'000, 999'999}},
    {">>", std::nullopt, "Montant invalide"},
    {"1e999", std::nullopt, "Montant invalide"},
    {"abc", std::nullopt, "Montant invalide"},
    {"", std::nullopt, "vide"},
    {"..", std::nullopt, "Montant invalide"},
    {"5000..1000", std::nullopt, "inversé"},
    {"<0", std::nullopt, "inférieur à 0"},
    {"1000,", std::nullopt, "Montant invalide"},
    {"1000,505", std::nullopt, "Montant invalide"},
    {"-5", std::nullopt, "Montant invalide"},
    {"99999999999999999999", std::nullopt, "trop grand"},
    {"1000000000001", std::nullopt, "trop grand"},
    {">1000000000000", std::nullopt, "trop grand"},
};

TEST_CASE("montant: values: operators, ranges, French decimals and errors") {
  for (const auto& c : kAmountCases) {
    CAPTURE(c.written);
    std::string error;
    const auto range = vigie::parse_amount_range(c.written, error);
    if (c.expected) {
      REQUIRE(range);
      CHECK(range->low == c.expected->low);
      CHECK(range->high == c.expected->high);
    } else {
      CHECK_FALSE(range);
      CHECK(error.find(c.message) != std::string::npos);
    }
  }
}

TEST_CASE("the Montant facet's keys are montant: values giving back their buckets, adjacent") {
  std::uint64_t next = 0;
  for (const auto& bucket : vigie::amount_buckets()) {
    std::string error;
    auto range = vigie::parse_amount_range(bucket.key, error);
    REQUIRE(range);
    CHECK(*range == bucket.range);
    CHECK(bucket.range.low == next);  // no amount falls between two buckets
    next = bucket.range.high + 1;
  }
  CHECK(next == kMaxAmountCents + 1);
}

TEST_CASE("vote: values: keys and labels, accents and case free") {
  const std::pair<const char*, std::optional<vigie::VoteFilter>> cases[] = {
      {"unanimite", vigie::VoteFilter::Unanimite},
      {"Unanimité", vigie::VoteFilter::Unanimite},
      {"MAJORITÉ", vigie::VoteFilter::Majorite},
      {"rejet", vigie::VoteFilter::Rejet},
      {"contre", vigie::VoteFilter::Contre},
      {"abstention", vigie::VoteFilter::Abstention},
      {"abstentions", vigie::VoteFilter::Abstention},
      {"peut-etre", std::nullopt},
      {"", std::nullopt},
  };
  for (const auto& [text, expected] : cases) {
    CAPTURE(text);
    CHECK(vigie::parse_vote_filter(text) == expected);
  }
}

TEST_CASE("stored data keeps decisions, and a non-finite amount does not spoil the rest") {
  auto docs = vigie::test::decisions_documents();
  const vigie::SourceDocument& d3 = docs[2];
  const auto back = vigie::decode_document_data(vigie::encode_document_data(d3));
  CHECK(back.decisions.vote.outcome == vigie::VoteOutcome::Majorite);
  CHECK(back.decisions.vote.abstention == 3);
  REQUIRE(back.decisions.amounts.size() == 1);
  CHECK(back.decisions.amounts[0].euros == 999.99);
  CHECK(back.decisions.amounts[0].role == vigie::AmountRole::Tarif);
  REQUIRE(back.decisions.legal.size() == 2);
  CHECK(back.decisions.legal[1].kind == vigie::LegalReference::Kind::Decret);
  CHECK(back.decisions.legal[1].date == vigie::Date{2016, 3, 25});
  REQUIRE(back.decisions.cited.size() == 1);
  CHECK(back.decisions.cited[0].verb == "modifie");
  // RapidJSON writes nothing for infinity: the data must stay JSON.
  vigie::SourceDocument odd = d3;
  odd.decisions.amounts[0].euros = std::numeric_limits<double>::infinity();
  const auto kept = vigie::decode_document_data(vigie::encode_document_data(odd));
  CHECK(kept.title == d3.title);
  REQUIRE(kept.decisions.amounts.size() == 1);
  CHECK(kept.decisions.amounts[0].euros == 0);
  // No decisions: no key at all.
  CHECK(vigie::encode_document_data(docs[4]).find("decisions") == std::string::npos);
}

TEST_CASE("amounts written the French way") {
  CHECK(vigie::french_euros(32339.40) == "32\u202f339,40 €");
  CHECK(vigie::french_euros(1500) == "1\u202f500 €");
  CHECK(vigie::french_euros(999.99) == "999,99 €");
  CHECK(vigie::french_euros(1250000) == "1\u202f250\u202f000 €");
}

// One index of the fixture's deliberations for the whole file.
struct Index {
  vigie::test::ScratchDir dir{"vigie-decisions"};
  vigie::Config config = vigie::load_config(vigie::test::source_dir() / "config" / "vigie.json");
  std::unique_ptr<vigie::Searcher> searcher;
  Index() {
    vigie::test::write_index(dir.path(), vigie::test::decisions_documents(), config.search);
    searcher = std::make_unique<vigie::Searcher>(dir.path(), config);
  }
};

vigie::Searcher& searcher() {
  static Index index;
  return *index.searcher;
}

vigie::SearchResponse search(vigie::SearchRequest request) {
  request.limit = 50;
  return searcher().search(request);
}

Ids found(const std::string& query) {
  vigie::SearchRequest request;
  request.query = query;
  const auto response = search(request);
  Ids ids;
  for (const auto& hit : response.hits) ids.insert(hit.id);
  CHECK(response.total == ids.size());
  return ids;
}

TEST_CASE("decision fields find what the deliberations decide") {
  const std::pair<const char*, Ids> cases[] = {
      {"vote:unanimite", {"d1", "d6", "d8"}},
      {"vote:Unanimité", {"d1", "d6", "d8"}},
      {"VOTE:majorite", {"d2", "d3", "d7"}},
      {"vote:rejet", {"d4"}},
      {"vote:contre", {"d2"}},  // d3 counts 0 contre: not contested
      {"vote:abstention", {"d2", "d3"}},
      {"-vote:unanimite type:deliberation", {"d2", "d3", "d4", "d5", "d7", "d9", "d10"}},
      {"vote:rejet OR vote:contre", {"d2", "d4"}},
      {"subvention vote:contre", {"d2"}},
      // The largest amount of each: d1 1 250 000, d2 1 500, d3 999,99,
      // d6 10 000, d7 100 000.
      {"montant:>10000", {"d1", "d7"}},
      {"montant:>=10000", {"d1", "d6", "d7"}},
      {"montant:<1000", {"d3"}},
      {"montant:<=999,99", {"d3"}},
      {"montant:1000..5000", {"d2"}},
      {"montant:999,99", {"d3"}},
      {"montant:\"1 500\"", {"d2"}},
      {"montant:30000..40000", {}},  // 32 339,40 € is d1's, but not its largest
      {"montant:<1000 OR montant:>1000000", {"d1", "d3"}},
      {"-montant:>=1000 type:deliberation", {"d3", "d4", "d5", "d8", "d9", "d10"}},
      {"montant:10000..100000 vote:unanimite", {"d6"}},
      {"article:L2121-29", {"d1"}},
      {"article:\"L. 2121-29\"", {"d1"}},
      {"article:l.2121-29", {"d1"}},
      {"article:\"article L 2121-29\"", {"d1"}},
      {"article:cgct:L2121-29", {"d1"}},
      {"article:L2122-22", {"d2", "d7"}},
      {"article:cgct:L2122-22", {"d7"}},  // d2 names no code
      {"article:R2321-1", {"d3"}},
      {"article:L2121-30", {}},
      {"loi:2004-809", {"d1"}},
      {"loi:\"n° 2004-809\"", {"d1"}},
      {"decret:2016-360", {"d3"}},
      {"décret:2016-360", {"d3"}},
      {"loi:2016-360", {}},  // a décret's number is not a loi's
  };
  for (const auto& [query, expected] : cases) {
    CAPTURE(query);
    CHECK(found(query) == expected);
  }
}

TEST_CASE("decision fields with a value they cannot use are a QuerySyntaxError in French") {
  const std::pair<const char*, const char*> cases[] = {
      {"montant:>>", "Montant invalide"},
      {"montant:1e999", "Montant invalide"},
      {"montant:abc", "Montant invalide"},
      {"montant:5000..1000", "inversé"},
      {"vote:", "vote: » vide"},
      {"vote:peut-etre", "Vote inconnu"},
      {"article:xyz", "Article invalide"},
      {"article:", "article: » vide"},
      {"loi:abc", "Numéro invalide"},
      {"decret:12", "Numéro invalide"},
      {"budget montant:", "montant: » vide"},
      {"(vote:rejet OR montant:x)", "Montant invalide"},
  };
  for (const auto& [query, message] : cases) {
    CAPTURE(query);
    vigie::SearchRequest request;
    request.query = query;
    try {
      searcher().search(request);
      FAIL("no error");
    } catch (const vigie::QuerySyntaxError& e) {
      CHECK(std::string(e.what()).find(message) != std::string::npos);
    }
  }
}

TEST_CASE("request filters on votes and amounts find what the query fields find") {
  vigie::SearchRequest request;
  request.votes = {vigie::VoteFilter::Contre, vigie::VoteFilter::Rejet};
  CHECK(search(request).total == 2);
  request.votes = {vigie::VoteFilter::Abstention};
  std::string error;
  request.amounts = {*vigie::parse_amount_range("<1000", error)};
  auto response = search(request);
  REQUIRE(response.hits.size() == 1);
  CHECK(response.hits[0].id == "d3");
}

TEST_CASE("sort by amount: the largest first, documents without an amount last") {
  vigie::SearchRequest request;
  request.sort = vigie::SortOrder::Amount;
  const auto response = search(request);
  std::vector<std::string> ids;
  for (const auto& hit : response.hits) ids.push_back(hit.id);
  REQUIRE(ids.size() == 10);
  CHECK(std::vector<std::string>(ids.begin(), ids.begin() + 5) ==
        std::vector<std::string>{"d1", "d7", "d6", "d2", "d3"});
  CHECK(std::set<std::string>(ids.begin() + 5, ids.end()) == Ids{"d4", "d5", "d8", "d9", "d10"});
  // With words and filters too.
  request.query = "budget OR subvention OR tracteur";
  request.types = {vigie::DocType::Deliberation};
  const auto some = search(request);
  REQUIRE(some.hits.size() >= 3);
  CHECK(some.hits[0].id == "d1");
  CHECK(some.hits[1].id == "d6");
  CHECK(some.hits[2].id == "d2");
  CHECK(vigie::parse_sort_order("montant") == vigie::SortOrder::Amount);
  CHECK(vigie::parse_sort_order("amount") == vigie::SortOrder::Amount);
}

const vigie::Facet& facet(const vigie::SearchResponse& response, const std::string& name) {
  for (const auto& f : response.facets)
    if (f.name == name) return f;
  FAIL("no facet " << name);
  throw std::logic_error("unreachable");
}

TEST_CASE("Vote and Montant facets: counts, labels, order, and filters finding what they count") {
  for (const char* query : {"", "budget OR subvention OR cantine OR tracteur OR emprunt"}) {
    CAPTURE(query);
    vigie::SearchRequest request;
    request.query = query;
    const auto response = search(request);
    const auto& votes = facet(response, "vote");
    CHECK(votes.exact);
    std::map<std::string, Xapian::doccount> counts;
    for (const auto& v : votes.values) {
      counts[v.key] = v.count;
      auto filter = vigie::parse_vote_filter(v.key);
      REQUIRE(filter);
      CHECK(v.label == vigie::vote_filter_label(*filter));
      vigie::SearchRequest filtered = request;
      filtered.votes = {*filter};
      CHECK(search(filtered).total == v.count);
    }
    if (std::string(query).empty()) {
      CHECK(counts ==
            std::map<std::string, Xapian::doccount>{
                {"unanimite", 3}, {"majorite", 3}, {"rejet", 1}, {"contre", 1}, {"abstention", 2}});
    }
    const auto& amounts = facet(response, "amount");
    std::vector<std::string> keys;
    for (const auto& v : amounts.values) {
      keys.push_back(v.key);
      std::string error;
      auto range = vigie::parse_amount_range(v.key, error);
      REQUIRE(range);
      vigie::SearchRequest filtered = request;
      filtered.amounts = {*range};
      CHECK(search(filtered).total == v.count);
      // The query language says the same.
      vigie::SearchRequest typed = request;
      typed.query = (std::string(query).empty() ? "" : "(" + std::string(query) + ") ") +
                    "montant:\"" + v.key + "\"";
      CHECK(search(typed).total == v.count);
    }
    if (std::string(query).empty()) {
      // 999,99 | 1 500 | 10 000 | 100 000 and 1 250 000: in the buckets' order.
      CHECK(keys ==
            std::vector<std::string>{"<1000", "1000..9999,99", "10000..99999,99", ">=100000"});
      CHECK(amounts.values[0].label == "moins de 1 000 €");
      CHECK(amounts.values[3].count == 2);
    }
  }
}

TEST_CASE("hits carry their decisions, and the exports write them") {
  vigie::SearchRequest request;
  request.query = "vote:contre";
  const auto response = search(request);
  REQUIRE(response.hits.size() == 1);
  const vigie::Hit& hit = response.hits[0];
  CHECK(hit.decisions.vote.outcome == vigie::VoteOutcome::Majorite);
  CHECK(hit.decisions.vote.contre == 2);
  const std::string csv = vigie::hit_csv_row(hit);
  CHECK(csv.find(",majorite,12,2,1,1500.00,1500.00,L2122-22,\r\n") != std::string::npos);
  CHECK(vigie::hit_csv_header().find(
            "also,vote,pour,contre,abstention,largest_amount,amounts,legal_references,"
            "cited_numbers\r\n") != std::string::npos);
  const std::string json = vigie::hit_json(hit);
  CHECK(json.find(R"("vote":{"outcome":"majorite","label":"majorité","pour":12,"contre":2,)"
                  R"("abstention":1})") != std::string::npos);
  CHECK(json.find(R"("largest_amount":1500.0)") != std::string::npos);
  // A document without decisions has no "decisions" key and empty cells.
  request.query = "séance";
  const auto plain = search(request);
  REQUIRE(plain.hits.size() == 1);
  CHECK(vigie::hit_json(plain.hits[0]).find("decisions") == std::string::npos);
  CHECK(vigie::hit_csv_row(plain.hits[0]).ends_with(",,,,,,,,\r\n"));
  // d1: references as keys, amounts with a dot.
  request.query = "vote:unanimite montant:>1000000";
  const auto d1 = search(request);
  REQUIRE(d1.hits.size() == 1);
  CHECK(
      vigie::hit_csv_row(d1.hits[0])
          .find(",unanimite,,,,1250000.00,1250000.00; 32339.40,cgct:L2121-29; loi:2004-809,\r\n") !=
      std::string::npos);
}

TEST_CASE("links: cited acts resolved by number, collectivité and date; « Citée par » agrees") {
  auto& s = searcher();
  auto cited_of = [&](const std::string& id) { return s.relations(id).cited; };
  // d3 modifies 2023/01 of 14 March 2023: d1, not d8 (2023/01 of 2022).
  auto d3 = cited_of("d3");
  REQUIRE(d3.size() == 1);
  REQUIRE(d3[0].document);
  CHECK(d3[0].document->id == "d1");
  CHECK(d3[0].act.verb == "modifie");
  // d4 withdraws 2023/02 (one document has it) and cites 1999/99 (none).
  auto d4 = cited_of("d4");
  REQUIRE(d4.size() == 2);
  REQUIRE(d4[0].document);
  CHECK(d4[0].document->id == "d2");
  CHECK_FALSE(d4[1].document);
  CHECK(d4[1].act.text == "vu la délibération n° 1999/99");
  // d9 cites 2023/01 without a date: d1 or d8, not resolved.
  auto d9 = cited_of("d9");
  REQUIRE(d9.size() == 1);
  CHECK_FALSE(d9[0].document);
  // Backwards: d1 is modified by d3 (d9's citation names no one); d8 by none.
  auto d1 = s.relations("d1").cited_by;
  REQUIRE(d1.size() == 1);
  CHECK(d1[0].document.id == "d3");
  CHECK(d1[0].verb == "modifie");
  // d10 cites « la délibération du 10 janvier 2022 »: by its day only, d8.
  auto d10 = cited_of("d10");
  REQUIRE(d10.size() == 1);
  REQUIRE(d10[0].document);
  CHECK(d10[0].document->id == "d8");
  auto d8 = s.relations("d8").cited_by;
  REQUIRE(d8.size() == 1);
  CHECK(d8[0].document.id == "d10");
  CHECK(d8[0].verb == "complète");
  auto d2 = s.relations("d2").cited_by;
  REQUIRE(d2.size() == 1);
  CHECK(d2[0].document.id == "d4");
  CHECK(d2[0].verb == "rapporte");
  // The API's document JSON carries both.
  const auto doc = s.document("d2");
  REQUIRE(doc);
  const std::string json = vigie::document_json(*doc, s.relations("d2"));
  CHECK(
      json.find(
          R"("cited_by":[{"id":"d4","format":"text","title":"Retrait de la subvention au club","verb":"rapporte")") !=
      std::string::npos);
  const std::string d4_json = vigie::document_json(*s.document("d4"), s.relations("d4"));
  CHECK(
      d4_json.find(
          R"("number":"1999/99","date":"","verb":"","text":"vu la délibération n° 1999/99","document":null)") !=
      std::string::npos);
}

}  // namespace
