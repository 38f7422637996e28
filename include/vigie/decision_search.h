// What the search side offers on what deliberations decide
// (include/vigie/decisions.h): the vote filters and the amount ranges that
// the query language (vote:, montant:), the API and the web form take, the
// buckets of the « Montant » facet, and amounts written the French way.
// One parser for every door, so that a facet's key, a form's parameter and
// a query's field mean the same thing (docs/query-language.md).
// Implemented by the query layer (common/query/decision_search.cpp).
// Thread-safety: pure functions and constants.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie {

// What vote: and the « Vote » facet filter on: an outcome, or that some
// voted against (contre > 0) or abstained (abstention > 0).
enum class VoteFilter { Unanimite, Majorite, Rejet, Contre, Abstention };
const std::vector<VoteFilter>& all_vote_filters();
// "unanimite", "majorite", "rejet", "contre", "abstention": the term's body
// (schema::vote_term) and the facet's key.
std::string_view vote_filter_key(VoteFilter filter);
// « unanimité », « majorité », « rejet », « avec des voix contre », « avec abstentions ».
std::string_view vote_filter_label(VoteFilter filter);
// A key or a label, any case, with or without accents ("Unanimité",
// "majorite", "abstentions"); nullopt if none.
std::optional<VoteFilter> parse_vote_filter(std::string_view text);

// A range of amounts in euro cents, both ends included: amounts are
// compared in cents, so « < 1 000 € » is [0, 99 999] and no amount falls
// between two adjacent ranges.
inline constexpr std::uint64_t kMaxAmountCents = 100'000'000'000'000;  // 1 000 milliards d'euros
struct AmountRange {
  std::uint64_t low = 0;
  std::uint64_t high = kMaxAmountCents;
  friend bool operator==(const AmountRange&, const AmountRange&) = default;
};
// An amount in euros as cents (rounded), capped at kMaxAmountCents.
std::uint64_t amount_cents(double euros);

// Parses a montant: value: ">10000", ">=10000", "<500", "<=500",
// "1000..5000" (both included), "1000.." or "..5000", "1000" (exactly);
// French decimals (« 1000,50 ») and thousands separators (« 10 000 »,
// « 1.500 ») allowed. nullopt with a French message in `error` (saying
// what to write) when it is not one, the range is empty or inverted, or a
// number is beyond kMaxAmountCents.
std::optional<AmountRange> parse_amount_range(std::string_view text, std::string& error);

// The « Montant » facet's buckets, in order: each key is a montant: value
// (parse_amount_range gives back the bucket's range), so the facet's
// filter finds exactly what it counted.
struct AmountBucket {
  std::string_view key;    // "<1000", "1000..9999,99", "10000..99999,99", ">=100000"
  std::string_view label;  // « moins de 1 000 € », …
  AmountRange range;
};
const std::vector<AmountBucket>& amount_buckets();

// « 32 339,40 € », « 1 500 € » (no cents when whole), thousands grouped by a
// narrow no-break space as French typography has them.
std::string french_euros(double euros);

}  // namespace vigie
