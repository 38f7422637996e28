// A SearchRequest is typed once, where the parameters arrive: the HTTP
// parameters (api_params) become DocType, years, Dates and a SortOrder, each
// bad value a 400 that names the parameter and says why; a partial date
// stands for its whole period (DateRange).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "api/api_params.h"
#include "http/http_error.h"
#include "vigie/document.h"
#include "vigie/searcher.h"

using vigie::Date;
using vigie::DateRange;
using vigie::DocType;
using vigie::SortOrder;
using vigie::http::ParamStyle;
using vigie::http::QueryParams;

namespace {

vigie::SearchRequest filters(const std::string& query, ParamStyle style = ParamStyle::Api) {
  return vigie::http::search_filters_from(QueryParams::parse(query), style);
}

}  // namespace

TEST_CASE("DateRange: the bounds of partial dates, over Date::sortable()") {
  struct Row {
    const char* from;
    const char* to;
    int low, high;
  };
  const Row rows[] = {
      {"2012", "2012", 20120000, 20129999},
      {"2012-06", "2012-06", 20120600, 20120699},
      {"2012-06-22", "2012-06-22", 20120622, 20120622},
      {"22/06/2012", "30/06/2012", 20120622, 20120630},
      {"2012-02", "", 20120200, 99999999},
      {"", "2012-02", 0, 20120299},
      {"", "", 0, 99999999},
  };
  for (const auto& row : rows) {
    CAPTURE(row.from);
    CAPTURE(row.to);
    DateRange range;
    if (*row.from) range.from = Date::parse(row.from);
    if (*row.to) range.to = Date::parse(row.to);
    CHECK(range.bounded() == (*row.from || *row.to));
    CHECK(range.low() == row.low);
    CHECK(range.high() == row.high);
  }
}

TEST_CASE("DateRange: which documents' dates a period takes in") {
  auto in = [](const DateRange& range, const Date& date) {
    return range.low() <= date.sortable() && date.sortable() <= range.high();
  };
  const DateRange year{Date{2012}, Date{2012}};
  CHECK(in(year, Date{2012}));  // dated by the year only
  CHECK(in(year, Date{2012, 6}));
  CHECK(in(year, Date{2012, 12, 31}));
  CHECK_FALSE(in(year, Date{2011, 12, 31}));
  CHECK_FALSE(in(year, Date{2013, 1, 1}));
  const DateRange june{Date{2012, 6}, Date{2012, 6}};
  CHECK(in(june, Date{2012, 6}));
  CHECK(in(june, Date{2012, 6, 30}));
  CHECK_FALSE(in(june, Date{2012}));  // a year only sorts before its months
  CHECK_FALSE(in(june, Date{2012, 7, 1}));
  // A day: a document dated by its month only sorts before it.
  const DateRange from_day{Date{2012, 6, 22}, std::nullopt};
  CHECK_FALSE(in(from_day, Date{2012, 6}));
  CHECK(in(from_day, Date{2012, 6, 22}));
  CHECK(in(from_day, Date{9999, 12, 31}));
}

TEST_CASE("HTTP parameters become typed values, once") {
  auto r = filters(
      "q=budget&type=communiqu%C3%A9&type=PV&type=arrete&org=Commune+A&collectivite=commune+b"
      "&organisation=C&annee=2020&year=2021&from=2012&au=2012-06&sort=oldest&facets=0"
      "&extracts=non&explain=oui");
  CHECK(r.query == "budget");
  CHECK(r.types ==
        std::vector<DocType>{DocType::Communique, DocType::ProcesVerbal, DocType::Arrete});
  CHECK(r.organisations == std::vector<std::string>{"Commune A", "commune b", "C"});
  CHECK(r.years == std::vector<int>{2021, 2020});  // by name: year, then annee
  REQUIRE(r.dates.from);
  REQUIRE(r.dates.to);
  CHECK(*r.dates.from == Date{2012});
  CHECK(*r.dates.to == Date{2012, 6});
  CHECK(r.sort == SortOrder::Oldest);
  CHECK_FALSE(r.facets);
  CHECK_FALSE(r.extracts);
  CHECK(r.explain);

  // What deliberations decide: vote keys or labels, montant: values (the API also says amount).
  auto decided = filters(
      "vote=contre&vote=Unanimit%C3%A9&amount=%3E10000&montant=1000..9999,99"
      "&sort=montant");
  CHECK(decided.votes ==
        std::vector<vigie::VoteFilter>{vigie::VoteFilter::Contre, vigie::VoteFilter::Unanimite});
  CHECK(decided.amounts ==
        std::vector<vigie::AmountRange>{{1'000'001, vigie::kMaxAmountCents}, {100'000, 999'999}});
  CHECK(decided.sort == SortOrder::Amount);
  // The form does not know the API's own name.
  CHECK(filters("amount=%3E10000", vigie::http::ParamStyle::Form).amounts.empty());

  // Absent or empty: no filter, the defaults.
  auto none = filters("q=&type=&du=&sort=");
  CHECK(none.types.empty());
  CHECK_FALSE(none.dates.bounded());
  CHECK(none.sort == SortOrder::Relevance);
  CHECK(none.facets);

  // A period may start and end in the same year, month or day, at any precision.
  for (const char* same : {"du=2010&au=2010", "du=2010-06-22&au=2010-06", "du=2010&au=2010-01-01",
                           "du=2010-06-22&au=2010-06-22"})
    CHECK_NOTHROW(filters(same, ParamStyle::Form));

  // The form's style knows only the first API's names.
  auto form =
      filters("org=A&year=2020&from=2012&collectivite=B&annee=2021&du=2013", ParamStyle::Form);
  CHECK(form.organisations == std::vector<std::string>{"B"});
  CHECK(form.years == std::vector<int>{2021});
  REQUIRE(form.dates.from);
  CHECK(*form.dates.from == Date{2013});
  CHECK_FALSE(form.dates.to);
}

