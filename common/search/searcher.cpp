#include "vigie/searcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <set>

#include "index/index_schema.h"
#include "index/schema.h"
#include "matcher/bitmap_ranking.h"
#include "matcher/index_columns.h"
#include "matcher/matcher_leaves.h"
#include "matcher/positional_search.h"
#include "query/query_parser.h"
#include "search/decision_links.h"
#include "search/highlighter.h"
#include "search/search_correction.h"
#include "search/search_pass.h"
#include "search/shard_set.h"
#include "vigie/index_directory.h"
#include "vigie/index_setup.h"
#include "vigie/synonyms.h"

namespace vigie {
namespace {

constexpr int kModifiedRetries = 3;
// How often a Searcher tries again a shard that was down (a connection
// attempt costs up to search.shard_timeout_ms).
constexpr std::chrono::seconds kMissingRetry{5};

}  // namespace

std::optional<SortOrder> parse_sort_order(std::string_view text) {
  if (text.empty() || text == "relevance" || text == "pertinence") return SortOrder::Relevance;
  if (text == "date" || text == "-date" || text == "newest" || text == "recent" ||
      text == "recents")
    return SortOrder::Newest;
  if (text == "+date" || text == "oldest" || text == "anciens") return SortOrder::Oldest;
  if (text == "amount" || text == "montant" || text == "-amount" || text == "-montant")
    return SortOrder::Amount;
  return std::nullopt;
}

struct Searcher::Impl {
  std::filesystem::path index_dir;
  const Config config;  // a copy: callers often pass a temporary
  std::optional<Xapian::Database> db;
  std::filesystem::path generation;  // the one `db` reads
  // A stub of several shards (shard_set.h): `db` is their combined handle.
  std::optional<ShardSet> shards;
  bool strict_shards = false;  // check_shards(): every shard must answer
  std::chrono::steady_clock::time_point shards_opened;
  struct timespec stub_mtime {};
  ino_t stub_inode = 0;
  FrenchAnalyzer analyzer;
  // Built from the synonyms and stop words the open generation recorded
  // (index_setup.h), so that every reader of one index, wherever it runs,
  // expands and drops the same words; from the config's files for an index
  // without a record. Rebuilt when a new generation or revision records
  // other ones (an incremental run rewrites them).
  std::unique_ptr<QueryParser> parser_holder;
  std::string parser_record;  // the kSetupKey text parser_holder was built from
  const std::vector<SynonymGroup> config_synonyms;
  const std::unordered_set<std::string> config_stopwords;
  Searcher::Reloads reloads;
  bool pinned = false;  // Searcher::pin(): keep reading the open state
  // What the matcher needs of every document without reading it, for the
  // revision of `generation` they were read from (index_columns.h): shared
  // with the other Searchers of the process when they share `shared`.
  std::shared_ptr<SharedColumns> shared;
  std::shared_ptr<const IndexColumns> columns;
  std::filesystem::path columns_generation;
  std::string columns_revision;
  WeighingScratch scratch;  // shortlist()'s buffers, reused (bitmap_ranking.h)

  Impl(std::filesystem::path dir, const Config& c, std::vector<SynonymGroup> synonyms,
       std::unordered_set<std::string> stopwords)
      : index_dir(std::move(dir)),
        config(c),
        parser_holder(std::make_unique<QueryParser>(c.search, synonyms, stopwords)),
        config_synonyms(std::move(synonyms)),
        config_stopwords(std::move(stopwords)) {}

  QueryParser& parser() { return *parser_holder; }

  // Rebuilds the parser when the set-up recorded in `database` differs from
  // the one it was built from (one metadata read per new revision).
  void follow_recorded_setup(const Xapian::Database& database) {
    const std::string record = database.get_metadata(std::string(schema::kSetupKey));
    if (record == parser_record) return;
    auto setup = recorded_setup(database);
    parser_holder =
        setup
            ? std::make_unique<QueryParser>(config.search, parse_synonyms_quietly(setup->synonyms),
                                            parse_stopwords(setup->stopwords))
            : std::make_unique<QueryParser>(config.search, config_synonyms, config_stopwords);
    parser_record = record;
  }

