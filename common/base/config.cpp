#include "vigie/config.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "vigie/document.h"

namespace vigie {
namespace {

using Value = rapidjson::Value;

// Walks one JSON object, checking every key is known and every value has the
// expected type; errors name the full key path ("server.port").
class ObjectReader {
 public:
  ObjectReader(const Value& object, std::string path, const std::filesystem::path& origin)
      : object_(object), path_(std::move(path)), origin_(origin) {
    if (!object_.IsObject()) fail(path_.empty() ? "the file" : path_, "expected an object");
  }

  // Registers a handler for a key; run() calls it when the key is present.
  void on(const char* key, std::function<void(const Value&, const std::string&)> handler) {
    handlers_[key] = std::move(handler);
  }

  void run() {
    for (auto it = object_.MemberBegin(); it != object_.MemberEnd(); ++it) {
      std::string key(it->name.GetString(), it->name.GetStringLength());
      auto handler = handlers_.find(key);
      if (handler == handlers_.end()) {
        std::string known;
        for (const auto& [name, _] : handlers_) known += (known.empty() ? "" : ", ") + name;
        fail(child(key), "unknown key (known keys here: " + known + ")");
      }
      handler->second(it->value, child(key));
    }
  }

  std::string child(const std::string& key) const {
    return path_.empty() ? key : path_ + "." + key;
  }

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw ConfigError(origin_.string() + ": " + key + ": " + message);
  }

 private:
  const Value& object_;
  std::string path_;
  const std::filesystem::path& origin_;
  std::map<std::string, std::function<void(const Value&, const std::string&)>> handlers_;
};

struct Reader {
  const std::filesystem::path& origin;

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw ConfigError(origin.string() + ": " + key + ": " + message);
  }

  std::string string(const Value& v, const std::string& key) const {
    if (!v.IsString()) fail(key, "expected a string");
    return std::string(v.GetString(), v.GetStringLength());
  }

  std::int64_t integer(const Value& v, const std::string& key, std::int64_t min,
                       std::int64_t max) const {
    if (!v.IsInt64() || v.GetInt64() < min || v.GetInt64() > max)
      fail(key,
           "expected an integer between " + std::to_string(min) + " and " + std::to_string(max));
    return v.GetInt64();
  }

  bool boolean(const Value& v, const std::string& key) const {
    if (!v.IsBool()) fail(key, "expected true or false");
    return v.GetBool();
  }

  double number(const Value& v, const std::string& key, double min, double max) const {
    if (!v.IsNumber() || v.GetDouble() < min || v.GetDouble() > max) {
      std::ostringstream message;
      message << "expected a number between " << min << " and " << max;
      fail(key, message.str());
    }
    return v.GetDouble();
  }

  std::vector<std::string> strings(const Value& v, const std::string& key) const {
    if (!v.IsArray()) fail(key, "expected an array of strings");
    std::vector<std::string> out;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
      out.push_back(string(v[i], key + "[" + std::to_string(i) + "]"));
    return out;
  }
};

void read_index(const Value& v, const std::string& key, Config& c, const Reader& r) {
  ObjectReader o(v, key, r.origin);
  o.on("path", [&](const Value& x, const std::string& k) { c.index.path = r.string(x, k); });
  o.on("keep_generations", [&](const Value& x, const std::string& k) {
    c.index.keep_generations = static_cast<int>(r.integer(x, k, 1, 100));
  });
  o.on("grace_seconds", [&](const Value& x, const std::string& k) {
    c.index.grace_seconds = static_cast<int>(r.integer(x, k, 0, 86400));
  });
  o.run();
}

FolderDefaults read_folder(const Value& v, const std::string& key, const Reader& r) {
  FolderDefaults f;
  ObjectReader o(v, key, r.origin);
  o.on("path", [&](const Value& x, const std::string& k) { f.path_prefix = r.string(x, k); });
  o.on("organisation",
       [&](const Value& x, const std::string& k) { f.organisation = r.string(x, k); });
  o.on("place", [&](const Value& x, const std::string& k) { f.place = r.string(x, k); });
  o.on("type", [&](const Value& x, const std::string& k) {
    f.type = r.string(x, k);
    if (!parse_doc_type(f.type)) r.fail(k, "unknown document type '" + f.type + "'");
  });
  o.on("type_by_format", [&](const Value& x, const std::string& k) {
    ObjectReader formats(x, k, r.origin);
    for (auto it = x.MemberBegin(); it != x.MemberEnd(); ++it) {
      std::string format(it->name.GetString(), it->name.GetStringLength());
      formats.on(it->name.GetString(), [&f, &r, format](const Value& y, const std::string& kk) {
        std::string type = r.string(y, kk);
        if (!parse_doc_type(type)) r.fail(kk, "unknown document type '" + type + "'");
        f.type_by_format.emplace_back(format, type);
      });
    }
    formats.run();
  });
  o.run();
  if (f.path_prefix.empty()) r.fail(key + ".path", "missing (a folder such as \"chemere/\")");
  if (f.path_prefix.back() != '/') f.path_prefix += '/';
  return f;
}

