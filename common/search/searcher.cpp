#include "vigie/searcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <map>

#include "index/data_dictionary.h"
#include "index/document_data.h"
#include "index/index_schema.h"
#include "index/schema.h"
#include "matcher/bitmap_ranking.h"
#include "matcher/duplicate_groups.h"
#include "matcher/facet_columns.h"
#include "matcher/index_columns.h"
#include "matcher/match_bitmap.h"
#include "matcher/matcher_leaves.h"
#include "matcher/positional_search.h"
#include "query/query_terms.h"
#include "search/highlighter.h"
#include "vigie/index_directory.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

constexpr int kModifiedRetries = 3;
// Several words: fewer documents than this with all of them, and documents
// with some of the words are listed too (after those with all).
constexpr Xapian::doccount kRelaxBelow = 10;

std::string prefixed(std::string_view prefix, const std::string& value) {
  return std::string(prefix) + value;
}

// "2010" → 20100000..20109999; "2010-06" → 20100600..20100699; full dates as is.
std::string date_bound(const std::string& text, bool upper) {
  auto date = Date::parse(text);
  if (!date) throw QuerySyntaxError("Date invalide : « " + text + " » (attendu AAAA-MM-JJ)");
  int value = date->sortable();
  if (date->month == 0)
    value += upper ? 1299 : 0;
  else if (date->day == 0)
    value += upper ? 99 : 0;
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%08d", value);
  return buffer;
}

// "20100622" → 20100622, for MatcherLeaves::date_range.
std::uint32_t date_number(const std::string& value) {
  std::uint32_t n = 0;
  std::from_chars(value.data(), value.data() + value.size(), n);
  return n;
}

// OR of boolean terms, or an empty query when there are none.
Xapian::Query any_of(const std::vector<std::string>& terms) {
  if (terms.empty()) return Xapian::Query();
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

}  // namespace

std::optional<SortOrder> parse_sort_order(std::string_view text) {
  if (text.empty() || text == "relevance" || text == "pertinence") return SortOrder::Relevance;
  if (text == "date" || text == "-date" || text == "newest" || text == "recent" ||
      text == "recents")
    return SortOrder::Newest;
  if (text == "+date" || text == "oldest" || text == "anciens") return SortOrder::Oldest;
  return std::nullopt;
}

struct Searcher::Impl {
  std::filesystem::path index_dir;
  const Config config;  // a copy: callers often pass a temporary
  std::optional<Xapian::Database> db;
  std::filesystem::path generation;  // the one `db` reads
  struct timespec stub_mtime {};
  ino_t stub_inode = 0;
  FrenchAnalyzer analyzer;
  QueryParser parser;
  Searcher::Reloads reloads;
  bool pinned = false;  // Searcher::pin(): keep reading the open state
  // What the matcher needs of every document without reading it, for the
  // revision of `generation` they were read from (index_columns.h): shared
  // with the other Searchers of the process when they share `shared`.
  std::shared_ptr<SharedColumns> shared;
  std::shared_ptr<const IndexColumns> columns;
  std::filesystem::path columns_generation;
  Xapian::rev columns_revision = 0;
  WeighingScratch scratch;  // shortlist()'s buffers, reused (bitmap_ranking.h)

  Impl(std::filesystem::path dir, const Config& c, std::vector<SynonymGroup> synonyms,
       std::unordered_set<std::string> stopwords)
      : index_dir(std::move(dir)),
        config(c),
        parser(c.search, std::move(synonyms), std::move(stopwords)) {}

