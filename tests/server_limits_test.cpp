// vigie-server's HTTP hardening, on the real program with no index: status
// codes without an index, routing errors, size limits, malformed requests,
// slow bodies and the admission gate, slow clients, graceful stop, and the admin API's
// refusals. Plus unit rows for the pieces behind them (router, query
// parsing, token comparison).
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "admin/admin_auth.h"
#include "http/http_error.h"
#include "http/http_query.h"
#include "http/http_router.h"
#include "index/index_schema.h"
#include "server_test_support.h"
#include "vigie/index_directory.h"

namespace fs = std::filesystem;
using namespace vigie::test;

namespace {

// A config with small limits and short timeouts, so limit tests run fast.
fs::path write_config(const fs::path& dir, const std::string& server_extra = "") {
  const auto src = source_dir() / "config";
  const std::string json =
      "{\n"
      "  \"index\": {\"path\": \"" +
      (dir / "index").string() +
      "\"},\n"
      "  \"indexer\": {\"roots\": [\"" +
      (dir / "docs").string() +
      "\"]},\n"
      "  \"server\": {\"threads\": 4, \"queue\": 16, \"timeout_ms\": 1500,\n"
      "               \"max_header_bytes\": 16384, \"max_body_bytes\": 4096" +
      server_extra +
      "},\n"
      "  \"analysis\": {\"stopwords\": \"" +
      (src / "stopwords-fr.txt").string() + "\", \"synonyms\": \"" +
      (src / "synonyms.txt").string() + "\"}\n}\n";
  write_file(dir / "vigie.json", json);
  return dir / "vigie.json";
}

void check_json_error(const HttpReply& reply, int status) {
  CHECK(reply.status == status);
  CHECK(reply.header("content-type") == "application/json; charset=utf-8");
  auto doc = parse_json(reply.body);
  REQUIRE(doc.HasMember("error"));
  CHECK(doc["error"]["code"].GetInt() == status);
  CHECK(doc["error"]["status"].GetInt() == status);
  CHECK(std::string(doc["error"]["message"].GetString()).size() > 10);
}

}  // namespace

TEST_CASE("router: exact beats prefix, HEAD follows GET, 405 lists the allowed methods") {
  vigie::http::Router router;
  std::string hit;
  router.add({"GET", "/api/document", false, "doc", true, [&](auto&) { hit = "exact"; }});
  router.add({"GET", "/api/document/", true, "doc/{id}", true, [&](auto&) { hit = "prefix"; }});
  router.add({"POST", "/api/admin/reindex", false, "reindex-post", true, nullptr});
  router.add({"GET", "/api/admin/reindex", false, "reindex-get", true, nullptr});
  router.add({"GET", "/api/documents/", true, "docs/{id}", true, nullptr});
  router.add({"GET", "/api/documents/", true, "docs/{id}/similar", true, nullptr, "/similar"});
  struct Row {
    const char* method;
    const char* path;
    int status;
    const char* name_or_allow;
    const char* tail;
  };
  const Row rows[] = {
      {"GET", "/api/document", 200, "doc", ""},
      {"GET", "/api/document/a%2Fb%23c", 200, "doc/{id}", "a%2Fb%23c"},
      {"HEAD", "/api/document/x", 200, "doc/{id}", "x"},
      {"GET", "/api/document/", 404, "", ""},
      {"GET", "/api/documents", 404, "", ""},
      {"DELETE", "/api/document/x", 405, "GET, HEAD", ""},
      {"PUT", "/api/admin/reindex", 405, "GET, HEAD, POST", ""},
      {"POST", "/api/admin/reindex", 200, "reindex-post", ""},
      // The literal "/similar" suffix names the similar route, whatever the
      // id's own slashes; an encoded one ("%2Fsimilar") belongs to the id.
      {"GET", "/api/documents/a%2Fb%23c/similar", 200, "docs/{id}/similar", "a%2Fb%23c"},
      {"GET", "/api/documents/a/b c.pdf/similar", 200, "docs/{id}/similar", "a/b c.pdf"},
      {"GET", "/api/documents/a%2Fsimilar", 200, "docs/{id}", "a%2Fsimilar"},
      {"GET", "/api/documents/a/similar/x", 200, "docs/{id}", "a/similar/x"},
      {"GET", "/api/documents/similar", 200, "docs/{id}", "similar"},
      {"GET", "/api/documents//similar", 200, "docs/{id}", "/similar"},
      {"HEAD", "/api/documents/x/similar", 200, "docs/{id}/similar", "x"},
      {"POST", "/api/documents/x/similar", 405, "GET, HEAD", ""},
  };
  for (const auto& row : rows) {
    CAPTURE(row.method);
    CAPTURE(row.path);
    auto m = router.match(row.method, row.path);
    CHECK(m.status == row.status);
    if (row.status == 200) {
      REQUIRE(m.route);
      CHECK(m.route->name == row.name_or_allow);
      CHECK(m.tail == row.tail);
    }
    if (row.status == 405) CHECK(m.allow == row.name_or_allow);
  }
}

