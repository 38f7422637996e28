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
  // « a b OR c d »: which pairs would count is not obvious; none do.
  if (operators_) adjacent_.clear();
  return part;
}

QueryPart QueryGrammar::parse_or() {
  return parse_operator_chain(LexKind::Or, &QueryGrammar::parse_and, Q::OP_OR);
}

QueryPart QueryGrammar::parse_and() {
  return parse_operator_chain(LexKind::And, &QueryGrammar::parse_sequence, Q::OP_AND);
}

// operand { op operand }, the operands' queries combined with `combine_op`;
// an operator without a term on one side is skipped with a warning.
QueryPart QueryGrammar::parse_operator_chain(LexKind op_kind, QueryPart (QueryGrammar::*operand)(),
                                             Q::op combine_op) {
  std::vector<QueryPart> parts{(this->*operand)()};
  while (peek() && peek()->kind == op_kind) {
    const Lexeme& op = *peek();
    ++pos_;
    if (std::none_of(parts.begin(), parts.end(), [](const QueryPart& p) { return p.consumed; }))
      terms_.warn("Opérateur " + op_name(op) + " sans terme à gauche ; ignoré.");
    QueryPart right = (this->*operand)();
    if (!right.consumed) terms_.warn("Opérateur " + op_name(op) + " sans terme à droite ; ignoré.");
    parts.push_back(std::move(right));
    operators_ = true;
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
  out.strict = combine(combine_op, strict);
  out.loose = combine(combine_op, loose);
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
  Item item;
  const Lexeme* mark = read_marks(item);
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

  item.lexeme = l;
  if (l->kind == LexKind::LParen) return parse_group(item, items);
  ++pos_;
  if (l->kind == LexKind::Field) {
    item.kind = Item::Kind::Field;
  } else if (l->kind == LexKind::Phrase) {
    item.kind = Item::Kind::Phrase;
  }
  item.negated |= l->excluded;
  item.required |= l->required;
  if (item.kind != Item::Kind::Field) read_near_chain(item);
  items.push_back(std::move(item));
  return true;
}

// NOT, SAUF, - and + before an item: sets `item`'s marks, returns the last
// mark read (nullptr when none).
const Lexeme* QueryGrammar::read_marks(Item& item) {
  const Lexeme* mark = nullptr;
  while (peek() && (peek()->kind == LexKind::Not || peek()->kind == LexKind::Plus)) {
    mark = peek();
    (mark->kind == LexKind::Not ? item.negated : item.required) = true;
    ++pos_;
  }
  return mark;
}

// ( or_expr ): `item` at its '(' becomes a group, parsed one level deeper,
// unless that is past kMaxQueryDepth. Returns whether it was added.
bool QueryGrammar::parse_group(Item& item, std::vector<Item>& items) {
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

// mot1 NEAR/n mot2 [NEAR/m mot3]: words or phrases only. `item` (a word or
// a phrase just read) becomes a NEAR item when one follows.
void QueryGrammar::read_near_chain(Item& item) {
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
    if (item.near.empty()) item.near.push_back(item.lexeme);
    item.near.push_back(right);
    item.window = std::max(item.window, op.near_window);
  }
  if (!item.near.empty()) item.kind = Item::Kind::Near;
}

// The queries of one sequence, sorted by their role, then combined by
// query(): juxtaposed words (positives) are all required by `strict` and
// relaxed by `loose`; +required, -excluded and field filters apply to both.
struct QueryGrammar::Sequence {
  // One juxtaposed word (or group) of a sequence, in its two forms.
  struct Unit {
    Q strict;
    Q loose;
  };
  std::vector<Unit> positives;
  std::vector<Q> required, excluded, negative_filters;
  std::map<std::string, std::vector<Q>> filters;  // same field ORed, fields ANDed
  bool relaxed = false;                           // some positive's loose differs
  bool any_words_ranked = false;                  // loose without the all-words tier

  // A word, phrase or NEAR query, by the marks of its item.
  void add(const std::optional<Q>& q, const Item& item) {
    if (!q) return;
    if (item.negated) {
      excluded.push_back(*q);
    } else if (item.required) {
      required.push_back(*q);
    } else {
      positives.push_back(Unit{*q, *q});
    }
  }

  void add_group(const Item& item, std::size_t index);
  QueryPart query();

 private:
  bool empty() const {
    return positives.empty() && required.empty() && excluded.empty() && filters.empty() &&
           negative_filters.empty();
  }
  bool combine_positives(Q& strict, Q& loose) const;
  void apply_required(Q& strict, Q& loose) const;
  void apply_exclusions(Q& strict, Q& loose);
  void apply_filters(Q& strict, Q& loose) const;
};

// A parenthesised group: a filter when it has no word to rank on, else a
// word-like unit (its own strict and loose forms).
void QueryGrammar::Sequence::add_group(const Item& item, std::size_t index) {
  const QueryPart& group = item.group;
  if (group.empty) return;
  if (!group.scored) {
    // (type:a OR type:b), (-mot): a filter, not a word to rank on.
    if (item.negated) {
      negative_filters.push_back(group.strict);
    } else {
      filters["(" + std::to_string(index)].push_back(group.strict);
    }
    return;
  }
  if (item.negated) {
    excluded.push_back(group.strict);
  } else if (item.required) {
    required.push_back(group.strict);
  } else {
    positives.push_back(Unit{group.strict, group.loose});
    relaxed |= group.relaxed;
  }
}

QueryPart QueryGrammar::Sequence::query() {
  QueryPart out;
  out.relaxed = relaxed;
  if (empty()) return out;
  out.empty = false;
  out.scored = !positives.empty() || !required.empty();
  // Q(std::string()), never the static Q::MatchAll: its reference count is
  // not atomic, and copies made by concurrent searches corrupt it (a
  // use-after-free under load; Xapian's query.h says as much).
  Q strict = Q(std::string()), loose = Q(std::string());
  if (!positives.empty()) out.relaxed |= combine_positives(strict, loose);
  if (!required.empty()) apply_required(strict, loose);
  if (!excluded.empty() || !negative_filters.empty()) apply_exclusions(strict, loose);
  if (!filters.empty()) apply_filters(strict, loose);
  out.strict = strict;
  out.loose = loose;
  return out;
}

// All the juxtaposed words in `strict`; in `loose` too, then fewer of them.
// Returns whether `loose` differs.
bool QueryGrammar::Sequence::combine_positives(Q& strict, Q& loose) const {
  std::vector<Q> s, l;
  for (const auto& u : positives) {
    s.push_back(u.strict);
    l.push_back(u.loose);
  }
  strict = combine(Q::OP_AND, s);
  if (positives.size() == 1) {
    loose = l[0];
    return false;
  }
  // A question: any of the words, by BM25 alone (question_form.h).
  if (any_words_ranked) {
    loose = combine(Q::OP_OR, l);
    return true;
  }
  // Keywords: all the words first (scaled far above), then documents with fewer.
  loose = Q(Q::OP_OR, scale_weight(strict, WeightScale::AllWordsBoost), combine(Q::OP_OR, l));
  return true;
}

// +mot: required by both; `loose` ranks the positives' matches among them.
void QueryGrammar::Sequence::apply_required(Q& strict, Q& loose) const {
  Q must = combine(Q::OP_AND, required);
  if (positives.empty()) {
    strict = loose = must;
  } else {
    strict = Q(Q::OP_AND, must, strict);
    loose = Q(Q::OP_AND_MAYBE, must, loose);
  }
}

// -mot, NOT (…), -field:value: out of both.
void QueryGrammar::Sequence::apply_exclusions(Q& strict, Q& loose) {
  excluded.insert(excluded.end(), negative_filters.begin(), negative_filters.end());
  Q out_of = combine(Q::OP_OR, excluded);
  strict = Q(Q::OP_AND_NOT, strict, out_of);
  loose = Q(Q::OP_AND_NOT, loose, out_of);
}

// field:value filters: the values of one field ORed, the fields ANDed.
void QueryGrammar::Sequence::apply_filters(Q& strict, Q& loose) const {
  std::vector<Q> per_field;
  for (const auto& [field, values] : filters) per_field.push_back(combine(Q::OP_OR, values));
  Q filter = combine(Q::OP_AND, per_field);
  strict = Q(Q::OP_FILTER, strict, filter);
  loose = Q(Q::OP_FILTER, loose, filter);
}

QueryPart QueryGrammar::build_sequence(const std::vector<Item>& items) {
  Sequence sequence;
  sequence.any_words_ranked = rank_any_words_;
  const std::vector<std::string> keys = synonym_keys(items);
  previous_forms_.clear();
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::size_t group = 0;
    const std::size_t span = keys[i].empty() ? 0 : terms_.match_synonym(keys, i, group);
    if (span > 0) {
      previous_forms_.clear();
      add_synonym_match(items, keys, i, span, group, sequence);
      i += span - 1;
      continue;
    }
    // A plain word of one token (keys: plain words only; « vice-président »
    // is a phrase of two): a link of the adjacent words' chain. A stopword
    // (no query) neither adds nor breaks one: « indemnités du maire ».
    if (!keys[i].empty() && keys[i].find(' ') == std::string::npos) {
      const std::optional<Q> word = terms_.word(*items[i].lexeme, true);
      if (word && depth_ == 0) chain_word(*word, keys[i]);
      sequence.add(word, items[i]);
      continue;
    }
    previous_forms_.clear();
    if (!keys[i].empty() && depth_ == 0) note_plain_parts(keys[i]);
    add_item(items[i], i, sequence);
  }
  return sequence.query();
}

