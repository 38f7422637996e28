// docs/openapi.yaml against the real server: every example request listed
// under a route's x-vigie-examples gets one of the statuses the route
// declares, with the declared content type, and a JSON body that has the
// declared schema's required fields (through $refs, into nested objects and
// array items).
//
// The YAML is our own file, written in a small subset (see its header);
// MiniYaml reads that subset into a RapidJSON value and throws on anything
// else, so the file cannot drift into YAML this test would misread.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <set>
#include <sstream>

#include "server_test_support.h"

namespace fs = std::filesystem;
using namespace vigie::test;

namespace {

// Block mappings ("key: value", "key:" + deeper block), block sequences
// ("- value", "- key: value" + more keys of that item), one-line scalars
// (plain, '…' or "…"), flow sequences of scalars ("[a, b]"); '#' comments on
// their own line. Everything is a string in the result (no typing needed).
class MiniYaml {
 public:
  explicit MiniYaml(const std::string& text) {
    std::istringstream in(text);
    std::string raw;
    int number = 0;
    while (std::getline(in, raw)) {
      ++number;
      const auto first = raw.find_first_not_of(' ');
      if (first == std::string::npos || raw[first] == '#') continue;
      if (raw.find('\t') != std::string::npos) fail(number, "tab");
      lines_.push_back({static_cast<int>(first), raw.substr(first), number});
    }
  }

  rapidjson::Document parse() {
    rapidjson::Document doc;
    std::size_t at = 0;
    block(doc, at, 0, doc.GetAllocator());
    if (at != lines_.size()) fail(lines_[at].number, "unexpected indentation");
    return doc;
  }

 private:
  struct Line {
    int indent;
    std::string text;
    int number;
  };
  using Alloc = rapidjson::Document::AllocatorType;

  [[noreturn]] static void fail(int line, const std::string& what) {
    throw std::runtime_error("docs/openapi.yaml:" + std::to_string(line) +
                             ": outside the YAML subset: " + what);
  }

  static std::string unquote(const std::string& s, int line) {
    if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'')) {
      if (s.back() != s.front()) fail(line, "unterminated quote");
      return s.substr(1, s.size() - 2);
    }
    for (const char* bad : {"&", "*", "|", ">", "!", "{"})
      if (s.rfind(bad, 0) == 0) fail(line, std::string("scalar starting with ") + bad);
    if (s.find(" #") != std::string::npos) fail(line, "comment after a value");
    return s;
  }

  static void scalar(rapidjson::Value& out, const std::string& text, int line, Alloc& alloc) {
    if (!text.empty() && text.front() == '[') {
      if (text.back() != ']') fail(line, "flow sequence on several lines");
      out.SetArray();
      std::istringstream items(text.substr(1, text.size() - 2));
      std::string item;
      while (std::getline(items, item, ',')) {
        const auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
        if (b == std::string::npos) continue;
        rapidjson::Value v;
        v.SetString(unquote(item.substr(b, e - b + 1), line).c_str(), alloc);
        out.PushBack(v, alloc);
      }
      return;
    }
    out.SetString(unquote(text, line).c_str(), alloc);
  }

  // "key: value" / "key:" → (key, value, has_value).
  static std::pair<std::string, std::string> split_key(const std::string& text, int line) {
    std::size_t colon = std::string::npos;
    if (text.front() == '"' || text.front() == '\'') {
      const auto close = text.find(text.front(), 1);
      if (close == std::string::npos) fail(line, "unterminated quoted key");
      colon = text.find(':', close);
    } else {
      colon = text.find(": ");
      if (colon == std::string::npos && text.back() == ':') colon = text.size() - 1;
    }
    if (colon == std::string::npos) fail(line, "expected key: value");
    std::string value = colon + 1 < text.size() ? text.substr(colon + 1) : std::string();
    value.erase(0, value.find_first_not_of(' '));
    return {unquote(text.substr(0, colon), line), value};
  }

  // The block starting at lines_[at] with exactly `indent`.
  void block(rapidjson::Value& out, std::size_t& at, int indent, Alloc& alloc) {
    if (at >= lines_.size() || lines_[at].indent != indent) {
      out.SetNull();
      return;
    }
    const bool sequence = lines_[at].text.rfind("- ", 0) == 0 || lines_[at].text == "-";
    sequence ? out.SetArray() : out.SetObject();
    while (at < lines_.size() && lines_[at].indent == indent) {
      const Line line = lines_[at];
      if (sequence) {
        if (line.text.rfind("- ", 0) != 0) fail(line.number, "mapping inside a sequence");
        const std::string item = line.text.substr(2);
        rapidjson::Value v;
        if (item.find(": ") != std::string::npos || item.back() == ':') {
          // A mapping item: its first key is on the dash line, the others
          // are indented by two more.
          lines_[at] = {indent + 2, item, line.number};
          block(v, at, indent + 2, alloc);
        } else {
          scalar(v, item, line.number, alloc);
          ++at;
        }
        out.PushBack(v, alloc);
      } else {
        if (line.text.rfind("- ", 0) == 0) fail(line.number, "sequence inside a mapping");
        auto [key, value] = split_key(line.text, line.number);
        ++at;
        rapidjson::Value v;
        if (value.empty()) {
          if (at < lines_.size() && lines_[at].indent > indent)
            block(v, at, lines_[at].indent, alloc);
        } else {
          scalar(v, value, line.number, alloc);
        }
        if (out.HasMember(key.c_str())) fail(line.number, "duplicate key " + key);
        out.AddMember(rapidjson::Value(key.c_str(), alloc), v, alloc);
      }
    }
    if (at < lines_.size() && lines_[at].indent > indent)
      fail(lines_[at].number, "unexpected indentation");
  }

  std::vector<Line> lines_;
};