TEST_CASE("query strings: '+' and %XX decoded, repeats kept, bad escapes are 400") {
  using vigie::http::QueryParams;
  auto p = QueryParams::parse(
      "q=conseil+municipal&type=deliberation&type=arrete&x=%C3%A9t%C3%A9&empty=&flag");
  CHECK(*p.single("q") == "conseil municipal");
  CHECK(p.all("type") == std::vector<std::string>{"deliberation", "arrete"});
  CHECK(*p.single("x") == "été");
  CHECK_FALSE(p.single("empty"));
  CHECK(p.has("flag"));
  CHECK_THROWS_AS(p.single("type"), vigie::http::HttpError);
  CHECK_THROWS_AS(QueryParams::parse("q=%G1"), vigie::http::HttpError);
  CHECK_THROWS_AS(QueryParams::parse("q=%4"), vigie::http::HttpError);
  CHECK(vigie::http::percent_decode("a+b%2Fc%23d%20e", false) == "a+b/c#d e");
  CHECK(vigie::http::percent_encode("chemere/pv json/2010.json#d 1é") ==
        "chemere%2Fpv%20json%2F2010.json%23d%201%C3%A9");
}

TEST_CASE("admin token comparison") {
  using vigie::http::admin_authorized;
  CHECK(admin_authorized("Bearer s3cret", "s3cret"));
  CHECK(admin_authorized("bearer   s3cret ", "s3cret"));
  CHECK_FALSE(admin_authorized("Bearer s3cret", ""));
  CHECK_FALSE(admin_authorized("", ""));
  CHECK_FALSE(admin_authorized("Bearer ", ""));
  CHECK_FALSE(admin_authorized("Bearer s3cre", "s3cret"));
  CHECK_FALSE(admin_authorized("Bearer s3cretX", "s3cret"));
  CHECK_FALSE(admin_authorized("Basic s3cret", "s3cret"));
  CHECK_FALSE(admin_authorized("s3cret", "s3cret"));
  CHECK(vigie::http::constant_time_equal("", ""));
  CHECK_FALSE(vigie::http::constant_time_equal("a", ""));
}

TEST_CASE("an index of an older layout: 503 with the command that rebuilds it, then served") {
  ScratchDir dir("vigie-server-old-layout");
  const auto config = write_config(dir.path());
  write_file(dir.path() / "docs" / "cantine.md", "# Cantine\n\nLes tarifs de la cantine.\n");
  REQUIRE(run_indexer(dir.path() / "index", {dir.path() / "docs"}, true, config) == 0);
  {
    Xapian::WritableDatabase db(
        vigie::IndexDirectory(dir.path() / "index").live_generation()->string(), Xapian::DB_OPEN);
    db.set_metadata(std::string(vigie::index_schema::kMetadataKey), "3");
    db.commit();
  }
  ServerProcess server({"--config", config.string()}, dir.path() / "server.log");
  auto search = get(server.port(), "/api/search?q=cantine");
  check_json_error(search, 503);
  CHECK(search.body.find("layout version 3") != std::string::npos);
  CHECK(search.body.find("rebuild it with vigie-index --full") != std::string::npos);
  // The next vigie-index run rebuilds it, and the running server picks it up.
  REQUIRE(run_indexer(dir.path() / "index", {dir.path() / "docs"}, false, config) == 0);
  CHECK(eventually([&] { return get(server.port(), "/api/search?q=cantine").status == 200; }));
}

