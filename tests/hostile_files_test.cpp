// Hostile files through the REAL indexer program (vigie-index): one table,
// one row per file nobody checked — truncated, encrypted, bombs, sparse
// giants, junk, odd encodings, unreadable, vanished, looping links. Each row
// runs vigie-index on a folder holding that file and one ordinary file, and
// checks, from the JSON report and from wait4()'s resource usage:
//   - the run ends (exit 0: bad files are reported, not fatal) within the
//     row's time bound, with a bounded peak RSS;
//   - the hostile file is reported with the expected kind, or indexed best
//     effort where the row says so;
//   - the ordinary file next to it is still indexed.
#include <Poco/DateTime.h>
#include <Poco/Path.h>
#include <Poco/Zip/Compress.h>
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "server_test_support.h"

using namespace vigie::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kHostileName = "hostile";  // every row's file starts with this

struct Row {
  std::string name;
  // Writes the hostile file(s) into the folder; returns false to skip the
  // row (with the reason in `skip_reason`).
  std::function<bool(const fs::path& dir, std::string& skip_reason)> make;
  std::set<std::string> kinds;  // accepted report kinds; "indexed" = best-effort success
  double max_seconds = 60;
  long max_rss_mb = 1024;  // ASan build: shadow memory included
};

// --------------------------------------------------------------- builders

std::string one_page_pdf_with_count(long declared_pages) {
  // Catalog → Pages (declaring `declared_pages`) → one real page. The xref
  // offsets are exact, so poppler trusts the tree and reads /Count.
  const std::string content = "BT /F1 12 Tf 72 720 Td (Bombe) Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count " + std::to_string(declared_pages) + " >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

// A genuine page tree of `pages` leaves sharing one content stream: small
// on disk, but every page is a real object, so only max_pdf_pages stops it.
std::string pdf_with_pages(int pages) {
  const std::string content = "BT /F1 12 Tf 72 720 Td (Page) Tj ET";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "",
      "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream"};
  std::string kids;
  for (int i = 0; i < pages; ++i) {
    kids += std::to_string(objects.size() + 1) + " 0 R ";
    objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R >>");
  }
  objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>";
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (auto off : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", off);
    pdf += line;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

struct ZipEntry {
  std::string name, content;
  bool store = false;
};

std::string make_zip(const std::vector<ZipEntry>& entries) {
  std::ostringstream out(std::ios::binary);
  Poco::Zip::Compress compress(out, true);
  for (const auto& e : entries) {
    std::istringstream in(e.content);
    compress.addFile(in, Poco::DateTime(), Poco::Path(e.name, Poco::Path::PATH_UNIX),
                     e.store ? Poco::Zip::ZipCommon::CM_STORE : Poco::Zip::ZipCommon::CM_DEFLATE);
  }
  compress.close();
  return out.str();
}

std::string docx(const std::string& document_xml) {
  return make_zip(
      {{"[Content_Types].xml",
        R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)"},
       {"word/document.xml", document_xml}});
}

std::string odt(const std::string& content_xml) {
  return make_zip({{"mimetype", "application/vnd.oasis.opendocument.text", true},
                   {"content.xml", content_xml}});
}

std::string billion_laughs_content() {
  std::string dtd = "<!DOCTYPE lolz [<!ENTITY lol0 \"lol\">";
  for (int i = 1; i <= 30; ++i) {
    const std::string prev = "&lol" + std::to_string(i - 1) + ";";
    dtd += "<!ENTITY lol" + std::to_string(i) + " \"" + prev + prev + prev + prev + prev + prev +
           prev + prev + prev + prev + "\">";
  }
  dtd += "]>";
  return R"(<?xml version="1.0" encoding="UTF-8"?>)" + dtd +
         R"(<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" )"
         R"(xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>)"
         R"(<text:p>&lol30;</text:p></office:text></office:body></office:document-content>)";
}

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng() & 0xFF);
  return out;
}

bool write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  write_file(dir / name, bytes);
  return true;
}

