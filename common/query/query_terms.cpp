#include "query/query_terms.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "index/schema.h"
#include "query/weight_scales.h"
#include "vigie/decision_search.h"
#include "vigie/decisions.h"
#include "vigie/document.h"
#include "vigie/term_forms.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// A prefix must have at least this many characters: "d*" would touch a
// large share of the vocabulary for no useful result.
constexpr std::size_t kMinPrefixChars = 2;
// Index terms looked at for one prefix, whatever wildcard_limit says: the
// scan itself must stay bounded on a large vocabulary.
constexpr std::size_t kMaxPrefixScan = 20000;
// Expanded terms of one prefix shown as highlights.
constexpr std::size_t kMaxPrefixHighlights = 20;
constexpr std::size_t kMaxWarnings = 32;
// Forms of one word's stem families searched, the most frequent first: a
// family is a handful of inflections, but the table is built from whatever
// the documents contain.
constexpr std::size_t kMaxFamilyForms = 64;
constexpr int kMaxYearSpan = 500;

std::string term(std::string_view prefix, const std::string& body) {
  return std::string(prefix) + body;
}

// Same bound as the indexer's add_boolean(): the two must agree byte for byte.
std::string boolean_term(std::string_view prefix, const std::string& value) {
  std::string t = term(prefix, value);
  if (t.size() > schema::kMaxTermBytes) t.resize(schema::kMaxTermBytes);
  return t;
}

std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<const Token*> words_of(const std::vector<Token>& tokens) {
  std::vector<const Token*> words;
  for (const auto& t : tokens)
    if (!t.alternative) words.push_back(&t);
  return words;
}

std::string quote(std::string_view s) { return "« " + std::string(s) + " »"; }

std::optional<int> parse_year(std::string_view text) {
  int y = 0;
  if (text.size() != 4) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), y);
  if (ec != std::errc() || ptr != text.data() + text.size() || y < 1000) return std::nullopt;
  return y;
}

}  // namespace

QueryTerms::QueryTerms(FrenchAnalyzer& analyzer, const Xapian::Database& db,
                       const SearchConfig& config, const std::unordered_set<std::string>& stopwords,
                       const std::vector<SynonymEntry>& synonyms, QueryLeaves& leaves,
                       ParsedQuery& out)
    : analyzer_(analyzer),
      db_(db),
      config_(config),
      stopwords_(stopwords),
      synonyms_(synonyms),
      leaves_(leaves),
      out_(out),
      // Several prefixes in one query share a budget of expanded terms.
      expansion_budget_(config.wildcard_limit * 4) {}

void QueryTerms::warn(std::string message) {
  if (out_.warnings.size() >= kMaxWarnings) return;
  if (std::find(out_.warnings.begin(), out_.warnings.end(), message) != out_.warnings.end()) return;
  out_.warnings.push_back(std::move(message));
}

std::vector<Token> QueryTerms::analyse(std::string_view text) { return analyzer_.analyze(text); }

std::string QueryTerms::key(const Lexeme& word) {
  std::string k;
  const auto tokens = analyse(word.text);
  for (const auto* t : words_of(tokens)) {
    if (!k.empty()) k += ' ';
    k += t->exact;
  }
  return k;
}

bool QueryTerms::is_stopword(const Lexeme& word) {
  const auto tokens = analyse(word.text);
  return all_stopwords(words_of(tokens));
}

// A typed word is a stopword when all its words are: « le », and also
// « pouvez-vous », « peut-être » (each part a stopword).
bool QueryTerms::all_stopwords(const std::vector<const Token*>& words) const {
  if (words.empty()) return false;
  for (const Token* t : words)
    if (stopwords_.count(t->exact) == 0) return false;
  return true;
}

void QueryTerms::highlight(const std::string& exact, const std::string& stem) {
  if (exact.empty() || !highlighted_.insert(exact + '\n' + stem).second) return;
  out_.highlights.push_back(HighlightTerm{exact, stem});
}

