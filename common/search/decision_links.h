// The links between deliberations (docs/web.md, « Délibérations citées »,
// « Citée par »): what a document's decisions cite, resolved to the indexed
// deliberations they name, and the documents that cite it.
//
// A number alone does not name a deliberation: communes number theirs
// « 2023/01 » alike, and many restart every year. So a cited act resolves
// to the documents holding its number (XN term) of the citing document's
// collectivité (when both say theirs), dated as cited (when the citation
// gives a date); one family left, it is resolved, otherwise it is shown as
// written. « Citée par » is the same rule read backwards, from the XC terms
// (schema::cited_term) of the documents that cite this one's number.
//
// Thread-safety: functions of the handles given (one Searcher's thread).
#pragma once

#include <xapian.h>

#include <functional>

#include "matcher/duplicate_groups.h"
#include "vigie/searcher.h"

namespace vigie {

// A document's stored data by id (the Searcher's reader).
using StoredReader = std::function<SourceDocument(Xapian::docid)>;

// `doc` (document `docid`): each act its decisions cite, resolved or not.
std::vector<Searcher::CitedAct> resolve_cited(const Xapian::Database& db,
                                              const DuplicateGroups& families, Xapian::docid docid,
                                              const SourceDocument& doc, const StoredReader& read);

// The documents whose decisions cite `doc` (document `docid`), one per
// family, in id order, each with what it does to it.
std::vector<Searcher::Citing> find_citing(const Xapian::Database& db,
                                          const DuplicateGroups& families, Xapian::docid docid,
                                          const SourceDocument& doc, const StoredReader& read);

}  // namespace vigie
