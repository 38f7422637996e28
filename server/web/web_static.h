// StaticAssets: the files of server/web/static/ (stylesheet, favicon), read once
// at start-up and served from memory under /static/{name}. Only the regular
// files found in the folder at start-up exist: a request names a key in a
// map, never a path, so there is nothing to traverse.
// Where the folder is: $VIGIE_STATIC_DIR when set; else
// <executable>/../share/vigie/static (an installed vigie-server); else the
// source tree this file was compiled from (a build directory or a clean
// clone: VIGIE_STATIC_SOURCE_DIR, set by server/CMakeLists.txt).
// Immutable after construction; thread-safe.
#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <filesystem>
#include <map>
#include <string>

namespace vigie::web {

class StaticAssets {
 public:
  // Reads every regular, non-hidden file of `dir` (a missing folder gives
  // no assets: pages still work, unstyled).
  explicit StaticAssets(const std::filesystem::path& dir);

  static std::filesystem::path default_dir();

  // Sends the asset or returns false when there is none by that name.
  bool send(const std::string& name, Poco::Net::HTTPServerResponse& response) const;
  std::size_t size() const { return files_.size(); }

 private:
  struct Asset {
    std::string content_type;
    std::string bytes;
  };
  std::map<std::string, Asset, std::less<>> files_;
};

}  // namespace vigie::web
