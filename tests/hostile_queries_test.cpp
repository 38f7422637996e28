// Hostile queries and HTTP requests against a REAL vigie-server (free port,
// index built by the real vigie-index from corpus/): one table, one row per
// attack, each with the answer it must get — a precise 4xx, or a
// best-effort 200 — and never a 5xx, never a crash. Raw sockets, so that
// bytes a polite client would refuse to send (CRLF, NUL, invalid UTF-8,
// spaces) reach the server as typed. After the table the same server must
// still answer /health.
//
// Checks on every answer: the status class; no header the request tried to
// inject (X-Injected, Set-Cookie) and no bare CR/LF splitting the head;
// JSON answers valid (UTF-8 validated) and served as application/json with
// nosniff; HTML and Atom answers never echo an XSS payload unescaped; path
// traversal never returns a file from outside the indexed roots.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "http/http_query.h"
#include "server_test_support.h"

using namespace vigie::test;

namespace {

constexpr const char* kXss = "<script>alert(1)</script>";
constexpr const char* kXssImg = "<img src=x onerror=alert(1)>";

// What a row accepts.
enum class Want {
  Ok,          // 200
  Client,      // any 4xx
  OkOrClient,  // best effort: 200, or a 4xx that explains
  Exact,       // exactly `status`
};

enum Check : unsigned {
  kNone = 0,
  kJson = 1,        // body is valid JSON, Content-Type application/json
  kHtmlSafe = 2,    // body never carries the XSS payloads raw
  kNoFileLeak = 4,  // body is not /etc/passwd or a config file
  kMayClose = 8,    // Poco may close without an answer (broken request line)
  kPoco = 16,       // Poco answers itself (bare 400 before any handler: no Vigie headers)
};

struct Row {
  std::string name;
  std::string request;  // raw bytes sent
  Want want;
  int status = 0;  // for Want::Exact
  unsigned checks = kNone;
};

std::string get_request(const std::string& target, const std::string& extra_headers = {}) {
  return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers +
         "Connection: close\r\n\r\n";
}

struct RawReply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string head, body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

RawReply parse_raw(const std::string& raw) {
  RawReply reply;
  reply.status = raw_status(raw);
  const auto end = raw.find("\r\n\r\n");
  reply.head = raw.substr(0, end);
  reply.body = end == std::string::npos ? std::string() : raw.substr(end + 4);
  std::size_t line_start = reply.head.find("\r\n");
  while (line_start != std::string::npos) {
    line_start += 2;
    const auto line_end = reply.head.find("\r\n", line_start);
    const std::string line = reply.head.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      reply.headers.emplace(lower(line.substr(0, colon)), value);
    }
    line_start = line_end;
  }
  return reply;
}

// The index (corpus/ through the real indexer) and a server whose config
// names corpus/ as a root, so /source/ can serve files — and must refuse
// everything outside.
struct Fixture {
  ScratchDir dir{"vigie-hostile-queries"};
  std::unique_ptr<ServerProcess> server;
  std::string document_id;  // a real id, for the sanity rows

  Fixture() {
    const auto config = dir.path() / "vigie.json";
    const auto cfg = source_dir() / "config";
    write_file(config, "{\"indexer\": {\"roots\": [\"" + (source_dir() / "corpus").string() +
                           "\"]}, \"analysis\": {\"stopwords\": \"" +
                           (cfg / "stopwords-fr.txt").string() + "\", \"synonyms\": \"" +
                           (cfg / "synonyms.txt").string() + "\"}}");
    const int rc = run_indexer(dir.path() / "index", {source_dir() / "corpus"}, false, config);
    if (rc != 0) throw std::runtime_error("vigie-index failed with " + std::to_string(rc));
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", config.string(), "--db",
                                 (dir.path() / "index").string()},
        dir.path() / "server.log");
    const auto found = parse_json(get(server->port(), "/api/search?q=conseil&limit=1").body);
    document_id = found["hits"][0]["id"].GetString();
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string words(int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += (i ? "+" : "") + std::string(1, static_cast<char>('a' + i % 26));
  return out;
}