void read_indexer(const Value& v, const std::string& key, Config& c, const Reader& r) {
  ObjectReader o(v, key, r.origin);
  o.on("roots", [&](const Value& x, const std::string& k) {
    c.indexer.roots.clear();
    for (auto& s : r.strings(x, k)) c.indexer.roots.emplace_back(s);
  });
  o.on("threads", [&](const Value& x, const std::string& k) {
    c.indexer.threads = static_cast<int>(r.integer(x, k, 0, 256));
  });
  o.on("max_file_mb", [&](const Value& x, const std::string& k) {
    c.indexer.max_file_bytes = static_cast<std::uint64_t>(r.integer(x, k, 1, 1 << 20)) << 20;
  });
  o.on("max_unzipped_mb", [&](const Value& x, const std::string& k) {
    c.indexer.max_unzipped_bytes = static_cast<std::uint64_t>(r.integer(x, k, 1, 1 << 20)) << 20;
  });
  o.on("max_zip_ratio", [&](const Value& x, const std::string& k) {
    c.indexer.max_zip_ratio = r.number(x, k, 1, 100000);
  });
  o.on("max_pdf_pages", [&](const Value& x, const std::string& k) {
    c.indexer.max_pdf_pages = static_cast<int>(r.integer(x, k, 1, 1000000));
  });
  o.on("max_text_mb", [&](const Value& x, const std::string& k) {
    c.indexer.max_text_bytes = static_cast<std::uint64_t>(r.integer(x, k, 1, 4096)) << 20;
  });
  o.on("exclude", [&](const Value& x, const std::string& k) {
    c.indexer.exclude = r.strings(x, k);
    for (std::size_t i = 0; i < c.indexer.exclude.size(); ++i)
      if (c.indexer.exclude[i].empty()) r.fail(k + "[" + std::to_string(i) + "]", "empty pattern");
  });
  o.on("folders", [&](const Value& x, const std::string& k) {
    if (!x.IsArray()) r.fail(k, "expected an array of objects");
    for (rapidjson::SizeType i = 0; i < x.Size(); ++i)
      c.indexer.folders.push_back(read_folder(x[i], k + "[" + std::to_string(i) + "]", r));
  });
  o.run();
}

void read_search(const Value& v, const std::string& key, Config& c, const Reader& r) {
  ObjectReader o(v, key, r.origin);
  auto& s = c.search;
  o.on("bm25", [&](const Value& x, const std::string& k) {
    ObjectReader b(x, k, r.origin);
    b.on("k1", [&](const Value& y, const std::string& kk) { s.bm25.k1 = r.number(y, kk, 0, 10); });
    b.on("k2", [&](const Value& y, const std::string& kk) { s.bm25.k2 = r.number(y, kk, 0, 10); });
    b.on("k3", [&](const Value& y, const std::string& kk) { s.bm25.k3 = r.number(y, kk, 0, 10); });
    b.on("b", [&](const Value& y, const std::string& kk) { s.bm25.b = r.number(y, kk, 0, 1); });
    b.on("min_normlen", [&](const Value& y, const std::string& kk) {
      s.bm25.min_normlen = r.number(y, kk, 0, 10);
    });
    b.run();
  });
  auto size = [&](std::size_t& out, std::int64_t min, std::int64_t max) {
    return [&out, &r, min, max](const Value& x, const std::string& k) {
      out = static_cast<std::size_t>(r.integer(x, k, min, max));
    };
  };
  o.on("title_weight", [&](const Value& x, const std::string& k) {
    s.title_weight = static_cast<int>(r.integer(x, k, 1, 100));
  });
  o.on("max_query_bytes", size(s.max_query_bytes, 16, 1 << 20));
  o.on("max_query_terms", size(s.max_query_terms, 1, 100000));
  o.on("wildcard_limit", size(s.wildcard_limit, 1, 100000));
  o.on("exact_facets_under", size(s.exact_facets_under, 0, 100000000));
  o.on("exact_facet_counts_up_to", size(s.exact_facet_counts_up_to, 1000, 100000000));
  o.on("phrase_checks", size(s.phrase_checks, 100, 100000000));
  o.on("shard_timeout_ms", [&](const Value& x, const std::string& k) {
    s.shard_timeout_ms = static_cast<unsigned>(r.integer(x, k, 10, 600000));
  });
  o.on("proximity_boost",
       [&](const Value& x, const std::string& k) { s.proximity_boost = r.number(x, k, 0, 10); });
  o.on("proximity_span", size(s.proximity_span, 2, 50));
  o.on("title_boost",
       [&](const Value& x, const std::string& k) { s.title_boost = r.number(x, k, 0, 10); });
  o.on("questions_any_words",
       [&](const Value& x, const std::string& k) { s.questions_any_words = r.boolean(x, k); });
  o.on("snippet_chars", size(s.snippet_chars, 20, 10000));
  o.on("result_cache_mb", size(s.result_cache_mb, 0, 65536));
  o.on("max_page_size", size(s.max_page_size, 1, 10000));
  o.on("export_cap", size(s.export_cap, 1, 10000000));
  o.run();
}

