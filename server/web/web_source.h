// GET /source/{id}: the source file of an indexed document, read-only, for a
// journalist who wants the original PDF or page.
//
// SourceRoots knows the indexed folders (config `indexer.roots`, "PATH" or
// "NAME=PATH" as vigie-index takes them, relative to the server's current
// directory) and maps a document's `source` path back to a file, refusing
// anything that leaves its root: absolute paths, "..", "." or empty
// components, and symbolic links whose target is outside the root (the path
// is canonicalised, then must still be under the canonical root). Only the
// source of a document that is in the index can be asked for at all: the
// route takes a document id, not a path.
//
// Indexed HTML is hostile content (it may carry scripts): HTML, XML and
// every text format are served as text/plain (with nosniff, so browsers never
// render them), PDF as application/pdf, office files and anything unknown as
// attachments; every answer carries a CSP without scripts, and "sandbox"
// except for PDF (Chromium's viewer does not run in a sandboxed document).
// Immutable after construction; thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_context.h"
#include "http/http_exchange.h"

namespace vigie::web {

class SourceRoots {
 public:
  explicit SourceRoots(const std::vector<std::filesystem::path>& configured);

  // The canonical file for a document's source path; nullopt when it is not
  // under a root, missing, or not a regular file.
  std::optional<std::filesystem::path> resolve(std::string_view source_path) const;
  std::size_t size() const { return roots_.size(); }

 private:
  struct Root {
    std::string name;           // empty for an unnamed root
    std::filesystem::path dir;  // canonical; a single file when indexed alone
  };
  std::vector<Root> roots_;
};

void serve_source(http::ApiContext& api, const SourceRoots& roots, http::HttpExchange& exchange);

}  // namespace vigie::web