TEST_CASE("a bad search parameter is a 400 that names it and says why") {
  struct Row {
    const char* query;
    ParamStyle style;
    const char* message;
  };
  const auto api = ParamStyle::Api, form = ParamStyle::Form;
  const Row rows[] = {
      {"type=bogus", api,
       "Type de document inconnu : « bogus ». Valeurs possibles : manifeste, communique, "
       "deliberation, proces-verbal, arrete, rapport, autre."},
      {"type=communique&type=note", form,
       "Type de document inconnu : « note ». Valeurs possibles : manifeste, communique, "
       "deliberation, proces-verbal, arrete, rapport, autre."},
      {"year=12", api, "Le paramètre « year » attend une année sur quatre chiffres ; reçu « 12 »."},
      {"year=2020&annee=20201", api,
       "Le paramètre « annee » attend une année sur quatre chiffres ; reçu « 20201 »."},
      {"annee=0999", form,
       "Le paramètre « annee » attend une année sur quatre chiffres ; reçu « 0999 »."},
      {"annee=2020a", form,
       "Le paramètre « annee » attend une année sur quatre chiffres ; reçu « 2020a »."},
      {"from=hier", api,
       "Le paramètre « from » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « hier »."},
      {"du=2023-13-45", api,
       "Le paramètre « du » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « 2023-13-45 "
       "»."},
      {"du=2023-02-30", form,
       "Le paramètre « du » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « 2023-02-30 "
       "»."},
      {"to=2023-1", api,
       "Le paramètre « to » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « 2023-1 »."},
      {"au=999", form,
       "Le paramètre « au » doit être une date AAAA-MM-JJ (ou AAAA-MM, AAAA) ; reçu « 999 »."},
      {"from=2023&du=2023", api,
       "Les paramètres « from » et « du » disent la même chose ; n’en donnez qu’un."},
      {"to=2023&au=2023", api,
       "Les paramètres « to » et « au » disent la même chose ; n’en donnez qu’un."},
      {"du=2013&au=2010", form,
       "Période impossible : le début (2013) est après la fin (2010) ; échangez les deux dates."},
      {"from=2010-07-01&to=2010-06", api,
       "Période impossible : le début (1er juillet 2010) est après la fin (juin 2010) ; échangez "
       "les deux dates."},
      {"du=2023&du=2024", form,
       "Le paramètre « du » est donné plusieurs fois ; il n’en faut qu’un."},
      {"sort=bogus", api,
       "Tri inconnu : « bogus ». Valeurs possibles : relevance (pertinence), date (plus récents "
       "d’abord), oldest (plus anciens d’abord), amount (montant le plus élevé d’abord)."},
      {"facets=maybe", api,
       "Le paramètre « facets » attend 1 ou 0 (true/false, oui/non) ; reçu « maybe »."},
      {"vote=peut-etre", api,
       "Vote inconnu : « peut-etre ». Valeurs possibles : unanimite, majorite, rejet, contre (des "
       "voix contre), abstention."},
      {"montant=%3E%3E", form,
       "Paramètre « montant » : Montant invalide « >> » : écrire un montant en euros, par exemple "
       "montant:>10000, montant:<=500, montant:1000..5000 ou montant:1000,50."},
      {"amount=5000..1000", api,
       "Paramètre « amount » : Intervalle de montants « 5000..1000 » inversé : écrire le plus "
       "petit montant d’abord (montant:1000..5000)."},
  };
  for (const auto& row : rows) {
    CAPTURE(row.query);
    try {
      filters(row.query, row.style);
      FAIL("accepted");
    } catch (const vigie::http::HttpError& e) {
      CHECK(e.status() == 400);
      CHECK(std::string(e.what()) == row.message);
    }
  }
}

TEST_CASE("a refused value is quoted up to 40 bytes") {
  try {
    filters("from=" + std::string(100, '9'));
    FAIL("accepted");
  } catch (const vigie::http::HttpError& e) {
    CHECK(std::string(e.what()).find("« " + std::string(40, '9') + " »") != std::string::npos);
  }
}