// One word: its exact form OR its stem families' forms (each family as one
// term for BM25, like the stem term it replaces, so the form typed ranks a
// little above the other forms); several tokens (Vice-président, 2010-2011, an
// email): the phrase of their forms OR the joined form.
Xapian::Query QueryTerms::word_query(const std::vector<Token>& tokens, bool exact_only,
                                     bool title) {
  const std::string_view exact_prefix = title ? schema::kTitlePrefix : schema::kExactPrefix;
  const auto words = words_of(tokens);
  if (words.size() == 1 && words.size() == tokens.size())
    return forms_query(*words[0], exact_only, exact_prefix);
  std::vector<Xapian::Query> parts, alternatives;
  for (const auto& t : tokens) {
    if (t.alternative)
      alternatives.emplace_back(term(exact_prefix, t.exact));
    else
      parts.push_back(slot_query(t, exact_only || is_stopword_key(t.exact), exact_prefix));
  }
  Xapian::Query phrase =
      parts.size() == 1 ? parts[0] : positional(PositionPattern::Kind::Phrase, parts, 0, title);
  if (alternatives.empty()) return phrase;
  alternatives.insert(alternatives.begin(), phrase);
  return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
}

// One word: its exact term, or (not `exact_only`) that term OR one SYNONYM
// per family key (the stem term of the first index layouts, as one term for
// BM25): a document with the form typed gets the exact weight plus the
// family's (even when the family is that form alone: the OR then holds the
// term twice, each weighed in full).
Xapian::Query QueryTerms::forms_query(const Token& t, bool exact_only, std::string_view prefix) {
  const std::string exact_term = term(prefix, t.exact);
  Xapian::Query exact(exact_term);
  if (exact_only) return exact;
  std::vector<Xapian::Query> parts{exact};
  const auto keys = query_stem_terms(t);
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::vector<std::string> forms = family_forms(t, keys[k], prefix, k == 0);
    if (forms.size() == 1 && forms[0] == exact_term) {
      // The family is the word alone: exact + family = the same term
      // weighed twice, for one read of its postings instead of two.
      parts[0] = scale_weight(parts[0], WeightScale::SameTermTwice);
    } else if (!forms.empty()) {
      parts.emplace_back(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
    }
  }
  if (parts.size() == 1) return parts[0];
  return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
}

// One slot of a phrase or PROCHE: the exact term, or (not `exact_only`) the
// SYNONYM of the word's other numbers and genders among its stem families'
// forms (term_forms.h, same_inflection()), which all fill the slot. Only
// those: a stem family is wide (« technique » holds « techniquement »,
// « habitation » « habitants »), and each form is a code more for the
// stream scan (« adjoint technique » at 100k, the whole family: 1.6 ms, the
// exact forms: 1.15 ms). One SYNONYM weighs like one term: a phrase's words
// weigh what they did when phrases took the exact forms only (an OR like
// word_query()'s doubled the weight of a hyphenated word: demo collection
// q24, nDCG@10 0.933 → 0.717).
Xapian::Query QueryTerms::slot_query(const Token& t, bool exact_only, std::string_view prefix) {
  std::vector<std::string> forms{term(prefix, t.exact)};
  if (!exact_only)
    for (const auto& key : query_stem_terms(t))
      for (const auto& form : family(key))
        if (forms.size() < kMaxFamilyForms && same_inflection(t.exact, form))
          forms.push_back(term(prefix, form));
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  if (forms.size() == 1) return Xapian::Query(forms[0]);
  return Xapian::Query(Xapian::Query::OP_SYNONYM, forms.begin(), forms.end());
}

Xapian::Query QueryTerms::positional(PositionPattern::Kind kind,
                                     const std::vector<Xapian::Query>& parts, std::uint32_t span,
                                     bool title) {
  PositionPattern pattern{kind, {}, span, title};
  const std::string_view prefix = title ? schema::kTitlePrefix : schema::kExactPrefix;
  std::vector<Xapian::Query> words;  // the parts but stopwords
  for (const auto& part : parts) {
    auto& slot = pattern.slots.emplace_back();
    for (auto t = part.get_unique_terms_begin(); t != part.get_unique_terms_end(); ++t)
      if ((*t).compare(0, prefix.size(), prefix) == 0) slot.push_back((*t).substr(prefix.size()));
    if (slot.size() != 1 || !is_stopword_key(slot[0])) words.push_back(part);
  }
  return leaves_.positional(pattern, parts, words.empty() ? parts : words);
}