  // Opens the live generation, or a new one when the stub changed; otherwise
  // reopen() picks up new commits of the same generation.
  Xapian::Database& current() {
    if (pinned && db) return *db;
    IndexDirectory directory(index_dir);
    struct stat st {};
    const bool stub_exists = ::stat(directory.stub_path().c_str(), &st) == 0;
    if (!stub_exists) {
      db.reset();
      throw IndexUnavailable("no index at " + index_dir.string() + " yet (run vigie-index)");
    }
    const bool stub_changed = st.st_ino != stub_inode || st.st_mtim.tv_sec != stub_mtime.tv_sec ||
                              st.st_mtim.tv_nsec != stub_mtime.tv_nsec;
    if (!db || stub_changed) {
      auto live = directory.live_generation();
      if (!live)
        throw IndexUnavailable("the index stub " + directory.stub_path().string() +
                               " is unreadable");
      try {
        db.emplace(live->string());
      } catch (const Xapian::Error& e) {
        db.reset();
        throw IndexUnavailable("index being rebuilt or unreadable: " + e.get_description());
      }
      if (auto problem = index_schema::layout_problem(*db)) {
        db.reset();
        throw IndexUnavailable(*problem + " (" + live->string() + ")");
      }
      if (!generation.empty() && *live != generation) ++reloads.generations;
      generation = *live;
      stub_inode = st.st_ino;
      stub_mtime = st.st_mtim;
    } else if (db->reopen()) {
      ++reloads.revisions;
    }
    return *db;
  }

  template <typename Fn>
  auto with_retries(Fn&& fn) {
    for (int attempt = 0;; ++attempt) {
      try {
        return fn(current());
      } catch (const Xapian::DatabaseModifiedError&) {
        if (pinned) throw IndexUnavailable("the index changed too much during this request; retry");
        if (attempt + 1 >= kModifiedRetries)
          throw IndexUnavailable("the index keeps changing; retry");
        if (db && db->reopen()) ++reloads.revisions;
      } catch (const Xapian::DatabaseOpeningError& e) {
        db.reset();
        throw IndexUnavailable("index being rebuilt or unreadable: " + e.get_description());
      }
    }
  }

  // The request's filters; its date range built by `leaves` (which also
  // built the query's own: matcher_leaves.h).
  Xapian::Query request_filters(const SearchRequest& r, MatcherLeaves& leaves) {
    std::vector<Xapian::Query> filters;
    std::vector<std::string> terms;
    for (const auto& t : r.types) {
      auto type = parse_doc_type(t);
      if (!type) throw QuerySyntaxError("Type de document inconnu : « " + t + " »");
      terms.push_back(prefixed(schema::kTypePrefix, std::string(doc_type_key(*type))));
    }
    if (!terms.empty()) filters.push_back(any_of(terms));
    terms.clear();
    for (const auto& o : r.organisations)
      terms.push_back(prefixed(schema::kOrgPrefix, schema::facet_key(o)));
    if (!terms.empty()) filters.push_back(any_of(terms));
    terms.clear();
    for (int y : r.years) terms.push_back(prefixed(schema::kYearPrefix, std::to_string(y)));
    if (!terms.empty()) filters.push_back(any_of(terms));
    if (!r.date_from.empty() || !r.date_to.empty()) {
      const std::string from = r.date_from.empty() ? "00000000" : date_bound(r.date_from, false);
      const std::string to = r.date_to.empty() ? "99999999" : date_bound(r.date_to, true);
      filters.push_back(leaves.date_range(date_number(from), date_number(to)));
    }
    if (filters.empty()) return Xapian::Query();
    return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
  }

  // A document's data, decompressed with its generation's dictionary when
  // it was stored so (data_dictionary.h).
  SourceDocument read_data(const Xapian::Database& database, const Xapian::Document& doc) {
    return decode_document_data(
        stored_data_json(stored_data_of(doc), columns_of(database).dictionary.get()));
  }

  Hit make_hit(const Xapian::Database& database, const Xapian::MSetIterator& item,
               Highlighter* highlighter, const Xapian::MSet& mset) {
    Hit hit;
    SourceDocument data = read_data(database, item.get_document());
    hit.id = data.id;
    hit.title = data.title;
    if (data.type) {
      hit.type = std::string(doc_type_key(*data.type));
      hit.type_label = std::string(doc_type_label(*data.type));
    }
    hit.date = data.date.iso();
    hit.organisation = data.organisation;
    hit.source = data.source_path;
    hit.format = data.format;
    hit.url = data.url;
    hit.score = mset.convert_to_percent(item);
    hit.duplicates = item.get_collapse_count();
    if (highlighter)
      hit.extract_html = highlighter->extract(analyzer, data.body, config.search.snippet_chars);
    return hit;
  }

