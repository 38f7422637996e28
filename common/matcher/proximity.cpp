#include "matcher/proximity.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <string>

#include "index/position_stream.h"
#include "index/schema.h"
#include "index/stream_store.h"

namespace vigie {

void boost_adjacent_words(const Xapian::Database& db, const StreamStore* streams,
                          const std::vector<AdjacentWords>& pairs,
                          const ProximitySettings& settings, std::vector<WeighedDocument>& weighed,
                          const ShardVocabularies* shards) {
  if (pairs.empty() || settings.boost <= 0 || settings.span < 2 || weighed.empty()) return;
  const bool sharded = shards != nullptr;
  if (sharded ? shards->size() != db.size() : db.size() != 1) return;
  // By shard: each decodes its streams with its own codes (one when not sharded).
  std::vector<std::vector<PositionMatcher>> matchers(sharded ? shards->size() : 1);
  for (std::size_t shard = 0; shard < matchers.size(); ++shard) {
    std::function<std::optional<std::uint32_t>(const std::string&)> code_of;
    if (sharded)
      code_of = [&vocabulary = shards->of_shard(shard)](const std::string& word) {
        return vocabulary.code(word);
      };
    else
      code_of = [&db](const std::string& word) { return StreamVocabulary::lookup(db, word); };
    for (const auto& pair : pairs)
      matchers[shard].emplace_back(
          PositionPattern{
              PositionPattern::Kind::Near, {pair.first, pair.second}, settings.span, false},
          code_of);
  }
  std::optional<DocumentStreams> reader;
  if (!sharded) reader.emplace(db, streams);
  const double per_pair = settings.boost / static_cast<double>(pairs.size());
  for (std::size_t i : heaviest(weighed, kProximityCandidates)) {
    std::string value;  // sharded: the document's own value (one round trip to a remote shard)
    std::optional<std::string_view> stream;
    if (sharded) {
      value = db.get_document(weighed[i].id).get_value(schema::kSlotPositions);
      stream = value;
    } else {
      stream = reader->stream(weighed[i].id);
    }
    if (!stream || stream->empty()) continue;
    std::size_t found = 0;
    for (const auto& matcher : matchers[sharded ? shards->shard_of(weighed[i].id) : 0])
      found += matcher.matches(*stream) ? 1 : 0;
    weighed[i].weight *= 1.0 + per_pair * static_cast<double>(found);
  }
}

}  // namespace vigie
