// GET /source/{id}: the source file of an indexed document, read-only, for a
// journalist who wants the original PDF or page.
//
// SourceRoots knows the indexed folders — those the index recorded
// (index_setup.h), restricted to the config's `indexer.roots` when it lists
// any ("PATH" or "NAME=PATH" as vigie-index takes them, relative to the
// server's current directory: a recorded root is served when it is one of
// them or lies inside one); for an index without a record, the configured
// ones — and maps a document's `source` path back to a file, refusing
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
#include "vigie/index_setup.h"

namespace vigie::web {

class SourceRoots {
 public:
  // `configured`: the config's indexer.roots (empty: no restriction).
  explicit SourceRoots(const std::vector<std::filesystem::path>& configured);
  // The roots served for an index that recorded `setup` (nullopt: an index
  // written before the record: the configured roots, as before).
  SourceRoots for_index(const std::optional<IndexSetup>& setup) const;

  // The canonical file for a document's source path; nullopt when it is not
  // under a root, missing, or not a regular file.
  std::optional<std::filesystem::path> resolve(std::string_view source_path) const;
  std::size_t size() const { return roots_.size(); }

 private:
  struct Root {
    std::string name;           // empty for an unnamed root
    std::filesystem::path dir;  // canonical; a single file when indexed alone
  };
  SourceRoots() = default;
  void add(std::string name, const std::filesystem::path& dir);
  std::vector<std::filesystem::path> configured_;
  std::vector<Root> roots_;
};

void serve_source(http::ApiContext& api, const SourceRoots& roots, http::HttpExchange& exchange);

}  // namespace vigie::web
