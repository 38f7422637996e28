#include "web/web_static.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "http/http_response.h"

namespace vigie::web {
namespace fs = std::filesystem;

namespace {

std::string content_type_for(const fs::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

fs::path StaticAssets::default_dir() {
  if (const char* env = std::getenv("VIGIE_STATIC_DIR"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "vigie" / "static";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return fs::path(VIGIE_STATIC_SOURCE_DIR);
}

StaticAssets::StaticAssets(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.' || !it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    files_.emplace(name, Asset{content_type_for(it->path()), bytes.str()});
  }
}

bool StaticAssets::send(const std::string& name, Poco::Net::HTTPServerResponse& response) const {
  auto it = files_.find(name);
  if (it == files_.end()) return false;
  const Asset& asset = it->second;
  // Assets change only with a new server: an hour of caching is harmless.
  response.set("Cache-Control", "public, max-age=3600");
  http::send_body(response, 200, asset.content_type, asset.bytes);
  return true;
}

}  // namespace vigie::web
