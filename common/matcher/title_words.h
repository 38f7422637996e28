// Title words: the best BM25 candidates of a word query re-ranked by how
// much of the query their titles hold.
//
// Why: a title says what a text is about in a few words; BM25 over the
// whole text (title words counted search.title_weight times) weighs a
// title word by the document's length, so a long session's minutes that
// mention the words in passing outrank the deliberation titled with them.
// Lucene set up as Elasticsearch (issue 21) scores title and body as two
// fields; on the hard collection a title score of its own, not normalised
// by the text's length, was worth +0.014 nDCG@10 in a plain Xapian ranking
// (+0.026 on questions; docs/ranking.md, « Title words »).
//
// How: each word's title terms (query_parser.h QueryWord: S + each of its
// forms) get an idf as Xapian's BM25 computes one, from how many titles
// hold any of them. Each of the `count` heaviest documents
// (kTitleCandidates, or the proximity's when it re-ranks too) has its
// weight multiplied by 1 + boost × (the idf of the words its title holds /
// the idf of the words some title holds). As for proximity (proximity.h),
// the candidates are the same whatever page is asked and a boost only
// raises a weight, so pages never repeat or skip a hit, and a boost below
// the all-words tier's ×10⁴ never lifts a document over one with more words.
//
// Thread-safety: a function of its arguments (the posting cache has its
// own lock). Errors: Xapian errors propagate (DatabaseModifiedError: the
// caller retries).
#pragma once

#include <xapian.h>

#include <string>
#include <vector>

#include "matcher/bitmap_ranking.h"
#include "matcher/posting_cache.h"
#include "query/query_parser.h"

namespace vigie {

// The best BM25 candidates of a query re-ranked for its title words alone:
// 20 gave the hard collection the same figures as 50 (nDCG@10 0.8213, 10:
// 0.8211), and single words a shortlist of 24 documents instead of 54
// (bench at 100k: word p50 0.53 → 0.54 ms with 20, 0.60 with 50).
inline constexpr std::size_t kTitleCandidates = 20;

// Multiplies the weights of the `count` heaviest documents of
// `weighed` (in id order, as shortlist() gives them) by 1 + boost × the
// share of the words' title idf their titles hold. `postings` (may be
// null): the revision's posting cache, asked before the database (a remote
// shard answers a posting look-up with a round trip). Nothing changes
// without words, boost, or a word in any title.
void boost_title_words(const Xapian::Database& db, PostingCache* postings,
                       const std::vector<QueryWord>& words, double boost, std::size_t count,
                       std::vector<WeighedDocument>& weighed);

// For each of `ids` (ascending), whether it holds one of `terms`: each
// term's postings read once, skipping to the ids in order (a posting list
// opened per look-up cost +0.3 ms on three-word queries at 100k).
// `postings` (may be null): asked first (a term it keeps is not read).
std::vector<bool> holding(const Xapian::Database& db, PostingCache* postings,
                          const std::vector<std::string>& terms,
                          const std::vector<Xapian::docid>& ids);

}  // namespace vigie
