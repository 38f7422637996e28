#include "build/document_builder.h"

#include <algorithm>
#include <cstdio>

#include "index/document_data.h"
#include "index/schema.h"
#include "vigie/term_forms.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// Title and body share one position space; a gap keeps a phrase from
// spanning the end of the title and the start of the body.
constexpr std::uint32_t kBodyPositionGap = 100;
// Words a StemFamilyWriter, or a DocumentBuilder, remembers before it
// forgets them all (memory bound on a huge vocabulary: a forgotten word's
// pairs are only given again).
constexpr std::size_t kFamilyWordsRemembered = 1000000;

// "exact\nkey1\nkey2": one word with one set of stem families.
std::string word_with_keys(const StemForms& word) {
  std::string id = word.exact;
  for (const auto& key : word.keys) (id += '\n') += key;
  return id;
}

bool spelling_worthy(const std::string& word) {
  if (word.size() < 3 || word.size() > 40) return false;
  for (unsigned char c : word)
    if ((c >= '0' && c <= '9') || c == '@' || c == '/' || c == '.' || c == ':') return false;
  return true;
}

void add_boolean(Xapian::Document& out, std::string_view prefix, const std::string& value) {
  if (value.empty()) return;
  std::string term = std::string(prefix) + value;
  if (term.size() > schema::kMaxTermBytes) term.resize(schema::kMaxTermBytes);
  out.add_boolean_term(term);
}

// What a deliberation decides, as terms and the amount slot (index schema 7):
// the vote's outcome, « contre » and « abstention » when someone voted so,
// each article under its key alone and with its code, each act by kind and
// number, the numbers (or, without one, the days) of the deliberations it
// cites (« Citée par » is then a term lookup). Nothing for a document without decisions.
void add_decisions(Xapian::Document& out, const Decisions& d) {
  if (d.empty()) return;
  if (d.vote.known()) out.add_boolean_term(schema::vote_term(vote_outcome_key(d.vote.outcome)));
  if (d.vote.contre.value_or(0) > 0) out.add_boolean_term(schema::vote_term("contre"));
  if (d.vote.abstention.value_or(0) > 0) out.add_boolean_term(schema::vote_term("abstention"));
  for (const LegalReference& ref : d.legal) {
    if (ref.kind == LegalReference::Kind::Article) {
      if (ref.article.empty()) continue;
      out.add_boolean_term(schema::article_term(ref.article));
      if (!ref.code.empty()) out.add_boolean_term(schema::article_term(ref.article, ref.code));
    } else if (!ref.number.empty()) {
      out.add_boolean_term(schema::act_term(legal_reference_kind_key(ref.kind), ref.number));
    }
  }
  for (const ActReference& cited : d.cited) {
    if (!cited.number.empty())
      out.add_boolean_term(schema::cited_term(cited.number));
    else if (cited.date.day != 0)
      out.add_boolean_term(schema::cited_date_term(cited.date.iso()));
  }
  if (auto largest = d.largest_amount())
    out.add_value(schema::kSlotAmount, Xapian::sortable_serialise(*largest));
}

}  // namespace

namespace {

std::string hex64(std::uint64_t h) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

}  // namespace

std::string content_hash(std::string_view bytes) { return hex64(fnv1a(bytes)); }

DocumentBuilder::DocumentBuilder(const SearchConfig& search,
                                 std::shared_ptr<const DataDictionary> dictionary,
                                 std::shared_ptr<const StreamVocabulary> vocabulary)
    : dictionary_(std::move(dictionary)),
      vocabulary_(std::move(vocabulary)),
      positions_(vocabulary_.get()),
      title_weight_(search.title_weight) {}

void DocumentBuilder::start_file() { listed_in_file_.clear(); }

void DocumentBuilder::forget_file() {
  for (Word* word : listed_in_file_) word->families_listed = false;
  listed_in_file_.clear();
}

