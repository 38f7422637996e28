#include "web/web_histogram.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "web/web_format.h"

namespace vigie::web {

using html::Node;

namespace {

// Beyond this span, empty years are not drawn (a stray "1901" would squash
// every bar into a line).
constexpr int kMaxSpan = 60;
constexpr int kBarWidth = 24, kGap = 4, kChartHeight = 120, kLabelHeight = 18;

std::string tooltip(const std::string& year, std::uint64_t count) {
  return year + " : " + document_count(count);
}

}  // namespace

Node year_histogram(const Facet& facet, const WebQuery& query) {
  std::map<int, Xapian::doccount> counts;
  for (const auto& v : facet.values) {
    int year = 0;
    auto [ptr, ec] = std::from_chars(v.key.data(), v.key.data() + v.key.size(), year);
    if (ec == std::errc() && ptr == v.key.data() + v.key.size()) counts[year] = v.count;
  }
  if (counts.empty()) return Node::fragment();
  const int first = counts.begin()->first, last = counts.rbegin()->first;
  std::vector<int> years;
  if (last - first <= kMaxSpan) {
    for (int y = first; y <= last; ++y) years.push_back(y);
  } else {
    for (const auto& [y, n] : counts) years.push_back(y);
  }
  Xapian::doccount max = 1;
  for (const auto& [y, n] : counts) max = std::max(max, n);

  const int width = static_cast<int>(years.size()) * (kBarWidth + kGap) + kGap;
  const int height = kChartHeight + kLabelHeight;
  Node figure("figure", {{"class", "histogramme"}, {"aria-labelledby", "titre-histogramme"}});
  figure.add(html::element_with_text("figcaption",
                                     "Documents par année (cliquez sur une barre pour filtrer)",
                                     {{"id", "titre-histogramme"}}));
  Node svg("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                   {"viewBox", "0 0 " + std::to_string(width) + " " + std::to_string(height)},
                   {"width", std::to_string(width)},
                   {"height", std::to_string(height)},
                   {"role", "group"},
                   {"aria-labelledby", "titre-histogramme"}});
  // Label every year when few, else every fifth: labels must not overlap.
  const int label_every = years.size() <= 12 ? 1 : 5;
  for (std::size_t i = 0; i < years.size(); ++i) {
    const int year = years[i];
    const auto it = counts.find(year);
    const Xapian::doccount n = it == counts.end() ? 0 : it->second;
    const int x = kGap + static_cast<int>(i) * (kBarWidth + kGap);
    const std::string label = std::to_string(year);
    if (n > 0) {
      const int bar =
          std::max(2, static_cast<int>(static_cast<double>(n) / max * (kChartHeight - 4)));
      const bool active = query.has_filter(Filter::Annee, label);
      Node link("a", {{"href", query.toggled(Filter::Annee, label).url("/recherche")},
                      {"class", active ? "barre active" : "barre"}});
      link.add(html::element_with_text(
          "title",
          tooltip(label, n) + (active ? " — retirer ce filtre" : " — filtrer sur cette année")));
      link.add(Node("rect", {{"x", std::to_string(x)},
                             {"y", std::to_string(kChartHeight - bar)},
                             {"width", std::to_string(kBarWidth)},
                             {"height", std::to_string(bar)}}));
      svg.add(std::move(link));
    }
    if (year % label_every == 0)
      svg.add(html::element_with_text("text", label,
                                      {{"x", std::to_string(x + kBarWidth / 2)},
                                       {"y", std::to_string(height - 4)},
                                       {"text-anchor", "middle"},
                                       {"aria-hidden", "true"}}));
  }
  figure.add(std::move(svg));

  Node details("details", {{"class", "donnees-histogramme"}});
  details.add(html::element_with_text("summary", "Voir les chiffres par année"));
  Node table("table");
  table.add(html::element_with_text("caption", "Nombre de documents par année"));
  Node head("tr");
  head.add(html::element_with_text("th", "Année", {{"scope", "col"}}));
  head.add(html::element_with_text("th", "Documents", {{"scope", "col"}}));
  table.add(Node("thead").add(std::move(head)));
  Node body("tbody");
  for (const auto& [year, n] : counts) {
    const std::string label = std::to_string(year);
    Node row("tr");
    Node th("th", {{"scope", "row"}});
    th.add(html::element_with_text(
        "a", label, {{"href", query.toggled(Filter::Annee, label).url("/recherche")}}));
    row.add(std::move(th));
    row.add(html::element_with_text("td", french_number(n)));
    body.add(std::move(row));
  }
  table.add(std::move(body));
  details.add(std::move(table));
  figure.add(std::move(details));
  return figure;
}

}  // namespace vigie::web
