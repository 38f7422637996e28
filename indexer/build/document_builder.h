// DocumentBuilder: SourceDocument → Xapian::Document following the schema
// (common/index/schema.h). Runs in the extraction threads so the single
// writer thread only writes.
// Thread-safety: one DocumentBuilder per thread (it owns a FrenchAnalyzer).
#pragma once

#include <xapian.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "index/data_dictionary.h"
#include "index/family_signature.h"
#include "index/position_stream.h"
#include "vigie/config.h"
#include "vigie/document.h"
#include "vigie/french_analyzer.h"

namespace vigie {

// A distinct word of a document with the keys of the stem families it
// belongs to (term_forms.h): what the synonym table must list for it.
// (One exact form may come with several: "bénéficie" and "beneficie" both
// fold to beneficie but stem differently.)
struct StemForms {
  std::string exact;
  std::vector<std::string> keys;
};

struct BuiltDocument {
  std::string id_term;  // Q term to replace_document() on
  Xapian::Document document;
  std::vector<std::pair<std::string, unsigned>>
      spelling;                       // words for the spelling dictionary, with counts
  std::vector<StemForms> stem_forms;  // each distinct word once, for StemFamilyWriter
  // The body's shingles (family_signature.h): the pipeline merges a part's
  // into its whole's (a session's record) before finish_family() writes them.
  ShingleSketch sketch;
  std::string part_of;  // the id of the whole this document is a part of, if any
};

// Writes `built`'s family signature (none for a text under 3 words): after
// the parts of a whole were merged into it.
void finish_family(BuiltDocument& built);

// What ties a document to the file it came from, for incremental runs.
struct SourceStamp {
  std::string source_term;  // XR term of the file
  std::string root_term;    // XA term of the indexed root
  std::string fingerprint;  // "size:mtime:hash"
};

class DocumentBuilder {
 public:
  // `dictionary`: the generation's (data_dictionary.h), to store document
  // data compressed; none: as JSON. `vocabulary`: the generation's
  // (position_stream.h), for short word codes in the position streams;
  // none: every word spelled.
  explicit DocumentBuilder(const SearchConfig& search,
                           std::shared_ptr<const DataDictionary> dictionary = nullptr,
                           std::shared_ptr<const StreamVocabulary> vocabulary = nullptr);
  BuiltDocument build(const SourceDocument& doc, const SourceStamp& stamp);

  // A word's stem families are listed (BuiltDocument::stem_forms) in the
  // first document this builder builds with it, not in every one. When the
  // documents of a file are thrown away after some were built (a build that
  // threw), forget_file() makes the words they listed first be listed again;
  // start_file() marks where a file begins.
  void start_file();
  void forget_file();

 private:
  static constexpr std::uint32_t kNoForm = ~std::uint32_t{0};
  // Everything the builder knows of one exact form: what holds across
  // documents (looked up by the form's text once per analyzer form, not per
  // token), and what the current document's tokens of it add up to (its
  // terms go to Xapian once per document: one add_term per distinct word).
  struct Word {
    const std::string* exact = nullptr;            // its key in words_
    std::uint64_t shingle_hash = 0;                // shingle_word_hash(*exact)
    bool significant_number = false;               // is_significant_number(*exact)
    std::optional<std::uint32_t> vocabulary_code;  // its code in the generation's stream vocabulary
    std::string stem, unaccented_stem;             // the stems this builder first met it with
    bool spelling_worthy = false;
    bool families_listed = false;  // listed with those stems by a document of a file not forgotten
    // The current document's part, valid while `document` is document_:
    std::uint64_t document = 0;
    std::uint32_t stream_code = 0;         // its code in the document's position stream
    std::uint32_t checked_form = kNoForm;  // the analyzer form whose families were looked at last
    unsigned wdf = 0;                      // E term: title_weight per title token, 1 per body token
    unsigned title_wdf = 0;                // S term
    unsigned spelled = 0;                  // tokens counted for the spelling dictionary
  };

  // Returns the position after the last token.
  // `sketch`: the body's shingles go there (nullptr for the title).
  std::uint32_t index_text(std::string_view text, std::uint32_t first_position, unsigned wdf,
                           std::vector<StemForms>& stem_forms, bool title,
                           ShingleSketch* sketch = nullptr);
  // The Word of `t`: by its analyzer form, or by its text the first time.
  Word& word_of(const Token& t);
  // Lists `t`'s stem families in `stem_forms` unless `word` already has.
  void note_stem_forms(const Token& t, Word& word, std::vector<StemForms>& stem_forms);
  // Gives the document's words to `out` (terms) and `spelling`.
  void flush_words(Xapian::Document& out, std::vector<std::pair<std::string, unsigned>>& spelling);

  FrenchAnalyzer analyzer_;
  std::shared_ptr<const DataDictionary> dictionary_;
  std::shared_ptr<const StreamVocabulary> vocabulary_;
  PositionStreamWriter positions_;
  // Every exact form met (node-based: pointers stay valid until it is
  // emptied, between documents), and by the analyzer's form numbers of
  // forms_generation_.
  WordMap<Word> words_;
  std::vector<Word*> word_of_form_;
  std::uint32_t forms_generation_ = 0;
  std::uint64_t document_ = 0;                     // documents begun
  std::vector<Word*> document_words_;              // the current document's, in the order met
  std::unordered_set<std::string> variants_seen_;  // "exact\nkeys" of other stems, in this document
  std::vector<Word*> listed_in_file_;  // words whose families the current file listed first
  int title_weight_;
};

// Writes the stem families of built documents into a database's synonym
// table (index schema 2): each word's (family key, form) pairs once per
// writer, not once per document. Pairs are buffered and given to Xapian in
// key order, because glass reads and rewrites a key's entry whenever the key
// changes from one add_synonym() to the next.
// Thread-safety: one per WritableDatabase writer. Errors: write() lets the
// Xapian::Error of add_synonym() propagate.
class StemFamilyWriter {
 public:
  // Buffers the pairs of the words this writer has not met yet.
  void add(const BuiltDocument& built);
  // Takes over `other`'s buffered pairs (not the words it has met).
  void absorb(StemFamilyWriter& other);
  // Gives the buffered pairs to `db` (effective at its next commit).
  void write(Xapian::WritableDatabase& db);
  std::size_t buffered() const { return pending_.size(); }

 private:
  std::unordered_set<std::string> seen_;  // "exact\nkeys" whose pairs were buffered
  std::vector<std::pair<std::string, std::string>> pending_;  // (family key, exact form)
};

// Stable 64-bit content hash (FNV-1a) as 16 hex digits.
std::string content_hash(std::string_view bytes);

}  // namespace vigie
