// The fuzz targets' bodies, one function per attack surface, shared by the
// libFuzzer programs (fuzz/fuzz_*.cpp, clang) and the regression test that
// replays every kept crash input through the real code
// (tests/hostile_fuzz_regressions_test.cpp, the normal gcc build).
//
// Each function calls the real code and then checks the contract its header
// promises (valid UTF-8 out, failures without documents, bounded sizes,
// refusals as 4xx); a broken promise throws ContractBroken, which no target
// catches: libFuzzer sees an uncaught exception (abort) and keeps the input,
// the regression test reports it.
#pragma once

#include <rapidjson/document.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/api_params.h"
#include "extractors/extractor.h"
#include "extractors/html_extractor.h"
#include "extractors/json_minutes_extractor.h"
#include "extractors/markdown_extractor.h"
#include "extractors/office_extractor.h"
#include "extractors/pdf_extractor.h"
#include "extractors/scdl_csv_extractor.h"
#include "extractors/text_extractor.h"
#include "http/http_error.h"
#include "http/http_query.h"
#include "http/http_response.h"
#include "http_server.h"
#include "index/schema.h"
#include "matcher/matcher_leaves.h"
#include "pipeline/index_run.h"
#include "query/query_parser.h"
#include "vigie/config.h"
#include "vigie/french_analyzer.h"
#include "vigie/searcher.h"
#include "vigie/synonyms.h"
#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

