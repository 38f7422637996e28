#include "pipeline/family_assignment.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <numeric>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/family_signature.h"
#include "index/schema.h"
#include "vigie/document.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

constexpr std::size_t kBandRows = 4;
constexpr std::size_t kBands = kSignatureBins / kBandRows;

struct Signed {
  Xapian::docid id = 0;
  FamilySignature signature{};
  std::uint32_t shingles = 0;
  std::vector<std::uint32_t> numbers;
  std::string date;     // kSlotDate
  std::string session;  // organisation + date of minutes (join_sessions)
};

// Calls `take(doc, value)` for each document of `docs` with a value in
// `slot` (both in id order).
template <typename Take>
void read_slot(const Xapian::Database& db, Xapian::valueno slot, std::vector<Signed>& docs,
               Take take) {
  auto v = db.valuestream_begin(slot);
  const auto end = db.valuestream_end(slot);
  for (Signed& doc : docs) {
    if (v == end) break;
    if (v.get_docid() < doc.id) v.skip_to(doc.id);
    if (v != end && v.get_docid() == doc.id) take(doc, *v);
  }
}

class DisjointSets {
 public:
  explicit DisjointSets(std::size_t n) : parent_(n) {
    std::iota(parent_.begin(), parent_.end(), 0);
  }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

std::vector<Signed> read_signatures(const Xapian::Database& db) {
  std::vector<Signed> out;
  for (auto v = db.valuestream_begin(schema::kSlotFamilySignature);
       v != db.valuestream_end(schema::kSlotFamilySignature); ++v) {
    if (auto value = decode_signature(*v))
      out.push_back(
          {v.get_docid(), value->bins, value->shingles, std::move(value->numbers), {}, {}});
  }
  read_slot(db, schema::kSlotDate, out, [](Signed& doc, std::string date) { doc.date = date; });
  // Minutes with a day and a body: their session.
  const std::string minutes(doc_type_key(DocType::ProcesVerbal));
  read_slot(db, schema::kSlotType, out, [&](Signed& doc, const std::string& type) {
    if (type == minutes && doc.date.size() == 8 && !doc.date.ends_with("00"))
      doc.session = doc.date;
  });
  read_slot(db, schema::kSlotOrganisation, out, [](Signed& doc, const std::string& org) {
    if (!doc.session.empty()) doc.session += '\n' + org;
  });
  for (Signed& doc : out)
    if (doc.session.size() <= 8) doc.session.clear();  // no organisation
  return out;
}

std::string term_of(const Xapian::Database& db, Xapian::docid id, std::string_view prefix) {
  auto t = db.termlist_begin(id);
  t.skip_to(std::string(prefix));
  return t != db.termlist_end(id) && (*t).starts_with(prefix) ? *t : std::string();
}

// Whether two candidates are one text: their signatures, dates and files.
class PairCheck {
 public:
  PairCheck(const Xapian::Database& db, const std::vector<Signed>& docs) : db_(db), docs_(docs) {}
  bool same_text(std::size_t a, std::size_t b) {
    return docs_[a].shingles >= kMinShingles && docs_[b].shingles >= kMinShingles &&
           dates_agree(docs_[a].date, docs_[b].date) &&
           signature_similarity(docs_[a].signature, docs_[b].signature) >= kFamilySimilarity &&
           numbers_similarity(docs_[a].numbers, docs_[b].numbers) >= kNumbersSimilarity &&
           file_of(a) != file_of(b);
  }

 private:
  // Its XR term, read when a pair first needs it (few do).
  const std::string& file_of(std::size_t i) {
    auto [it, added] = files_.try_emplace(i);
    if (added) it->second = term_of(db_, docs_[i].id, schema::kSourcePrefix);
    return it->second;
  }
  const Xapian::Database& db_;
  const std::vector<Signed>& docs_;
  std::unordered_map<std::size_t, std::string> files_;
};

// The pairs of one band's buckets, checked.
void join_band(const std::vector<Signed>& docs, std::size_t band, PairCheck& check,
               DisjointSets& sets) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> keys;  // (band key, index)
  keys.reserve(docs.size());
  for (std::uint32_t i = 0; i < docs.size(); ++i) {
    const auto& s = docs[i].signature;
    std::uint32_t key = 0;
    for (std::size_t r = 0; r < kBandRows; ++r) key = (key << 8) | s[band * kBandRows + r];
    keys.emplace_back(key, i);
  }
  std::sort(keys.begin(), keys.end());
  for (std::size_t start = 0; start < keys.size();) {
    std::size_t end = start + 1;
    while (end < keys.size() && keys[end].first == keys[start].first) ++end;
    if (end - start > 1 && end - start <= kMaxBucket) {
      for (std::size_t i = start; i < end; ++i)
        for (std::size_t j = i + 1; j < end; ++j) {
          const std::size_t a = keys[i].second, b = keys[j].second;
          if (sets.find(a) != sets.find(b) && check.same_text(a, b)) sets.join(a, b);
        }
    }
    start = end;
  }
}