constexpr const char* kToken = "openapi-test-token";

struct Fixture {
  ScratchDir dir{"vigie-openapi"};
  std::unique_ptr<ServerProcess> server;
  Fixture() {
    if (run_indexer(dir.path() / "index",
                    {shared_corpus() / "communiques", source_dir() / "corpus"}) != 0)
      throw std::runtime_error("vigie-index failed");
    server = std::make_unique<ServerProcess>(
        std::vector<std::string>{"--config", shipped_config().string(), "--db",
                                 (dir.path() / "index").string(), "--quiet"},
        dir.path() / "server.log",
        std::vector<std::string>{std::string("VIGIE_ADMIN_TOKEN=") + kToken,
                                 "VIGIE_INDEX_PROGRAM=/nonexistent/vigie-index"});
  }
};

rapidjson::Document load_spec() {
  std::ifstream in(source_dir() / "docs" / "openapi.yaml");
  std::ostringstream text;
  text << in.rdbuf();
  return MiniYaml(text.str()).parse();
}

const rapidjson::Value& resolve(const rapidjson::Document& spec, const rapidjson::Value& node) {
  if (!node.IsObject() || !node.HasMember("$ref")) return node;
  std::string ref = node["$ref"].GetString();
  REQUIRE(ref.rfind("#/", 0) == 0);
  const rapidjson::Value* at = &spec;
  std::istringstream parts(ref.substr(2));
  std::string part;
  while (std::getline(parts, part, '/')) {
    CAPTURE(ref);
    REQUIRE(at->IsObject());
    REQUIRE(at->HasMember(part.c_str()));
    at = &(*at)[part.c_str()];
  }
  return resolve(spec, *at);
}

// The value has every field the schema requires, recursively.
void check_schema(const rapidjson::Document& spec, const rapidjson::Value& schema_node,
                  const rapidjson::Value& value, const std::string& where) {
  const rapidjson::Value& schema = resolve(spec, schema_node);
  CAPTURE(where);
  if (schema.HasMember("type")) {
    const std::string type = schema["type"].GetString();
    if (type == "object") CHECK(value.IsObject());
    if (type == "array") CHECK(value.IsArray());
    if (type == "integer") CHECK((value.IsInt64() || value.IsUint64()));
    if (type == "boolean") CHECK(value.IsBool());
  }
  if (schema.HasMember("required") && value.IsObject())
    for (const auto& field : schema["required"].GetArray()) {
      CAPTURE(field.GetString());
      CHECK(value.HasMember(field.GetString()));
    }
  if (schema.HasMember("properties") && value.IsObject())
    for (const auto& p : schema["properties"].GetObject())
      if (value.HasMember(p.name.GetString()))
        check_schema(spec, p.value, value[p.name.GetString()], where + "." + p.name.GetString());
  if (schema.HasMember("items") && value.IsArray()) {
    rapidjson::SizeType n = 0;
    for (const auto& item : value.GetArray()) {
      if (n++ == 3) break;
      check_schema(spec, schema["items"], item, where + "[]");
    }
  }
}

}  // namespace

