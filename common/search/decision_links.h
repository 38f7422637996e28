// The links between deliberations (docs/api.md, « Délibérations citées »,
// « Citée par »): what a document's decisions cite, resolved to the indexed
// documents they name, and the documents that cite it.
//
// A number alone does not name a deliberation: communes number theirs
// « 2023/01 » alike, and many restart every year. So a citation by number
// resolves to the documents holding that number (XN term) of the citing
// document's collectivité (when both say theirs), dated as cited (when the
// citation gives a date). A citation by date only (« la délibération du 24
// mars 2004 ») resolves to the deliberations of that collectivité and day,
// or, when there are none, to its minutes of that day. One family left: it
// is resolved; several deliberations of one session: the session's minutes
// (the citation is one of them); otherwise it is shown as written.
// « Citée par » is the same rule read backwards, from the XC terms
// (schema::cited_term, cited_date_term) of the documents that cite this
// one's number or day: a document is listed when its citation resolves to
// this one's family, so both lists agree; a session's minutes are not
// listed beside one of their deliberations that cites the same act.
//
// Thread-safety: functions of the handles given (one Searcher's thread).
#pragma once

#include <xapian.h>

#include <functional>

#include "matcher/index_columns.h"
#include "vigie/searcher.h"

namespace vigie {

// A document's stored data by id (the Searcher's reader).
using StoredReader = std::function<SourceDocument(Xapian::docid)>;

// `doc` (document `docid`): each act its decisions cite, resolved or not.
std::vector<Searcher::CitedAct> resolve_cited(const Xapian::Database& db,
                                              const IndexColumns& columns, Xapian::docid docid,
                                              const SourceDocument& doc, const StoredReader& read);

// The documents whose decisions cite `doc` (document `docid`), one per
// family, in id order, each with what it does to it.
std::vector<Searcher::Citing> find_citing(const Xapian::Database& db, const IndexColumns& columns,
                                          Xapian::docid docid, const SourceDocument& doc,
                                          const StoredReader& read);

}  // namespace vigie
