#include "search/decision_links.h"

#include <algorithm>
#include <set>

#include "index/schema.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// Candidates looked at for a citation by date: a collectivité's
// deliberations of one year are a few hundred.
constexpr Xapian::doccount kMaxDatedCandidates = 5000;

// The XN term of a number, as the indexer writes it (document_builder.cpp:
// fold(number), cut at kMaxTermBytes).
std::string number_term(const std::string& number) {
  std::string term = std::string(schema::kNumberPrefix) + fold(number);
  if (term.size() > schema::kMaxTermBytes) term.resize(schema::kMaxTermBytes);
  return term;
}

bool full_date(const Date& d) { return d.year != 0 && d.month != 0 && d.day != 0; }

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

class Resolver {
 public:
  Resolver(const Xapian::Database& db, const IndexColumns& columns, const StoredReader& read)
      : db_(db), columns_(columns), read_(read) {}

  std::uint64_t family(Xapian::docid id) const {
    return WholeParts::family_key(columns_.duplicates, id);
  }

  // The one document `cited` (a citation in `doc`, document `docid`) names,
  // or 0.
  Xapian::docid resolve(Xapian::docid docid, const SourceDocument& doc,
                        const ActReference& cited) const {
    if (!cited.number.empty()) return by_number(docid, doc, cited);
    if (full_date(cited.date)) return by_date(docid, doc, cited.date);
    return 0;
  }

 private:
  Xapian::docid by_number(Xapian::docid docid, const SourceDocument& doc,
                          const ActReference& cited) const {
    std::vector<Xapian::docid> found;
    const std::string term = number_term(cited.number);
    for (auto p = db_.postlist_begin(term); p != db_.postlist_end(term); ++p) {
      if (family(*p) == family(docid)) continue;
      const SourceDocument candidate = read_(*p);
      if (same_organisation(doc, candidate) && dated_as_cited(cited, candidate))
        found.push_back(*p);
    }
    return one_of(found);
  }

  // The deliberations of that day and collectivité; none: its minutes of that day.
  Xapian::docid by_date(Xapian::docid docid, const SourceDocument& doc, const Date& date) const {
    for (DocType type : {DocType::Deliberation, DocType::ProcesVerbal}) {
      const auto found = dated(docid, doc, date, type);
      if (!found.empty()) return one_of(found);
    }
    return 0;
  }

  std::vector<Xapian::docid> dated(Xapian::docid docid, const SourceDocument& doc, const Date& date,
                                   DocType type) const {
    std::vector<Xapian::Query> parts{
        Xapian::Query(std::string(schema::kYearPrefix) + std::to_string(date.year)),
        Xapian::Query(std::string(schema::kTypePrefix) + std::string(doc_type_key(type)))};
    if (!doc.organisation.empty())
      parts.emplace_back(std::string(schema::kOrgPrefix) + schema::facet_key(doc.organisation));
    Xapian::Enquire enquire(db_);
    enquire.set_query(Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    const auto day = static_cast<std::uint32_t>(date.sortable());
    std::vector<Xapian::docid> found;
    const Xapian::MSet mset = enquire.get_mset(0, kMaxDatedCandidates);
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      const Xapian::docid id = *item;
      if (id < columns_.dates.size() && columns_.dates[id] == day && family(id) != family(docid))
        found.push_back(id);
    }
    return found;
  }

  // One family: its first document. Several, all parts of one session: the
  // session's record. Otherwise 0 (which one is not known).
  Xapian::docid one_of(const std::vector<Xapian::docid>& found) const {
    if (found.empty()) return 0;
    const std::uint64_t first = family(found.front());
    if (std::all_of(found.begin(), found.end(),
                    [&](Xapian::docid id) { return family(id) == first; }))
      return found.front();
    const Xapian::docid whole = columns_.wholes.whole(found.front());
    if (whole != 0 && std::all_of(found.begin(), found.end(), [&](Xapian::docid id) {
          const Xapian::docid w = columns_.wholes.whole(id);
          return w != 0 && family(w) == family(whole);
        }))
      return whole;
    return 0;
  }

  const Xapian::Database& db_;
  const IndexColumns& columns_;
  const StoredReader& read_;
};

FamilyMember member_of(const SourceDocument& doc) { return {doc.id, doc.format, doc.title}; }

}  // namespace

std::vector<Searcher::CitedAct> resolve_cited(const Xapian::Database& db,
                                              const IndexColumns& columns, Xapian::docid docid,
                                              const SourceDocument& doc, const StoredReader& read) {
  const Resolver resolver(db, columns, read);
  std::vector<Searcher::CitedAct> out;
  for (const ActReference& cited : doc.decisions.cited) {
    Searcher::CitedAct act{cited, std::nullopt};
    if (const Xapian::docid target = resolver.resolve(docid, doc, cited))
      act.document = member_of(read(target));
    out.push_back(std::move(act));
  }
  return out;
}

std::vector<Searcher::Citing> find_citing(const Xapian::Database& db, const IndexColumns& columns,
                                          Xapian::docid docid, const SourceDocument& doc,
                                          const StoredReader& read) {
  const Resolver resolver(db, columns, read);
  const std::uint64_t family = resolver.family(docid);
  std::vector<std::string> terms;
  if (!doc.number.empty()) terms.push_back(schema::cited_term(doc.number));
  if (full_date(doc.date)) terms.push_back(schema::cited_date_term(doc.date.iso()));
  std::set<Xapian::docid> candidates;
  for (const auto& term : terms)
    for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) candidates.insert(*p);
  std::vector<std::pair<Xapian::docid, Searcher::Citing>> found;
  std::set<std::uint64_t> listed{family};
  for (Xapian::docid id : candidates) {
    if (listed.count(resolver.family(id))) continue;
    const SourceDocument citing = read(id);
    for (const ActReference& cited : citing.decisions.cited) {
      const bool may_name = cited.number.empty() ? !doc.date.iso().empty() && cited.date == doc.date
                                                 : fold(cited.number) == fold(doc.number);
      if (!may_name) continue;
      const Xapian::docid target = resolver.resolve(id, citing, cited);
      if (target == 0 || resolver.family(target) != family) continue;
      listed.insert(resolver.family(id));
      found.push_back({id, {member_of(citing), cited.verb, cited.text}});
      break;
    }
  }
  // A session's minutes cite what their deliberations cite: listed once,
  // as the deliberation.
  std::set<std::uint64_t> sessions;
  for (const auto& [id, c] : found)
    if (const Xapian::docid whole = columns.wholes.whole(id))
      sessions.insert(resolver.family(whole));
  std::vector<Searcher::Citing> out;
  for (auto& [id, c] : found)
    if (!sessions.count(resolver.family(id))) out.push_back(std::move(c));
  return out;
}

}  // namespace vigie