// The forms the index lists under a stem-family key (read once per parse).
const std::vector<std::string>& QueryTerms::family(const std::string& key) {
  auto [it, fresh] = families_.try_emplace(key);
  if (fresh)
    for (auto form = db_.synonyms_begin(key); form != db_.synonyms_end(key); ++form)
      it->second.push_back(*form);
  return it->second;
}

// The forms the family `key` lists (plus the word itself when
// `with_word`), each with `prefix`, sorted; the kMaxFamilyForms most
// frequent when there are more (with a warning).
std::vector<std::string> QueryTerms::family_forms(const Token& t, const std::string& key,
                                                  std::string_view prefix, bool with_word) {
  std::vector<std::string> forms;
  if (with_word) forms.push_back(term(prefix, t.exact));
  for (const auto& form : family(key)) forms.push_back(term(prefix, form));
  std::sort(forms.begin(), forms.end());
  forms.erase(std::unique(forms.begin(), forms.end()), forms.end());
  if (forms.size() <= kMaxFamilyForms) return forms;
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  for (auto& f : forms) found.emplace_back(db_.get_termfreq(f), std::move(f));
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(kMaxFamilyForms),
                    found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  found.resize(kMaxFamilyForms);
  warn("Le mot " + quote(t.exact) + " a trop de formes dans l’index ; seules les " +
       std::to_string(kMaxFamilyForms) + " plus fréquentes sont cherchées.");
  forms.clear();
  for (auto& [freq, f] : found) forms.push_back(std::move(f));
  std::sort(forms.begin(), forms.end());
  return forms;
}

std::optional<Xapian::Query> QueryTerms::word(const Lexeme& w, bool positive) {
  if (w.prefix) return prefix_query(w, false, positive, nullptr);
  const auto tokens = analyse(w.text);
  const auto words = words_of(tokens);
  if (words.empty()) return std::nullopt;
  const bool stop = all_stopwords(words);
  if (stop && !w.exact && !w.required && !keep_stopwords_) return std::nullopt;
  if (positive) {
    for (const auto* t : words) highlight(t->exact, w.exact || words.size() > 1 ? "" : t->stem);
    note_unknown(w, tokens);
  }
  return word_query(tokens, w.exact, false);
}

std::optional<Xapian::Query> QueryTerms::phrase(std::string_view text, bool positive, bool title,
                                                bool exact) {
  const auto tokens = analyse(text);
  auto words = words_of(tokens);
  if (words.empty()) return std::nullopt;
  if (words.size() > config_.max_query_terms) {
    warn("Phrase limitée à ses " + std::to_string(config_.max_query_terms) + " premiers mots.");
    words.resize(config_.max_query_terms);
  }
  const std::string_view prefix = title ? schema::kTitlePrefix : schema::kExactPrefix;
  std::vector<Xapian::Query> parts;
  for (const auto* t : words) {
    // A stopword stands for itself: « de » and « des » are not forms of
    // one another in a name (« gardiennage de l’église »).
    const bool exact_word = exact || is_stopword_key(t->exact);
    parts.push_back(slot_query(*t, exact_word, prefix));
    if (positive) highlight(t->exact, exact_word ? "" : t->stem);
  }
  if (parts.size() == 1) return parts[0];
  return positional(PositionPattern::Kind::Phrase, parts, 0, title);
}

std::optional<Xapian::Query> QueryTerms::near(const std::vector<const Lexeme*>& operands,
                                              int window, bool positive) {
  std::vector<Xapian::Query> parts;
  for (const Lexeme* op : operands) {
    if (op->prefix) {
      std::vector<std::string> expansions;
      if (prefix_query(*op, false, positive, &expansions)) {
        // OP_NEAR accepts terms or an OR of terms (not OP_SYNONYM).
        parts.push_back(expansions.empty() ? Xapian::Query::MatchNothing
                                           : Xapian::Query(Xapian::Query::OP_OR, expansions.begin(),
                                                           expansions.end()));
      }
      continue;
    }
    const auto tokens = analyse(op->text);
    for (const auto* t : words_of(tokens)) {
      const bool exact_word = op->exact || is_stopword_key(t->exact);
      parts.push_back(slot_query(*t, exact_word, schema::kExactPrefix));
      if (positive) highlight(t->exact, exact_word ? "" : t->stem);
    }
  }
  if (parts.empty()) return std::nullopt;
  if (parts.size() == 1) return parts[0];
  // Xapian's window spans all the terms: n words between two terms need a
  // window of n + 2.
  const auto span =
      static_cast<Xapian::termcount>(window) + static_cast<Xapian::termcount>(parts.size());
  return positional(PositionPattern::Kind::Near, parts, span, false);
}

