#include "index/schema.h"

#include <cstdio>
#include <functional>

#include "vigie/text_normalization.h"

namespace vigie::schema {
namespace {

// FNV-1a 64: stable across runs and platforms (std::hash is not).
std::string stable_hash_hex(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

// Terms must stay under Xapian's limit: keep a readable head and a hash tail.
std::string bounded(std::string_view prefix, std::string_view body) {
  if (prefix.size() + body.size() <= kMaxTermBytes) return std::string(prefix) + std::string(body);
  std::string head(body.substr(0, kMaxTermBytes - prefix.size() - 18));
  // Do not cut a UTF-8 sequence in half.
  while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0xC0) == 0x80) head.pop_back();
  if (!head.empty() && static_cast<unsigned char>(head.back()) >= 0xC0) head.pop_back();
  return std::string(prefix) + head + "~" + stable_hash_hex(body);
}

}  // namespace

std::string facet_key(std::string_view display) { return collapse_spaces(fold(display)); }

std::string source_key(std::string_view source_path) { return bounded(kSourcePrefix, source_path); }

std::string id_term(std::string_view document_id) { return bounded(kIdPrefix, document_id); }

std::string part_of_term(std::string_view whole_id) { return bounded(kPartOfPrefix, whole_id); }

std::string vote_term(std::string_view vote_key) { return bounded(kVotePrefix, vote_key); }

std::string article_term(std::string_view article, std::string_view code) {
  std::string body = code.empty() ? std::string() : std::string(code) + ":";
  body += fold(article);
  return bounded(kArticlePrefix, body);
}

std::string act_term(std::string_view kind, std::string_view number) {
  return bounded(kActPrefix, std::string(kind) + ":" + std::string(number));
}

std::string cited_date_term(std::string_view iso) {
  std::string body = "@";
  body += iso;
  return bounded(kCitedPrefix, body);
}

std::string cited_term(std::string_view number) { return bounded(kCitedPrefix, fold(number)); }

}  // namespace vigie::schema
