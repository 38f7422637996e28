// MarkdownExtractor: Markdown files (.md), such as press releases, with an
// optional YAML-like front matter between "---" lines. The Markdown is
// turned into plain text with libcmark (syntax gone, link and image text
// kept, blocks separated by blank lines); the front matter gives explicit
// metadata (title, date, type, organisation, authors, place, url; unknown
// keys go to SourceDocument::extra).
// Stateless: extract() is const and safe from any number of threads (each
// call owns its cmark tree).
// Failures: NoText for empty documents, Unsupported for binary content;
// malformed front-matter values (bad date, unknown type) are warnings.
#pragma once

#include <string_view>

#include "extractors/extractor.h"

namespace vigie {

class MarkdownExtractor : public Extractor {
 public:
  std::string_view format() const override { return "markdown"; }

 protected:
  ExtractOutcome extract_file(const FileInput& input) const override;
};

}  // namespace vigie
