// The index schema: every term prefix and value slot Vigie uses. Nothing else
// in the code base spells a prefix or a slot number (docs/architecture.md, "Index schema").
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>

namespace vigie::schema {

// --- Terms ---
inline constexpr std::string_view kIdPrefix = "Q";  // unique id: Q + document id
inline constexpr std::string_view kExactPrefix =
    "";  // folded exact words (positions: kSlotPositions)
// Stem families (index schema 2, index_schema.h): keys of the synonym table,
// not terms. Z + fold(stem(accented lower form)) lists the exact forms with
// that stem; XZ + stem(folded form), only when the word carried accents and
// the two stems differ, lets a query typed without accents ("municipalite")
// meet the accented word ("municipalité" is in Z"municipal" and
// XZ"municipalit"). In schema 1 indexes both were terms without positions.
inline constexpr std::string_view kStemPrefix = "Z";
inline constexpr std::string_view kUnaccentedStemPrefix = "XZ";
inline constexpr std::string_view kTitlePrefix =
    "S";  // title words (exact, folded); phrases: the stream's title
// Title stems: terms of the first index layout, no longer written (titre:
// words expand to their family's forms under S); the longest prefix, so the
// analyzer still leaves room for it under kMaxTermBytes (unchanged terms).
inline constexpr std::string_view kTitleStemPrefix = "XSZ";
inline constexpr std::string_view kTypePrefix = "XT";        // XT + doc_type_key
inline constexpr std::string_view kOrgPrefix = "XO";         // XO + facet_key(organisation)
inline constexpr std::string_view kPersonPrefix = "XP";      // XP + facet_key(person)
inline constexpr std::string_view kPlacePrefix = "XL";       // XL + facet_key(place)
inline constexpr std::string_view kYearPrefix = "XY";        // XY + "2010"
inline constexpr std::string_view kNumberPrefix = "XN";      // XN + "2010/80"
inline constexpr std::string_view kCollectionPrefix = "XK";  // XK + first folder
inline constexpr std::string_view kFormatPrefix = "XF";      // XF + format
inline constexpr std::string_view kSourcePrefix =
    "XR";  // XR + source_key(source path): all docs of a file
inline constexpr std::string_view kLanguagePrefix = "XG";  // XG + "fr"
inline constexpr std::string_view kPartOfPrefix =
    "XW";  // XW + id of the whole: the parts of a document (a session's deliberations)
inline constexpr std::string_view kRootPrefix =
    "XA";  // XA + root name: which indexed root a file came from
// What a deliberation decides (index schema 7, include/vigie/decisions.h);
// the terms are spelled by the functions below, shared by the indexer and
// the query parser.
inline constexpr std::string_view kVotePrefix =
    "XV";  // XV + unanimite|majorite|rejet, and contre / abstention when counted > 0
inline constexpr std::string_view kArticlePrefix =
    "XJ";  // XJ + article key, lower case ("l2121-29"); XJ + code + ":" + key ("cgct:l2121-29")
inline constexpr std::string_view kActPrefix =
    "XI";  // XI + loi|decret|ordonnance + ":" + number key ("loi:2004-809")
inline constexpr std::string_view kCitedPrefix =
    "XC";  // XC + fold(number) of a deliberation cited, XC@ + ISO day of one cited by date only

// --- Value slots ---
enum Slot : Xapian::valueno {
  kSlotDate = 0,          // "YYYYMMDD" (sortable string; partial dates padded with 00)
  kSlotType = 1,          // doc_type_key
  kSlotOrganisation = 2,  // organisation display name
  kSlotYear = 3,          // "YYYY"
  kSlotFingerprint = 4,   // source file fingerprint "size:mtime:hash" (on every doc of the file)
  kSlotContentHash = 5,   // hash of the normalised body, to collapse identical texts
  kSlotDateNumber = 6,    // Xapian::sortable_serialise(YYYYMMDD) for NumberRangeProcessor
  kSlotPositions = 7,     // the position stream (position_stream.h), index schema 3
  kSlotData = 8,          // the document's stored data (data_dictionary.h), index schema 4
  // Index schema 5 (families: docs/families.md):
  kSlotFamilySignature = 9,  // the text's MinHash signature (family_signature.h), 128 bytes
  kSlotFamily = 10,          // the family's key, on members of families of 2 or more
  kSlotPartOf = 11,  // the id of the document this one is a part of (a session's deliberation)
  // Index schema 7 (decisions):
  kSlotAmount = 12,  // Xapian::sortable_serialise(largest amount in euros); none without amounts
};

// --- User metadata keys ---
// Also written: index_schema::kMetadataKey ("vigie.schema", the layout),
// DataDictionary::kMetadataKey ("vigie.data_dictionary"),
// StreamVocabulary::kMetadataPrefix ("vigie.pw:"), skip keys ("skip:").
// The generation's set-up: roots, folder rules, synonyms, stop words, search
// settings, as JSON (include/vigie/index_setup.h).
inline constexpr std::string_view kSetupKey = "vigie.setup";

// Xapian rejects terms over 245 bytes; we keep well under it.
inline constexpr std::size_t kMaxTermBytes = 200;

// "Commune de Chémeré" → "commune de chemere": folded, lower case, single spaces.
std::string facet_key(std::string_view display);
// The XR term naming a source file (the path itself, or head + hash when too long).
std::string source_key(std::string_view source_path);
// The Q term of a document id, bounded the same way.
std::string id_term(std::string_view document_id);
// The XW term of the parts of `whole_id`, bounded the same way.
std::string part_of_term(std::string_view whole_id);

// The decision terms (kVotePrefix…kCitedPrefix), bounded like every term.
// `vote_key`: vote_outcome_key() or "contre" / "abstention".
std::string vote_term(std::string_view vote_key);
// `article`: article_key() form ("L2121-29"); `code`: code_key() form, ""
// for the term that any code's article of that key holds.
std::string article_term(std::string_view article, std::string_view code = {});
// `kind`: "loi", "decret", "ordonnance"; `number`: act_number_key() form.
std::string act_term(std::string_view kind, std::string_view number);
// `number`: a deliberation number as written or as SourceDocument::number
// holds it (folded here, as the XN term is).
std::string cited_term(std::string_view number);
// A deliberation cited by its day only (« la délibération du 24 mars
// 2004 »): XC@2004-03-24 (`iso`: Date::iso() of a full date).
std::string cited_date_term(std::string_view iso);

// Document data: a small JSON object with what a hit displays plus the text.
inline constexpr std::string_view kDataVersion = "1";

}  // namespace vigie::schema
