// French dates: finds the calendar dates written in French text and file
// names, and picks the one that dates a document. Works on folded text
// (metadata_text.h: lower case, no accents), so "Février", "fevrier" and
// "FÉVRIER" are the same month. Hand-written token scanning, linear in the
// input; no std::regex.
// Internal to the indexer. Pure functions; thread-safe; never throw on any
// input (bounded look-behind and look-ahead only).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "metadata/metadata_text.h"
#include "vigie/document.h"

namespace vigie::metadata {

struct DateMatch {
  Date date;
  std::size_t begin = 0;  // folded offsets of the date itself
  std::size_t end = 0;
};

// 1..12 for "janvier".."decembre" (folded, so "fevrier", "aout", "decembre"),
// 0 for anything else.
int month_number(std::string_view folded_word);

// Every date written in folded text, in order of appearance:
//   "22 juin 2010", "1er mars 2011", "mardi 22 juin 2010",
//   "22 et 23 mars 2023" / "du 22 au 23 mars 2023" (the first day),
//   "22/06/2010", "22.06.2010", "2010-06-22",
//   "juin 2010" (month precision), "vingt-deux juin deux mille dix".
// Invalid dates (31 juin, 30/02) and years outside 1800–2100 are skipped.
std::vector<DateMatch> find_dates(std::string_view folded);

// How much a date's context says "this is the document's own date".
enum class DateCue {
  Excluded,  // a reference, not the document's date: « loi n° 82-213 du »,
             // « né le », « à compter du », « réunion du » (the previous
             // session), « convocation : », « en date du »
  Plain,     // nothing special around it
  Strong,    // « séance du », « conseil municipal du », « CM du »,
             // « fait à X, le », « s'est tenu(e) le(s) », « réunion du conseil … du »
};

struct DocumentDate {
  DateMatch match;
  std::size_t cue_begin = 0;  // folded offset where the cue starts (== match.begin if none)
  DateCue cue = DateCue::Plain;
};

// The date that most credibly dates the document: the first Strong one, else
// the first Plain one; Excluded dates never count. nullopt when none.
std::optional<DocumentDate> best_document_date(std::string_view folded);

// A date in a file name stem (folded): "cm 22 juin 2010", "2010-06-22",
// "cm du 28 avril 2004", "cm juin 2012" (month), "20100622", else the first
// plausible year alone ("arrete 2012-3" → 2012).
std::optional<Date> date_in_file_name(std::string_view folded_stem);

}  // namespace vigie::metadata