std::vector<Row> query_rows() {
  const std::string s = "/api/search?q=";
  std::vector<Row> rows = {
      // Unbalanced syntax and operators only: best effort or a French 400.
      {"unbalanced quote", get_request(s + "%22conseil+municipal"), Want::OkOrClient, 0, kJson},
      {"unbalanced open paren", get_request(s + "((conseil"), Want::OkOrClient, 0, kJson},
      {"unbalanced close paren", get_request(s + "conseil))"), Want::OkOrClient, 0, kJson},
      {"parens reversed", get_request(s + ")(conseil)("), Want::OkOrClient, 0, kJson},
      {"AND alone", get_request(s + "AND"), Want::OkOrClient, 0, kJson},
      {"OR OR OR", get_request(s + "OR+OR+OR"), Want::OkOrClient, 0, kJson},
      {"NOT alone", get_request(s + "NOT"), Want::OkOrClient, 0, kJson},
      {"SAUF ET OU", get_request(s + "SAUF+ET+OU"), Want::OkOrClient, 0, kJson},
      {"minus alone", get_request(s + "-"), Want::OkOrClient, 0, kJson},
      {"plus alone", get_request(s + "%2B"), Want::OkOrClient, 0, kJson},
      {"star alone", get_request(s + "*"), Want::OkOrClient, 0, kJson},
      {"stars", get_request(s + "***+**"), Want::OkOrClient, 0, kJson},
      {"wildcard on one letter", get_request(s + "d*"), Want::OkOrClient, 0, kJson},
      {"26 one-letter wildcards",
       get_request(s + "a*+b*+c*+d*+e*+f*+g*+h*+i*+j*+"
                       "k*+l*+m*+n*+o*+p*+q*+r*+s*+t*+u*+v*+w*+x*+y*+z*"),
       Want::OkOrClient, 0, kJson},
      {"equals alone", get_request(s + "%3D"), Want::OkOrClient, 0, kJson},
      {"empty field", get_request(s + "titre%3A"), Want::OkOrClient, 0, kJson},
      {"colons only", get_request(s + "%3A%3A%3A%3A%3A"), Want::OkOrClient, 0, kJson},
      {"empty date range", get_request(s + "date%3A.."), Want::OkOrClient, 0, kJson},
      {"absurd date range", get_request(s + "date%3A9999-99-99..0000-00-00"), Want::OkOrClient, 0,
       kJson},
      {"30 February", get_request(s + "date%3A2023-02-30"), Want::OkOrClient, 0, kJson},
      {"negative year field", get_request(s + "annee%3A-1"), Want::OkOrClient, 0, kJson},
      {"NEAR without distance", get_request(s + "a+NEAR%2F+b"), Want::OkOrClient, 0, kJson},
      {"NEAR huge distance", get_request(s + "conseil+NEAR%2F99999999999999999999+maire"),
       Want::OkOrClient, 0, kJson},
      {"NEAR negative", get_request(s + "conseil+NEAR%2F-1+maire"), Want::OkOrClient, 0, kJson},
      {"empty phrases", get_request(s + "%22%22+%22%22+%22%22"), Want::OkOrClient, 0, kJson},
      // What deliberations decide (issue 20): a value the field cannot use is a French 400,
      // never a filter silently dropped.
      {"amount operators only", get_request(s + "montant%3A%3E%3E"), Want::Exact, 400, kJson},
      {"amount overflow", get_request(s + "montant%3A1e999"), Want::Exact, 400, kJson},
      {"amount of 40 digits", get_request(s + "montant%3A" + repeat("9", 40)), Want::Exact, 400,
       kJson},
      {"amount not a number", get_request(s + "montant%3Aabc"), Want::Exact, 400, kJson},
      {"amount range inverted", get_request(s + "montant%3A5000..1000"), Want::Exact, 400, kJson},
      {"amount below zero", get_request(s + "montant%3A%3C0"), Want::Exact, 400, kJson},
      {"amount empty", get_request(s + "montant%3A"), Want::Exact, 400, kJson},
      {"amount with XSS", get_request(s + "montant%3A%3Cscript%3E"), Want::Exact, 400, kJson},
      {"vote empty", get_request(s + "vote%3A"), Want::Exact, 400, kJson},
      {"vote unknown", get_request(s + "vote%3Apeut-etre"), Want::Exact, 400, kJson},
      {"article not an article", get_request(s + "article%3Axyz"), Want::Exact, 400, kJson},
      {"loi without its number", get_request(s + "loi%3A%22%22"), Want::Exact, 400, kJson},
      {"amount filter overflow", get_request(s + "a&amount=1e999"), Want::Exact, 400, kJson},
      {"vote filter with XSS", get_request(s + "a&vote=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
       Want::Exact, 400, kJson},
      {"amount filter with XSS (results page)",
       get_request("/recherche?q=a&montant=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Exact, 400,
       kHtmlSafe},
      {"amount field with XSS (results page)",
       get_request("/recherche?q=montant%3A%22%3Cimg+src%3Dx+onerror%3Dalert(1)%3E%22"),
       Want::Exact, 400, kHtmlSafe},
      {"sort by amount", get_request(s + "a&sort=amount"), Want::Ok, 0, kJson},
      // Size and depth.
      {"deep nesting 1500", get_request(s + repeat("(", 1500) + "conseil" + repeat(")", 1500)),
       Want::OkOrClient, 0, kJson},
      {"deep nesting unbalanced 3000", get_request(s + repeat("(", 3000)), Want::OkOrClient, 0,
       kJson},
      {"NOT chain 900", get_request(s + repeat("NOT+", 900) + "conseil"), Want::OkOrClient, 0,
       kJson},
      {"minus chain 2000", get_request(s + repeat("-", 2000) + "conseil"), Want::OkOrClient, 0,
       kJson},
      {"2,000 terms (under max_query_bytes)", get_request(s + words(2000)), Want::OkOrClient, 0,
       kJson},
      {"4,500 terms (URL over 8 kB)", get_request(s + words(4500)), Want::Exact, 414, kJson},
      // Over 16 kB Poco refuses the request line itself (http_limits.h).
      {"10,000 terms (URL over 16 kB)", get_request(s + words(10000)), Want::Client, 0,
       kMayClose | kPoco},
      {"query over max_query_bytes", get_request(s + repeat("x", 5000)), Want::Exact, 400, kJson},
      {"one 4,000-byte word", get_request(s + repeat("e", 4000)), Want::OkOrClient, 0, kJson},
      {"phrase of 600 words", get_request(s + "%22" + words(600) + "%22"), Want::OkOrClient, 0,
       kJson},
      {"1,000 combining accents", get_request(s + "e" + repeat("%CC%81", 1000)), Want::OkOrClient,
       0, kJson},
      // Bytes: invalid, overlong, NUL, controls, direction overrides.
      {"invalid UTF-8", get_request(s + "%FF%FEconseil%80"), Want::OkOrClient, 0, kJson},
      {"overlong slash", get_request(s + "%C0%AF"), Want::OkOrClient, 0, kJson},
      {"overlong 3-byte", get_request(s + "%E0%80%AFconseil"), Want::OkOrClient, 0, kJson},
      {"UTF-16 surrogate", get_request(s + "%ED%A0%80"), Want::OkOrClient, 0, kJson},
      {"truncated sequence", get_request(s + "d%C3"), Want::OkOrClient, 0, kJson},
      {"NUL byte", get_request(s + "%00"), Want::OkOrClient, 0, kJson},
      {"NUL inside a word", get_request(s + "con%00seil"), Want::OkOrClient, 0, kJson},
      {"control characters", get_request(s + "%01%02%1B%5B31m%7F"), Want::OkOrClient, 0, kJson},
      {"RTL override", get_request(s + "%E2%80%AEliesnoc%E2%80%AC"), Want::OkOrClient, 0, kJson},
      {"zero-width and BOM", get_request(s + "con%E2%80%8Bseil%EF%BB%BF"), Want::OkOrClient, 0,
       kJson},
      {"private use and emoji", get_request(s + "%EE%80%80%F0%9F%98%80"), Want::OkOrClient, 0,
       kJson},
      {"raw invalid bytes in the URL", get_request(s + "\xff\xfe\xc0\xaf"), Want::OkOrClient, 0,
       kJson | kMayClose},
      // Escapes and parameters.
      {"bad percent escape", get_request(s + "%G1"), Want::Exact, 400, kJson},
      {"truncated percent escape", get_request(s + "abc%4"), Want::Exact, 400, kJson},
      {"q given twice", get_request(s + "a&q=b"), Want::Exact, 400, kJson},
      {"limit negative", get_request(s + "a&limit=-1"), Want::Exact, 400, kJson},
      {"limit overflow", get_request(s + "a&limit=99999999999999999999999"), Want::Exact, 400,
       kJson},
      {"offset too deep", get_request(s + "a&offset=100001"), Want::Exact, 400, kJson},
      {"sort unknown with XSS", get_request(s + "a&sort=%3Cscript%3E"), Want::Exact, 400, kJson},
      {"date out of range", get_request(s + "a&du=2023-13-45"), Want::Exact, 400, kJson},
      {"year of 5 digits", get_request(s + "a&annee=99999"), Want::Exact, 400, kJson},
      {"boolean not boolean", get_request(s + "a&facets=peut-etre"), Want::Exact, 400, kJson},
      {"type with XSS", get_request(s + "a&type=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Exact,
       400, kJson},
      // XSS echoed back: JSON escapes by being JSON (and nosniff); pages escape.
      {"XSS in q (JSON)", get_request(s + "%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Ok, 0,
       kJson},
      {"XSS attribute in q (JSON)", get_request(s + "%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"),
       Want::OkOrClient, 0, kJson},
      {"XSS in q (results page)", get_request("/recherche?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
       Want::OkOrClient, 0, kHtmlSafe},
      {"XSS attribute in q (results page)",
       get_request("/recherche?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"), Want::OkOrClient, 0,
       kHtmlSafe},
      {"XSS in a filter (results page)",
       get_request("/recherche?q=a&collectivite=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
       Want::OkOrClient, 0, kHtmlSafe},
      // The results page's own parameters and the advanced form (issue 18).
      {"page size out of the list", get_request("/recherche?q=a&par_page=100000"), Want::Exact, 400,
       kHtmlSafe},
      {"page size with XSS",
       get_request("/recherche?q=a&par_page=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Exact, 400,
       kHtmlSafe},
      {"spelling mode with XSS",
       get_request("/recherche?q=a&orthographe=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Exact,
       400, kHtmlSafe},
      {"correct not boolean", get_request(s + "a&correct=%3Cscript%3E"), Want::Exact, 400, kJson},
      // Families and all-words totals (issue 18).
      {"all_files not boolean", get_request(s + "a&all_files=tous"), Want::Exact, 400, kJson},
      {"any_words not boolean", get_request(s + "a+b&any_words=%3Cscript%3E"), Want::Exact, 400,
       kJson},
      {"words mode with XSS",
       get_request("/recherche?q=a+b&mots=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Exact, 400,
       kHtmlSafe},
      {"export of every file, words some", get_request("/api/export?q=a+b&all_files=1&any_words=1"),
       Want::Ok, 0, kNone},
      {"relations of an unknown document", get_request("/api/documents/%00%FF%23x"),
       Want::OkOrClient, 0, kJson},
      {"XSS in the advanced form",
       get_request("/recherche-avancee?tous=%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Exact, 303,
       kHtmlSafe},
      {"operators in the advanced form",
       get_request("/recherche-avancee?un_de=)%20OR%20(&personne=%22)%20NEAR%2F999&numero=*%3A*"),
       Want::Exact, 303, kHtmlSafe},
      {"CRLF in the advanced form", get_request("/recherche-avancee?tous=a%0D%0AX-Injected:%201"),
       Want::Exact, 303, kHtmlSafe},
      {"advanced field too long", get_request("/recherche-avancee?tous=" + std::string(5000, 'a')),
       Want::Exact, 400, kHtmlSafe},
      {"XSS in q (Atom feed)", get_request("/recherche.atom?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
       Want::OkOrClient, 0, kHtmlSafe},
      {"XSS in a 404 path", get_request("/%3Cscript%3Ealert(1)%3C%2Fscript%3E"), Want::Client, 0,
       kHtmlSafe},
      {"XSS in an API 404 path", get_request("/api/%3Cscript%3Ealert(1)%3C%2Fscript%3E"),
       Want::Client, 0, kJson},
      // CRLF injection: decoded CR/LF must never reach a header.
      {"CRLF in q", get_request(s + "a%0D%0AX-Injected:%201%0D%0ASet-Cookie:%20vigie=pwned"),
       Want::OkOrClient, 0, kJson},
      {"CRLF in type", get_request(s + "a&type=x%0D%0AX-Injected:%201"), Want::Client, 0, kJson},
      {"CRLF in export format", get_request("/api/export?q=a&format=csv%0D%0AX-Injected:%201"),
       Want::Client, 0, kJson},
      {"CRLF in document id",
       get_request("/api/document/x%0D%0AX-Injected:%201%0D%0ASet-Cookie:%20vigie=pwned"),
       Want::Client, 0, kJson},
      {"CRLF in page id", get_request("/document/x%0D%0ASet-Cookie:%20vigie=pwned"), Want::Client,
       0, kHtmlSafe},
      {"CRLF in results page", get_request("/recherche?q=a%0D%0ASet-Cookie:%20vigie=pwned"),
       Want::OkOrClient, 0, kHtmlSafe},
      {"CRLF in source id", get_request("/source/x%0D%0ASet-Cookie:%20vigie=pwned"), Want::Client,
       0, kNone},
      {"raw LF in the request line",
       "GET /api/search?q=a\nX-Injected: 1 HTTP/1.1\r\nHost: a\r\n"
       "Connection: close\r\n\r\n",
       Want::Client, 0, kMayClose | kPoco},
  };
  return rows;
}

// Path traversal in every route that takes an id or a path.
std::vector<Row> traversal_rows() {
  const std::vector<std::string> routes = {"/api/document/", "/api/documents/", "/api/similar/",
                                           "/document/",     "/source/",        "/static/"};
  const std::vector<std::pair<std::string, std::string>> payloads = {
      {"dot-dot raw", "../../../../../../etc/passwd"},
      {"dot-dot encoded slash", "..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"},
      {"dots and slash encoded", "%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"},
      {"double encoding", "%252E%252E%252F%252E%252E%252Fetc%252Fpasswd"},
      {"absolute path", "%2Fetc%2Fpasswd"},
      {"backslashes", "..%5C..%5C..%5C..%5Cetc%5Cpasswd"},
      {"NUL truncation", "..%2F..%2F..%2Fetc%2Fpasswd%00.pdf"},
      {"overlong dot-dot", "%C0%AE%C0%AE%C0%AF%C0%AE%C0%AE%C0%AFetc%C0%AFpasswd"},
      {"into the repository", "..%2F..%2Fconfig%2Fvigie.json"},
  };
  std::vector<Row> rows;
  for (const auto& route : routes)
    for (const auto& [name, payload] : payloads)
      rows.push_back({"traversal " + name + " in " + route, get_request(route + payload),
                      Want::Client, 0,
                      kNoFileLeak | (route.starts_with("/api/") ? kJson : kNone) | kMayClose});
  rows.push_back({"traversal in ?id=", get_request("/api/document?id=..%2F..%2F..%2Fetc%2Fpasswd"),
                  Want::Client, 0, kJson | kNoFileLeak});
  rows.push_back({"traversal in similar ?id=", get_request("/api/similar?id=%2Fetc%2Fpasswd"),
                  Want::Client, 0, kJson | kNoFileLeak});
  return rows;
}

// The HTTP layer itself.
constexpr char kNulLine[] =
    "GET /api/search?q=a\0b HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

std::vector<Row> protocol_rows() {
  return {
      {"absolute-form target",
       "GET http://evil.example/api/search?q=a HTTP/1.1\r\nHost: a\r\n"
       "Connection: close\r\n\r\n",
       Want::Client, 0, kMayClose},
      {"asterisk target", "OPTIONS * HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
       Want::Client, 0, kMayClose},
      {"unknown method", "BREW /api/search?q=a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
       Want::Client, 0, kMayClose},
      {"POST to a GET route",
       "POST /api/search?q=a HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
       Want::Exact, 405, kJson},
      {"header over the limit",
       get_request("/api/search?q=a", "X-Big: " + std::string(20000, 'x') + "\r\n"), Want::Client,
       0, kMayClose | kPoco},
      {"200 headers", get_request("/api/search?q=a", repeat("X-H: 1\r\n", 200)), Want::Client, 0,
       kMayClose | kPoco},
      {"negative Content-Length",
       "GET /api/search?q=a HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\nConnection: close\r\n\r\n",
       Want::Client, 0, kMayClose},
      {"Content-Length not a number",
       "GET /api/search?q=a HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\nConnection: "
       "close\r\n\r\n",
       Want::Client, 0, kMayClose},
      {"two different Content-Lengths",
       "GET /api/search?q=a HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 5\r\n"
       "Connection: close\r\n\r\nhello",
       Want::Client, 0, kMayClose},
      {"Content-Length and chunked together",
       "POST /api/admin/reindex HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
       "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
       Want::Client, 0, kMayClose},
      {"huge Content-Length",
       "GET /api/search?q=a HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n"
       "Connection: close\r\n\r\n",
       Want::Exact, 413, kMayClose},
      {"broken chunked body",
       "POST /api/admin/reindex HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
       "Connection: close\r\n\r\nZZZ\r\nxx\r\n",
       Want::Client, 0, kMayClose},
      {"no Host header", "GET /api/search?q=a HTTP/1.1\r\nConnection: close\r\n\r\n",
       Want::OkOrClient, 0, kJson | kMayClose},
      {"NUL in the request line", std::string(kNulLine, sizeof kNulLine - 1), Want::OkOrClient, 0,
       kMayClose},
      {"HTTP/0.9 style", "GET /health\r\n\r\n", Want::OkOrClient, 0, kMayClose | kPoco},
      {"HTTP/9.9", "GET /health HTTP/9.9\r\nHost: a\r\nConnection: close\r\n\r\n", Want::OkOrClient,
       0, kMayClose},
      {"garbage",
       std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) + std::string(64, '\xAA') +
           "\r\n\r\n",
       Want::Client, 0, kMayClose | kPoco},
      // Sizes from the issue: 1 MB headers or bodies, 100 kB URLs. The
      // server may answer and close while the bytes are still coming (the
      // client then sees a reset): closed is acceptable, a hang is not.
      {"1 MB header value",
       get_request("/api/search?q=a", "X-Big: " + std::string(1 << 20, 'x') + "\r\n"), Want::Client,
       0, kMayClose | kPoco},
      {"1 MB of small headers",
       get_request("/api/search?q=a", repeat("X-H: 1234567890\r\n", 65536)), Want::Client, 0,
       kMayClose | kPoco},
      {"1 MB body by Content-Length",
       "POST /api/admin/reindex HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n"
       "Connection: close\r\n\r\n" +
           std::string(1 << 20, '{'),
       Want::Exact, 413, kJson | kMayClose},
      {"1 MB chunked body",
       "POST /api/admin/reindex HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
       "Connection: close\r\n\r\n" +
           repeat("4000\r\n" + std::string(0x4000, '{') + "\r\n", 64) + "0\r\n\r\n",
       Want::Exact, 413, kJson | kMayClose},
      {"100 kB URL", get_request("/api/search?q=" + std::string(100000, 'a')), Want::Client, 0,
       kMayClose | kPoco},
      {"100 kB URL on a page route", get_request("/recherche?q=" + std::string(100000, 'a')),
       Want::Client, 0, kMayClose | kPoco},
      // Pipelining: answered in order (the whole exchange: the test case
      // "pipelined requests" below); here, the first answer of each (its
      // "body" runs on into the next answers: no JSON check).
      {"pipelined: two requests in one write",
       "GET /health HTTP/1.1\r\nHost: a\r\n\r\n" + get_request("/api/search?q=a"), Want::Ok, 0},
      {"pipelined: a hostile request after a good one",
       "GET /health HTTP/1.1\r\nHost: a\r\n\r\nBREW /../../etc/passwd HTTP/1.1\r\n\r\n", Want::Ok,
       0, kNoFileLeak},
      {"pipelined: 1 MB of requests in one write",
       repeat("GET /health HTTP/1.1\r\nHost: a\r\n\r\n", 30000), Want::Ok, 0, kMayClose},
  };
}

std::string status_wanted(const Row& row) {
  switch (row.want) {
    case Want::Ok:
      return "200";
    case Want::Client:
      return "4xx";
    case Want::OkOrClient:
      return "200 or 4xx";
    case Want::Exact:
      return std::to_string(row.status);
  }
  return "?";
}

bool status_ok(const Row& row, int status) {
  switch (row.want) {
    case Want::Ok:
      return status == 200;
    case Want::Client:
      return status >= 400 && status < 500;
    case Want::OkOrClient:
      return status == 200 || (status >= 400 && status < 500);
    case Want::Exact:
      return status == row.status;
  }
  return false;
}

void check_row(const Row& row, const RawReply& reply) {
  CAPTURE(reply.head.substr(0, 300));
  CAPTURE(reply.body.substr(0, 300));
  if (reply.status == 0) {
    // No answer at all: only acceptable where Poco refuses a broken request
    // line by closing; the server must still be alive (checked below).
    CHECK_MESSAGE((row.checks & kMayClose) != 0, "no HTTP answer");
    return;
  }
  CHECK_MESSAGE(reply.status < 500, "5xx answer");
  CHECK_MESSAGE(status_ok(row, reply.status),
                "wanted " << status_wanted(row) << ", got " << reply.status);
  // Header splitting: nothing the request carried becomes a header.
  CHECK(reply.headers.count("x-injected") == 0);
  CHECK(reply.headers.count("set-cookie") == 0);
  CHECK(reply.head.find("pwned") == std::string::npos);
  if (!(row.checks & kPoco) || reply.header("server") == "Vigie")
    CHECK(reply.header("x-content-type-options") == "nosniff");

  const std::string type = reply.header("content-type");
  const bool head_only = row.request.starts_with("HEAD ");
  if ((row.checks & kJson) && !head_only && !(row.checks & kPoco)) {
    // Every API answer — results and errors alike — is JSON, and valid UTF-8.
    if (type.starts_with("application/json")) {
      rapidjson::Document doc;
      doc.Parse<rapidjson::kParseValidateEncodingFlag>(reply.body.c_str(), reply.body.size());
      CHECK_MESSAGE(!doc.HasParseError(), "invalid JSON or UTF-8 in the answer");
    } else {
      CHECK_MESSAGE(reply.status == 414, "API answer is not JSON: " << type);
    }
  }
  if (row.checks & kHtmlSafe) {
    CHECK(reply.body.find(kXss) == std::string::npos);
    CHECK(reply.body.find(kXssImg) == std::string::npos);
  }
  if (row.checks & kNoFileLeak) {
    CHECK(reply.body.find("root:x:0:0") == std::string::npos);
    CHECK(reply.body.find("\"max_query_bytes\"") == std::string::npos);
  }
  // JSON is not rendered by browsers (nosniff + its type); pages are, so
  // an HTML page never echoes a payload raw whatever the row says.
  if (type.starts_with("text/html") || type.find("xml") != std::string::npos) {
    CHECK(reply.body.find(kXss) == std::string::npos);
    CHECK(reply.body.find(kXssImg) == std::string::npos);
  }
}

}  // namespace

TEST_CASE("the hostile table: every row gets its 4xx or a best-effort 200, never a 5xx") {
  const int port = fixture().server->port();
  std::vector<Row> rows = query_rows();
  for (auto& r : traversal_rows()) rows.push_back(std::move(r));
  for (auto& r : protocol_rows()) rows.push_back(std::move(r));
  MESSAGE(rows.size() << " hostile requests");
  CHECK(rows.size() >= 60);

  std::map<int, int> statuses;
  std::string closed_without_answer;
  for (const auto& row : rows) {
    CAPTURE(row.name);
    const auto start = std::chrono::steady_clock::now();
    const RawReply reply = parse_raw(raw_exchange(port, row.request));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++statuses[reply.status];
    if (reply.status == 0) closed_without_answer += " «" + row.name + "»";
    check_row(row, reply);
    CHECK_MESSAGE(seconds < 15.0, "took " << seconds << " s");
    // The server process is still there after every row.
    REQUIRE_MESSAGE(::kill(fixture().server->pid(), 0) == 0, "vigie-server died");
  }
  std::string summary;
  for (const auto& [status, count] : statuses)
    summary += " " + std::to_string(status) + "×" + std::to_string(count);
  MESSAGE("statuses:" << summary);
  if (!closed_without_answer.empty()) MESSAGE("closed without an answer:" << closed_without_answer);

  const auto health = get(port, "/health");
  CHECK(health.status == 200);
  const std::string log = fixture().server->log();
  CHECK_MESSAGE(log.find(" ERROR ") == std::string::npos, "the server logged an internal error");
  CHECK(log.find("AddressSanitizer") == std::string::npos);
  CHECK(log.find("runtime error") == std::string::npos);
}

TEST_CASE("pipelined requests: every one answered, in order, on one connection") {
  const int port = fixture().server->port();
  const std::string pipelined =
      "GET /health HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /api/nope HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /api/search?q=conseil&limit=1 HTTP/1.1\r\nHost: a\r\n\r\n"
      "DELETE /api/search HTTP/1.1\r\nHost: a\r\n\r\n" +
      get_request("/health");
  const std::string answer = raw_exchange(port, pipelined);
  // Split the stream into answers by their Content-Length.
  std::vector<int> statuses;
  std::size_t at = 0;
  while (at < answer.size()) {
    const RawReply reply = parse_raw(answer.substr(at));
    const auto head_end = answer.find("\r\n\r\n", at);
    const std::string length = reply.header("content-length");
    if (reply.status == 0 || head_end == std::string::npos || length.empty()) break;
    statuses.push_back(reply.status);
    at = head_end + 4 + std::stoul(length);
  }
  CAPTURE(answer.substr(0, 2000));
  CHECK(statuses == std::vector<int>{200, 404, 200, 405, 200});
  CHECK(at == answer.size());
}

TEST_CASE("sanity: the same routes serve a real document (the refusals above are not blanket)") {
  const int port = fixture().server->port();
  const std::string id = vigie::http::percent_encode(fixture().document_id);
  CHECK(get(port, "/api/document/" + id).status == 200);
  CHECK(get(port, "/api/similar/" + id).status == 200);
  const auto page = get(port, "/document/" + id);
  CHECK(page.status == 200);
  const auto source = get(port, "/source/" + id);
  CHECK(source.status == 200);
  CHECK(source.body.find("root:x:0:0") == std::string::npos);
}
