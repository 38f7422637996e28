#include "vigie/search_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "index/document_data.h"
#include "vigie/hit_csv.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void str(Writer& w, const std::string& s) {
  // RapidJSON writes bytes as given: never let invalid UTF-8 reach a client.
  const std::string valid = make_valid_utf8(s);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void kv(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  str(w, value);
}

void write_member(Writer& w, const FamilyMember& m) {
  w.StartObject();
  kv(w, "id", m.id);
  kv(w, "format", m.format);
  kv(w, "title", m.title);
  w.EndObject();
}

void write_members(Writer& w, const char* key, const std::vector<FamilyMember>& members) {
  w.Key(key);
  w.StartArray();
  for (const auto& m : members) write_member(w, m);
  w.EndArray();
}

void write_hit(Writer& w, const Hit& h, std::string_view base_url = {}) {
  w.StartObject();
  kv(w, "id", h.id);
  kv(w, "title", h.title);
  kv(w, "type", h.type);
  kv(w, "type_label", h.type_label);
  kv(w, "date", h.date);
  kv(w, "organisation", h.organisation);
  kv(w, "source", h.source);
  kv(w, "format", h.format);
  kv(w, "url", h.url);
  kv(w, "page_url", document_page_url(h.id, base_url));
  kv(w, "number", h.number);
  w.Key("persons");
  w.StartArray();
  for (const auto& p : h.persons) str(w, p);
  w.EndArray();
  kv(w, "extract", h.extract_html);
  if (h.page > 0) {
    w.Key("page");
    w.Int(h.page);
  }
  w.Key("score");
  w.Double(h.score);
  w.Key("duplicates");
  w.Uint(h.duplicates);
  // The family's other files (docs/families.md), and the session a
  // deliberation is taken from.
  w.Key("all_words");
  w.Bool(h.all_words);
  w.Key("loosened");
  w.Bool(h.loosened);
  write_members(w, "also", h.also);
  write_members(w, "merged", h.merged);
  if (!h.part_of.empty()) kv(w, "part_of", h.part_of);
  if (!h.decisions.empty()) write_decisions_json(w, h.decisions, DecisionsJson::Api);
  if (!h.explanation.empty()) {
    w.Key("explanation");
    w.StartArray();
    for (const auto& t : h.explanation) {
      w.StartObject();
      kv(w, "term", t.term);
      w.Key("weight");
      w.Double(t.weight);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

// Totals, paging and time.
void write_counts(Writer& w, const SearchResponse& r, std::size_t per_page) {
  w.Key("total");
  w.Uint(r.total);  // Xapian's estimate; exact when total_exact
  w.Key("total_exact");
  w.Bool(r.total_exact);
  w.Key("total_lower");
  w.Uint(r.total_lower);
  w.Key("total_upper");
  w.Uint(r.total_upper);
  w.Key("page");
  w.Uint64(per_page == 0 ? 1 : r.offset / per_page + 1);
  w.Key("per_page");
  w.Uint64(per_page);
  w.Key("offset");
  w.Uint64(r.offset);
  w.Key("took_ms");
  w.Double(r.elapsed_ms);
}

// What the searcher tells the reader: notice, suggestion, corrections,
// warnings, synonyms.
void write_messages(Writer& w, const SearchResponse& r) {
  kv(w, "notice", r.notice);
  kv(w, "suggestion", r.suggestion);
  w.Key("corrected");
  w.StartArray();
  for (const auto& c : r.corrected) {
    w.StartObject();
    kv(w, "field", c.field);
    kv(w, "from", c.from);
    kv(w, "to", c.to);
    w.EndObject();
  }
  w.EndArray();
  w.Key("warnings");
  w.StartArray();
  for (const auto& warning : r.warnings) str(w, warning);
  w.EndArray();
  w.Key("synonyms");
  w.StartArray();
  for (const auto& s : r.synonyms) {
    w.StartObject();
    kv(w, "typed", s.typed);
    kv(w, "expanded", s.expanded);
    w.EndObject();
  }
  w.EndArray();
}

void write_facet(Writer& w, const Facet& f) {
  const std::string name = facet_json_name(f.name);
  w.Key(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
  w.StartObject();
  w.Key("exact");
  w.Bool(f.exact);
  w.Key("values");
  w.StartArray();
  for (const auto& v : f.values) {
    w.StartObject();
    kv(w, "key", v.key);
    kv(w, "label", v.label);
    w.Key("count");
    w.Uint(v.count);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

std::string done(rapidjson::StringBuffer& buffer) {
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

std::string facet_json_name(const std::string& searcher_name) {
  return searcher_name == "organisation" ? "org" : searcher_name;
}

std::string search_response_json(const SearchResponse& r, std::size_t per_page) {
  if (per_page == 0) per_page = r.hits.size();
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  kv(w, "query", r.query);
  write_counts(w, r, per_page);
  write_messages(w, r);
  w.Key("hits");
  w.StartArray();
  for (const auto& h : r.hits) write_hit(w, h);
  w.EndArray();
  // Several words, few documents with all: how many hold only some (the
  // hits after those with all, "all_words": false).
  w.Key("partial_total");
  w.Uint(r.partial_total);
  // A phrase or PROCHE held as asked by few documents: how many hold its
  // words otherwise (hits after the others, "loosened": true).
  w.Key("loosened_total");
  w.Uint(r.loosened_total);
  // Read as a question: the documents with any of its words are the results.
  w.Key("question");
  w.Bool(r.question);
  // An index of several shards with some down: the others' answer.
  w.Key("partial");
  w.Bool(r.partial);
  w.Key("missing_shards");
  w.StartArray();
  for (const auto& shard : r.missing_shards) w.String(shard);
  w.EndArray();
  w.Key("facets");
  w.StartObject();
  for (const auto& f : r.facets) write_facet(w, f);
  w.EndObject();
  w.EndObject();
  return done(buffer);
}

std::string hit_json(const Hit& hit, std::string_view base_url) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  write_hit(w, hit, base_url);
  return done(buffer);
}

std::string document_json(const SourceDocument& doc, const Searcher::Relations& relations) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  kv(w, "id", doc.id);
  kv(w, "title", doc.title);
  if (doc.type) {
    kv(w, "type", std::string(doc_type_key(*doc.type)));
    kv(w, "type_label", std::string(doc_type_label(*doc.type)));
  }
  kv(w, "date", doc.date.iso());
  kv(w, "organisation", doc.organisation);
  w.Key("persons");
  w.StartArray();
  for (const auto& p : doc.persons) str(w, p);
  w.EndArray();
  kv(w, "place", doc.place);
  kv(w, "number", doc.number);
  kv(w, "source", doc.source_path);
  kv(w, "format", doc.format);
  kv(w, "collection", doc.collection);
  kv(w, "url", doc.url);
  kv(w, "language", doc.language);
  w.Key("extra");
  w.StartObject();
  for (const auto& [k, v] : doc.extra) kv(w, k.c_str(), v);
  w.EndObject();
  kv(w, "part_of", doc.part_of);
  write_members(w, "family", relations.family);
  if (relations.whole) {
    w.Key("whole");
    write_member(w, *relations.whole);
  }
  write_members(w, "parts", relations.parts);
  if (!doc.decisions.empty()) write_decisions_json(w, doc.decisions, DecisionsJson::Api);
  // « Délibérations citées »: each act cited, with the document it names
  // when resolved (null otherwise); « Citée par »: who cites this one.
  w.Key("cited");
  w.StartArray();
  for (const auto& c : relations.cited) {
    w.StartObject();
    kv(w, "number", c.act.number);
    kv(w, "date", c.act.date.iso());
    kv(w, "verb", c.act.verb);
    kv(w, "text", c.act.text);
    w.Key("document");
    if (c.document)
      write_member(w, *c.document);
    else
      w.Null();
    w.EndObject();
  }
  w.EndArray();
  w.Key("cited_by");
  w.StartArray();
  for (const auto& c : relations.cited_by) {
    w.StartObject();
    kv(w, "id", c.document.id);
    kv(w, "format", c.document.format);
    kv(w, "title", c.document.title);
    kv(w, "verb", c.verb);
    kv(w, "text", c.text);
    w.EndObject();
  }
  w.EndArray();
  kv(w, "text", doc.body);
  w.EndObject();
  return done(buffer);
}

std::string error_json(int status, const std::string& message) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("error");
  w.StartObject();
  w.Key("code");
  w.Int(status);
  w.Key("status");  // the first API's name for it, kept for its clients
  w.Int(status);
  kv(w, "message", message);
  w.EndObject();
  w.EndObject();
  return done(buffer);
}

}  // namespace vigie