  std::vector<TermWeight> explain(const Xapian::Database& database, Xapian::Enquire& enquire,
                                  const Xapian::MSetIterator& item) {
    std::vector<TermWeight> out;
    const std::string id = schema::id_term(read_data(database, item.get_document()).id);
    Xapian::Enquire single(database);
    single.set_weighting_scheme(weighting());
    for (auto t = enquire.get_matching_terms_begin(item); t != enquire.get_matching_terms_end(item);
         ++t) {
      single.set_query(
          Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(*t), Xapian::Query(id)));
      auto one = single.get_mset(0, 1);
      out.push_back({*t, one.empty() ? 0.0 : one.begin().get_weight()});
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.weight > b.weight; });
    return out;
  }

  const IndexColumns& columns_of(const Xapian::Database& database) {
    const Xapian::rev revision = database.get_revision();
    if (!columns || columns_generation != generation || columns_revision != revision) {
      columns.reset();  // a failed read (DatabaseModifiedError) must not leave stale columns behind
      columns = shared ? shared->get(database, generation.string() + '@' + std::to_string(revision),
                                     generation)
                       : IndexColumns::read(database, generation);
      columns_generation = generation;
      columns_revision = revision;
    }
    return *columns;
  }

  Xapian::BM25Weight weighting() const {
    const auto& b = config.search.bm25;
    return Xapian::BM25Weight(b.k1, b.k2, b.k3, b.b, b.min_normlen);
  }

  SearchResponse run(const Xapian::Database& database, const SearchRequest& request);
};

