#include "web/web_source.h"

#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <fstream>

#include "api/api_search.h"
#include "http/http_error.h"
#include "http/http_query.h"
#include "vigie/text_normalization.h"

namespace vigie::web {
namespace fs = std::filesystem;

namespace {

bool is_under(const fs::path& file, const fs::path& dir) {
  auto [d, f] = std::mismatch(dir.begin(), dir.end(), file.begin(), file.end());
  return d == dir.end() && f != file.end();
}

// "a/b/c.pdf" → its components, or nullopt if any is empty, "." or "..".
std::optional<fs::path> safe_relative(std::string_view text) {
  if (text.empty() || text.front() == '/' || text.find('\0') != std::string_view::npos)
    return std::nullopt;
  fs::path out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view part = text.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") return std::nullopt;
    out /= std::string(part);
    start = end + 1;
  }
  return out;
}

struct Delivery {
  std::string content_type;
  bool attachment = false;
  bool sandbox = true;
};

std::string lower_extension(const fs::path& file) {
  std::string ext = file.extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

// Text files are UTF-8 after vigie-index's decoding, but the file on disk
// may be Latin-1: claim UTF-8 only when the start of the file is valid.
std::string text_type(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(64 * 1024, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  // A multi-byte character cut at the end of the sample is not an error.
  while (!head.empty() && (static_cast<unsigned char>(head.back()) & 0x80)) head.pop_back();
  return make_valid_utf8(head) == head ? "text/plain; charset=utf-8" : "text/plain";
}

Delivery delivery_for(const fs::path& file) {
  const std::string ext = lower_extension(file);
  if (ext == ".pdf") return {"application/pdf", false, false};
  for (const char* text :
       {".txt", ".md", ".markdown", ".csv", ".json", ".html", ".htm", ".xhtml", ".xml", ".svg"})
    if (ext == text) return {text_type(file), false, true};
  if (ext == ".odt") return {"application/vnd.oasis.opendocument.text", true, true};
  if (ext == ".docx")
    return {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", true, true};
  if (ext == ".doc") return {"application/msword", true, true};
  return {"application/octet-stream", true, true};
}

// RFC 6266: an ASCII fallback and the UTF-8 name.
std::string disposition(bool attachment, const std::string& filename) {
  std::string ascii;
  for (unsigned char c : filename)
    ascii += (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
  return std::string(attachment ? "attachment" : "inline") + "; filename=\"" + ascii +
         "\"; filename*=UTF-8''" + http::percent_encode(filename);
}

}  // namespace

SourceRoots::SourceRoots(const std::vector<fs::path>& configured) : configured_(configured) {
  for (const auto& entry : configured) {
    // The same "NAME=PATH" rule as vigie-index (IndexRoot::parse).
    IndexedRoot root = parse_root_argument(entry.string());
    add(std::move(root.name), root.dir);
  }
}

SourceRoots SourceRoots::for_index(const std::optional<IndexSetup>& setup) const {
  if (!setup) return *this;
  SourceRoots served;
  for (auto& root : source_roots(setup, configured_)) served.add(std::move(root.name), root.dir);
  return served;
}

void SourceRoots::add(std::string name, const fs::path& path) {
  std::error_code ec;
  fs::path dir = fs::canonical(path, ec);
  if (ec) return;  // a root that is gone has no files to serve
  roots_.push_back({std::move(name), std::move(dir)});
}

std::optional<fs::path> SourceRoots::resolve(std::string_view source_path) const {
  for (const auto& root : roots_) {
    std::string_view inside = source_path;
    if (!root.name.empty()) {
      if (inside.size() <= root.name.size() + 1 ||
          inside.substr(0, root.name.size()) != root.name || inside[root.name.size()] != '/')
        continue;
      inside.remove_prefix(root.name.size() + 1);
    }
    auto relative = safe_relative(inside);
    if (!relative) return std::nullopt;
    std::error_code ec;
    if (fs::is_regular_file(root.dir, ec)) {
      // A single file indexed on its own: its id is its file name.
      if (*relative == root.dir.filename()) return root.dir;
      continue;
    }
    const fs::path file = fs::canonical(root.dir / *relative, ec);
    if (ec) continue;
    if (!is_under(file, root.dir) || !fs::is_regular_file(file, ec)) continue;
    return file;
  }
  return std::nullopt;
}

void serve_source(http::ApiContext& api, const SourceRoots& roots, http::HttpExchange& ex) {
  const std::string id = http::document_id(ex);
  std::optional<IndexSetup> setup;
  auto doc = api.with_searcher([&](Searcher& s) {
    setup = s.index_setup();
    return s.document(id);
  });
  if (!doc)
    throw http::HttpError(404, "Aucun document n’a l’identifiant « " + id.substr(0, 200) + " ».");
  auto file = roots.for_index(setup).resolve(doc->source_path);
  if (!file)
    throw http::HttpError(
        404,
        "Le fichier source de ce document n’est pas disponible sur ce serveur "
        "(il a été déplacé, ou son dossier n’est pas parmi les dossiers servis).");
  const Delivery how = delivery_for(*file);
  ex.response.set("Content-Security-Policy",
                  how.sandbox ? "default-src 'none'; sandbox" : "default-src 'none'");
  ex.response.set("Content-Disposition", disposition(how.attachment, file->filename().string()));
  ex.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  ex.response.sendFile(file->string(), how.content_type);
}

}  // namespace vigie::web