std::optional<Xapian::Query> QueryTerms::title(const Lexeme& field, bool positive) {
  if (is_blank(field.text)) {
    warn("Champ « titre: » vide ; ignoré.");
    return std::nullopt;
  }
  if (field.quoted) return phrase(field.text, positive, true);
  if (field.prefix) return prefix_query(field, true, positive, nullptr);
  const auto tokens = analyse(field.text);
  const auto words = words_of(tokens);
  if (words.empty()) return std::nullopt;
  if (positive)
    for (const auto* t : words) highlight(t->exact, words.size() > 1 ? "" : t->stem);
  return word_query(tokens, false, true);
}

std::optional<Xapian::Query> QueryTerms::prefix_query(const Lexeme& w, bool title, bool positive,
                                                      std::vector<std::string>* expansions) {
  const auto tokens = analyse(w.text);
  const auto words = words_of(tokens);
  if (words.empty()) return std::nullopt;
  const std::string& last = words.back()->exact;
  if (code_points(last) < kMinPrefixChars) {
    warn("Préfixe " + quote(w.text + "*") + " trop court (" + std::to_string(kMinPrefixChars) +
         " lettres au moins) ; cherché comme un mot.");
    if (positive)
      for (const auto* t : words) highlight(t->exact, "");
    if (expansions) *expansions = {term(title ? schema::kTitlePrefix : schema::kExactPrefix, last)};
    return word_query(tokens, true, title);
  }
  const std::string_view exact_prefix = title ? schema::kTitlePrefix : schema::kExactPrefix;
  std::vector<std::string> terms = expand(term(exact_prefix, last), w.text);
  if (positive) {
    for (std::size_t i = 0; i + 1 < words.size(); ++i) highlight(words[i]->exact, "");
    for (std::size_t i = 0; i < terms.size() && i < kMaxPrefixHighlights; ++i)
      highlight(terms[i].substr(exact_prefix.size()), "");
  }
  if (expansions) *expansions = terms;
  if (terms.empty()) return Xapian::Query::MatchNothing;
  if (words.size() == 1)
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
  // "vice-pré*": the phrase of the first parts, then any expansion.
  std::vector<Xapian::Query> parts;
  for (std::size_t i = 0; i + 1 < words.size(); ++i)
    parts.emplace_back(term(exact_prefix, words[i]->exact));
  parts.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
  return positional(PositionPattern::Kind::Phrase, parts, 0, title);
}

// The most frequent index terms starting with `prefix_term`, at most
// wildcard_limit (and what is left of the query's budget).
std::vector<std::string> QueryTerms::expand(const std::string& prefix_term,
                                            std::string_view typed) {
  const std::size_t limit = std::min(config_.wildcard_limit, expansion_budget_);
  if (limit == 0) {
    warn("Trop de préfixes dans la requête ; " + quote(std::string(typed) + "*") + " est ignoré.");
    return {};
  }
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  std::size_t scanned = 0;
  bool cut = false;
  for (auto it = db_.allterms_begin(prefix_term); it != db_.allterms_end(prefix_term); ++it) {
    if (++scanned > kMaxPrefixScan) {
      cut = true;
      break;
    }
    found.emplace_back(it.get_termfreq(), *it);
  }
  if (found.size() > limit || cut) {
    const std::size_t keep = std::min(limit, found.size());
    std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(keep), found.end(),
                      [](const auto& a, const auto& b) { return a.first > b.first; });
    found.resize(keep);
    warn("Le préfixe " + quote(std::string(typed) + "*") +
         " correspond à trop de mots ; seuls les " + std::to_string(keep) +
         " plus fréquents sont cherchés. Précisez le début du mot.");
  }
  expansion_budget_ -= found.size();
  std::vector<std::string> terms;
  for (auto& [freq, t] : found) terms.push_back(std::move(t));
  return terms;
}