SearchResponse Searcher::Impl::run(const Xapian::Database& database, const SearchRequest& request) {
  SearchResponse response;
  response.query = request.query;
  response.offset = request.offset;
  // The columns first: date filters match from their dates.
  const IndexColumns& known = columns_of(database);
  MatcherLeaves leaves(&known.dates);
  ParsedQuery parsed = parser.parse(request.query, database, leaves);
  response.warnings = parsed.warnings;
  response.synonyms = parsed.synonyms;
  Xapian::Query filters = request_filters(request, leaves);
  auto filtered = [&](const Xapian::Query& q) {
    return filters.empty() ? q : Xapian::Query(Xapian::Query::OP_FILTER, q, filters);
  };
  // Several words: when enough documents hold them all, those are the
  // results (totals and facets count them); otherwise documents with some
  // of the words follow (parsed.query ranks those holding all of them
  // first). The AND is also far cheaper to match than the relaxed OR.
  Xapian::doccount with_all_words = 0;
  bool relaxed = parsed.relaxed;
  if (relaxed) {
    Xapian::Enquire strict(database);
    strict.set_query(filtered(parsed.strict_query));
    strict.set_weighting_scheme(Xapian::BoolWeight());
    with_all_words = strict.get_mset(0, 0, kRelaxBelow).get_matches_lower_bound();
    relaxed = with_all_words < kRelaxBelow;
  }
  Xapian::Query query = filtered(relaxed ? parsed.query : parsed.strict_query);

  Xapian::Enquire enquire(database);
  enquire.set_query(query);
  enquire.set_weighting_scheme(weighting());
  std::optional<DuplicateFilter> duplicates;
  if (request.collapse_duplicates && !known.duplicates.empty())
    duplicates.emplace(known.duplicates);
  switch (request.sort) {
    case SortOrder::Relevance:
      break;
    case SortOrder::Newest:
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
      break;
    case SortOrder::Oldest:
      enquire.set_sort_by_value_then_relevance(schema::kSlotDate, false);
      break;
  }

  // Totals and facet counts. In relevance order, when the query's matches
  // can be read from the posting lists (match_bitmap.h), they count the
  // whole result set exactly, and the matcher only ranks the page (it stops
  // early); phrases and PROCHE on position streams are checked on at most
  // search.phrase_checks candidates, a sample beyond (positional_search.h).
  // Otherwise (date order, several shards) the
  // counter counts what the matcher examines, which is asked to examine up
  // to search.exact_facets_under documents: result sets up to that size get
  // exact figures, larger ones estimates (and say so), at a bounded cost.
  const Xapian::doccount doccount = database.get_doccount();
  const std::shared_ptr<const StreamStore> streams =
      leaves.positions().empty() ? nullptr : known.streams->get(database);
  const BitmapSources sources{known.filter_bitmaps.get(), leaves.date_ranges(), leaves.positions(),
                              known.postings.get(), streams.get()};
  std::optional<PositionalCount> positional;
  std::optional<MatchBitmap> matches;
  if (request.sort == SortOrder::Relevance) {
    positional = count_positional(database, query, sources,
                                  request.exact_total ? doccount : config.search.phrase_checks);
    if (positional)
      matches = positional->matches;
    else
      matches = match_bitmap(database, query, sources);
  }
  std::optional<FacetCounter> counter;
  if (request.facets) {
    counter.emplace(known.facets);
    if (!matches) enquire.add_matchspy(&*counter);
  }
  const auto limit =
      static_cast<Xapian::doccount>(std::min(request.limit, config.search.max_page_size));
  const auto offset = static_cast<Xapian::doccount>(request.offset);

  // Counted from the bitmap: every match, copies of an identical text
  // dropped in id order (the first stays); `shown` is what is left.
  std::optional<DuplicateFilter> counted_duplicates;
  std::optional<MatchBitmap> shown;
  Xapian::doccount counted = 0;
  if (matches) {
    if (duplicates) {
      counted_duplicates.emplace(known.duplicates);
      if (!positional) shown.emplace(database.get_lastdocid());
    }
    matches->for_each([&](Xapian::docid id) {
      if (counted_duplicates && !counted_duplicates->keep(id)) return;
      ++counted;
      if (counter) counter->add(id);
      if (shown) shown->set(id);
    });
  }

  // The page. Known matches: Xapian's matcher weighs a shortlist of them
  // (bitmap_ranking.h); otherwise it examines up to the budget.
  const std::size_t budget = request.exact_total ? doccount
                             : request.facets    ? config.search.exact_facets_under
                                                 : 1000;
  const auto check_at_least =
      static_cast<Xapian::doccount>(std::min<std::size_t>(doccount, budget));
  // (The weights computed there rank the page themselves: rank_weighed().)
  std::shared_ptr<const std::vector<WeighedDocument>> candidates;
  if (matches && !positional) {
    std::vector<WeighedDocument> weighed;
    if (shortlist(database, query, shown ? *shown : *matches, sources, known.lengths,
                  config.search.bm25, std::size_t{offset} + limit, &scratch, &weighed))
      candidates = std::make_shared<const std::vector<WeighedDocument>>(std::move(weighed));
  }
  const Xapian::BM25Weight weight = weighting();
  auto page = [&](Xapian::doccount from, Xapian::doccount count) {
    return positional   ? positional_page(database, query, sources,
                                          {weight, &known.lengths, config.search.bm25, &scratch},
                                          *positional, from, count,
                                        duplicates ? &known.duplicates : nullptr, duplicates)
           : candidates ? rank_weighed(database, candidates, from, count)
                        : enquire.get_mset(from, count, matches ? 0 : check_at_least, nullptr,
                                           duplicates ? &*duplicates : nullptr);
  };
  Xapian::MSet mset = page(offset, limit);
  // Xapian's percentages would count the page's bitmap filter as part of
  // the query: computed as its matcher would have (bitmap_ranking.h), from
  // the whole ranking's best hit.
  std::optional<double> percent_scale;
  if ((positional || candidates) && !mset.empty()) {
    const Xapian::MSet best = offset == 0 ? mset : page(0, 1);
    if (!best.empty())
      percent_scale =
          percent_factor(database, query, sources, *best.begin(), best.begin().get_weight());
    if (offset != 0 && positional) mset = page(offset, limit);  // the page's duplicate filter again
  }

  bool all_examined = false;
  if (matches) {
    response.total = response.total_lower = response.total_upper = counted;
    all_examined = true;
    if (positional && !positional->exact()) {  // a sample's: estimates
      const double scale = positional->scale();
      // At least the hits ranked up to this page (the sample may have missed a rare phrase).
      const auto ranked = static_cast<Xapian::doccount>(offset + mset.size());
      response.total_lower = std::max(counted, ranked);
      response.total = std::max(static_cast<Xapian::doccount>(std::llround(counted * scale)),
                                response.total_lower);
      response.total_upper = positional->candidates;
      if (counter) counter->scale(scale);
      all_examined = false;
      counted_duplicates.reset();  // it saw the sample only: the page's filter counts copies
    }
  } else {
    response.total = mset.get_matches_estimated();
    response.total_lower = mset.get_matches_lower_bound();
    response.total_upper = mset.get_matches_upper_bound();
    // When the upper bound is within what was examined, every match was
    // seen (duplicates dropped by the filter are not counted), and the lower
    // bound is the exact number of distinct hits.
    all_examined = response.total_upper <= check_at_least;
    if (all_examined) response.total = response.total_upper = response.total_lower;
  }
  response.total_exact = response.total_lower == response.total_upper || all_examined;

  std::optional<Highlighter> highlighter;
  if (request.extracts) highlighter.emplace(parsed.highlights);
  for (auto item = mset.begin(); item != mset.end(); ++item) {
    Hit hit = make_hit(database, item, highlighter ? &*highlighter : nullptr, mset);
    if (percent_scale) hit.score = percent(item.get_weight(), *percent_scale);
    if (duplicates)
      hit.duplicates = (counted_duplicates ? *counted_duplicates : *duplicates).dropped_for(*item);
    if (request.explain) hit.explanation = explain(database, enquire, item);
    response.hits.push_back(std::move(hit));
  }

  if (request.facets) {
    auto facet = [&](const char* name, std::size_t column, auto label_of) {
      Facet f;
      f.name = name;
      // The counter sees what the duplicate filter let through: hits, not copies.
      f.exact = all_examined;
      for (auto& v : counter->top(column, 50))
        f.values.push_back({v.value, label_of(v.value), v.count});
      response.facets.push_back(std::move(f));
    };
    facet("type", 0, [](const std::string& key) {
      auto type = parse_doc_type(key);
      return type ? std::string(doc_type_label(*type)) : key;
    });
    facet("organisation", 1, [](const std::string& name) { return name; });
    facet("year", 2, [](const std::string& year) { return year; });
    auto& year_values = response.facets.back().values;  // chronological, for histograms
    std::sort(year_values.begin(), year_values.end(),
              [](const FacetValue& a, const FacetValue& b) { return a.key < b.key; });
  }

  if (relaxed && response.total > 0 && with_all_words == 0)
    response.notice =
        "Aucun document ne contient tous les mots : voici ceux qui en contiennent une partie.";
  if (!parsed.spelling_suggestion.empty() && (response.total == 0 || !parsed.unknown_words.empty()))
    response.suggestion = parsed.spelling_suggestion;
  return response;
}

