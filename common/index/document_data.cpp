#include "index/document_data.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

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

std::string_view legal_kind_key(LegalReference::Kind kind) {
  switch (kind) {
    case LegalReference::Kind::Loi:
      return "loi";
    case LegalReference::Kind::Decret:
      return "decret";
    case LegalReference::Kind::Ordonnance:
      return "ordonnance";
    case LegalReference::Kind::Article:
      break;
  }
  return "article";
}

std::optional<int> get_count(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  if (it == o.MemberEnd() || !it->value.IsInt()) return std::nullopt;
  return it->value.GetInt();
}

const rapidjson::Value* get_array(const rapidjson::Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

Date get_date(const rapidjson::Value& o, const char* key) {
  auto date = Date::parse(get(o, key));
  return date ? *date : Date{};
}

Decisions get_decisions(const rapidjson::Value& o) {
  Decisions d;
  if (auto vote = o.FindMember("vote"); vote != o.MemberEnd() && vote->value.IsObject()) {
    const std::string outcome = get(vote->value, "outcome");
    for (VoteOutcome v : {VoteOutcome::Unanimite, VoteOutcome::Majorite, VoteOutcome::Rejet})
      if (outcome == vote_outcome_key(v)) d.vote.outcome = v;
    d.vote.pour = get_count(vote->value, "pour");
    d.vote.contre = get_count(vote->value, "contre");
    d.vote.abstention = get_count(vote->value, "abstention");
  }
  if (const auto* amounts = get_array(o, "amounts")) {
    for (const auto& a : amounts->GetArray()) {
      if (!a.IsObject()) continue;
      Amount amount;
      if (auto e = a.FindMember("euros"); e != a.MemberEnd() && e->value.IsNumber())
        amount.euros = e->value.GetDouble();
      const std::string role = get(a, "role");
      for (AmountRole r :
           {AmountRole::Total, AmountRole::Subvention, AmountRole::Emprunt, AmountRole::Tarif})
        if (role == amount_role_key(r)) amount.role = r;
      if (auto ht = a.FindMember("ht"); ht != a.MemberEnd() && ht->value.IsBool())
        amount.hors_taxes = ht->value.GetBool();
      amount.text = get(a, "text");
      d.amounts.push_back(std::move(amount));
    }
  }
  if (const auto* legal = get_array(o, "legal")) {
    for (const auto& r : legal->GetArray()) {
      if (!r.IsObject()) continue;
      LegalReference ref;
      const std::string kind = get(r, "kind");
      for (auto k : {LegalReference::Kind::Loi, LegalReference::Kind::Decret,
                     LegalReference::Kind::Ordonnance})
        if (kind == legal_kind_key(k)) ref.kind = k;
      ref.code = get(r, "code");
      ref.article = get(r, "article");
      ref.number = get(r, "number");
      ref.date = get_date(r, "date");
      ref.text = get(r, "text");
      d.legal.push_back(std::move(ref));
    }
  }
  if (const auto* cited = get_array(o, "cited")) {
    for (const auto& c : cited->GetArray()) {
      if (!c.IsObject()) continue;
      d.cited.push_back({get(c, "number"), get_date(c, "date"), get(c, "verb"), get(c, "text")});
    }
  }
  return d;
}

}  // namespace

std::string_view legal_reference_kind_key(LegalReference::Kind kind) {
  return legal_kind_key(kind);
}

std::string legal_reference_key(const LegalReference& reference) {
  if (reference.kind == LegalReference::Kind::Article)
    return reference.code.empty() ? reference.article : reference.code + ":" + reference.article;
  return std::string(legal_kind_key(reference.kind)) + ":" + reference.number;
}

// "decisions": {"vote": {...}, "largest_amount", "amounts": [...], "legal":
// [...], "cited": [...]}. Stored: each part and key only when known (most
// documents store no "decisions" at all: encode_document_data). Api: every
// key of a part written (empty strings), plus the vote's French label, the
// largest amount and each reference's key (docs/api.md).
void write_decisions_json(rapidjson::Writer<rapidjson::StringBuffer>& w, const Decisions& d,
                          DecisionsJson style) {
  const bool api = style == DecisionsJson::Api;
  auto text = [&](const char* key, const std::string& value) {
    if (value.empty() && !api) return;
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  // RapidJSON writes nothing for NaN or infinity, which would leave the
  // whole stored data unreadable: such an amount is written 0.
  auto euros = [&](const char* key, double value) {
    w.Key(key);
    w.Double(std::isfinite(value) ? value : 0);
  };
  auto count = [&](const char* key, const std::optional<int>& value) {
    if (!value) return;
    w.Key(key);
    w.Int(*value);
  };
  w.Key("decisions");
  w.StartObject();
  if (d.vote.known()) {
    w.Key("vote");
    w.StartObject();
    text("outcome", std::string(vote_outcome_key(d.vote.outcome)));
    if (api) text("label", std::string(vote_outcome_label(d.vote.outcome)));
    count("pour", d.vote.pour);
    count("contre", d.vote.contre);
    count("abstention", d.vote.abstention);
    w.EndObject();
  }
  if (auto largest = d.largest_amount(); largest && api) euros("largest_amount", *largest);
  if (api || !d.amounts.empty()) {
    w.Key("amounts");
    w.StartArray();
    for (const Amount& a : d.amounts) {
      w.StartObject();
      euros("euros", a.euros);
      if (api || a.role != AmountRole::Autre) text("role", std::string(amount_role_key(a.role)));
      if (api || a.hors_taxes) {
        w.Key("ht");
        w.Bool(a.hors_taxes);
      }
      text("text", a.text);
      w.EndObject();
    }
    w.EndArray();
  }
  if (api || !d.legal.empty()) {
    w.Key("legal");
    w.StartArray();
    for (const LegalReference& r : d.legal) {
      w.StartObject();
      if (api) text("key", legal_reference_key(r));
      text("kind", std::string(legal_kind_key(r.kind)));
      if (r.kind == LegalReference::Kind::Article) {
        text("code", r.code);
        text("article", r.article);
      } else {
        text("number", r.number);
      }
      text("date", r.date.iso());
      text("text", r.text);
      w.EndObject();
    }
    w.EndArray();
  }
  if (api || !d.cited.empty()) {
    w.Key("cited");
    w.StartArray();
    for (const ActReference& a : d.cited) {
      w.StartObject();
      text("number", a.number);
      text("date", a.date.iso());
      text("verb", a.verb);
      text("text", a.text);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

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
  if (!doc.decisions.empty()) write_decisions_json(w, doc.decisions, DecisionsJson::Stored);
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
  if (auto it = json.FindMember("decisions"); it != json.MemberEnd() && it->value.IsObject())
    doc.decisions = get_decisions(it->value);
  doc.body = get(json, "text");
  return doc;
}

}  // namespace vigie