DocumentBuilder::Word& DocumentBuilder::word_of(const Token& t) {
  if (analyzer_.forms_generation() != forms_generation_) {
    word_of_form_.clear();
    forms_generation_ = analyzer_.forms_generation();
  }
  if (t.form < word_of_form_.size() && word_of_form_[t.form]) return *word_of_form_[t.form];
  auto [entry, fresh] = words_.try_emplace(t.exact);
  Word& word = entry->second;
  if (fresh) {
    word.exact = &entry->first;
    word.shingle_hash = shingle_word_hash(t.exact);
    word.significant_number = is_significant_number(t.exact);
    if (vocabulary_) word.vocabulary_code = vocabulary_->code(t.exact);
    word.stem = t.stem;
    word.unaccented_stem = t.unaccented_stem;
    word.spelling_worthy = spelling_worthy(t.exact);
  }
  if (t.form >= word_of_form_.size()) word_of_form_.resize(t.form + 1, nullptr);
  word_of_form_[t.form] = &word;
  return word;
}

std::uint32_t DocumentBuilder::index_text(std::string_view text, std::uint32_t first_position,
                                          unsigned wdf, std::vector<StemForms>& stem_forms,
                                          bool title, ShingleSketch* sketch) {
  std::uint32_t next = first_position;
  analyzer_.analyze(
      text,
      [&](const Token& t) {
        Word& word = word_of(t);
        // Positions go to the document's stream, not to Xapian's position
        // table (index schema 3: position_stream.h says why).
        if (word.document != document_) {
          word.document = document_;
          word.checked_form = kNoForm;
          word.wdf = word.title_wdf = word.spelled = 0;
          document_words_.push_back(&word);
          if (word.vocabulary_code) {
            word.stream_code = *word.vocabulary_code;
            positions_.add_code(word.stream_code, t.position);
          } else {
            word.stream_code = positions_.add(t.exact, t.position);
          }
        } else {
          positions_.add_code(word.stream_code, t.position);
        }
        // The stems are no terms of the document: the synonym table maps
        // each stem family to its forms (term_forms.h), for queries to expand.
        if (word.checked_form != t.form) {
          note_stem_forms(t, word, stem_forms);
          word.checked_form = t.form;
        }
        word.wdf += wdf;
        if (title) ++word.title_wdf;
        if (!t.alternative && word.spelling_worthy) ++word.spelled;
        // The words as written (not a compound's parts) make the shingles.
        if (sketch && !t.alternative) {
          sketch->add_word(word.shingle_hash);
          if (word.significant_number) sketch->add_number(word.shingle_hash);
        }
        next = t.position + 1;
      },
      first_position);
  return next;
}

void DocumentBuilder::note_stem_forms(const Token& t, Word& word,
                                      std::vector<StemForms>& stem_forms) {
  if (word.stem == t.stem && word.unaccented_stem == t.unaccented_stem) {
    // The stems this builder first met the word with: listed once.
    if (word.families_listed) return;
    word.families_listed = true;
    listed_in_file_.push_back(&word);
    stem_forms.push_back({t.exact, index_stem_terms(t)});
    return;
  }
  // The form with other stems (été, ete → "ete"): once per variant and
  // document (StemFamilyWriter keeps each once).
  StemForms variant{t.exact, index_stem_terms(t)};
  if (!variants_seen_.insert(word_with_keys(variant)).second) return;
  stem_forms.push_back(std::move(variant));
}

void DocumentBuilder::flush_words(Xapian::Document& out,
                                  std::vector<std::pair<std::string, unsigned>>& spelling) {
  std::string term;
  for (const Word* word : document_words_) {
    term.assign(schema::kExactPrefix).append(*word->exact);
    out.add_term(term, word->wdf);
    if (word->title_wdf > 0) {
      term.assign(schema::kTitlePrefix).append(*word->exact);
      out.add_term(term, word->title_wdf);
    }
    if (word->spelled > 0) spelling.emplace_back(*word->exact, word->spelled);
  }
  document_words_.clear();
}

