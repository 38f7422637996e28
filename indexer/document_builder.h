// DocumentBuilder: SourceDocument → Xapian::Document following the schema
// (common/vigie/schema.h). Runs in the extraction threads so the single
// writer thread only writes.
// Thread-safety: one DocumentBuilder per thread (it owns a FrenchAnalyzer).
#pragma once

#include <xapian.h>

#include <string>
#include <unordered_map>

#include "vigie/config.h"
#include "vigie/document.h"
#include "vigie/french_analyzer.h"

namespace vigie {

struct BuiltDocument {
  std::string id_term;                      // Q term to replace_document() on
  Xapian::Document document;
  std::unordered_map<std::string, unsigned> spelling;  // words for the spelling dictionary, with counts
};

// What ties a document to the file it came from, for incremental runs.
struct SourceStamp {
  std::string source_term;   // XR term of the file
  std::string root_term;     // XA term of the indexed root
  std::string fingerprint;   // "size:mtime:hash"
};

class DocumentBuilder {
 public:
  explicit DocumentBuilder(const SearchConfig& search);
  BuiltDocument build(const SourceDocument& doc, const SourceStamp& stamp);

 private:
  // Returns the position after the last token.
  std::uint32_t index_text(Xapian::Document& out, std::string_view text,
                           std::uint32_t first_position, unsigned wdf,
                           std::unordered_map<std::string, unsigned>* spelling, bool title);

  FrenchAnalyzer analyzer_;
  // Terms without positions, with their wdf, gathered over a document and
  // given to Xapian once each (Xapian::Document looks every add_term() up
  // in an ordered map: once per distinct term instead of once per word).
  std::unordered_map<std::string, Xapian::termcount> unpositioned_;
  int title_weight_;
};

// Stable 64-bit content hash (FNV-1a) as 16 hex digits.
std::string content_hash(std::string_view bytes);

}  // namespace vigie
