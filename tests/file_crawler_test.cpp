// crawl(): every regular file under the roots once, sorted by id path, with
// its path inside its root and its absolute path, however the root is spelled
// (relative, ./, trailing slash, .., through a symbolic link).
#include "pipeline/file_crawler.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"
#include "vigie/config.h"

namespace fs = std::filesystem;
using vigie::test::ScratchDir;

namespace {

// Runs `body` with the working directory set to `dir`, then restores it.
template <typename Body>
void in_directory(const fs::path& dir, Body body) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  try {
    body();
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
}

}  // namespace

TEST_CASE("crawl skips the files and folders an exclusion pattern names, and lists them") {
  ScratchDir dir;
  const fs::path root = dir.path() / "corpus";
  for (const char* file : {"README.md", "chemere/readme.txt", "chemere/LICENSE", "MANIFEST",
                           "chemere/pdf/CM 22 juin 2010.pdf", "chemere/README-conseil.pdf",
                           "chemere/brouillons/note.md", "chemere/~$CM.docx", "a.md~", "a.md"})
    vigie::test::write_file(root / fs::u8path(file), "x");
  struct Case {
    const char* name;
    std::vector<std::string> exclude;
    std::vector<std::string> files, excluded;
  } cases[] = {
      {"the config's defaults",
       vigie::Config{}.indexer.exclude,
       {"a.md", "chemere/README-conseil.pdf", "chemere/brouillons/note.md",
        "chemere/pdf/CM 22 juin 2010.pdf"},
       {"MANIFEST", "README.md", "a.md~", "chemere/LICENSE", "chemere/readme.txt",
        "chemere/~$CM.docx"}},
      {"a pattern with a slash names a path inside the root (a folder here)",
       {"chemere/brouillons"},
       {"MANIFEST", "README.md", "a.md", "a.md~", "chemere/LICENSE", "chemere/README-conseil.pdf",
        "chemere/pdf/CM 22 juin 2010.pdf", "chemere/readme.txt", "chemere/~$CM.docx"},
       {"chemere/brouillons"}},
      {"an empty list indexes everything",
       {},
       {"MANIFEST", "README.md", "a.md", "a.md~", "chemere/LICENSE", "chemere/README-conseil.pdf",
        "chemere/brouillons/note.md", "chemere/pdf/CM 22 juin 2010.pdf", "chemere/readme.txt",
        "chemere/~$CM.docx"},
       {}},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    const auto result = vigie::crawl({vigie::IndexRoot::parse(root.string())}, c.exclude);
    std::vector<std::string> files;
    for (const auto& file : result.files) files.push_back(file.id_path);
    CHECK(files == c.files);
    std::vector<std::string> excluded = result.excluded;
    std::sort(excluded.begin(), excluded.end());
    CHECK(excluded == c.excluded);
  }
  // A file given as the root is indexed whatever its name: it was asked for.
  CHECK(vigie::crawl({vigie::IndexRoot::parse((root / "README.md").string())},
                     vigie::Config{}.indexer.exclude)
            .files.size() == 1);
}

TEST_CASE(
    "crawl gives each file's path inside its root and its absolute path, however the root is "
    "spelled") {
  ScratchDir dir;
  const fs::path docs = dir.path() / "docs";
  vigie::test::write_file(docs / "a.md", "a");
  vigie::test::write_file(docs / "sous dossier" / "b.txt", "bb");
  vigie::test::write_file(docs / "sous dossier" / "déjà" / "c.html", "ccc");
  vigie::test::write_file(docs / ".cache" / "hidden.txt", "x");
  fs::create_directories(dir.path() / "other");
  fs::create_directory_symlink(docs, dir.path() / "link");
  const std::vector<std::string> expected{"a.md", "sous dossier/b.txt", "sous dossier/déjà/c.html"};

  in_directory(dir.path(), [&] {
    const std::vector<std::string> roots{"docs",
                                         "docs/",
                                         "./docs",
                                         "./docs/",
                                         "other/../docs",
                                         "link",
                                         "link/",
                                         (dir.path() / "docs").string(),
                                         (dir.path() / "link").string()};
    for (const std::string& root : roots) {
      CAPTURE(root);
      const auto result = vigie::crawl({vigie::IndexRoot::parse(root)});
      CHECK(result.problems.empty());
      REQUIRE(result.files.size() == expected.size());
      for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& file = result.files[i];
        CHECK(file.relative == expected[i]);
        CHECK(file.id_path == expected[i]);
        CHECK(file.absolute.is_absolute());
        CHECK(fs::equivalent(file.absolute, docs / fs::u8path(expected[i])));
        CHECK(file.absolute.lexically_normal() ==
              (fs::absolute(root) / fs::u8path(expected[i])).lexically_normal());
        CHECK(file.size == i + 1);
        CHECK(file.mtime_ns == fs::last_write_time(file.absolute).time_since_epoch().count());
      }
    }
    const auto named = vigie::crawl({vigie::IndexRoot::parse("archives=./docs/")});
    REQUIRE(named.files.size() == expected.size());
    CHECK(named.files[1].id_path == "archives/sous dossier/b.txt");
    CHECK(named.files[1].relative == "sous dossier/b.txt");
  });
}