TEST_CASE("vigie-server without an index: 503, routing errors, limits, malformed requests") {
  ScratchDir dir("vigie-server-limits");
  const auto config = write_config(dir.path());
  ServerProcess server({"--config", config.string()}, dir.path() / "server.log");
  const int port = server.port();

  SUBCASE("health and search say the index is unavailable, with Retry-After") {
    auto health = get(port, "/health");
    CHECK(health.status == 503);
    CHECK(health.header("retry-after") == "5");
    CHECK(parse_json(health.body)["status"] == "unavailable");
    auto search = get(port, "/api/search?q=budget");
    check_json_error(search, 503);
    CHECK(!search.header("retry-after").empty());
    auto metrics = get(port, "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.body.find("vigie_index_available 0") != std::string::npos);
  }
  SUBCASE("security headers on every answer, including errors") {
    // (HTML pages, outside /api/, set their own Content-Security-Policy.)
    for (const char* target : {"/health", "/api/nope", "/metrics", "/api/search?q=x"}) {
      CAPTURE(target);
      auto r = get(port, target);
      CHECK(r.header("x-content-type-options") == "nosniff");
      CHECK(r.header("referrer-policy") == "same-origin");
      CHECK(r.header("x-frame-options") == "DENY");
      CHECK(r.header("content-security-policy") == "default-src 'none'");
      CHECK(r.header("access-control-allow-origin").empty());
    }
  }
  SUBCASE("unknown route → 404 JSON; wrong method → 405 with Allow") {
    check_json_error(get(port, "/api/nope"), 404);
    check_json_error(get(port, "/api/documents/"), 404);
    auto wrong = http(port, "DELETE", "/api/search");
    check_json_error(wrong, 405);
    CHECK(wrong.header("allow") == "GET, HEAD");
    auto put = http(port, "PUT", "/api/admin/reindex", "{}");
    check_json_error(put, 405);
    CHECK(put.header("allow") == "GET, HEAD, POST");
    // An invented method is just another wrong method.
    CHECK(raw_status(raw_exchange(
              port, "BREW /api/search HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) == 405);
  }
  SUBCASE("bad parameters → 400 before the index is even needed") {
    check_json_error(get(port, "/api/search?limit=abc"), 400);
    check_json_error(get(port, "/api/search?q=%ZZ"), 400);
  }
  SUBCASE("admin API without a configured token: disabled, 403, nothing started") {
    auto post =
        http(port, "POST", "/api/admin/reindex", "", {{"Authorization", "Bearer anything"}});
    check_json_error(post, 403);
    check_json_error(http(port, "POST", "/api/admin/reindex"), 403);
    check_json_error(http(port, "GET", "/api/admin/status", "", {{"Authorization", "Bearer "}}),
                     403);
    check_json_error(http(port, "GET", "/api/admin/reindex"), 403);
    CHECK_FALSE(fs::exists(dir.path() / "index" / "current"));
  }
  SUBCASE("a 20 kB header block → 431; a 1 MB header → 4xx or closed, and the server lives on") {
    std::string headers;
    for (int i = 0; i < 20; ++i)
      headers += "X-Filler-" + std::to_string(i) + ": " + std::string(1000, 'a') + "\r\n";
    auto answer = raw_exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n");
    CHECK(raw_status(answer) == 431);
    auto huge = raw_exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                                       std::string(1 << 20, 'b') + "\r\n\r\n");
    const int status = raw_status(huge);
    CHECK((status == 0 || (status >= 400 && status < 500)));
    CHECK(get(port, "/metrics").status == 200);
  }
  SUBCASE("URL over 8 kB → 414; 100 kB → 414 or 400 (Poco's own cap)") {
    CHECK(get(port, "/api/search?q=" + std::string(9000, 'a')).status == 414);
    auto answer = raw_exchange(
        port, "GET /api/search?q=" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    const int status = raw_status(answer);
    CHECK((status == 414 || status == 400 || status == 0));
    CHECK(get(port, "/metrics").status == 200);
  }
  SUBCASE("body over max_body_bytes → 413 (by Content-Length, and chunked)") {
    check_json_error(http(port, "POST", "/api/admin/reindex", std::string(5000, '{')), 413);
    std::string chunked =
        "POST /api/admin/reindex HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 10; ++i) chunked += "3e8\r\n" + std::string(1000, 'x') + "\r\n";
    chunked += "0\r\n\r\n";
    CHECK(raw_status(raw_exchange(port, chunked)) == 413);
    // Expect: 100-continue with a too-large length is refused before the upload.
    auto refused =
        raw_exchange(port,
                     "POST /api/admin/reindex HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n"
                     "Expect: 100-continue\r\n\r\n");
    CHECK(raw_status(refused) == 413);
  }
  SUBCASE("garbage request lines → 400 or closed, never a crash") {
    for (std::string junk :
         {std::string("\x01\x02\x03\r\n\r\n"), std::string("GET\r\n\r\n"),
          std::string("GET / HTTP/9.9\r\n\r\n"), std::string(40, 'A') + " / HTTP/1.1\r\n\r\n",
          std::string("GET /nope HTTP/1.1\r\nNo colon here\r\n\r\n")}) {
      const std::string answer = raw_exchange(port, junk, std::chrono::milliseconds(2000));
      CAPTURE(junk);
      CAPTURE(answer);
      const int status = raw_status(answer);
      CHECK((status == 0 || (status >= 400 && status < 500)));
    }
    CHECK(get(port, "/metrics").status == 200);
  }
  SUBCASE("HEAD is served by GET routes, without a body") {
    auto head = raw_exchange(port, "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(raw_status(head) == 503);
    CHECK(head.find("Content-Length:") != std::string::npos);
    CHECK(head.find("{") == std::string::npos);
  }
  SUBCASE("a silent client is cut after timeout_ms and does not pin a thread forever") {
    Poco::Net::StreamSocket slow(
        Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    slow.sendBytes("GET /health HTTP/1.1\r\n", 22);
    slow.setReceiveTimeout(Poco::Timespan(10, 0));
    const auto t0 = std::chrono::steady_clock::now();
    char buffer[512];
    int n = 0;
    try {
      n = slow.receiveBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      n = -1;
    }
    const auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(waited < std::chrono::seconds(8));
    CHECK((n <= 0 || raw_status(std::string(buffer, static_cast<std::size_t>(n))) == 400));
  }
  SUBCASE("metrics count requests by route and status") {
    get(port, "/api/nope");
    auto text = get(port, "/metrics").body;
    CHECK(text.find("vigie_http_requests_total{route=\"unmatched\",status=\"404\"}") !=
          std::string::npos);
    CHECK(
        text.find("vigie_http_request_duration_seconds_bucket{route=\"unmatched\",le=\"+Inf\"}") !=
        std::string::npos);
    CHECK(text.find("vigie_http_requests_in_flight") != std::string::npos);
    CHECK(text.find("vigie_http_rejected_total") != std::string::npos);
  }
  CHECK(server.stop() == 0);  // SIGTERM → graceful stop, exit 0
}

TEST_CASE(
    "a request whose body is still arriving holds no worker: with one worker, searches go on") {
  // The admission gate (server.workers) is entered only once a request has
  // fully arrived: a slow sender costs a connection thread, not a worker.
  // The gate's refusals themselves (503 + Retry-After: 1) are tested in
  // server_slow_clients_test.cpp and admission_gate_test.cpp.
  ScratchDir dir("vigie-server-inflight");
  const auto config = write_config(dir.path());
  ServerProcess server({"--config", config.string(), "--workers", "1", "--quiet"},
                       dir.path() / "server.log");
  const int port = server.port();
  Poco::Net::StreamSocket holder(
      Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  const std::string head =
      "POST /api/admin/reindex HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{";
  holder.sendBytes(head.data(), static_cast<int>(head.size()));
  REQUIRE(eventually(
      [&] {
        return get(port, "/metrics").body.find("vigie_http_requests_in_flight 2") !=
               std::string::npos;
      },
      std::chrono::milliseconds(5000)));
  // Not the saturation 503 (Retry-After: 1) but the "no index yet" one (5).
  for (int i = 0; i < 3; ++i) {
    auto search = get(port, "/api/search?q=x");
    check_json_error(search, 503);
    CHECK(search.header("retry-after") == "5");
  }
  const auto metrics = get(port, "/metrics").body;
  CHECK(metrics.find("vigie_http_rejected_total{reason=\"queue_full\"} 0") != std::string::npos);
  CHECK(metrics.find("vigie_http_workers 1") != std::string::npos);
  CHECK(metrics.find("vigie_http_workers_busy 0") != std::string::npos);
  holder.close();
}

TEST_CASE(
    "per-client connection cap: 200 idle connections from one address cannot starve another "
    "client") {
  ScratchDir dir("vigie-server-idle");
  // Long timeouts: the idle connections that are let in hold their threads
  // for the whole test. 4 threads, at most 3 per address.
  const auto src = source_dir() / "config";
  write_file(dir.path() / "vigie.json",
             "{\"index\": {\"path\": \"" + (dir.path() / "index").string() +
                 "\"},\n"
                 " \"server\": {\"threads\": 4, \"queue\": 16, \"timeout_ms\": 20000,\n"
                 "            \"max_connections_per_client\": 3},\n"
                 " \"analysis\": {\"stopwords\": \"" +
                 (src / "stopwords-fr.txt").string() + "\", \"synonyms\": \"" +
                 (src / "synonyms.txt").string() + "\"}}\n");
  const auto config = dir.path() / "vigie.json";
  REQUIRE(run_indexer(dir.path() / "index", {shared_corpus() / "communiques"}, false, config) == 0);
  ServerProcess server({"--config", config.string()}, dir.path() / "server.log");
  const int port = server.port();

  // The idle client plays 127.0.0.2: half connect and say nothing, half
  // send a partial request head and stall.
  std::vector<int> idle;
  for (int i = 0; i < 200; ++i) {
    const int fd = connect_from("127.0.0.2", port);
    REQUIRE(fd >= 0);
    if (i % 2 == 1) {
      const std::string partial = "GET /api/search?q=budget HTTP/1.1\r\nHost: x\r\nX-Slow:";
      CHECK(::send(fd, partial.data(), partial.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(partial.size()));
    }
    idle.push_back(fd);
  }
  // Beyond the cap, each gets a 429 at once (no thread taken) and is closed.
  int refused = 0;
  for (int fd : idle) {
    const std::string answer = read_available(fd, std::chrono::milliseconds(20));
    if (raw_status(answer) == 429) {
      ++refused;
      CHECK(answer.find("Retry-After: 1") != std::string::npos);
      CHECK(answer.find("\"code\":429") != std::string::npos);
    }
  }
  CHECK(refused >= 197 - 3);  // a few may still be in flight to the client

  // Meanwhile a client at 127.0.0.1 is served promptly, request after request.
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(5, 0));
  for (int i = 0; i < 20; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto reply = http_on(session, "GET", "/api/search?q=num%C3%A9rique&per_page=5");
    const auto took = std::chrono::steady_clock::now() - t0;
    CHECK(reply.status == 200);
    CHECK(took < std::chrono::seconds(1));
  }
  // A new connection from the same honest address too (the session's
  // thread is freed first: 3 of the 4 threads are held by the idle client).
  session.reset();
  const auto t0 = std::chrono::steady_clock::now();
  CHECK(get(port, "/health").status == 200);
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));

  auto metrics = get(port, "/metrics").body;
  CHECK(metrics.find("vigie_http_rejected_total{reason=\"per_client\"}") != std::string::npos);
  for (int fd : idle) ::close(fd);
  // The slots come back once the idle connections are gone: the idle
  // address is served again.
  CHECK(eventually(
      [&] {
        const int fd = connect_from("127.0.0.2", port);
        if (fd < 0) return false;
        const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
        const int status = raw_status(read_available(fd, std::chrono::milliseconds(2000)));
        ::close(fd);
        return status == 200;
      },
      std::chrono::milliseconds(10000)));
  // Every refusal is in the access log.
  CHECK(server.log().find("127.0.0.2 - (connection over the per-client cap) 429") !=
        std::string::npos);
}
