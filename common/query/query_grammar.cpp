#include "query/query_grammar.h"

#include <algorithm>
#include <map>

#include "query/weight_scales.h"

namespace vigie {
namespace {

using Q = Xapian::Query;

Q combine(Q::op op, const std::vector<Q>& parts) {
  return parts.size() == 1 ? parts[0] : Q(op, parts.begin(), parts.end());
}

bool is_operator(const Lexeme* l) {
  return l && (l->kind == LexKind::And || l->kind == LexKind::Or || l->kind == LexKind::Near);
}

std::string op_name(const Lexeme& l) { return "« " + l.text + " »"; }

// One juxtaposed word (or group) of a sequence, in its two forms.
struct Unit {
  Q strict;
  Q loose;
};

}  // namespace

struct QueryGrammar::Item {
  enum class Kind { Word, Phrase, Field, Group, Near } kind = Kind::Word;
  const Lexeme* lexeme = nullptr;
  QueryPart group;
  std::vector<const Lexeme*> near;
  int window = 0;
  bool negated = false;
  bool required = false;
};

QueryPart QueryGrammar::parse() {
  QueryPart part = parse_or();
  // parse_or() stops early only at a ')' closing a group; at depth 0 the
  // sequence skips stray ones itself, so everything has been read here.
  return part;
}

QueryPart QueryGrammar::parse_or() {
  std::vector<QueryPart> parts{parse_and()};
  while (peek() && peek()->kind == LexKind::Or) {
    const Lexeme& op = *peek();
    ++pos_;
    if (std::none_of(parts.begin(), parts.end(), [](const QueryPart& p) { return p.consumed; }))
      terms_.warn("Opérateur " + op_name(op) + " sans terme à gauche ; ignoré.");
    QueryPart right = parse_and();
    if (!right.consumed) terms_.warn("Opérateur " + op_name(op) + " sans terme à droite ; ignoré.");
    parts.push_back(std::move(right));
  }
  QueryPart out;
  std::vector<Q> strict, loose;
  for (auto& p : parts) {
    out.consumed |= p.consumed;
    if (p.empty) continue;
    strict.push_back(p.strict);
    loose.push_back(p.loose);
    out.scored |= p.scored;
    out.relaxed |= p.relaxed;
  }
  if (strict.empty()) return out;
  out.empty = false;
  out.strict = combine(Q::OP_OR, strict);
  out.loose = combine(Q::OP_OR, loose);
  return out;
}

QueryPart QueryGrammar::parse_and() {
  std::vector<QueryPart> parts{parse_sequence()};
  while (peek() && peek()->kind == LexKind::And) {
    const Lexeme& op = *peek();
    ++pos_;
    if (std::none_of(parts.begin(), parts.end(), [](const QueryPart& p) { return p.consumed; }))
      terms_.warn("Opérateur " + op_name(op) + " sans terme à gauche ; ignoré.");
    QueryPart right = parse_sequence();
    if (!right.consumed) terms_.warn("Opérateur " + op_name(op) + " sans terme à droite ; ignoré.");
    parts.push_back(std::move(right));
  }
  QueryPart out;
  std::vector<Q> strict, loose;
  for (auto& p : parts) {
    out.consumed |= p.consumed;
    if (p.empty) continue;
    strict.push_back(p.strict);
    loose.push_back(p.loose);
    out.scored |= p.scored;
    out.relaxed |= p.relaxed;
  }
  if (strict.empty()) return out;
  out.empty = false;
  out.strict = combine(Q::OP_AND, strict);
  out.loose = combine(Q::OP_AND, loose);
  return out;
}

QueryPart QueryGrammar::parse_sequence() {
  std::vector<Item> items;
  bool consumed = false;
  while (const Lexeme* l = peek()) {
    if (l->kind == LexKind::And || l->kind == LexKind::Or) break;
    if (l->kind == LexKind::RParen) {
      if (flattened_ > 0) {
        --flattened_;
      } else if (depth_ > 0) {
        break;
      } else {
        terms_.warn("Parenthèse fermante « ) » sans parenthèse ouvrante ; ignorée.");
      }
      ++pos_;
      consumed = true;
      continue;
    }
    consumed = true;
    parse_item(items);
  }
  QueryPart part = build_sequence(items);
  part.consumed = consumed;
  return part;
}

// Reads one item (with its NOT/+/- marks and NEAR chain) into `items`;
// returns false when nothing usable was read.
bool QueryGrammar::parse_item(std::vector<Item>& items) {
  bool negated = false, required = false;
  const Lexeme* mark = nullptr;
  while (peek() && (peek()->kind == LexKind::Not || peek()->kind == LexKind::Plus)) {
    mark = peek();
    (mark->kind == LexKind::Not ? negated : required) = true;
    ++pos_;
  }
  const Lexeme* l = peek();
  if (mark && (!l || is_operator(l) || l->kind == LexKind::RParen)) {
    terms_.warn("Opérateur " + op_name(*mark) + " sans terme à droite ; ignoré.");
    return false;
  }
  if (!l) return false;
  if (l->kind == LexKind::Near) {
    terms_.warn("Opérateur " + op_name(*l) +
                " sans mot à gauche ; ignoré (écrire mot1 NEAR/5 mot2).");
    ++pos_;
    return false;
  }

  Item item;
  item.lexeme = l;
  item.negated = negated;
  item.required = required;
  if (l->kind == LexKind::LParen) {
    ++pos_;
    if (depth_ >= kMaxQueryDepth) {
      // Flatten instead of recursing: the words still count, the nesting
      // does not, and the stack stays bounded on "((((…".
      ++flattened_;
      terms_.warn("Parenthèses imbriquées sur plus de " + std::to_string(kMaxQueryDepth) +
                  " niveaux ; les niveaux suivants sont ignorés.");
      return false;
    }
    ++depth_;
    item.kind = Item::Kind::Group;
    item.group = parse_or();
    --depth_;
    if (peek() && peek()->kind == LexKind::RParen) {
      ++pos_;
    } else {
      terms_.warn("Parenthèse ouvrante « ( » non fermée ; fermée en fin de requête.");
    }
    if (!item.group.consumed) terms_.warn("Parenthèses vides « () » ignorées.");
    items.push_back(std::move(item));
    return true;
  }
  ++pos_;
  if (l->kind == LexKind::Field) {
    item.kind = Item::Kind::Field;
  } else if (l->kind == LexKind::Phrase) {
    item.kind = Item::Kind::Phrase;
  }
  item.negated |= l->excluded;
  item.required |= l->required;

  // mot1 NEAR/n mot2 [NEAR/m mot3]: words or phrases only.
  if (item.kind != Item::Kind::Field) {
    while (peek() && peek()->kind == LexKind::Near) {
      const Lexeme& op = *peek();
      ++pos_;
      const Lexeme* right = peek();
      if (!right || (right->kind != LexKind::Word && right->kind != LexKind::Phrase) ||
          right->excluded) {
        terms_.warn("Opérateur " + op_name(op) +
                    " sans mot à droite ; ignoré (écrire mot1 NEAR/5 mot2).");
        break;
      }
      ++pos_;
      if (item.near.empty()) item.near.push_back(l);
      item.near.push_back(right);
      item.window = std::max(item.window, op.near_window);
    }
    if (!item.near.empty()) item.kind = Item::Kind::Near;
  }
  items.push_back(std::move(item));
  return true;
}

QueryPart QueryGrammar::build_sequence(std::vector<Item>& items) {
  std::vector<Unit> positives;
  std::vector<Q> required, excluded, negative_filters;
  std::map<std::string, std::vector<Q>> filters;  // same field ORed, fields ANDed
  QueryPart out;

  // Synonyms: the analysed keys of plain juxtaposed words; a non-plain item
  // has an empty key, which stops a multi-word match.
  std::vector<std::string> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    const Lexeme* l = it.lexeme;
    if (it.kind == Item::Kind::Word && !it.negated && !it.required && !l->exact && !l->prefix)
      keys[i] = terms_.key(*l);
  }