void QueryTerms::note_unknown(const Lexeme& w, const std::vector<Token>& tokens) {
  if (tokens.size() != 1) return;
  const Token& t = tokens[0];
  if (t.exact.size() < 3 || has_digit(t.exact)) return;
  if (db_.get_termfreq(t.exact) > 0) return;
  for (const auto& s : query_stem_terms(t)) {
    // A family may list forms whose documents were deleted since.
    for (const auto& form : family(s))
      if (db_.get_termfreq(form) > 0) return;
  }
  unknown_.push_back(UnknownWord{t.exact, w.begin + t.begin, w.begin + t.end});
  out_.unknown_words.push_back(t.exact);
}

std::optional<Filter> QueryTerms::filter(const Lexeme& field) {
  const std::string value = collapse_spaces(field.text);
  if (auto decision = decision_filter(field.field, value)) return decision;
  if (value.empty()) {
    warn("Champ « " + field.field + ": » vide ; ignoré. Exemple : " + field.field + ":valeur.");
    return std::nullopt;
  }
  const std::string& name = field.field;
  if (name == "type") {
    if (auto type = parse_doc_type(value))
      return Filter{
          name, Xapian::Query(boolean_term(schema::kTypePrefix, std::string(doc_type_key(*type))))};
    std::string valid;
    for (DocType t : all_doc_types())
      valid += (valid.empty() ? "" : ", ") + std::string(doc_type_label(t));
    warn("Type de document inconnu " + quote(value) +
         " ; filtre ignoré. Types possibles : " + valid + ".");
    return std::nullopt;
  }
  if (name == "collectivite" || name == "org" || name == "organisation")
    return Filter{"collectivite",
                  Xapian::Query(boolean_term(schema::kOrgPrefix, schema::facet_key(value)))};
  if (name == "lieu")
    return Filter{name,
                  Xapian::Query(boolean_term(schema::kPlacePrefix, schema::facet_key(value)))};
  if (name == "personne")
    return Filter{name,
                  Xapian::Query(boolean_term(schema::kPersonPrefix, schema::facet_key(value)))};
  if (name == "numero")
    return Filter{name, Xapian::Query(boolean_term(schema::kNumberPrefix, fold(value)))};
  if (name == "annee") return year_filter(field);
  if (name == "date") return date_filter(field);
  return std::nullopt;
}

// vote:, montant:, article:, loi:, decret:, ordonnance: (what deliberations
// decide). Unlike the older fields, a value they cannot use is an error
// (QuerySyntaxError → 400) rather than a filter dropped with a warning:
// dropping `montant:>1e999` would list every document as if it matched.
// nullopt when `name` is none of them.
std::optional<Filter> QueryTerms::decision_filter(const std::string& name,
                                                  const std::string& value) {
  if (name == "vote") {
    auto vote = parse_vote_filter(value);
    if (!vote)
      throw QuerySyntaxError(
          (value.empty() ? std::string("Champ « vote: » vide") : "Vote inconnu " + quote(value)) +
          " : écrire vote:unanimite, vote:majorite, vote:rejet, vote:contre (des voix contre) ou "
          "vote:abstention.");
    return Filter{name, Xapian::Query(schema::vote_term(vote_filter_key(*vote)))};
  }
  if (name == "montant") {
    std::string error;
    auto range = parse_amount_range(value, error);
    if (!range) throw QuerySyntaxError(error);
    return Filter{name, leaves_.amount_range(*range)};
  }
  if (name == "article") return article_filter(value);
  if (name == "loi" || name == "decret" || name == "ordonnance") {
    auto number = act_number_key(value);
    if (!number)
      throw QuerySyntaxError(
          (value.empty() ? "Champ « " + name + ": » vide" : "Numéro invalide " + quote(value)) +
          " : écrire " + name + ":" + (name == "loi" ? "2004-809" : "2016-360") +
          " (l’année, un tiret, le numéro).");
    return Filter{name, Xapian::Query(schema::act_term(name, *number))};
  }
  return std::nullopt;
}

