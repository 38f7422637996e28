#include "index/document_data.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "index/schema.h"

namespace vigie {
namespace {

void put(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string get(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::string encode_document_data(const SourceDocument& doc) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  put(w, "v", std::string(schema::kDataVersion));
  put(w, "id", doc.id);
  put(w, "title", doc.title);
  if (doc.type) put(w, "type", std::string(doc_type_key(*doc.type)));
  put(w, "date", doc.date.iso());
  put(w, "organisation", doc.organisation);
  if (!doc.persons.empty()) {
    w.Key("persons");
    w.StartArray();
    for (const auto& p : doc.persons)
      w.String(p.data(), static_cast<rapidjson::SizeType>(p.size()));
    w.EndArray();
  }
  put(w, "place", doc.place);
  put(w, "number", doc.number);
  put(w, "source", doc.source_path);
  put(w, "format", doc.format);
  put(w, "collection", doc.collection);
  put(w, "url", doc.url);
  put(w, "part_of", doc.part_of);
  put(w, "language", doc.language);
  if (!doc.extra.empty()) {
    w.Key("extra");
    w.StartArray();  // an array of pairs keeps the source order
    for (const auto& [k, v] : doc.extra) {
      w.StartArray();
      w.String(k.data(), static_cast<rapidjson::SizeType>(k.size()));
      w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
      w.EndArray();
    }
    w.EndArray();
  }
  put(w, "text", doc.body);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

SourceDocument decode_document_data(std::string_view data) {
  SourceDocument doc;
  rapidjson::Document json;
  json.Parse(data.data(), data.size());
  if (json.HasParseError() || !json.IsObject()) return doc;
  doc.id = get(json, "id");
  doc.title = get(json, "title");
  if (auto type = get(json, "type"); !type.empty()) doc.type = parse_doc_type(type);
  if (auto date = Date::parse(get(json, "date"))) doc.date = *date;
  doc.organisation = get(json, "organisation");
  if (auto it = json.FindMember("persons"); it != json.MemberEnd() && it->value.IsArray()) {
    for (const auto& p : it->value.GetArray())
      if (p.IsString()) doc.persons.emplace_back(p.GetString(), p.GetStringLength());
  }
  doc.place = get(json, "place");
  doc.number = get(json, "number");
  doc.source_path = get(json, "source");
  doc.format = get(json, "format");
  doc.collection = get(json, "collection");
  doc.url = get(json, "url");
  doc.part_of = get(json, "part_of");
  doc.language = get(json, "language");
  if (auto it = json.FindMember("extra"); it != json.MemberEnd() && it->value.IsArray()) {
    for (const auto& pair : it->value.GetArray()) {
      if (pair.IsArray() && pair.Size() == 2 && pair[0].IsString() && pair[1].IsString())
        doc.extra.emplace_back(std::string(pair[0].GetString(), pair[0].GetStringLength()),
                               std::string(pair[1].GetString(), pair[1].GetStringLength()));
    }
  }
  doc.body = get(json, "text");
  return doc;
}

}  // namespace vigie