  for (std::size_t i = 0; i < items.size(); ++i) {
    Item& it = items[i];
    std::size_t group = 0;
    const std::size_t span = keys[i].empty() ? 0 : terms_.match_synonym(keys, i, group);
    if (span > 0) {
      std::vector<Q> words;
      std::string typed_key;
      for (std::size_t k = i; k < i + span; ++k) {
        if (auto q = terms_.word(*items[k].lexeme, true)) words.push_back(*q);
        typed_key += (typed_key.empty() ? "" : " ") + keys[k];
      }
      const Lexeme& first = *items[i].lexeme;
      const Lexeme& last = *items[i + span - 1].lexeme;
      const std::string typed(text_.substr(first.begin, last.end - first.begin));
      auto forms = terms_.synonym_forms(group, typed_key, typed);
      std::vector<Q> strict, loose = words;
      if (!words.empty()) strict.push_back(combine(Q::OP_AND, words));
      if (forms) {
        strict.push_back(*forms);
        loose.push_back(*forms);
      }
      if (strict.empty()) {
        i += span - 1;
        continue;
      }
      Q unit = combine(Q::OP_OR, strict);
      if (words.size() > 1) {
        // Typed « intelligence artificielle »: the whole (or its synonym)
        // first, then documents with only some of the words.
        loose = {scale_weight(unit, WeightScale::AllWordsBoost), combine(Q::OP_OR, words)};
        out.relaxed = true;
      }
      positives.push_back(Unit{unit, combine(Q::OP_OR, loose)});
      i += span - 1;
      continue;
    }

    std::optional<Q> q;
    switch (it.kind) {
      case Item::Kind::Word:
        q = terms_.word(*it.lexeme, !it.negated);
        break;
      case Item::Kind::Phrase:
        q = terms_.phrase(it.lexeme->text, !it.negated);
        break;
      case Item::Kind::Near:
        q = terms_.near(it.near, it.window, !it.negated);
        break;
      case Item::Kind::Field:
        if (it.lexeme->field == "titre") {
          q = terms_.title(*it.lexeme, !it.negated);
        } else if (auto f = terms_.filter(*it.lexeme)) {
          (it.negated ? negative_filters : filters[f->field]).push_back(f->query);
        }
        break;
      case Item::Kind::Group:
        if (it.group.empty) break;
        if (!it.group.scored) {
          // (type:a OR type:b), (-mot): a filter, not a word to rank on.
          if (it.negated) {
            negative_filters.push_back(it.group.strict);
          } else {
            filters["(" + std::to_string(i)].push_back(it.group.strict);
          }
          break;
        }
        if (it.negated) {
          excluded.push_back(it.group.strict);
        } else if (it.required) {
          required.push_back(it.group.strict);
        } else {
          positives.push_back(Unit{it.group.strict, it.group.loose});
          out.relaxed |= it.group.relaxed;
        }
        break;
    }
    if (!q) continue;
    if (it.negated) {
      excluded.push_back(*q);
    } else if (it.required) {
      required.push_back(*q);
    } else {
      positives.push_back(Unit{*q, *q});
    }
  }

