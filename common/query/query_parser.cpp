// QueryParser: the stages are query_lexer (text → lexemes), query_grammar
// (lexemes → strict/loose queries) and query_terms (one lexeme → terms);
// this file checks the limits, runs them and adds the spelling suggestion.
#include "query/query_parser.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "query/query_grammar.h"
#include "query/query_lexer.h"
#include "query/query_terms.h"
#include "query/question_form.h"
#include "vigie/french_analyzer.h"
#include "vigie/text_normalization.h"

namespace vigie {
namespace {

// Spelling lookups per query: each one walks the spelling table.
constexpr std::size_t kMaxSpellingLookups = 16;

// Stopwords are kept when the query has nothing else to search for (« le »
// alone, « à la une »): ignoring them would leave nothing.
bool only_stopwords(const std::vector<Lexeme>& lexemes, QueryTerms& terms) {
  bool any_word = false;
  for (const auto& l : lexemes) {
    if (l.kind == LexKind::Phrase || l.kind == LexKind::Field) return false;
    if (l.kind != LexKind::Word) continue;
    if (l.exact || l.prefix || !terms.is_stopword(l)) return false;
    any_word = true;
  }
  return any_word;
}

// The query text with each unknown word replaced by the index's suggestion
// (folded form), or "" when there is none.
std::string spelling_suggestion(const std::string& text, std::vector<UnknownWord> unknown,
                                const Xapian::Database& db) {
  std::sort(unknown.begin(), unknown.end(),
            [](const UnknownWord& a, const UnknownWord& b) { return a.begin < b.begin; });
  std::string out;
  std::size_t copied = 0, lookups = 0;
  bool changed = false;
  for (const auto& word : unknown) {
    if (word.begin < copied || ++lookups > kMaxSpellingLookups) continue;
    std::string fix;
    try {
      fix = db.get_spelling_suggestion(word.folded);
    } catch (const Xapian::UnimplementedError&) {
      return {};  // remote shards have no spelling table (docs/architecture.md, "Index
                  // generations")
    }
    if (fix.empty() || fix == word.folded) continue;
    out.append(text, copied, word.begin - copied);
    out += fix;
    copied = word.end;
    changed = true;
  }
  if (!changed) return {};
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace

struct QueryParser::Impl {
  SearchConfig config;
  std::vector<SynonymEntry> synonyms;
  std::unordered_set<std::string> stopwords;
  FrenchAnalyzer analyzer;
};

QueryParser::QueryParser(const SearchConfig& config, std::vector<SynonymGroup> synonyms,
                         std::unordered_set<std::string> stopwords)
    : impl_(std::make_unique<Impl>()) {
  impl_->config = config;
  impl_->stopwords = std::move(stopwords);
  for (auto& group : synonyms) {
    SynonymEntry entry;
    for (auto& form : group.forms) {
      entry.keys.push_back(synonym_key(impl_->analyzer, form));
      entry.forms.push_back(std::move(form));
    }
    impl_->synonyms.push_back(std::move(entry));
  }
}

QueryParser::~QueryParser() = default;

ParsedQuery QueryParser::parse(std::string_view text, const Xapian::Database& db,
                               QueryLeaves& leaves) {
  const SearchConfig& config = impl_->config;
  if (text.size() > config.max_query_bytes)
    throw QuerySyntaxError("Requête trop longue (" + std::to_string(text.size()) +
                           " octets, maximum " + std::to_string(config.max_query_bytes) +
                           ") : raccourcissez-la.");
  ParsedQuery out;
  try {
    const std::string clean = sanitize_query_text(text, out.warnings);
    const std::vector<Lexeme> lexemes = lex_query(clean, config.max_query_terms, out.warnings);
    QueryTerms terms(impl_->analyzer, db, config, impl_->stopwords, impl_->synonyms, leaves, out);
    terms.set_keep_stopwords(only_stopwords(lexemes, terms));
    QueryGrammar grammar(lexemes, clean, terms);
    out.question = config.questions_any_words && is_question(lexemes, clean);
    grammar.rank_any_words(out.question);
    QueryPart part = grammar.parse();
    out.adjacent_words = grammar.adjacent_words();
    out.plain_words = grammar.plain_words();
    if (part.empty) {
      // Not the static Xapian::Query::MatchAll: copying it from concurrent
      // searches races on its non-atomic reference count.
      out.query = out.strict_query = Xapian::Query(std::string());
      out.match_all = true;
    } else {
      out.query = part.loose;
      out.strict_query = part.strict;
      out.relaxed = part.relaxed;
      out.question = out.question && part.relaxed;
      out.match_all = !part.scored;
    }
    if (!terms.unknown_words().empty())
      out.spelling_suggestion = spelling_suggestion(clean, terms.unknown_words(), db);
  } catch (const Xapian::LogicError& e) {
    // A query Xapian refuses is our bug, but the user still gets a message
    // rather than a 500.
    throw QuerySyntaxError("Requête impossible à interpréter (" + e.get_msg() +
                           ") : simplifiez-la.");
  }
  return out;
}

std::unordered_set<std::string> load_stopwords(const std::filesystem::path& file,
                                               std::vector<std::string>& warnings) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    warnings.push_back("stopwords file " + file.string() + " not found: no stopwords");
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_stopwords(text.str());
}

std::unordered_set<std::string> parse_stopwords(std::string_view text) {
  std::unordered_set<std::string> words;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string word = collapse_spaces(make_valid_utf8(line));
    if (word.empty() || word[0] == '#') continue;
    words.insert(fold(word));
  }
  return words;
}

}  // namespace vigie