BuiltDocument DocumentBuilder::build(const SourceDocument& doc, const SourceStamp& stamp) {
  BuiltDocument built;
  ++document_;
  document_words_.clear();  // also after a build that threw
  positions_.finish(0);
  variants_seen_.clear();
  if (words_.size() >= kFamilyWordsRemembered) {
    // Forgotten words are only looked up, and their families listed, again.
    words_.clear();
    word_of_form_.clear();
    listed_in_file_.clear();
  }
  built.id_term = schema::id_term(doc.id);
  Xapian::Document& out = built.document;
  out.add_boolean_term(built.id_term);
  out.add_boolean_term(stamp.source_term);
  out.add_boolean_term(stamp.root_term);

  // Title words count `title_weight` times, so title matches rank above body
  // matches under BM25, and also go to the S field terms.
  const std::uint32_t title_end =
      index_text(doc.title, 0, static_cast<unsigned>(title_weight_), built.stem_forms, true);
  const std::uint32_t body_start = title_end + kBodyPositionGap;
  index_text(doc.body, body_start, 1, built.stem_forms, false, &built.sketch);
  out.add_value(schema::kSlotPositions, positions_.finish(title_end));
  flush_words(out, built.spelling);
  variants_seen_.clear();

  if (doc.type) {
    add_boolean(out, schema::kTypePrefix, std::string(doc_type_key(*doc.type)));
    out.add_value(schema::kSlotType, std::string(doc_type_key(*doc.type)));
  }
  if (!doc.organisation.empty()) {
    add_boolean(out, schema::kOrgPrefix, schema::facet_key(doc.organisation));
    out.add_value(schema::kSlotOrganisation, doc.organisation);
  }
  for (const auto& person : doc.persons)
    add_boolean(out, schema::kPersonPrefix, schema::facet_key(person));
  add_boolean(out, schema::kPlacePrefix, schema::facet_key(doc.place));
  add_boolean(out, schema::kNumberPrefix, fold(doc.number));
  add_boolean(out, schema::kCollectionPrefix, schema::facet_key(doc.collection));
  add_boolean(out, schema::kFormatPrefix, doc.format);
  add_boolean(out, schema::kLanguagePrefix, doc.language);
  if (doc.date.known()) {
    char date[16];
    std::snprintf(date, sizeof date, "%08d", doc.date.sortable());
    out.add_value(schema::kSlotDate, date);
    out.add_value(schema::kSlotDateNumber, Xapian::sortable_serialise(doc.date.sortable()));
    const std::string year = std::to_string(doc.date.year);
    out.add_value(schema::kSlotYear, year);
    add_boolean(out, schema::kYearPrefix, year);
  }
  out.add_value(schema::kSlotFingerprint, stamp.fingerprint);
  // content_hash(collapse_spaces(body)), without building the collapsed text.
  out.add_value(schema::kSlotContentHash, hex64(collapsed_fnv1a(doc.body)));
  if (!doc.part_of.empty()) {
    built.part_of = doc.part_of;
    out.add_boolean_term(schema::part_of_term(doc.part_of));
    out.add_value(schema::kSlotPartOf, doc.part_of);
  }
  add_decisions(out, doc.decisions);
  set_stored_data(out, stored_data(encode_document_data(doc), dictionary_.get()));
  return built;
}

void finish_family(BuiltDocument& built) {
  if (built.sketch.empty()) return;
  built.document.add_value(schema::kSlotFamilySignature, encode_signature(built.sketch));
}

void StemFamilyWriter::add(const BuiltDocument& built) {
  if (seen_.size() >= kFamilyWordsRemembered) seen_.clear();
  for (const auto& word : built.stem_forms) {
    if (!seen_.insert(word_with_keys(word)).second) continue;
    for (const auto& key : word.keys) pending_.emplace_back(key, word.exact);
  }
}

void StemFamilyWriter::absorb(StemFamilyWriter& other) {
  if (pending_.empty()) {
    pending_.swap(other.pending_);
    return;
  }
  pending_.insert(pending_.end(), std::make_move_iterator(other.pending_.begin()),
                  std::make_move_iterator(other.pending_.end()));
  other.pending_.clear();
}

void StemFamilyWriter::write(Xapian::WritableDatabase& db) {
  std::sort(pending_.begin(), pending_.end());
  // Absorbed writers may have met the same words.
  pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  for (const auto& [key, form] : pending_) db.add_synonym(key, form);
  pending_.clear();
}

}  // namespace vigie
