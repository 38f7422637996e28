#include "web/html_builder.h"

#include <cstring>
#include <stdexcept>

#include "vigie/html_escape.h"

namespace vigie::html {
namespace {

bool is_void(const char* tag) {
  static constexpr const char* kVoid[] = {"area",  "base",   "br",    "col",  "embed",
                                          "hr",    "img",    "input", "link", "meta",
                                          "param", "source", "track", "wbr"};
  for (const char* v : kVoid)
    if (std::strcmp(tag, v) == 0) return true;
  return false;
}

bool is_url_attribute(const char* name) {
  return std::strcmp(name, "href") == 0 || std::strcmp(name, "src") == 0 ||
         std::strcmp(name, "action") == 0 || std::strcmp(name, "xlink:href") == 0 ||
         std::strcmp(name, "formaction") == 0;
}

bool starts_with_ci(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string safe_url(std::string_view url) {
  // Relative references: path-absolute ("/x" but not "//host", which would
  // leave the site), query-only and fragment-only.
  if (!url.empty() && url[0] == '/' && (url.size() == 1 || url[1] != '/')) return std::string(url);
  if (!url.empty() && (url[0] == '?' || url[0] == '#')) return std::string(url);
  // Browsers ignore tabs, newlines and leading spaces in schemes
  // ("java\tscript:"): an exact, case-insensitive prefix is the safe test.
  for (std::string_view scheme : {"https://", "http://", "mailto:"})
    if (starts_with_ci(url, scheme)) return std::string(url);
  return "#";
}

Node::Node(Name tag, std::vector<Attribute> attributes) : kind_(Kind::Element), tag_(tag.c_str()) {
  for (auto& a : attributes) attr(a.name, a.value);
}

Node::Node(Kind kind, std::string value) : kind_(kind), value_(std::move(value)) {}

Node Node::text(std::string_view text) { return Node(Kind::Text, std::string(text)); }
Node Node::raw_trusted(std::string html) { return Node(Kind::Raw, std::move(html)); }
Node Node::fragment() { return Node(Kind::Fragment, {}); }

Node& Node::attr(Name name, std::string_view value) {
  if (kind_ != Kind::Element) throw std::logic_error("attribute on a non-element node");
  attributes_.push_back(
      {name, is_url_attribute(name.c_str()) ? safe_url(value) : std::string(value)});
  return *this;
}

Node& Node::flag(Name name) {
  if (kind_ != Kind::Element) throw std::logic_error("attribute on a non-element node");
  // Rendered as name="": HTML reads an empty value as the flag being set.
  attributes_.push_back({name, std::string()});
  return *this;
}

Node& Node::add(Node child) {
  if (kind_ == Kind::Text || kind_ == Kind::Raw) throw std::logic_error("children on a text node");
  if (kind_ == Kind::Element && is_void(tag_))
    throw std::logic_error(std::string("children on void element <") + tag_ + ">");
  if (child.kind_ == Kind::Fragment) {
    for (auto& c : child.children_) children_.push_back(std::move(c));
  } else {
    children_.push_back(std::move(child));
  }
  return *this;
}

Node& Node::add_text(std::string_view text) { return add(Node::text(text)); }

std::string Node::render_html() const {
  std::string out;
  render(out, false);
  return out;
}

std::string Node::render_xml() const {
  std::string out;
  render(out, true);
  return out;
}

void Node::render(std::string& out, bool xml) const {
  switch (kind_) {
    case Kind::Text:
      out += html_escape(value_);
      return;
    case Kind::Raw:
      out += value_;
      return;
    case Kind::Fragment:
      for (const auto& c : children_) c.render(out, xml);
      return;
    case Kind::Element:
      break;
  }
  out += '<';
  out += tag_;
  for (const auto& a : attributes_) {
    out += ' ';
    out += a.name.c_str();
    out += "=\"";
    out += html_escape(a.value);
    out += '"';
  }
  if (xml && children_.empty()) {
    out += "/>";
    return;
  }
  out += '>';
  if (!xml && is_void(tag_)) return;
  for (const auto& c : children_) c.render(out, xml);
  out += "</";
  out += tag_;
  out += '>';
}

Node element_with_text(Name tag, std::string_view text, std::vector<Attribute> attributes) {
  Node node(tag, std::move(attributes));
  node.add_text(text);
  return node;
}

}  // namespace vigie::html