  if (positives.empty() && required.empty() && excluded.empty() && filters.empty() &&
      negative_filters.empty())
    return out;
  out.empty = false;
  out.scored = !positives.empty() || !required.empty();
  // Q(std::string()), never the static Q::MatchAll: its reference count is
  // not atomic, and copies made by concurrent searches corrupt it (a
  // use-after-free under load; Xapian's query.h says as much).
  Q strict = Q(std::string()), loose = Q(std::string());
  if (!positives.empty()) {
    std::vector<Q> s, l;
    for (const auto& u : positives) {
      s.push_back(u.strict);
      l.push_back(u.loose);
    }
    strict = combine(Q::OP_AND, s);
    if (positives.size() == 1) {
      loose = l[0];
    } else {
      // All the words first (scaled far above), then documents with fewer.
      loose = Q(Q::OP_OR, scale_weight(strict, WeightScale::AllWordsBoost), combine(Q::OP_OR, l));
      out.relaxed = true;
    }
  }
  if (!required.empty()) {
    Q must = combine(Q::OP_AND, required);
    if (positives.empty()) {
      strict = loose = must;
    } else {
      strict = Q(Q::OP_AND, must, strict);
      loose = Q(Q::OP_AND_MAYBE, must, loose);
    }
  }
  if (!excluded.empty() || !negative_filters.empty()) {
    excluded.insert(excluded.end(), negative_filters.begin(), negative_filters.end());
    Q out_of = combine(Q::OP_OR, excluded);
    strict = Q(Q::OP_AND_NOT, strict, out_of);
    loose = Q(Q::OP_AND_NOT, loose, out_of);
  }
  if (!filters.empty()) {
    std::vector<Q> per_field;
    for (const auto& [field, values] : filters) per_field.push_back(combine(Q::OP_OR, values));
    Q filter = combine(Q::OP_AND, per_field);
    strict = Q(Q::OP_FILTER, strict, filter);
    loose = Q(Q::OP_FILTER, loose, filter);
  }
  out.strict = strict;
  out.loose = loose;
  return out;
}

}  // namespace vigie