std::shared_ptr<SharedColumns> make_shared_columns() { return std::make_shared<SharedColumns>(); }

Searcher::Searcher(std::filesystem::path index_dir, const Config& config,
                   std::shared_ptr<SharedColumns> shared_columns) {
  std::vector<std::string>
      warnings;  // missing files mean "none"; the server logs config problems at start
  auto synonyms = load_synonyms(config.analysis.synonyms, warnings);
  auto stopwords = load_stopwords(config.analysis.stopwords, warnings);
  impl_ = std::make_unique<Impl>(std::move(index_dir), config, std::move(synonyms),
                                 std::move(stopwords));
  impl_->shared = std::move(shared_columns);
}

Searcher::~Searcher() = default;

SearchResponse Searcher::search(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  SearchResponse response =
      impl_->with_retries([&](Xapian::Database& db) { return impl_->run(db, request); });
  response.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return response;
}

std::optional<SourceDocument> Searcher::document(const std::string& id) {
  return impl_->with_retries([&](Xapian::Database& db) -> std::optional<SourceDocument> {
    const std::string term = schema::id_term(id);
    auto post = db.postlist_begin(term);
    if (post == db.postlist_end(term)) return std::nullopt;
    return impl_->read_data(db, db.get_document(*post));
  });
}

std::vector<Hit> Searcher::similar(const std::string& id, std::size_t limit) {
  return impl_->with_retries([&](Xapian::Database& db) {
    std::vector<Hit> hits;
    const std::string id_term = schema::id_term(id);
    auto post = db.postlist_begin(id_term);
    if (post == db.postlist_end(id_term)) return hits;
    Xapian::RSet rset;
    rset.add_document(*post);
    Xapian::Enquire enquire(db);
    // Only plain words describe the content; prefixed terms (fields, and
    // the stem terms of a schema-1 index) would just find documents of the
    // same organisation or year, or repeat the words.
    struct ContentTerms : Xapian::ExpandDecider {
      bool operator()(const std::string& term) const override {
        if (term.size() < 4) return false;
        if (term[0] >= 'A' && term[0] <= 'Z') return false;
        return term.find_first_of("0123456789/@:") == std::string::npos;
      }
    } decider;
    Xapian::ESet eset = enquire.get_eset(24, rset, &decider);
    if (eset.empty()) return hits;
    Xapian::Query query(Xapian::Query::OP_OR, eset.begin(), eset.end());
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query, Xapian::Query(id_term));
    enquire.set_query(query);
    enquire.set_weighting_scheme(impl_->weighting());
    enquire.set_collapse_key(schema::kSlotContentHash);
    Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(std::min<std::size_t>(limit, 50)));
    for (auto item = mset.begin(); item != mset.end(); ++item)
      hits.push_back(impl_->make_hit(db, item, nullptr, mset));
    return hits;
  });
}