TEST_CASE("docs/openapi.yaml stays within the YAML subset and lists the API") {
  auto spec = load_spec();
  REQUIRE(spec.IsObject());
  CHECK(std::string(spec["openapi"].GetString()).rfind("3.", 0) == 0);
  std::set<std::string> paths;
  for (const auto& p : spec["paths"].GetObject()) paths.insert(p.name.GetString());
  for (const char* route :
       {"/api/search", "/api/documents/{id}", "/api/documents/{id}/similar", "/api/export",
        "/health", "/metrics", "/api/admin/reindex", "/api/admin/status"})
    CHECK(paths.count(route) == 1);
  CHECK_THROWS_WITH_AS(MiniYaml("a: &anchor 1\n").parse(), doctest::Contains("subset"),
                       std::runtime_error);
  CHECK_THROWS_AS(MiniYaml("a: |\n  text\n").parse(), std::runtime_error);
  auto nested = MiniYaml("a:\n  - x: 1\n    y: [p, 'q']\n  - z\nb: \"c: d\"\n").parse();
  CHECK(std::string(nested["a"][0]["y"][1].GetString()) == "q");
  CHECK(std::string(nested["a"][1].GetString()) == "z");
  CHECK(std::string(nested["b"].GetString()) == "c: d");
}

TEST_CASE("every example in docs/openapi.yaml answers as the spec says") {
  Fixture fixture;
  const int port = fixture.server->port();
  auto spec = load_spec();
  int examples = 0;
  for (const auto& path : spec["paths"].GetObject()) {
    for (const auto& operation : path.value.GetObject()) {
      std::string method = operation.name.GetString();
      for (auto& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const auto& op = operation.value;
      REQUIRE(op.HasMember("x-vigie-examples"));
      REQUIRE(op.HasMember("responses"));
      for (const auto& example : op["x-vigie-examples"].GetArray()) {
        const std::string target = example["target"].GetString();
        const int expected = std::stoi(example["status"].GetString());
        CAPTURE(method);
        CAPTURE(target);
        std::vector<std::pair<std::string, std::string>> headers;
        const std::string auth = example.HasMember("auth") ? example["auth"].GetString() : "";
        if (auth == "good") headers.emplace_back("Authorization", std::string("Bearer ") + kToken);
        if (auth == "wrong") headers.emplace_back("Authorization", "Bearer nope");
        const std::string body = example.HasMember("body") ? example["body"].GetString() : "";
        auto reply = http(port, method, target, body, headers);
        ++examples;
        CAPTURE(reply.body.substr(0, 300));
        CHECK(reply.status == expected);
        const std::string status = std::to_string(reply.status);
        REQUIRE(op["responses"].HasMember(status.c_str()));
        const auto& response = resolve(spec, op["responses"][status.c_str()]);
        if (!response.HasMember("content")) continue;
        // The content type is one of those declared (parameters aside).
        const std::string type = reply.header("content-type");
        const std::string media = type.substr(0, type.find(';'));
        CAPTURE(type);
        REQUIRE(response["content"].HasMember(media.c_str()));
        const auto& declared = response["content"][media.c_str()];
        if (media == "application/json" && declared.HasMember("schema")) {
          auto json = parse_json(reply.body);
          check_schema(spec, declared["schema"], json, target);
        }
        if (media == "text/csv")
          CHECK(reply.header("content-disposition").rfind("attachment", 0) == 0);
      }
    }
  }
  CHECK(examples >= 24);
}