  static std::vector<SynonymGroup> parse_synonyms_quietly(const std::string& text) {
    std::vector<std::string> warnings;  // vigie-index reported them when it read the file
    return parse_synonyms(text, warnings);
  }

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
      ShardStub stub;
      try {
        stub = read_shard_stub(directory.stub_path(), index_dir);
      } catch (const IndexError& e) {
        db.reset();
        throw IndexUnavailable(e.what());
      }
      if (stub.sharded()) {
        open_shards(std::move(stub), st);
        return *db;
      }
      shards.reset();
      auto live = std::optional<std::filesystem::path>(stub.shards[0].path);
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
      follow_recorded_setup(*db);
    } else if (shards && !shards->missing().empty() &&
               std::chrono::steady_clock::now() - shards_opened > kMissingRetry) {
      open_shards(shards->stub(), st);  // a shard back up joins again
    } else if (db->reopen()) {
      ++reloads.revisions;
      follow_recorded_setup(*db);
    }
    return *db;
  }

  // Opens the shards the stub lists (shard_set.h): every one must answer the
  // first time (a wrong stub is an error at start), later a remote one that
  // does not is left out and the answers say so.
  void open_shards(ShardStub stub, const struct stat& st,
                   const std::vector<std::string>& down = {}) {
    db.reset();
    shards.reset();
    shards.emplace(std::move(stub), config.search.shard_timeout_ms, !strict_shards, down);
    db.emplace(shards->combined());
    const std::filesystem::path stub_path = IndexDirectory(index_dir).stub_path();
    if (!generation.empty() && stub_path != generation) ++reloads.generations;
    generation = stub_path;  // no stream file: each shard has its own
    stub_inode = st.st_ino;
    stub_mtime = st.st_mtim;
    shards_opened = std::chrono::steady_clock::now();
    follow_recorded_setup(*db);
  }

  // The state of `db`: its revision, or its shards' ("12.7").
  std::string revision_of(const Xapian::Database& database) const {
    return shards ? shards->revision() : std::to_string(database.get_revision());
  }

  // Where words are looked up (synonyms, stem families, spelling): the
  // database, or for shards their local copies (shard_set.h).
  const Xapian::Database& vocabulary(const Xapian::Database& database) const {
    return shards ? shards->vocabulary() : database;
  }

  // A remote shard failed during a request (down, too slow): open the
  // shards again without it (not waiting for it a second time when the
  // error names it), so that the retry answers from the others.
  void drop_failed_shard(const Xapian::Error& error) {
    if (!shards) return;
    struct stat st {};
    ::stat(IndexDirectory(index_dir).stub_path().c_str(), &st);
    std::vector<std::string> down;
    if (std::string failed = ShardSet::failed_shard(error); !failed.empty()) down.push_back(failed);
    try {
      open_shards(shards->stub(), st, down);
    } catch (const Xapian::Error& e) {  // a shard failing as the others are read again
      db.reset();
      shards.reset();
      throw IndexUnavailable("the shards of the index do not answer: " + e.get_description());
    }
  }

  template <typename Fn>
  auto with_retries(Fn&& fn) {
    for (int attempt = 0;; ++attempt) {
      try {
        return fn(current());
      } catch (const Xapian::NetworkError& e) {
        if (!shards || attempt + 1 >= kModifiedRetries)
          throw IndexUnavailable("a shard of the index does not answer: " + e.get_description());
        drop_failed_shard(e);
      } catch (const Xapian::DatabaseModifiedError&) {
        if (pinned) throw IndexUnavailable("the index changed too much during this request; retry");
        if (attempt + 1 >= kModifiedRetries)
          throw IndexUnavailable("the index keeps changing; retry");
        if (db && db->reopen()) {
          ++reloads.revisions;
          follow_recorded_setup(*db);
        }
      } catch (const Xapian::DatabaseOpeningError& e) {
        db.reset();
        throw IndexUnavailable("index being rebuilt or unreadable: " + e.get_description());
      }
    }
  }

  // A document's data (its generation's dictionary is in the columns).
  SourceDocument read_data(const Xapian::Database& database, Xapian::docid id) {
    return stored_document(database.get_document(id), columns_of(database), id);
  }

  const IndexColumns& columns_of(const Xapian::Database& database) {
    const std::string revision = revision_of(database);
    if (!columns || columns_generation != generation || columns_revision != revision) {
      columns.reset();  // a failed read (DatabaseModifiedError) must not leave stale columns behind
      const auto* shard_list = shards ? &shards->shards() : nullptr;
      const std::filesystem::path streams_dir = shards ? std::filesystem::path() : generation;
      const std::string key = generation.string() + '@' + revision +
                              (shards ? '/' + std::to_string(shards->shards().size()) : "");
      const bool remote = shards && shards->any_remote();
      columns = shared ? shared->get(database, key, streams_dir, shard_list, remote)
                       : IndexColumns::read(database, streams_dir, shard_list, remote);
      columns_generation = generation;
      columns_revision = revision;
    }
    return *columns;
  }

  SearchResponse run_once(const Xapian::Database& database, const SearchRequest& request) {
    // The columns first: date filters match from their dates.
    const IndexColumns& columns = columns_of(database);
    MatcherLeaves leaves(&columns.dates, &columns.amounts);
    ParsedQuery parsed = parser().parse(request.query, vocabulary(database), leaves);
    std::optional<ParsedQuery> partial;
    if (parsed.relaxed && !request.any_words && !parsed.question && request.offset == 0)
      partial = partial_query(parsed);
    const bool loosen = request.offset == 0 && request.fill_with_some_words &&
                        !leaves.positions().empty() &&
                        relaxing_widens(parsed.query, leaves.positions());
    SearchPass pass(database, request, columns, std::move(parsed), leaves, config.search, analyzer,
                    scratch);
    SearchResponse response = pass.run();
    if (partial && response.total < kPartialBelow)
      add_partial(database, request, columns, std::move(*partial), leaves, response);
    if (loosen && response.total < kPartialBelow && response.hits.size() < request.limit)
      add_loosened(database, request, columns, response);
    if (shards && !shards->missing().empty()) {
      response.partial = true;
      response.missing_shards = shards->missing();
    }
    return response;
  }

  // The documents with some of the words but not all: the relaxed query
  // without the strict one.
  static ParsedQuery partial_query(const ParsedQuery& parsed) {
    ParsedQuery partial = parsed;
    partial.query = partial.strict_query =
        Xapian::Query(Xapian::Query::OP_AND_NOT, parsed.query, parsed.strict_query);
    partial.relaxed = false;
    return partial;
  }

  void add_partial(const Xapian::Database& database, const SearchRequest& request,
                   const IndexColumns& columns, ParsedQuery partial, MatcherLeaves& leaves,
                   SearchResponse& response) {
    SearchRequest some = request;
    some.facets = false;
    // They fill the page after those with every word: as the relaxed query
    // ranked them (questions in full sentences rarely have every word).
    some.limit = request.fill_with_some_words && request.limit > response.hits.size()
                     ? request.limit - response.hits.size()
                     : 0;
    SearchPass pass(database, some, columns, std::move(partial), leaves, config.search, analyzer,
                    scratch);
    SearchResponse found = pass.run();
    response.partial_total = found.total;
    for (Hit& hit : found.hits) {
      hit.all_words = false;
      response.hits.push_back(std::move(hit));
    }
  }

  // Few documents hold a phrase or PROCHE as asked: those holding its words
  // elsewhere, or apart, or only some of them (a title phrase's anywhere),
  // after them — the documents already listed left out.
  void add_loosened(const Xapian::Database& database, const SearchRequest& request,
                    const IndexColumns& columns, SearchResponse& response) {
    MatcherLeaves loose_leaves(&columns.dates, &columns.amounts, MatcherLeaves::Positions::Loose);
    ParsedQuery loose = parser().parse(request.query, vocabulary(database), loose_leaves);
    if (!loose_leaves.loosened()) return;
    std::vector<std::string> listed;
    auto list = [&](const std::string& id) { listed.push_back(schema::id_term(id)); };
    for (const Hit& hit : response.hits) {
      list(hit.id);
      for (const auto& member : hit.also) list(member.id);
      for (const auto& member : hit.merged) list(member.id);
    }
    if (!listed.empty()) {
      const Xapian::Query shown(Xapian::Query::OP_OR, listed.begin(), listed.end());
      loose.query = Xapian::Query(Xapian::Query::OP_AND_NOT, loose.query, shown);
      loose.strict_query = Xapian::Query(Xapian::Query::OP_AND_NOT, loose.strict_query, shown);
    }
    SearchRequest some = request;
    some.facets = false;
    some.limit = request.limit - response.hits.size();
    SearchPass pass(database, some, columns, std::move(loose), loose_leaves, config.search,
                    analyzer, scratch);
    SearchResponse found = pass.run();
    response.loosened_total = found.total;
    for (Hit& hit : found.hits) {
      hit.all_words = false;
      hit.loosened = true;
      response.hits.push_back(std::move(hit));
    }
  }

  // How many other members of `id`'s family match `query`: what Xapian's
  // collapse count says on one database.
  unsigned collapsed_with(const Xapian::Database& database, const Xapian::Query& query,
                          Xapian::docid id) {
    const IndexColumns& columns = columns_of(database);
    std::vector<std::string> others;
    for (Xapian::docid member : columns.duplicates.members(columns.duplicates.group(id)))
      if (member != id) others.push_back(columns.id_terms->of(database, member));
    if (others.empty()) return 0;
    Xapian::Enquire enquire(database);
    enquire.set_query(
        Xapian::Query(Xapian::Query::OP_FILTER, query,
                      Xapian::Query(Xapian::Query::OP_OR, others.begin(), others.end())));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    const auto n = static_cast<Xapian::doccount>(others.size());
    return enquire.get_mset(0, n, n).size();
  }

  // Nothing found as typed: the corrected search, when it finds something.
  SearchResponse run(const Xapian::Database& database, const SearchRequest& request) {
    SearchResponse response = run_once(database, request);
    if (!request.correct || response.total > 0) return response;
    auto fixed = corrected_request(request, response.suggestion, database, columns_of(database));
    if (!fixed) return response;
    SearchResponse second = run_once(database, fixed->request);
    if (second.total == 0) return response;
    second.query = request.query;
    second.suggestion.clear();
    second.corrected = std::move(fixed->corrections);
    return second;
  }
};

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