std::string Searcher::highlight_all(const std::string& text, const std::string& query) {
  std::vector<HighlightTerm> terms;
  if (!query.empty()) {
    try {
      terms = impl_->with_retries([&](Xapian::Database& db) {
        MatcherLeaves leaves;
        return impl_->parser.parse(query, db, leaves).highlights;
      });
    } catch (const QuerySyntaxError&) {
      // A query that cannot be parsed highlights nothing; the text still shows.
    }
  }
  Highlighter highlighter(terms);
  return highlighter.mark_all(impl_->analyzer, text);
}

void Searcher::pin() {
  // Pick up what changed since this Searcher's last call first: the pinned
  // state is the live one now, not an older one left open in a pool.
  impl_->with_retries([](Xapian::Database&) { return 0; });
  impl_->pinned = true;
}
void Searcher::pin_open() { impl_->pinned = true; }
void Searcher::unpin() { impl_->pinned = false; }

Xapian::doccount Searcher::document_count() {
  return impl_->with_retries([](Xapian::Database& db) { return db.get_doccount(); });
}

Searcher::Reloads Searcher::reloads() const { return impl_->reloads; }

std::string Searcher::index_state() {
  return impl_->with_retries([this](Xapian::Database& db) {
    return impl_->generation.filename().string() + "@" + std::to_string(db.get_revision());
  });
}

std::string Searcher::generation() {
  impl_->with_retries([](Xapian::Database& db) { return db.get_doccount(); });
  return impl_->generation.filename().string();
}

}  // namespace vigie