// article:L2121-29, article:"L. 2121-29", article:cgct:L2121-29 (that
// code's article only): any form article_key() reads.
std::optional<Filter> QueryTerms::article_filter(const std::string& value) {
  std::string code;
  std::string_view written = value;
  if (const auto colon = written.find(':'); colon != std::string_view::npos) {
    code = code_key(written.substr(0, colon));
    if (code.empty()) code = fold(written.substr(0, colon));
    written.remove_prefix(colon + 1);
  }
  auto key = article_key(written);
  const bool code_ok = std::all_of(code.begin(), code.end(),
                                   [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  if (!key || !code_ok)
    throw QuerySyntaxError((value.empty() ? std::string("Champ « article: » vide")
                                          : "Article invalide " + quote(value)) +
                           " : écrire article:L2121-29, article:\"L. 2121-29\" ou, pour un code "
                           "précis, article:cgct:L2121-29.");
  return Filter{"article", Xapian::Query(schema::article_term(*key, code))};
}

std::optional<Filter> QueryTerms::year_filter(const Lexeme& field) {
  const std::string value = collapse_spaces(field.text);
  const auto dots = value.find("..");
  auto from = parse_year(value.substr(0, dots));
  auto to = dots == std::string::npos ? from : parse_year(value.substr(dots + 2));
  if (!from || !to) {
    warn("Année invalide " + quote(value) + " (attendu AAAA ou AAAA..AAAA) ; filtre ignoré.");
    return std::nullopt;
  }
  if (*from > *to) std::swap(from, to);
  if (*to - *from > kMaxYearSpan) {
    warn("Intervalle d’années " + quote(value) + " trop large ; filtre ignoré.");
    return std::nullopt;
  }
  std::vector<Xapian::Query> years;
  for (int y = *from; y <= *to; ++y)
    years.emplace_back(boolean_term(schema::kYearPrefix, std::to_string(y)));
  return Filter{"annee", Xapian::Query(Xapian::Query::OP_OR, years.begin(), years.end())};
}

std::optional<Filter> QueryTerms::date_filter(const Lexeme& field) {
  const std::string value = collapse_spaces(field.text);
  const auto dots = value.find("..");
  const std::string left = dots == std::string::npos ? value : value.substr(0, dots);
  const std::string right = dots == std::string::npos ? value : value.substr(dots + 2);
  auto invalid = [&](const std::string& part) -> std::optional<Filter> {
    warn("Date invalide " + quote(part) +
         " (formats : AAAA-MM-JJ, AAAA-MM, AAAA, JJ/MM/AAAA, et intervalles avec ..) ; filtre "
         "ignoré.");
    return std::nullopt;
  };
  if (left.empty() && right.empty()) return invalid(value);
  DateRange range;
  if (!left.empty() && !(range.from = Date::parse(left))) return invalid(left);
  if (!right.empty() && !(range.to = Date::parse(right))) return invalid(right);
  if (range.from && range.to && range.low() > range.high()) {
    warn("Intervalle de dates " + quote(value) + " inversé ; bornes échangées.");
    std::swap(range.from, range.to);
  }
  return Filter{"date", leaves_.date_range(range)};
}

std::size_t QueryTerms::match_synonym(const std::vector<std::string>& keys, std::size_t from,
                                      std::size_t& group) const {
  std::size_t best = 0;
  for (std::size_t g = 0; g < synonyms_.size(); ++g) {
    for (const auto& k : synonyms_[g].keys) {
      std::string joined;
      for (std::size_t n = 1; from + n <= keys.size() && joined.size() < k.size(); ++n) {
        if (keys[from + n - 1].empty()) break;
        if (!joined.empty()) joined += ' ';
        joined += keys[from + n - 1];
        if (joined == k && n > best) {
          best = n;
          group = g;
        }
      }
    }
  }
  return best;
}

std::optional<Xapian::Query> QueryTerms::synonym_forms(std::size_t group,
                                                       const std::string& typed_key,
                                                       const std::string& typed_text) {
  const SynonymEntry& entry = synonyms_[group];
  std::vector<Xapian::Query> forms;
  for (std::size_t i = 0; i < entry.forms.size(); ++i) {
    if (entry.keys[i] == typed_key || entry.keys[i].empty()) continue;
    const auto tokens = analyse(entry.forms[i]);
    const auto words = words_of(tokens);
    for (const auto* t : words) highlight(t->exact, words.size() > 1 ? "" : t->stem);
    forms.push_back(word_query(tokens, false, false));
    out_.synonyms.push_back(SynonymUse{typed_text, entry.forms[i]});
  }
  if (forms.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_OR, forms.begin(), forms.end());
}

}  // namespace vigie