std::vector<Row> rows() {
  const fs::path real_pdf =
      source_dir() / "corpus/cc-pays-de-lisiere/rapports" / "Rapport d'activit\xC3\xA9 2023.pdf";
  return {
      {"truncated PDF (first 1,500 bytes of a real one)",
       [real_pdf](const fs::path& d, std::string&) {
         return write(d, "hostile-truncated.pdf", read_file(real_pdf).substr(0, 1500));
       },
       {"corrupt", "no-text"}},
      {"PDF cut in the middle of its last object",
       [real_pdf](const fs::path& d, std::string&) {
         const std::string pdf = read_file(real_pdf);
         return write(d, "hostile-half.pdf", pdf.substr(0, pdf.size() / 2));
       },
       {"corrupt", "no-text", "indexed"}},
      {"encrypted PDF (user password)",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-encrypted.pdf",
                      read_file(source_dir() / "tests/fixtures/hostile/encrypted.pdf"));
       },
       {"encrypted"}},
      {"PDF bomb: a page tree declaring 1,000,000 pages",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-pages.pdf", one_page_pdf_with_count(1000000));
       },
       {"too-large", "corrupt"},
       30,
       600},
      {"PDF with a real page tree of 6,000 pages (max_pdf_pages 5,000)",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-6000-pages.pdf", pdf_with_pages(6000));
       },
       {"too-large"},
       60,
       600},
      {"PDF declaring 2^31 pages",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-pages-int.pdf", one_page_pdf_with_count(2147483647L));
       },
       {"too-large", "corrupt"},
       30,
       600},
      {"zip bomb DOCX (64 MB of one letter, ratio ~1000)",
       [](const fs::path& d, std::string&) {
         const std::string xml =
             R"(<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>)" +
             std::string(64u << 20, 'a') + "</w:t></w:r></w:p></w:body></w:document>";
         return write(d, "hostile-bomb.docx", docx(xml));
       },
       {"too-large"},
       120},
      {"billion laughs in an ODT (10^30 expansions)",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-laughs.odt", odt(billion_laughs_content()));
       },
       {"corrupt"},
       30,
       600},
      {"zip64 record declaring exabytes (.docx)",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-zip64.docx", std::string("PK\x06\x06\x1a'm-m'\0/\0", 13));
       },
       {"corrupt", "unsupported"},
       30,
       600},
      {"0-byte file",
       [](const fs::path& d, std::string&) { return write(d, "hostile-empty.txt", ""); },
       {"no-text", "unsupported"}},
      {"2 GB sparse file (refused by size, never read)",
       [](const fs::path& d, std::string&) {
         write_file(d / "hostile-sparse.pdf", "%PDF-1.4\n");
         fs::resize_file(d / "hostile-sparse.pdf", 2ull << 30);
         return true;
       },
       {"too-large"},
       30,
       600},
      {"binary junk named .txt",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-junk.txt", random_bytes(256 * 1024, 42));
       },
       {"unsupported"}},
      {"binary junk named .html, .md, .json, .csv",
       [](const fs::path& d, std::string&) {
         for (const char* ext : {".html", ".md", ".json", ".csv"})
           write(d, std::string("hostile-junk") + ext, random_bytes(64 * 1024, 7));
         return true;
       },
       {"unsupported", "corrupt", "no-text"}},
      {"mixed encodings in one .txt (UTF-8, Latin-1, CP1252, UTF-16 BOM midway)",
       [](const fs::path& d, std::string&) {
         std::string text = "Délibération du conseil municipal\n\n";
         for (int i = 0; i < 200; ++i)
           text += "Séance publique " + std::to_string(i) +
                   " : d\xE9lib\xE9ration \x93vote\x94 \x9Cuvre \xFF\xFE\x00t\x00\n";
         return write(d, "hostile-mixed.txt", text);
       },
       {"indexed"}},
      {"10 MB on a single line",
       [](const fs::path& d, std::string&) {
         std::string line = "Compte rendu ";
         while (line.size() < (10u << 20)) line += "délibération municipale budget voirie ";
         return write(d, "hostile-line.txt", line);
       },
       {"indexed"},
       300,
       2048},
      {"HTML nested 100,000 deep",
       [](const fs::path& d, std::string&) {
         std::string html = "<html><body>";
         for (int i = 0; i < 100000; ++i) html += "<div>";
         return write(d, "hostile-nested.html", html + "Conseil municipal</body></html>");
       },
       {"indexed", "corrupt", "no-text"},
       120},
      {"JSON minutes nested 100,000 deep",
       [](const fs::path& d, std::string&) {
         return write(
             d, "hostile-nested.json",
             "{\"deliberations\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
       },
       {"corrupt", "unsupported"},
       60},
      {"CSV with an unterminated quote over 5 MB",
       [](const fs::path& d, std::string&) {
         return write(
             d, "hostile-quote.csv",
             "DELIB_ID;DELIB_DATE;DELIB_OBJET\n1;2023-01-01;\"" + std::string(5u << 20, 'x'));
       },
       {"corrupt", "indexed", "no-text"},
       45},
      {"Markdown with 50,000 nested quotes",
       [](const fs::path& d, std::string&) {
         return write(d, "hostile-quotes.md", std::string(50000, '>') + " Communiqué\n");
       },
       {"indexed", "no-text"},
       120},
      {"file without read permission",
       [](const fs::path& d, std::string& skip) {
         write(d, "hostile-secret.txt", "Conseil municipal : huis clos.\n");
         ::chmod((d / "hostile-secret.txt").c_str(), 0);
         if (::geteuid() == 0) {
           skip = "running as root: root reads it anyway (the vanished-file row covers the error)";
           return false;
         }
         return true;
       },
       {"io"}},
      {"vanished file (a link to a file that no longer exists)",
       [](const fs::path& d, std::string&) {
         fs::create_symlink(d / "gone-forever.txt", d / "hostile-vanished.txt");
         return true;
       },
       {"io"}},
      {"symlink loop (a -> b -> a) and a folder linking to itself",
       [](const fs::path& d, std::string&) {
         fs::create_symlink(d / "hostile-loop-b.txt", d / "hostile-loop-a.txt");
         fs::create_symlink(d / "hostile-loop-a.txt", d / "hostile-loop-b.txt");
         fs::create_directory_symlink(d, d / "hostile-self");
         return true;
       },
       {"io", "none"}},
  };
}