void Searcher::check_shards() {
  IndexDirectory directory(impl_->index_dir);
  if (!std::filesystem::exists(directory.stub_path())) return;
  try {
    if (!read_shard_stub(directory.stub_path(), impl_->index_dir).sharded()) return;
  } catch (const IndexError& e) {
    throw IndexUnavailable(e.what());
  }
  impl_->db.reset();
  impl_->strict_shards = true;
  struct Relax {
    bool& strict;
    ~Relax() { strict = false; }
  } relax{impl_->strict_shards};
  impl_->current();
}

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
    return impl_->read_data(db, *post);
  });
}

Searcher::Relations Searcher::relations(const std::string& id) {
  return impl_->with_retries([&](Xapian::Database& db) {
    Relations out;
    const std::string term = schema::id_term(id);
    auto post = db.postlist_begin(term);
    if (post == db.postlist_end(term)) return out;
    const IndexColumns& columns = impl_->columns_of(db);
    auto member = [&](Xapian::docid docid) {
      const SourceDocument data = impl_->read_data(db, docid);
      return FamilyMember{data.id, data.format, data.title};
    };
    const DuplicateGroups& families = columns.duplicates;
    std::vector<Xapian::docid> family{*post};
    for (Xapian::docid other : families.members(families.group(*post)))
      if (other != *post) {
        out.family.push_back(member(other));
        family.push_back(other);
      }
    if (const Xapian::docid whole = columns.wholes.whole(*post)) out.whole = member(whole);
    // The parts name the record they were taken from; the record's PDF and
    // HTML (its family) list them too.
    std::set<Xapian::docid> parts;
    for (Xapian::docid doc : family) {
      if (!columns.wholes.has_parts(doc)) continue;
      const std::string parts_term = schema::part_of_term(impl_->read_data(db, doc).id);
      for (auto p = db.postlist_begin(parts_term); p != db.postlist_end(parts_term); ++p)
        parts.insert(*p);
    }
    for (Xapian::docid part : parts) out.parts.push_back(member(part));
    const StoredReader read = [&](Xapian::docid d) { return impl_->read_data(db, d); };
    const SourceDocument self = read(*post);
    out.cited = resolve_cited(db, columns, *post, self, read);
    out.cited_by = find_citing(db, columns, *post, self, read);
    return out;
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
    // Over shards, the terms' frequencies in the whole collection, as one
    // index has them (Xapian scales one shard's by default).
    const int flags = impl_->shards ? Xapian::Enquire::USE_EXACT_TERMFREQ : 0;
    Xapian::ESet eset = enquire.get_eset(24, rset, flags, &decider);
    if (eset.empty()) return hits;
    Xapian::Query query(Xapian::Query::OP_OR, eset.begin(), eset.end());
    // Not the document itself, nor its copies in other files (its family).
    std::vector<Xapian::Query> itself{Xapian::Query(id_term)};
    const std::string family = db.get_document(*post).get_value(schema::kSlotFamily);
    if (!family.empty())
      itself.emplace_back(Xapian::Query::OP_VALUE_RANGE, schema::kSlotFamily, family, family);
    query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                          Xapian::Query(Xapian::Query::OP_OR, itself.begin(), itself.end()));
    enquire.set_query(query);
    enquire.set_weighting_scheme(bm25_weight(impl_->config.search.bm25));
    enquire.set_collapse_key(schema::kSlotFamily);  // one per family
    Xapian::MSet mset =
        enquire.get_mset(0, static_cast<Xapian::doccount>(std::min<std::size_t>(limit, 50)));
    for (auto item = mset.begin(); item != mset.end(); ++item) {
      hits.push_back(hit_of(impl_->read_data(db, *item), item, mset));
      // Xapian 1.4's remote backend does not carry collapse counts: over
      // shards, the family's other members that match too.
      if (impl_->shards) hits.back().duplicates = impl_->collapsed_with(db, query, *item);
    }
    return hits;
  });
}