namespace vigie::fuzz {

class ContractBroken : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

inline void expect(bool condition, const char* what, std::string_view detail = {}) {
  if (!condition)
    throw ContractBroken(std::string(what) + ": " + std::string(detail.substr(0, 200)));
}

inline void expect_utf8(std::string_view text, const char* what) {
  expect(is_valid_utf8(text), what, text.substr(0, 80));
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// ------------------------------------------------------------ extractors

// Small limits so that one input cannot take the fuzzer's memory or time:
// the limits themselves are what is being tested.
inline ExtractLimits fuzz_limits() {
  ExtractLimits limits;
  limits.max_unzipped_bytes = 8ull << 20;
  limits.max_zip_ratio = 200.0;
  limits.max_pdf_pages = 50;
  limits.max_text_bytes = 1ull << 20;
  return limits;
}

// The Extractor contract (extractor.h), checked on one outcome.
inline void check_outcome(const ExtractOutcome& outcome, const ExtractLimits& limits) {
  if (outcome.failure) {
    expect(outcome.documents.empty(), "failure with documents");
    expect(!outcome.reason.empty(), "failure without a reason");
  }
  for (const auto& doc : outcome.documents) {
    expect_utf8(doc.id, "document id is not UTF-8");
    expect_utf8(doc.title, "title is not UTF-8");
    expect_utf8(doc.body, "body is not UTF-8");
    expect(doc.body.size() <= limits.max_text_bytes, "body over max_text_bytes");
    expect_utf8(doc.organisation, "organisation is not UTF-8");
    expect_utf8(doc.place, "place is not UTF-8");
    expect_utf8(doc.number, "number is not UTF-8");
    expect_utf8(doc.url, "url is not UTF-8");
    for (const auto& p : doc.persons) expect_utf8(p, "person is not UTF-8");
    for (const auto& [k, v] : doc.extra) {
      expect_utf8(k, "extra key is not UTF-8");
      expect_utf8(v, "extra value is not UTF-8");
    }
  }
}

inline void fuzz_extractor(const Extractor& extractor, const char* path, const std::uint8_t* data,
                           std::size_t size) {
  FileInput input;
  input.relative_path = path;
  input.bytes = as_text(data, size);
  input.limits = fuzz_limits();
  check_outcome(extractor.extract(input), input.limits);
}

// The extractor targets: the real classes, called directly.
inline void one_pdf(const std::uint8_t* d, std::size_t n) {
  static const PdfExtractor e;
  fuzz_extractor(e, "seance/CM.pdf", d, n);
}
inline void one_html(const std::uint8_t* d, std::size_t n) {
  static const HtmlExtractor e;
  fuzz_extractor(e, "seance/CM.html", d, n);
}
inline void one_markdown(const std::uint8_t* d, std::size_t n) {
  static const MarkdownExtractor e;
  fuzz_extractor(e, "communiques/note.md", d, n);
}
inline void one_text(const std::uint8_t* d, std::size_t n) {
  static const TextExtractor e;
  fuzz_extractor(e, "notes/note.txt", d, n);
}
// ODT and DOCX: the class decides from the archive's content.
inline void one_office(const std::uint8_t* d, std::size_t n) {
  static const OfficeExtractor e;
  fuzz_extractor(e, "deliberations/acte.odt", d, n);
}
inline void one_json_minutes(const std::uint8_t* d, std::size_t n) {
  static const JsonMinutesExtractor e;
  fuzz_extractor(e, "pv-json/2012-02-14.json", d, n);
}
inline void one_csv(const std::uint8_t* d, std::size_t n) {
  static const ScdlCsvExtractor e;
  fuzz_extractor(e, "open-data/deliberations.csv", d, n);
}

// ------------------------------------------------------------ text analysis

// FrenchAnalyzer on arbitrary bytes (invalid UTF-8 included): offsets inside
// the input, terms valid UTF-8 and capped at schema::kMaxTermBytes, positions
// never going back; and the normalisation helpers it relies on.
inline void one_analyzer(const std::uint8_t* data, std::size_t size) {
  static FrenchAnalyzer analyzer;
  const std::string_view text = as_text(data, size);
  std::uint32_t last_position = 0;
  bool first = true;
  analyzer.analyze(text, [&](const Token& token) {
    expect(token.begin <= token.end && token.end <= size, "token offsets outside the input");
    expect(!token.exact.empty(), "empty term");
    expect(token.exact.size() <= schema::kMaxTermBytes, "exact term too long", token.exact);
    expect(token.stem.size() <= schema::kMaxTermBytes, "stem too long", token.stem);
    expect(token.unaccented_stem.size() <= schema::kMaxTermBytes, "unaccented stem too long");
    expect_utf8(token.exact, "exact term is not UTF-8");
    expect_utf8(token.stem, "stem is not UTF-8");
    expect_utf8(token.unaccented_stem, "unaccented stem is not UTF-8");
    expect(first || token.position >= last_position, "positions went back");
    first = false;
    last_position = token.position;
  });
  const std::string valid = make_valid_utf8(text);
  expect_utf8(valid, "make_valid_utf8 output is not UTF-8");
  expect(is_valid_utf8(text) == (valid == text), "make_valid_utf8 changed valid input");
  expect_utf8(fold(text), "fold output is not UTF-8");
  expect_utf8(to_nfc(text), "to_nfc output is not UTF-8");
  expect_utf8(collapse_spaces(valid), "collapse_spaces output is not UTF-8");
}

// decode_to_utf8 with and without a declared charset (the first byte picks
// one, as an HTML meta or an XML prolog would): always valid UTF-8.
inline void one_text_decoding(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 12> kDeclared = {
      "",         "utf-8",  "windows-1252", "iso-8859-15", "iso-8859-1",      "utf-16",
      "utf-16le", "utf-32", "x-mac-roman",  "shift_jis",   "no-such-charset", "UTF-7"};
  if (size == 0) return;
  const std::string_view declared = kDeclared[data[0] % kDeclared.size()];
  const std::string_view bytes = as_text(data + 1, size - 1);
  const DecodedText decoded = decode_to_utf8(bytes, declared);
  expect_utf8(decoded.utf8, "decode_to_utf8 output is not UTF-8");
}

// parse_config: bad input comes back as a ConfigError with a message.
inline void one_config(const std::uint8_t* data, std::size_t size) {
  try {
    const Config config = parse_config(std::string(as_text(data, size)), "/fuzz/vigie.json");
    const FolderDefaults* defaults = config.defaults_for("chemere/pdf/CM.pdf");
    expect(!defaults || std::string_view("chemere/pdf/CM.pdf").starts_with(defaults->path_prefix),
           "defaults_for chose a folder that does not hold the file");
  } catch (const ConfigError& e) {
    expect(e.what()[0] != '\0', "ConfigError without a message");
  }
}

// ------------------------------------------------------------ HTTP, no network

inline void check_json_string(std::string_view text) {
  const std::string json = http::json_string(text);
  expect_utf8(json, "json_string output is not UTF-8");
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.c_str(), json.size());
  expect(!doc.HasParseError() && doc.IsString(), "json_string output is not a JSON string", json);
}

// What vigie-server does with a request target before any search runs:
// split_target, the real route table (an HttpServer built, never started),
// the query string, the API parameters, the percent-decoding of an id in a
// path. The first byte picks the method. Refusals must be 4xx HttpErrors
// whose messages make valid JSON.
inline void one_http_params(const std::uint8_t* data, std::size_t size) {
  static const Config config;
  static http::HttpServer server([] {
    http::ServerOptions options;
    options.config = config;
    options.index_dir = "/nonexistent/vigie-fuzz-index";
    options.quiet = true;
    options.index_program = "/nonexistent/vigie-index";
    return options;
  }());
  static constexpr std::array<const char*, 6> kMethods = {"GET", "HEAD",   "POST",
                                                          "PUT", "DELETE", "G\r\nX"};
  if (size == 0) return;
  const std::string method = kMethods[data[0] % kMethods.size()];
  const std::string_view target = as_text(data + 1, size - 1);

  auto [path, query] = http::split_target(target);
  expect(path.size() + query.size() <= target.size(), "split_target grew the target");
  const http::RouteMatch match = server.router().match(method, path);
  expect(match.status == 200 || match.status == 404 || match.status == 405, "odd route status");
  expect((match.route != nullptr) == (match.status == 200), "route and status disagree");
  if (match.status == 405) expect(!match.allow.empty(), "405 without Allow");
  check_json_string(path);
  try {
    check_json_string(http::percent_decode(match.tail, /*plus_as_space=*/false));
  } catch (const std::invalid_argument&) {
  }
  try {
    const http::QueryParams params = http::QueryParams::parse(query);
    for (const char* name : {"q", "id", "format", "type", "collectivite", "annee", "du", "au"})
      for (const auto& value : params.all(name)) check_json_string(value);
    const SearchRequest request = http::search_request_from(params, config.search);
    expect(request.limit <= config.search.max_page_size, "limit over max_page_size");
    expect(request.offset <= http::kMaxOffset, "offset over kMaxOffset");
  } catch (const http::HttpError& e) {
    expect(e.status() >= 400 && e.status() < 500, "parameter refusal is not a 4xx", e.what());
    check_json_string(e.what());
  }
}

// ------------------------------------------------------------ query language

// A small real index, built once by the real indexer (run_index) from a few
// French documents in a temp folder, with the shipped config, stopwords and
// synonyms; removed with the object.
class QueryFixture {
 public:
  explicit QueryFixture(const std::filesystem::path& config_dir) {
    namespace fs = std::filesystem;
    char pattern[] = "/tmp/vigie-fuzz-query-XXXXXX";
    if (!::mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir_ = pattern;
    for (const auto& [path, text] : kDocuments) {
      const fs::path file = dir_ / "corpus" / path;
      fs::create_directories(file.parent_path());
      std::ofstream(file, std::ios::binary) << text;
      body_ += text;
    }
    Config config = load_config(config_dir / "vigie.json");
    config.indexer.threads = 1;
    IndexOptions options;
    options.db = dir_ / "index";
    options.roots.push_back({"", dir_ / "corpus"});
    options.threads = 1;
    if (run_index(config, options).documents == 0) throw std::runtime_error("nothing indexed");
    searcher_ = std::make_unique<Searcher>(options.db, config);
    std::vector<std::string> warnings;
    parser_ = std::make_unique<QueryParser>(
        config.search, load_synonyms(config_dir / "synonyms.txt", warnings),
        load_stopwords(config_dir / "stopwords-fr.txt", warnings));
    db_ = std::make_unique<Xapian::Database>((options.db / "current").string());
  }
  ~QueryFixture() {
    searcher_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  QueryFixture(const QueryFixture&) = delete;
  QueryFixture& operator=(const QueryFixture&) = delete;

  // QueryParser::parse, then Searcher::search with facets and extracts, then
  // highlight_all: only QuerySyntaxError may come out; every text shown is
  // valid UTF-8; extracts carry no markup but <mark>.
  void one(const std::uint8_t* data, std::size_t size) {
    const std::string query(as_text(data, size));
    try {
      MatcherLeaves leaves;
      const ParsedQuery parsed = parser_->parse(query, *db_, leaves);
      expect(!parsed.query.get_description().empty(), "a parsed query Xapian cannot describe");
      for (const auto& w : parsed.warnings) expect_utf8(w, "parser warning is not UTF-8");
      for (const auto& h : parsed.highlights) expect_utf8(h.exact, "highlight term is not UTF-8");
      expect_utf8(parsed.spelling_suggestion, "spelling suggestion is not UTF-8");
    } catch (const QuerySyntaxError& e) {
      expect_utf8(e.what(), "syntax error message is not UTF-8");
    }
    SearchRequest request;
    request.query = query;
    request.limit = 5;
    try {
      const SearchResponse response = searcher_->search(request);
      for (const auto& hit : response.hits) {
        expect_utf8(hit.extract_html, "extract is not UTF-8");
        const std::string_view html = hit.extract_html;
        for (auto lt = html.find('<'); lt != std::string_view::npos; lt = html.find('<', lt + 1)) {
          const std::string_view tag = html.substr(lt);
          expect(tag.starts_with("<mark>") || tag.starts_with("</mark>"),
                 "markup in an extract besides <mark>", html);
        }
      }
      for (const auto& w : response.warnings) expect_utf8(w, "search warning is not UTF-8");
      expect_utf8(response.suggestion, "suggestion is not UTF-8");
      expect_utf8(response.notice, "notice is not UTF-8");
      expect_utf8(searcher_->highlight_all(body_, query), "highlight_all output is not UTF-8");
    } catch (const QuerySyntaxError&) {
    }
  }

 private:
  static constexpr const char* kDocuments[][2] = {
      {"chemere/delib-2010-80.md",
       "---\ntitle: Délibération n° 2010/80 : tarifs de la cantine scolaire\ndate: 2010-06-22\n"
       "type: délibération\norganisation: Commune de Chémeré\n---\n"
       "Le conseil municipal de Chémeré, réuni sous la présidence de Marie Dupont, fixe les tarifs "
       "de la cantine scolaire pour l’année 2010-2011. La municipalité délibère à l’unanimité.\n"},
      {"reseau/ia.md",
       "---\ntitle: Communiqué : l’intelligence artificielle au service des territoires\n"
       "date: 2023-03-15\ntype: communiqué\norganisation: Réseau des Territoires Connectés\n---\n"
       "Le réseau lance un programme sur l’intelligence artificielle (IA) pour les collectivités. "
       "Contact presse : presse@territoires-connectes.fr. Les données publiques restent ouvertes. "
       "Le vice-président du Conseil national de la refondation (CNR) présente l’O.R.A.C.\n"},
      {"aubrac/strategie.md",
       "---\ntitle: Rapport sur la stratégie numérique\ndate: 2022-11-10\ntype: rapport\n"
       "organisation: Communauté de communes du Val-d’Aubrac\n---\n"
       "La stratégie numérique prévoit l’usage de l’intelligence artificielle dans les services à "
       "la population. Œuvre commune, le numérique responsable est une priorité. Budget 2023 : "
       "32 339,40 €.\n"},
      {"lisiere/arrete.txt",
       "Arrêté portant réglementation de la circulation\n\nLe maire arrête : la circulation est "
       "interdite rue de l’Église pendant les travaux de voirie, jusqu’au 22/03/2023.\n"},
      {"lisiere/secheresse.txt",
       "Sécheresse : mesures de restriction\n\nLe préfet annonce des mesures exceptionnelles "
       "contre la grave sécheresse estivale. Délibérations, délibération, délibérer.\n"},
  };

  std::filesystem::path dir_;
  std::string body_;
  std::unique_ptr<Searcher> searcher_;
  std::unique_ptr<QueryParser> parser_;
  std::unique_ptr<Xapian::Database> db_;
};

}  // namespace vigie::fuzz
