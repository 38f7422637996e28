// A calendar date, possibly partial, and a period of them: what documents
// are dated by and what the date filters take. Implemented in
// common/base/document.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigie {

// A calendar date, possibly partial (year only, or year and month).
struct Date {
  int year = 0;   // 0 = unknown
  int month = 0;  // 1..12, 0 = unknown
  int day = 0;    // 1..31, 0 = unknown

  bool known() const { return year != 0; }
  // "2010-06-22", "2010-06", "2010", or "" when unknown.
  std::string iso() const;
  // French display form: "22 juin 2010", "1er mars 2011", "juin 2010", "2010", "".
  std::string french() const;
  // Sortable integer YYYYMMDD (unknown parts as 00), 0 when unknown.
  int sortable() const;
  // Parses "2010-06-22", "2010-06", "2010", "22/06/2010"; nullopt if invalid
  // (month 13, day 32, 30 February...).
  static std::optional<Date> parse(std::string_view text);
  friend bool operator==(const Date&, const Date&) = default;
};

// A period for the search filters, both ends included; a missing end is
// open. A partial date stands for its whole period: from 2012 to 2012-06 is
// from the first of January 2012 to the end of June 2012.
struct DateRange {
  std::optional<Date> from, to;

  bool bounded() const { return from || to; }
  // The period over Date::sortable() numbers, both ends included (what the
  // date filters compare). A partial date is stored padded with 00
  // (2012-06 → 20120600), so its missing parts are 00 at the low end and 99
  // at the high end, which takes in the documents dated by that period only:
  //   from 2012 → 20120000, 2012-06 → 20120600, 2012-06-22 → 20120622, open → 0
  //   to   2012 → 20129999, 2012-06 → 20120699, 2012-06-22 → 20120622, open → 99999999
  // (A document dated 2012-06 only is before from 2012-06-22, as it sorts.)
  int low() const;
  int high() const;
};

}  // namespace vigie