// The minutes of one body on one day are one session's, whatever their
// text: a JSON record that lists the session's attendance and agenda but
// not its deliberations' texts (2008–2009 in ../shared/corpus) and the
// session's PDF, whose 3-shingles it shares at 0.01–0.3.
void join_sessions(const std::vector<Signed>& docs, DisjointSets& sets) {
  std::unordered_map<std::string_view, std::size_t> first;  // session → a document
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].session.empty()) continue;
    const auto [seen, added] = first.try_emplace(docs[i].session, i);
    if (!added) sets.join(seen->second, i);
  }
}

// Identical texts are one family, whatever their dates.
void join_identical(const Xapian::Database& db, const std::vector<Signed>& docs,
                    DisjointSets& sets) {
  std::unordered_map<Xapian::docid, std::size_t> index_of;
  for (std::size_t i = 0; i < docs.size(); ++i) index_of.emplace(docs[i].id, i);
  std::unordered_map<std::string, std::size_t> first;
  for (auto v = db.valuestream_begin(schema::kSlotContentHash);
       v != db.valuestream_end(schema::kSlotContentHash); ++v) {
    const auto it = index_of.find(v.get_docid());
    if (it == index_of.end()) continue;
    const auto [seen, added] = first.try_emplace(*v, it->second);
    if (!added) sets.join(seen->second, it->second);
  }
}

}  // namespace

bool dates_agree(std::string_view a, std::string_view b) {
  if (a.size() != 8 || b.size() != 8) return true;  // unknown
  if (a.substr(0, 4) != b.substr(0, 4)) return false;
  for (std::size_t at : {std::size_t{4}, std::size_t{6}}) {
    const std::string_view x = a.substr(at, 2), y = b.substr(at, 2);
    if (x == "00" || y == "00") return true;  // partial: the rest is unknown
    if (x != y) return false;
  }
  return true;
}

FamilyPlan plan_families(const Xapian::Database& db) {
  FamilyPlan plan;
  const std::vector<Signed> docs = read_signatures(db);
  plan.stats.signed_documents = docs.size();
  DisjointSets sets(docs.size());
  PairCheck check(db, docs);
  for (std::size_t band = 0; band < kBands; ++band) join_band(docs, band, check, sets);
  join_identical(db, docs, sets);
  join_sessions(docs, sets);

  // Each family's key: from its least id (a key stays when a member is added
  // after it, so that few values are rewritten).
  std::unordered_map<std::size_t, std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < docs.size(); ++i) members[sets.find(i)].push_back(i);
  std::unordered_map<Xapian::docid, std::string> wanted;
  for (const auto& [root, family] : members) {
    if (family.size() < 2) continue;
    ++plan.stats.families;
    plan.stats.members += family.size();
    std::string least;
    for (std::size_t i : family) {
      std::string id = term_of(db, docs[i].id, schema::kIdPrefix);
      if (least.empty() || id < least) least = std::move(id);
    }
    char key[17];
    std::snprintf(key, sizeof key, "%016llx",
                  static_cast<unsigned long long>(collapsed_fnv1a(least)));
    for (std::size_t i : family) wanted.emplace(docs[i].id, key);
  }

  // The values that change: keys gone, then keys new or different.
  for (auto v = db.valuestream_begin(schema::kSlotFamily);
       v != db.valuestream_end(schema::kSlotFamily); ++v) {
    const auto it = wanted.find(v.get_docid());
    if (it == wanted.end())
      plan.changes.push_back({v.get_docid(), std::string()});
    else if (it->second == *v)
      wanted.erase(it);
  }
  for (auto& [id, key] : wanted) plan.changes.push_back({id, std::move(key)});
  std::sort(plan.changes.begin(), plan.changes.end(),
            [](const FamilyChange& a, const FamilyChange& b) { return a.id < b.id; });
  plan.stats.rewritten = plan.changes.size();
  return plan;
}

namespace {

// Only the document's values change: glass rewrites no posting.
void set_family(Xapian::WritableDatabase& db, Xapian::docid id, const std::string& key) {
  Xapian::Document doc = db.get_document(id);
  if (key.empty())
    doc.remove_value(schema::kSlotFamily);
  else
    doc.add_value(schema::kSlotFamily, key);
  db.replace_document(id, doc);
}

}  // namespace

FamilyStats assign_families(Xapian::WritableDatabase& db) {
  const FamilyPlan plan = plan_families(db);
  for (const auto& change : plan.changes) set_family(db, change.id, change.key);
  return plan.stats;
}

FamilyStats assign_families_in_shards(const std::vector<std::filesystem::path>& shards) {
  if (shards.empty()) return {};
  Xapian::Database all;
  for (const auto& shard : shards) all.add_database(Xapian::Database(shard.string()));
  const FamilyPlan plan = plan_families(all);
  // Xapian interleaves the ids of several databases: id = (local − 1) × n + shard + 1.
  std::vector<std::optional<Xapian::WritableDatabase>> writable(shards.size());
  for (const auto& change : plan.changes) {
    const std::size_t n = shards.size();
    const std::size_t shard = (change.id - 1) % n;
    const auto local = static_cast<Xapian::docid>((change.id - 1) / n + 1);
    if (!writable[shard]) writable[shard].emplace(shards[shard].string(), Xapian::DB_OPEN);
    set_family(*writable[shard], local, change.key);
  }
  for (auto& db : writable)
    if (db) db->commit();
  return plan.stats;
}

}  // namespace vigie
