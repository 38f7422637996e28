#include "web/web_atom.h"

#include "http/http_response.h"
#include "web/html_builder.h"
#include "web/web_document.h"
#include "web/web_format.h"
#include "web/web_layout.h"
#include "web/web_query.h"
#include "web/web_results.h"

namespace vigie::web {

using html::Node;

namespace {

// tag: URIs (RFC 4151) need no domain we own and never change with the
// server's address, so a reader keeps recognising entries it has seen.
constexpr std::string_view kTagPrefix = "tag:vigie.local,2024:";

Node text_element(html::Name name, std::string_view text) {
  return html::element_with_text(name, text);
}

}  // namespace

void serve_atom(http::ApiContext& api, http::HttpExchange& ex) {
  WebQuery query = WebQuery::parse(ex.params);
  query.sort = SortOrder::Newest;
  query.page = 1;
  SearchRequest request =
      query.search_request(ex.params.without("page").without("tri"), api.config.search);
  request.limit = kAtomEntries;
  request.facets = false;
  request.correct = false;  // a feed follows the words as typed: its entries cannot say otherwise
  const SearchResponse response = api.with_searcher([&](Searcher& s) { return s.search(request); });

  const std::string origin = site_origin(ex.request);
  WebQuery feed_query = query;
  feed_query.sort = SortOrder::Relevance;  // the feed's own URL does not need it
  const std::string self = origin + feed_query.url("/recherche.atom");
  const std::string page = origin + query.url("/recherche");

  Node feed("feed", {{"xmlns", "http://www.w3.org/2005/Atom"}, {"xml:lang", "fr"}});
  feed.add(text_element("id", std::string(kTagPrefix) + "recherche?" + feed_query.query_string()));
  feed.add(text_element("title", "Vigie — " + (query.q.empty() ? std::string("tous les documents")
                                                               : "« " + query.q + " »")));
  feed.add(text_element("subtitle", "Les documents les plus récents pour cette recherche"));
  // The newest entry's date: the feed changes when a newer document appears.
  std::string updated = "1970-01-01T00:00:00Z";
  for (const auto& hit : response.hits) updated = std::max(updated, atom_timestamp(hit.date));
  feed.add(text_element("updated", updated));
  feed.add(Node("link", {{"rel", "self"}, {"type", "application/atom+xml"}, {"href", self}}));
  feed.add(Node("link", {{"rel", "alternate"}, {"type", "text/html"}, {"href", page}}));
  feed.add(Node("author").add(text_element("name", "Vigie")));
  feed.add(text_element("generator", "Vigie"));

  for (const auto& hit : response.hits) {
    Node entry("entry");
    entry.add(
        text_element("id", std::string(kTagPrefix) + "document/" + http::percent_encode(hit.id)));
    entry.add(text_element("title", hit.title.empty() ? hit.id : hit.title));
    entry.add(text_element("updated", atom_timestamp(hit.date)));
    entry.add(Node("link", {{"rel", "alternate"},
                            {"type", "text/html"},
                            {"href", origin + document_url(hit.id, query.q)}}));
    if (!hit.type_label.empty())
      entry.add(Node("category", {{"term", hit.type}, {"label", hit.type_label}}));
    if (!hit.organisation.empty())
      entry.add(Node("author").add(text_element("name", hit.organisation)));
    const std::string summary = extract_text(hit.extract_html);
    if (!summary.empty())
      entry.add(html::element_with_text("summary", summary, {{"type", "text"}}));
    feed.add(std::move(entry));
  }

  const std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + feed.render_xml() + "\n";
  http::send_body(ex.response, 200, "application/atom+xml; charset=utf-8", xml);
}

}  // namespace vigie::web
