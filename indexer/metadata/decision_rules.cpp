#include "metadata/decision_rules.h"

#include <string>

#include "metadata/decision_amounts.h"
#include "metadata/decision_references.h"
#include "metadata/decision_vote.h"
#include "metadata/metadata_text.h"

namespace vigie::metadata {
namespace {

// Bounds on what one document stores (a budget's tables hold thousands of
// amounts; a few hundred are enough to filter and sort on the largest).
constexpr std::size_t kMaxAmounts = 500;
constexpr std::size_t kMaxLegalReferences = 200;
constexpr std::size_t kMaxCited = 100;

std::string counts(const Vote& vote) {
  std::string text;
  auto add = [&](const char* label, const std::optional<int>& count) {
    if (!count) return;
    text += text.empty() ? " (" : ", ";
    text += label + std::to_string(*count);
  };
  add("pour ", vote.pour);
  add("contre ", vote.contre);
  add("abstention ", vote.abstention);
  return text.empty() ? text : text + ")";
}

std::string quote(std::string_view original) {
  std::string flat;
  for (char c : original.substr(0, 120)) flat += (c == '\n' || c == '\t') ? ' ' : c;
  return "« " + flat + " »";
}

}  // namespace

void complete_decisions(SourceDocument& doc, const std::string& heading_number) {
  const FoldedText text(utf8_prefix(doc.body, kDecisionBytes));
  Decisions& decisions = doc.decisions;
  if (doc.type == DocType::Deliberation && !decisions.vote.known()) {
    const FoundVote found = read_vote(text, assembly_of(doc.organisation));
    if (found.vote.known()) {
      decisions.vote = found.vote;
      doc.provenance.push_back(
          "vote from text: " + std::string(vote_outcome_label(found.vote.outcome)) +
          counts(found.vote) + " " + quote(text.original_span(found.begin, found.end)));
    }
  }
  if (decisions.amounts.empty()) {
    decisions.amounts = read_amounts(text, kMaxAmounts);
    if (!decisions.amounts.empty())
      doc.provenance.push_back("amounts from text: " + std::to_string(decisions.amounts.size()) +
                               ", largest " + std::to_string(*decisions.largest_amount()) + " €");
  }
  if (decisions.legal.empty()) {
    decisions.legal = read_legal_references(text, kMaxLegalReferences);
    if (!decisions.legal.empty())
      doc.provenance.push_back(
          "legal references from text: " + std::to_string(decisions.legal.size()) + ", first " +
          quote(decisions.legal.front().text));
  }
  if (decisions.cited.empty()) {
    decisions.cited =
        read_cited_deliberations(text, {doc.number, heading_number}, doc.date, kMaxCited);
    if (!decisions.cited.empty())
      doc.provenance.push_back(
          "cited deliberations from text: " + std::to_string(decisions.cited.size()) + ", first " +
          quote(decisions.cited.front().text));
  }
}

}  // namespace vigie::metadata
