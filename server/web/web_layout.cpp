#include "web/web_layout.h"

#include "http/http_response.h"

namespace vigie::web {

using html::Node;

namespace {

Node page_header() {
  Node header("header", {{"class", "entete"}});
  Node brand("a", {{"href", "/"}, {"class", "marque"}});
  brand.add(Node("img",
                 {{"src", "/static/favicon.svg"}, {"alt", ""}, {"width", "32"}, {"height", "32"}}));
  brand.add_text("Vigie");
  header.add(std::move(brand));
  header.add(html::element_with_text("p", "Textes de politiques publiques des collectivités",
                                     {{"class", "slogan"}}));
  Node nav("nav", {{"aria-label", "Navigation principale"}});
  Node list("ul");
  list.add(Node("li").add(html::element_with_text("a", "Recherche", {{"href", "/"}})));
  list.add(Node("li").add(html::element_with_text("a", "Aide", {{"href", "/#aide"}})));
  nav.add(std::move(list));
  header.add(std::move(nav));
  return header;
}

Node page_footer() {
  Node footer("footer", {{"class", "pied"}});
  footer.add(html::element_with_text(
      "p",
      "Vigie — moteur de recherche local : les documents et les recherches restent sur ce "
      "serveur."));
  Node p("p");
  p.add(html::element_with_text("a", "API JSON", {{"href", "/api/search"}}));
  p.add_text(" · ");
  p.add(html::element_with_text("a", "État du service", {{"href", "/health"}}));
  footer.add(std::move(p));
  return footer;
}

std::string status_title(int status) {
  switch (status) {
    case 400:
      return "Requête invalide";
    case 404:
      return "Page introuvable";
    case 405:
      return "Méthode non autorisée";
    case 503:
      return "Service momentanément indisponible";
    default:
      return "Erreur";
  }
}

}  // namespace

std::string render_page(const PageHead& head, Node main_content) {
  Node document("html", {{"lang", "fr"}});
  Node h("head");
  h.add(Node("meta", {{"charset", "utf-8"}}));
  h.add(Node("meta", {{"name", "viewport"}, {"content", "width=device-width, initial-scale=1"}}));
  if (head.noindex) h.add(Node("meta", {{"name", "robots"}, {"content", "noindex"}}));
  h.add(html::element_with_text("title", head.title.empty() ? "Vigie" : head.title + " — Vigie"));
  h.add(Node("link", {{"rel", "stylesheet"}, {"href", "/static/vigie.css"}}));
  h.add(
      Node("link", {{"rel", "icon"}, {"href", "/static/favicon.svg"}, {"type", "image/svg+xml"}}));
  if (!head.atom_url.empty())
    h.add(Node("link", {{"rel", "alternate"},
                        {"type", "application/atom+xml"},
                        {"title", "Flux Atom de cette recherche"},
                        {"href", head.atom_url}}));
  document.add(std::move(h));

  Node body("body");
  // The skip link is the first focusable element: keyboard users reach the
  // content without tabbing through the header.
  body.add(html::element_with_text("a", "Aller au contenu",
                                   {{"href", "#contenu"}, {"class", "evitement"}}));
  body.add(page_header());
  Node main("main", {{"id", "contenu"}, {"tabindex", "-1"}});
  main.add(std::move(main_content));
  body.add(std::move(main));
  body.add(page_footer());
  document.add(std::move(body));
  return "<!DOCTYPE html>\n" + document.render_html() + "\n";
}

void apply_html_headers(Poco::Net::HTTPServerResponse& response) {
  response.set("Content-Security-Policy", std::string(kHtmlCsp));
  response.set("X-Content-Type-Options", "nosniff");
  response.set("Referrer-Policy", "same-origin");
  response.set("X-Frame-Options", "DENY");
}

void send_page(Poco::Net::HTTPServerResponse& response, int status, const PageHead& head,
               Node main_content) {
  const std::string body = render_page(head, std::move(main_content));
  apply_html_headers(response);
  http::send_body(response, status, "text/html; charset=utf-8", body);
}

void send_error_page(Poco::Net::HTTPServerResponse& response, int status, std::string_view title,
                     std::string_view message, Node extra, const http::HeaderList& headers) {
  const std::string heading = title.empty() ? status_title(status) : std::string(title);
  Node main = Node::fragment();
  main.add(html::element_with_text("h1", heading));
  main.add(html::element_with_text("p", message, {{"class", "message-erreur"}}));
  main.add(std::move(extra));
  Node next("p");
  next.add(html::element_with_text("a", "Revenir à l’accueil et lancer une nouvelle recherche",
                                   {{"href", "/"}}));
  main.add(std::move(next));
  for (const auto& [name, value] : headers) response.set(name, value);
  PageHead head{heading, "", true};
  send_page(response, status, head, std::move(main));
}

}  // namespace vigie::web
