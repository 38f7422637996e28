// crawl(): every regular file under the roots once, sorted by id path, with
// its path inside its root and its absolute path, however the root is spelled
// (relative, ./, trailing slash, .., through a symbolic link).
#include "pipeline/file_crawler.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "test_support.h"

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
      }
    }
    const auto named = vigie::crawl({vigie::IndexRoot::parse("archives=./docs/")});
    REQUIRE(named.files.size() == expected.size());
    CHECK(named.files[1].id_path == "archives/sous dossier/b.txt");
    CHECK(named.files[1].relative == "sous dossier/b.txt");
  });
}