// --------------------------------------------------------------- running

struct Run {
  int exit_code = -1;
  double seconds = 0;
  long max_rss_mb = 0;
  rapidjson::Document report;
};

Run run_vigie_index(const fs::path& config, const fs::path& db, const fs::path& root,
                    const fs::path& report) {
  Run run;
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = spawn_program(
      {vigie_index_program().string(), "--config", config.string(), "--db", db.string(), "--report",
       report.string(), "--quiet", "--threads", "1", root.string()},
      -1, db.parent_path() / "indexer.log");
  // Peak RSS from /proc/<pid>/status VmHWM, polled until exit: wait4's
  // ru_maxrss would include this (large) test process, whose memory the
  // spawned child shares until it execs.
  int status = 0;
  while (true) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) break;
    std::ifstream proc("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(proc, line);)
      if (line.rfind("VmHWM:", 0) == 0)
        run.max_rss_mb = std::max(run.max_rss_mb, std::stol(line.substr(6)) / 1024);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  if (fs::exists(report)) run.report.Parse(read_file(report).c_str());
  return run;
}

// The kinds the report gives the hostile files ("indexed" when none of them
// is in skipped/failed; "none" when they are neither reported nor indexed).
std::set<std::string> hostile_kinds(const rapidjson::Document& report, std::string& reasons) {
  std::set<std::string> kinds;
  for (const char* list : {"skipped", "failed"})
    for (const auto& p : report[list].GetArray())
      if (std::string(p["path"].GetString()).find(kHostileName) != std::string::npos) {
        kinds.insert(p["kind"].GetString());
        reasons += std::string(" [") + p["reason"].GetString() + "]";
      }
  return kinds;
}

}  // namespace

TEST_CASE("hostile files are reported and skipped in bounded time and memory") {
  ScratchDir scratch("vigie-hostile-files");
  // Small text cap: the 10 MB line is cut rather than indexed whole; the
  // other limits are the shipped ones (max_file_mb 200, max_pdf_pages 5000,
  // max_unzipped_mb 256, max_zip_ratio 200).
  const fs::path cfg = source_dir() / "config";
  const fs::path config = scratch.path() / "vigie.json";
  write_file(config, "{\"indexer\": {\"max_text_mb\": 4}, \"analysis\": {\"stopwords\": \"" +
                         (cfg / "stopwords-fr.txt").string() + "\", \"synonyms\": \"" +
                         (cfg / "synonyms.txt").string() + "\"}}");
  const auto table = rows();
  int index = 0, skipped_rows = 0;
  for (const auto& row : table) {
    CAPTURE(row.name);
    const fs::path case_dir = scratch.path() / ("case-" + std::to_string(index++));
    const fs::path root = case_dir / "files";
    fs::create_directories(root);
    write_file(root / "ordinaire.txt",
               "Compte rendu du conseil municipal\n\nLe conseil vote le budget de la voirie.\n");
    std::string skip_reason;
    if (!row.make(root, skip_reason)) {
      MESSAGE("skipped row: " << row.name << " — " << skip_reason);
      ++skipped_rows;
      continue;
    }
    const Run run = run_vigie_index(config, case_dir / "index", root, case_dir / "report.json");
    std::string kinds_seen;
    CHECK(run.exit_code == 0);
    REQUIRE_MESSAGE(run.report.IsObject(), "no JSON report");
    std::string reasons;
    std::set<std::string> kinds = hostile_kinds(run.report, reasons);
    if (kinds.empty()) kinds.insert(run.report["added"].GetUint64() >= 2 ? "indexed" : "none");
    for (const auto& k : kinds) kinds_seen += k + " ";
    MESSAGE(row.name << ": " << kinds_seen << "in " << run.seconds << " s, peak RSS "
                     << run.max_rss_mb << " MB" << reasons);
    for (const auto& k : kinds)
      CHECK_MESSAGE(row.kinds.count(k) == 1, "unexpected outcome '" << k << "'");
    CHECK(run.seconds < row.max_seconds);
    CHECK(run.max_rss_mb < row.max_rss_mb);
    // The ordinary file beside it is indexed whatever happened.
    CHECK(run.report["added"].GetUint64() >= 1);
    CHECK(run.report["documents"].GetUint64() >= 1);
    if (row.name.starts_with("2 GB sparse")) {
      // Refused from its size: not a byte of it was read.
      CHECK(run.report["bytes"].GetUint64() < (1u << 20));
    }
  }
  CHECK(table.size() - static_cast<std::size_t>(skipped_rows) >= 20);
}