// Synonyms: the analysed keys of plain juxtaposed words; a non-plain item
// has an empty key, which stops a multi-word match.
std::vector<std::string> QueryGrammar::synonym_keys(const std::vector<Item>& items) {
  std::vector<std::string> keys(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& it = items[i];
    const Lexeme* l = it.lexeme;
    if (it.kind == Item::Kind::Word && !it.negated && !it.required && !l->exact && !l->prefix)
      keys[i] = terms_.key(*l);
  }
  return keys;
}

// The `span` words from items[first] that match a form of synonym `group`:
// one unit, the words themselves OR the group's other forms.
void QueryGrammar::add_synonym_match(const std::vector<Item>& items,
                                     const std::vector<std::string>& keys, std::size_t first,
                                     std::size_t span, std::size_t group, Sequence& sequence) {
  std::vector<Q> words;
  std::string typed_key;
  for (std::size_t k = first; k < first + span; ++k) {
    if (auto q = terms_.word(*items[k].lexeme, true)) words.push_back(*q);
    typed_key += (typed_key.empty() ? "" : " ") + keys[k];
  }
  const Lexeme& first_word = *items[first].lexeme;
  const Lexeme& last_word = *items[first + span - 1].lexeme;
  const std::string typed(text_.substr(first_word.begin, last_word.end - first_word.begin));
  auto forms = terms_.synonym_forms(group, typed_key, typed);
  std::vector<Q> strict, loose = words;
  if (!words.empty()) strict.push_back(combine(Q::OP_AND, words));
  if (forms) {
    strict.push_back(*forms);
    loose.push_back(*forms);
  }
  if (strict.empty()) return;
  Q unit = combine(Q::OP_OR, strict);
  if (words.size() > 1) {
    // Typed « intelligence artificielle »: the whole (or its synonym)
    // first, then documents with only some of the words.
    loose = {scale_weight(unit, WeightScale::AllWordsBoost), combine(Q::OP_OR, words)};
    sequence.relaxed = true;
  }
  sequence.positives.push_back(Sequence::Unit{unit, combine(Q::OP_OR, loose)});
}