void read_server(const Value& v, const std::string& key, Config& c, const Reader& r) {
  ObjectReader o(v, key, r.origin);
  auto& s = c.server;
  o.on("bind", [&](const Value& x, const std::string& k) { s.bind = r.string(x, k); });
  o.on("port", [&](const Value& x, const std::string& k) {
    s.port = static_cast<int>(r.integer(x, k, 0, 65535));
  });
  // `threads` is the former name of max_connections (Poco holds one thread
  // per connection); giving both would leave one silently ignored.
  const char* connections_key = nullptr;
  auto connections = [&](const char* name) {
    return [&, name](const Value& x, const std::string& k) {
      if (connections_key)
        r.fail(k, std::string("same setting as server.") + connections_key + "; give only one");
      connections_key = name;
      s.max_connections = static_cast<int>(r.integer(x, k, 1, 16384));
    };
  };
  o.on("max_connections", connections("max_connections"));
  o.on("threads", connections("threads"));
  o.on("workers", [&](const Value& x, const std::string& k) {
    s.workers = static_cast<int>(r.integer(x, k, 0, 1024));
  });
  o.on("queue", [&](const Value& x, const std::string& k) {
    s.queue = static_cast<int>(r.integer(x, k, 0, 100000));
  });
  o.on("queue_timeout_ms", [&](const Value& x, const std::string& k) {
    s.queue_timeout_ms = static_cast<int>(r.integer(x, k, 0, 600000));
  });
  o.on("request_timeout_ms", [&](const Value& x, const std::string& k) {
    s.request_timeout_ms = static_cast<int>(r.integer(x, k, 100, 3600000));
  });
  o.on("timeout_ms", [&](const Value& x, const std::string& k) {
    s.timeout_ms = static_cast<int>(r.integer(x, k, 100, 600000));
  });
  o.on("keepalive_max_requests", [&](const Value& x, const std::string& k) {
    s.keepalive_max_requests = static_cast<int>(r.integer(x, k, 1, 100000));
  });
  o.on("max_header_bytes", [&](const Value& x, const std::string& k) {
    s.max_header_bytes = static_cast<std::size_t>(r.integer(x, k, 1024, 1 << 24));
  });
  o.on("max_body_bytes", [&](const Value& x, const std::string& k) {
    s.max_body_bytes = static_cast<std::size_t>(r.integer(x, k, 0, 1 << 30));
  });
  o.on("max_connections_per_client", [&](const Value& x, const std::string& k) {
    s.max_connections_per_client = static_cast<int>(r.integer(x, k, 0, 100000));
  });
  o.on("admin_token",
       [&](const Value& x, const std::string& k) { s.admin_token = r.string(x, k); });
  o.run();
}

void read_analysis(const Value& v, const std::string& key, Config& c, const Reader& r) {
  ObjectReader o(v, key, r.origin);
  o.on("stopwords",
       [&](const Value& x, const std::string& k) { c.analysis.stopwords = r.string(x, k); });
  o.on("synonyms",
       [&](const Value& x, const std::string& k) { c.analysis.synonyms = r.string(x, k); });
  o.run();
}

}  // namespace

const FolderDefaults* Config::defaults_for(const std::string& relative_path) const {
  const FolderDefaults* best = nullptr;
  for (const auto& f : indexer.folders) {
    if (relative_path.starts_with(f.path_prefix) &&
        (!best || f.path_prefix.size() > best->path_prefix.size()))
      best = &f;
  }
  return best;
}

Config parse_config(const std::string& json_text, const std::filesystem::path& origin) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag>(json_text.c_str(),
                                                                                 json_text.size());
  if (doc.HasParseError()) {
    throw ConfigError(origin.string() + ": invalid JSON at byte " +
                      std::to_string(doc.GetErrorOffset()) + ": " +
                      rapidjson::GetParseError_En(doc.GetParseError()));
  }
  Config config;
  config.source = origin;
  Reader r{origin};
  ObjectReader top(doc, "", origin);
  top.on("index", [&](const Value& v, const std::string& k) { read_index(v, k, config, r); });
  top.on("indexer", [&](const Value& v, const std::string& k) { read_indexer(v, k, config, r); });
  top.on("search", [&](const Value& v, const std::string& k) { read_search(v, k, config, r); });
  top.on("server", [&](const Value& v, const std::string& k) { read_server(v, k, config, r); });
  top.on("analysis", [&](const Value& v, const std::string& k) { read_analysis(v, k, config, r); });
  top.run();

  // Files named by the config live next to it.
  const auto base = origin.has_parent_path() ? origin.parent_path() : std::filesystem::path(".");
  if (config.analysis.stopwords.is_relative())
    config.analysis.stopwords = base / config.analysis.stopwords;
  if (config.analysis.synonyms.is_relative())
    config.analysis.synonyms = base / config.analysis.synonyms;
  return config;
}

Config load_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError(file.string() + ": cannot read the configuration file");
  std::ostringstream text;
  text << in.rdbuf();
  Config config = parse_config(text.str(), file);
  if (const char* token = std::getenv("VIGIE_ADMIN_TOKEN"); token && *token)
    config.server.admin_token = token;
  return config;
}

}  // namespace vigie