std::string Searcher::highlight_all(const std::string& text, const std::string& query) {
  std::vector<HighlightTerm> terms;
  if (!query.empty()) {
    try {
      terms = impl_->with_retries([&](Xapian::Database& db) {
        MatcherLeaves leaves;
        return impl_->parser().parse(query, impl_->vocabulary(db), leaves).highlights;
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

std::optional<IndexSetup> Searcher::index_setup() {
  return impl_->with_retries([](Xapian::Database& db) { return recorded_setup(db); });
}

Xapian::doccount Searcher::document_count() {
  return impl_->with_retries([](Xapian::Database& db) { return db.get_doccount(); });
}

Searcher::Reloads Searcher::reloads() const { return impl_->reloads; }

std::string Searcher::index_state() {
  return impl_->with_retries([this](Xapian::Database& db) {
    return impl_->generation.filename().string() + "@" + impl_->revision_of(db);
  });
}

std::string Searcher::generation() {
  impl_->with_retries([](Xapian::Database& db) { return db.get_doccount(); });
  if (impl_->shards) {  // the generation its local shards are of, else the stub's name
    const auto live = IndexDirectory(impl_->index_dir).live_generation();
    return live ? live->filename().string() : "current";
  }
  return impl_->generation.filename().string();
}

}  // namespace vigie