// A plain word's forms, once per word (« maire … maire »
// counts once).
void QueryGrammar::note_plain_word(const std::vector<std::string>& forms) {
  if (plain_words_.size() >= kMaxPlainWords) return;
  for (const auto& known : plain_words_)
    if (known.forms == forms) return;
  plain_words_.push_back(QueryWord{forms});
}

// A plain word of several parts (« halte-garderie », « Saint-Père-en-Retz »,
// searched as their phrase): each part but stopwords a plain word of its
// own, in the form typed — a title « Halte garderie » holds both.
void QueryGrammar::note_plain_parts(const std::string& key) {
  std::size_t from = 0;
  while (from < key.size()) {
    const std::size_t end = std::min(key.find(' ', from), key.size());
    const std::string part = key.substr(from, end - from);
    if (!part.empty() && !terms_.is_stopword_key(part)) note_plain_word({part});
    from = end + 1;
  }
}

// `word` (the query of a plain word typed `typed`) follows the chain's last
// word: the pair of their forms (the form typed first, then its family's).
void QueryGrammar::chain_word(const Q& word, const std::string& typed) {
  std::vector<std::string> forms{typed};
  for (auto t = word.get_unique_terms_begin(); t != word.get_unique_terms_end(); ++t)
    if (forms.size() < kMaxAdjacentForms && *t != typed) forms.push_back(*t);
  note_plain_word(forms);
  if (!previous_forms_.empty() && adjacent_.size() < kMaxAdjacentPairs)
    adjacent_.push_back(AdjacentWords{previous_forms_, forms});
  previous_forms_ = std::move(forms);
}

// One item that is not part of a synonym match, items[index].
void QueryGrammar::add_item(const Item& it, std::size_t index, Sequence& sequence) {
  switch (it.kind) {
    case Item::Kind::Word:
      sequence.add(terms_.word(*it.lexeme, !it.negated), it);
      break;
    case Item::Kind::Phrase:
      sequence.add(terms_.phrase(it.lexeme->text, !it.negated, false, it.lexeme->exact), it);
      break;
    case Item::Kind::Near:
      sequence.add(terms_.near(it.near, it.window, !it.negated), it);
      break;
    case Item::Kind::Field:
      if (it.lexeme->field == "titre") {
        sequence.add(terms_.title(*it.lexeme, !it.negated), it);
      } else if (auto f = terms_.filter(*it.lexeme)) {
        (it.negated ? sequence.negative_filters : sequence.filters[f->field]).push_back(f->query);
      }
      break;
    case Item::Kind::Group:
      sequence.add_group(it, index);
      break;
  }
}

}  // namespace vigie
