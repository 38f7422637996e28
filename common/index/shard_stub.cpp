#include "index/shard_stub.h"

#include <charconv>
#include <fstream>
#include <sstream>
#include <string_view>

#include "vigie/index_directory.h"

namespace vigie {
namespace {

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// "HOST:PORT" (the last colon splits, so that a bracketless IPv6 address is
// refused by the port check rather than misread).
ShardLine remote_line(const std::string& where, const std::string& address) {
  const auto colon = address.rfind(':');
  if (address.empty() || address[0] == ':')
    throw IndexError(where + ": `remote :PROGRAM` (a program run by Xapian) is not supported; " +
                     "write `remote HOST:PORT` for a shard served by xapian-tcpsrv");
  if (colon == std::string::npos || colon == 0)
    throw IndexError(where + ": `remote " + address + "`: expected HOST:PORT");
  const std::string port_text = address.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || end != port_text.data() + port_text.size() || port == 0 || port > 65535)
    throw IndexError(where + ": `remote " + address + "`: the port must be a number 1–65535");
  ShardLine shard;
  shard.kind = ShardLine::Kind::Remote;
  shard.host = address.substr(0, colon);
  shard.port = port;
  return shard;
}

}  // namespace

std::string ShardLine::name() const {
  return kind == Kind::Remote ? host + ":" + std::to_string(port) : path.string();
}

ShardStub parse_shard_stub(const std::string& text, const std::filesystem::path& root,
                           const std::string& stub_name) {
  ShardStub stub;
  std::vector<ShardLine>& shards = stub.shards;
  constexpr std::string_view kCopies = "# vigie-copies ";
  std::istringstream in(text);
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    const std::string line = trimmed(raw);
    if (line.starts_with(kCopies)) {
      const std::filesystem::path dir = trimmed(line.substr(kCopies.size()));
      stub.copy_dirs.push_back(dir.is_absolute() ? dir : root / dir);
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const std::string where = stub_name + ":" + std::to_string(number);
    const auto space = line.find_first_of(" \t");
    const std::string backend = line.substr(0, space);
    const std::string rest = space == std::string::npos ? "" : trimmed(line.substr(space));
    ShardLine shard;
    if (backend == "auto" || backend == "glass") {
      if (rest.empty()) throw IndexError(where + ": `" + backend + "` without a path");
      const std::filesystem::path p = rest;
      shard.path = p.is_absolute() ? p : root / p;
    } else if (backend == "remote") {
      shard = remote_line(where, rest);
    } else {
      throw IndexError(where + ": `" + line.substr(0, 60) +
                       "` is not a shard line (auto PATH, glass PATH or remote HOST:PORT)");
    }
    shard.line = number;
    shards.push_back(std::move(shard));
  }
  if (shards.empty()) throw IndexError(stub_name + ": lists no database");
  stub.copy_dirs.push_back(root);
  return stub;
}

ShardStub read_shard_stub(const std::filesystem::path& stub, const std::filesystem::path& root) {
  std::ifstream in(stub);
  if (!in) throw IndexError("cannot read the index stub " + stub.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse_shard_stub(text.str(), root, stub.string());
}

}  // namespace vigie
