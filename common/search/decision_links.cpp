#include "search/decision_links.h"

#include <set>

#include "index/schema.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// The XN term of a number, as the indexer writes it (document_builder.cpp:
// fold(number), cut at kMaxTermBytes).
std::string number_term(const std::string& number) {
  std::string term = std::string(schema::kNumberPrefix) + fold(number);
  if (term.size() > schema::kMaxTermBytes) term.resize(schema::kMaxTermBytes);
  return term;
}

// Whether two documents may be of one collectivité: the same, or one of
// them does not say.
bool same_organisation(const SourceDocument& a, const SourceDocument& b) {
  return a.organisation.empty() || b.organisation.empty() ||
         schema::facet_key(a.organisation) == schema::facet_key(b.organisation);
}

// Whether `cited` (a citation) may name `doc`: its date, when it gives one,
// is the document's (a partial date of the document takes in the day).
bool dated_as_cited(const ActReference& cited, const SourceDocument& doc) {
  if (!cited.date.known() || !doc.date.known()) return true;
  if (cited.date.year != doc.date.year) return false;
  if (doc.date.month == 0 || cited.date.month == 0) return true;
  if (cited.date.month != doc.date.month) return false;
  return doc.date.day == 0 || cited.date.day == 0 || cited.date.day == doc.date.day;
}

bool same_number(const std::string& a, const std::string& b) { return fold(a) == fold(b); }

// The family key of a document: its group, or itself alone.
std::uint64_t family_of(const DuplicateGroups& families, Xapian::docid id) {
  const std::uint32_t group = families.group(id);
  return group != 0 ? group : (std::uint64_t{1} << 32) | id;
}

// The one family `cited` (a citation in `doc`, document `docid`) names:
// the first of its documents; nullopt when none or several.
std::optional<std::pair<Xapian::docid, SourceDocument>> resolve(
    const Xapian::Database& db, const DuplicateGroups& families, Xapian::docid docid,
    const SourceDocument& doc, const ActReference& cited, const StoredReader& read) {
  if (cited.number.empty()) return std::nullopt;
  std::set<std::uint64_t> found;
  std::optional<std::pair<Xapian::docid, SourceDocument>> first;
  const std::string term = number_term(cited.number);
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    if (family_of(families, *p) == family_of(families, docid)) continue;
    SourceDocument candidate = read(*p);
    if (!same_organisation(doc, candidate) || !dated_as_cited(cited, candidate)) continue;
    if (found.insert(family_of(families, *p)).second && !first)
      first.emplace(*p, std::move(candidate));
  }
  if (found.size() != 1) return std::nullopt;  // several: which one is not known
  return first;
}

}  // namespace

std::vector<Searcher::CitedAct> resolve_cited(const Xapian::Database& db,
                                              const DuplicateGroups& families, Xapian::docid docid,
                                              const SourceDocument& doc, const StoredReader& read) {
  std::vector<Searcher::CitedAct> out;
  for (const ActReference& cited : doc.decisions.cited) {
    Searcher::CitedAct act{cited, std::nullopt};
    if (auto target = resolve(db, families, docid, doc, cited, read))
      act.document = FamilyMember{target->second.id, target->second.format, target->second.title};
    out.push_back(std::move(act));
  }
  return out;
}

// The documents holding this one's number among their cited acts whose
// citation resolves to this document's family (the rule above, so that
// both lists agree).
std::vector<Searcher::Citing> find_citing(const Xapian::Database& db,
                                          const DuplicateGroups& families, Xapian::docid docid,
                                          const SourceDocument& doc, const StoredReader& read) {
  std::vector<Searcher::Citing> out;
  if (doc.number.empty()) return out;
  const std::uint64_t family = family_of(families, docid);
  std::set<std::uint64_t> listed{family};
  const std::string term = schema::cited_term(doc.number);
  for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
    if (listed.count(family_of(families, *p))) continue;
    const SourceDocument citing = read(*p);
    for (const ActReference& cited : citing.decisions.cited) {
      if (!same_number(cited.number, doc.number)) continue;
      auto target = resolve(db, families, *p, citing, cited, read);
      if (!target || family_of(families, target->first) != family) continue;
      listed.insert(family_of(families, *p));
      out.push_back({{citing.id, citing.format, citing.title}, cited.verb, cited.text});
      break;
    }
  }
  return out;
}

}  // namespace vigie
