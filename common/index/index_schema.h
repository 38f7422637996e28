// The version of the index layout, kept in the index's user metadata, so that
// an index written by another version of Vigie is recognised. The versions,
// for the record (only the last one is read and written):
//
//   1 (no key): every word also indexed as Z + stem (and XZ + unaccented
//     stem, XSZ + title stem) terms without positions;
//   2: no stem terms; the synonym table maps each stem-family key
//     (Z + stem, XZ + unaccented stem: term_forms.h) to the exact forms
//     indexed under it, and queries expand a word to its family.
//   3: no positions in Xapian's position table: each document's positions
//     are one position stream (position_stream.h, value kSlotPositions),
//     its vocabulary in the metadata; phrases and PROCHE read the streams
//     (position_filter_source.h).
//   4: each document's stored data (data_dictionary.h) is value kSlotData,
//     not Xapian's document data, which glass deflates item by item with
//     zlib: a second, useless compression of our zstd frames that cost a
//     --full build 16 % of its time (bench/README.md).
//   5: document families (docs/families.md): each document's text
//     signature (kSlotFamilySignature), its family's key (kSlotFamily) when
//     other documents hold the same text, and for a part of a document (a
//     session's deliberation) the whole's id (kSlotPartOf, XW term).
//   6: the analysis of issue 21 (docs/analysis.md): every apostrophe-like
//     code point strips elisions, numero signs (« Nº », « No », « numéro »
//     before a number) are dropped, articles of codes are one token
//     (« L. 2121-29 » → l2121-29), inverted subjects (« faut-il ») are not
//     tokens: the terms of such texts changed.
//   7: what deliberations decide (include/vigie/decisions.h): vote, article,
//     act and cited-deliberation terms (XV, XJ, XI, XC), the largest amount
//     (kSlotAmount), the decisions in the stored data.
//   8: a --full build of one database keeps its documents' position
//     streams in the generation's stream file (positions.vigie) only, not
//     also in kSlotPositions (stream_store.h): −19 % of the index.
//
// The query side reads the current layout only: an index of another version
// is refused by the Searcher (layout_problem: the server answers 503, the
// CLI exits 2, both saying "rebuild with vigie-index --full"), so no search
// code branches on the version. Every indexing run writes the current
// version into the generation it builds, and an incremental run on an index
// of another version becomes a full rebuild (must_rebuild).
// Thread-safety: free functions on the handles given (Xapian handles are
// not thread-safe). Errors: Xapian exceptions propagate, except from
// must_rebuild.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::index_schema {

inline constexpr std::string_view kMetadataKey = "vigie.schema";
inline constexpr int kStemTerms = 1;        // Z / XZ / XSZ terms in the documents
inline constexpr int kStemFamilies = 2;     // stem families in the synonym table
inline constexpr int kPositionStreams = 3;  // positions in one value per document
inline constexpr int kDataInValue = 4;      // the stored data in a value, not the document data
inline constexpr int kFamilies = 5;         // text signatures, families, parts of a whole
inline constexpr int kAnalysis21 = 6;       // apostrophes, numero signs, articles, inversions
inline constexpr int kDecisions = 7;        // vote, amounts, legal references, cited deliberations
inline constexpr int kStreamFile = 8;       // --full streams in positions.vigie only
inline constexpr int kCurrent = kStreamFile;

// The version of `db` (kStemTerms when the key is absent).
int version_of(const Xapian::Database& db);
// Marks `db` as written with the current layout (effective at its commit).
void mark_current(Xapian::WritableDatabase& db);

// Why `db` cannot be searched by this version of Vigie (English, names the
// version found and the command that rebuilds it), or nullopt when its
// layout is the current one.
std::optional<std::string> layout_problem(const Xapian::Database& db);

// Whether the index opened through `path` (a stub file or a generation
// folder) has an older layout, so that an incremental run must rebuild it in
// full instead (an older layout, or a newer one than this program writes); if so, says why in
// `notes` (English, for the indexer's report). False when the index cannot be read at all (the
// caller reports that when it opens it).
bool must_rebuild(const std::filesystem::path& path, std::vector<std::string>& notes);

}  // namespace vigie::index_schema
