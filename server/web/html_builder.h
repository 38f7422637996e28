// A small typed HTML (and XML) builder: the only way Vigie's pages produce
// markup. A Node is an element, a text node or a trusted fragment:
//   - tag and attribute names are `Name`s, checked at compile time (consteval),
//     so no user text can ever become markup structure;
//   - every text and attribute value is escaped with html_escape when rendered
//     (& < > " ' and invalid UTF-8), so user text is inert by construction;
//   - URL attributes (href, src, action, xlink:href) refuse schemes other than
//     http(s) and mailto, and relative references: a `javascript:` URL coming
//     from an indexed document renders as "#";
//   - raw_trusted() is the single explicit way to insert markup that is
//     already escaped (the highlighter's output); grep for it to audit.
// Plain value type; no shared state; safe from any thread on distinct nodes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigie::html {

// A tag or attribute name, from a string literal checked at compile time.
class Name {
 public:
  consteval Name(const char* literal) : text_(literal) {  // NOLINT: implicit on purpose
    if (!literal || !*literal) throw "empty HTML name";
    for (const char* p = literal; *p; ++p) {
      const char c = *p;
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == ':';
      if (!ok) throw "invalid character in an HTML name";
    }
  }
  const char* c_str() const { return text_; }

 private:
  const char* text_;
};

struct Attribute {
  Name name;
  std::string value;
};

class Node {
 public:
  // An element; `attributes` values are escaped when rendered.
  explicit Node(Name tag, std::vector<Attribute> attributes = {});

  static Node text(std::string_view text);
  // Markup that is already safe (escaped text with our own tags). Only for
  // the highlighter's output (Hit::extract_html, Searcher::highlight_all).
  static Node raw_trusted(std::string html);
  // A list of nodes without an enclosing element.
  static Node fragment();

  Node& attr(Name name, std::string_view value);
  // A boolean attribute (`required`, `selected`): present without a value.
  Node& flag(Name name);
  Node& add(Node child);
  Node& add_text(std::string_view text);

  bool empty() const { return kind_ != Kind::Element && value_.empty() && children_.empty(); }

  // HTML5 serialisation: void elements (meta, link, input, br…) have no end tag.
  std::string render_html() const;
  // XML serialisation (Atom): empty elements close themselves (<link …/>).
  std::string render_xml() const;

 private:
  enum class Kind { Element, Text, Raw, Fragment };
  Node(Kind kind, std::string value);
  void render(std::string& out, bool xml) const;

  Kind kind_;
  const char* tag_ = nullptr;
  std::string value_;  // text (unescaped) or raw markup
  std::vector<Attribute> attributes_;
  std::vector<Node> children_;
};

// <tag>text</tag>
Node element_with_text(Name tag, std::string_view text, std::vector<Attribute> attributes = {});

// An attribute value for a URL attribute: relative references ("/…", "?…",
// "#…") and http(s)/mailto URLs pass; anything else becomes "#".
std::string safe_url(std::string_view url);

}  // namespace vigie::html
