#include "vigie/index_setup.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "index/schema.h"
#include "vigie/index_directory.h"

namespace vigie {
namespace fs = std::filesystem;

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// The record's own version: a newer Vigie may add keys; this one refuses a
// record whose version it does not know rather than guess.
constexpr int kSetupVersion = 1;

void key_string(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void key_uint(Writer& w, const char* key, std::size_t value) {
  w.Key(key);
  w.Uint64(value);
}

// The folder rules and search settings in the config file's own form, read
// back by parse_config: one reader, one set of checks, for both.
void write_config_part(Writer& w, const IndexSetup& setup) {
  w.StartObject();
  w.Key("indexer");
  w.StartObject();
  w.Key("folders");
  w.StartArray();
  for (const auto& f : setup.folders) {
    w.StartObject();
    key_string(w, "path", f.path_prefix);
    if (!f.organisation.empty()) key_string(w, "organisation", f.organisation);
    if (!f.place.empty()) key_string(w, "place", f.place);
    if (!f.type.empty()) key_string(w, "type", f.type);
    if (!f.type_by_format.empty()) {
      w.Key("type_by_format");
      w.StartObject();
      for (const auto& [format, type] : f.type_by_format) key_string(w, format.c_str(), type);
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  const SearchConfig& s = setup.search;
  w.Key("search");
  w.StartObject();
  w.Key("bm25");
  w.StartObject();
  w.Key("k1");
  w.Double(s.bm25.k1);
  w.Key("k2");
  w.Double(s.bm25.k2);
  w.Key("k3");
  w.Double(s.bm25.k3);
  w.Key("b");
  w.Double(s.bm25.b);
  w.Key("min_normlen");
  w.Double(s.bm25.min_normlen);
  w.EndObject();
  key_uint(w, "title_weight", static_cast<std::size_t>(s.title_weight));
  key_uint(w, "max_query_bytes", s.max_query_bytes);
  key_uint(w, "max_query_terms", s.max_query_terms);
  key_uint(w, "wildcard_limit", s.wildcard_limit);
  key_uint(w, "exact_facets_under", s.exact_facets_under);
  key_uint(w, "exact_facet_counts_up_to", s.exact_facet_counts_up_to);
  key_uint(w, "phrase_checks", s.phrase_checks);
  key_uint(w, "snippet_chars", s.snippet_chars);
  key_uint(w, "max_page_size", s.max_page_size);
  key_uint(w, "export_cap", s.export_cap);
  w.EndObject();
  w.EndObject();
}

std::string string_member(const rapidjson::Value& object, const char* key) {
  auto it = object.FindMember(key);
  if (it == object.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

bool is_inside_or_same(const fs::path& dir, const fs::path& outer) {
  auto [o, d] = std::mismatch(outer.begin(), outer.end(), dir.begin(), dir.end());
  return o == outer.end();
}

fs::path canonical_or_absolute(const fs::path& path) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(path, ec);
  return ec ? fs::absolute(path) : out;
}

}  // namespace

void record_setup(Xapian::WritableDatabase& db, const IndexSetup& setup) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("version");
  w.Int(kSetupVersion);
  w.Key("roots");
  w.StartArray();
  for (const auto& root : setup.roots) {
    w.StartObject();
    key_string(w, "name", root.name);
    key_string(w, "dir", root.dir.string());
    w.EndObject();
  }
  w.EndArray();
  key_string(w, "synonyms", setup.synonyms);
  key_string(w, "stopwords", setup.stopwords);
  w.Key("config");
  write_config_part(w, setup);
  w.EndObject();
  const std::string record(buffer.GetString(), buffer.GetSize());
  // Unchanged: nothing written, so a run with nothing to do leaves the
  // index's revision (and the server's response cache) as it was.
  if (db.get_metadata(std::string(schema::kSetupKey)) == record) return;
  db.set_metadata(std::string(schema::kSetupKey), record);
}

std::optional<IndexSetup> recorded_setup(const Xapian::Database& db, std::string* problem) {
  const std::string text = db.get_metadata(std::string(schema::kSetupKey));
  if (text.empty()) return std::nullopt;  // an index written before the record existed
  auto refuse = [&](const std::string& why) -> std::optional<IndexSetup> {
    if (problem) *problem = "the index's recorded set-up is unreadable (" + why + ")";
    return std::nullopt;
  };
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return refuse("not a JSON object");
  auto version = doc.FindMember("version");
  if (version == doc.MemberEnd() || !version->value.IsInt() ||
      version->value.GetInt() != kSetupVersion)
    return refuse("unknown version: rebuild the index with this vigie-index");
  IndexSetup setup;
  auto roots = doc.FindMember("roots");
  if (roots != doc.MemberEnd() && roots->value.IsArray())
    for (const auto& r : roots->value.GetArray())
      if (r.IsObject()) setup.roots.push_back({string_member(r, "name"), string_member(r, "dir")});
  setup.synonyms = string_member(doc, "synonyms");
  setup.stopwords = string_member(doc, "stopwords");
  auto config = doc.FindMember("config");
  if (config == doc.MemberEnd() || !config->value.IsObject()) return refuse("no settings");
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  config->value.Accept(w);
  try {
    Config parsed = parse_config(std::string(buffer.GetString(), buffer.GetSize()),
                                 "the index's recorded set-up");
    setup.folders = std::move(parsed.indexer.folders);
    setup.search = parsed.search;
  } catch (const ConfigError& e) {
    return refuse(e.what());
  }
  return setup;
}

std::optional<IndexSetup> live_setup(const fs::path& index_dir) {
  const auto live = IndexDirectory(index_dir).live_generation();
  if (!live) return std::nullopt;
  // A generation of shards (vigie-index --shards N): each records the same.
  const auto shards = IndexDirectory::shards_of(*live);
  try {
    return recorded_setup(Xapian::Database((shards.empty() ? *live : shards[0]).string()));
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
}

void adopt_recorded_search(SearchConfig& search, const fs::path& index_dir) {
  const auto setup = live_setup(index_dir);
  if (!setup) return;
  const std::size_t cache_mb = search.result_cache_mb;
  search = setup->search;
  search.result_cache_mb = cache_mb;
}

IndexedRoot parse_root_argument(const std::string& argument) {
  IndexedRoot root;
  fs::path path = argument;
  const auto eq = argument.find('=');
  if (eq != std::string::npos && eq > 0 && argument.substr(0, eq).find('/') == std::string::npos) {
    root.name = argument.substr(0, eq);
    path = argument.substr(eq + 1);
  }
  root.dir = canonical_or_absolute(path);
  return root;
}

std::vector<IndexedRoot> source_roots(const std::optional<IndexSetup>& setup,
                                      const std::vector<fs::path>& configured) {
  std::vector<IndexedRoot> allowed;
  for (const auto& entry : configured) allowed.push_back(parse_root_argument(entry.string()));
  if (!setup) return allowed;
  if (configured.empty()) return setup->roots;
  std::vector<IndexedRoot> served;
  for (const auto& root : setup->roots) {
    const fs::path dir = canonical_or_absolute(root.dir);
    if (std::any_of(allowed.begin(), allowed.end(),
                    [&](const IndexedRoot& a) { return is_inside_or_same(dir, a.dir); }))
      served.push_back(root);
  }
  return served;
}

}  // namespace vigie
