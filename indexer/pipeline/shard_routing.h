// Shard routing: which shard of a generation of several (vigie-index
// --shards N, docs/admin-guide.md "Shards") holds a file's documents — the
// hash of its source term (XR + its id path), so that the same file goes to
// the same shard at every run, full or incremental, whatever else changed.
// Thread-safety: functions of their arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigie {

// FNV-1a, 64 bits: stable across runs, platforms and library versions
// (std::hash is none of these).
inline std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

inline std::size_t shard_of_file(std::string_view source_term, std::size_t shards) {
  return shards <= 1 ? 0 : static_cast<std::size_t>(stable_hash(source_term) % shards);
}

// The folder of shard `index` in a generation ("shard-00").
inline std::string shard_folder_name(std::size_t index) {
  std::string name = "shard-";
  if (index < 10) name += '0';
  return name + std::to_string(index);
}

}  // namespace vigie
