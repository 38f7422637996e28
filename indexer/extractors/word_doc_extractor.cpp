#include "extractors/word_doc_extractor.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "vigie/text_decoding.h"
#include "vigie/text_normalization.h"

extern char** environ;

namespace vigie {
namespace {

constexpr std::size_t kMaxTitleBytes = 300;
constexpr std::size_t kMaxStderrBytes = 16 * 1024;
constexpr std::string_view kOle2Signature{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};

// Antiword could not be started (no temp file, no pipe, no program): the
// file was not read at all, so it is Unsupported, as when antiword is missing.
[[noreturn]] void cannot_run_antiword(const std::string& why) {
  throw ExtractError(ExtractFailure::Unsupported, "antiword: " + why);
}

// ------------------------------------------------------------ temp file ----

// The .doc bytes on disk for antiword, removed when this goes out of scope.
class TempFile {
 public:
  explicit TempFile(std::string_view bytes) {
    std::error_code no_temp;
    const auto folder = std::filesystem::temp_directory_path(no_temp);
    if (no_temp) cannot_run_antiword("no temp folder: " + no_temp.message());
    std::string pattern = (folder / "vigie-doc-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0)
      cannot_run_antiword(std::string("cannot create a temp file: ") + std::strerror(errno));
    path_ = pattern;
    std::size_t written = 0;
    while (written < bytes.size()) {
      const auto n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ::close(fd);
        cannot_run_antiword("cannot write temp file " + path_ + ": " + std::strerror(errno));
      }
      written += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// -------------------------------------------------------------- process ----

struct ProcessResult {
  std::string out;
  std::string err;
  int status = 0;
  bool timed_out = false;
  bool out_capped = false;
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Reads what is available on `fd` into `sink` (up to `cap` bytes kept).
// False at end of file or error.
bool drain(int fd, std::string& sink, std::size_t cap, bool& capped) {
  std::array<char, 64 * 1024> buffer{};
  const auto n = ::read(fd, buffer.data(), buffer.size());
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;
  const auto room = cap > sink.size() ? cap - sink.size() : 0;
  sink.append(buffer.data(), std::min(room, static_cast<std::size_t>(n)));
  if (static_cast<std::size_t>(n) > room) capped = true;
  return true;
}

// Runs `argv` (argv[0] a full path) in its own process group with stdin on
// /dev/null, collecting stdout (up to max_out) and stderr. Kills the group on
// timeout or once stdout passes max_out. Throws ExtractError{Unsupported}
// when the program cannot be started.
ProcessResult run_bounded(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                          std::size_t max_out) {
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) cannot_run_antiword(std::strerror(errno));
  Fd out_read(out_pipe[0]), out_write(out_pipe[1]);
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) cannot_run_antiword(std::strerror(errno));
  Fd err_read(err_pipe[0]), err_write(err_pipe[1]);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), 1);  // dup2 clears O_CLOEXEC
  posix_spawn_file_actions_adddup2(&actions, err_write.get(), 2);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);

  std::vector<char*> args;
  for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      ::posix_spawn(&pid, argv[0].c_str(), &actions, &attributes, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (spawned != 0) cannot_run_antiword("cannot run " + argv[0] + ": " + std::strerror(spawned));
  out_write.reset();
  err_write.reset();

  ProcessResult result;
  bool err_capped = false;
  bool out_open = true, err_open = true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while ((out_open || err_open) && !result.out_capped) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    std::array<pollfd, 2> fds{
        {{out_open ? out_read.get() : -1, POLLIN, 0}, {err_open ? err_read.get() : -1, POLLIN, 0}}};
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(left.count()));
    if (ready < 0 && errno != EINTR) break;
    if (ready <= 0) continue;
    if (out_open && fds[0].revents != 0)
      out_open = drain(out_read.get(), result.out, max_out, result.out_capped);
    if (err_open && fds[1].revents != 0)
      err_open = drain(err_read.get(), result.err, kMaxStderrBytes, err_capped);
  }
  if (result.timed_out || result.out_capped) ::kill(-pid, SIGKILL);
  out_read.reset();
  err_read.reset();
  while (::waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
  }
  return result;
}

// ---------------------------------------------------------------- text ----

std::string first_line(std::string_view text) {
  const auto end = text.find('\n');
  return std::string(text.substr(0, end));
}

std::string title_from(std::string_view body) {
  while (!body.empty()) {
    const auto end = body.find('\n');
    std::string line = collapse_spaces(body.substr(0, end));
    if (!line.empty()) {
      std::size_t cut = std::min(line.size(), kMaxTitleBytes);
      while (cut > 0 && cut < line.size() && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80)
        --cut;
      line.resize(cut);
      return line;
    }
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return {};
}

// antiword pads lines with spaces and ends with blank lines.
std::string tidy(std::string_view text) {
  std::string out;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    line = line.substr(0, line.find_last_not_of(" \t\r") + 1);
    out.append(line).append("\n");
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  const auto first = out.find_first_not_of('\n');
  if (first == std::string::npos) return {};
  out.erase(0, first);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

ExtractOutcome outcome_from(const ProcessResult& run, const FileInput& input,
                            std::chrono::milliseconds timeout) {
  if (run.timed_out)
    return ExtractOutcome::failed(
        ExtractFailure::TooLarge,
        "antiword did not finish within " + std::to_string(timeout.count()) + " ms; killed");
  const std::string message = collapse_spaces(first_line(make_valid_utf8(run.err)));
  if (!run.out_capped && WIFSIGNALED(run.status))
    return ExtractOutcome::failed(
        ExtractFailure::Corrupt, "antiword died on signal " + std::to_string(WTERMSIG(run.status)));
  if (!run.out_capped && WIFEXITED(run.status) && WEXITSTATUS(run.status) != 0) {
    const bool encrypted = fold(message).find("encrypt") != std::string::npos;
    return ExtractOutcome::failed(encrypted ? ExtractFailure::Encrypted : ExtractFailure::Corrupt,
                                  "antiword failed (exit " +
                                      std::to_string(WEXITSTATUS(run.status)) +
                                      "): " + (message.empty() ? "no message" : message));
  }
  std::string body = tidy(decode_to_utf8(run.out, "UTF-8").utf8);
  if (body.empty()) return ExtractOutcome::failed(ExtractFailure::NoText, "antiword found no text");

  ExtractOutcome outcome;
  if (run.out_capped)
    outcome.warnings.push_back(input.relative_path + ": text cut at " +
                               std::to_string(input.limits.max_text_bytes) + " bytes");
  SourceDocument doc;
  doc.id = input.relative_path;
  doc.source_path = input.relative_path;
  doc.format = "doc";
  doc.title = title_from(body);
  doc.body = std::move(body);
  outcome.documents.push_back(std::move(doc));
  return outcome;
}

}  // namespace

WordDocExtractor::WordDocExtractor() : WordDocExtractor(find_on_path("antiword")) {}

WordDocExtractor::WordDocExtractor(std::string antiword_path, std::chrono::milliseconds timeout)
    : antiword_path_(std::move(antiword_path)), timeout_(timeout) {}

ExtractOutcome WordDocExtractor::extract_file(const FileInput& input) const {
  if (!input.bytes.starts_with(kOle2Signature))
    return ExtractOutcome::failed(ExtractFailure::Unsupported,
                                  "not a legacy Word file (no OLE2 signature)");
  if (antiword_path_.empty())
    return ExtractOutcome::failed(ExtractFailure::Unsupported,
                                  "legacy .doc needs antiword (apt-get install antiword)");
  const TempFile file(input.bytes);
  // UTF-8 mapping so accents survive; width 0 = one paragraph per line.
  const auto run = run_bounded({antiword_path_, "-m", "UTF-8.txt", "-w", "0", file.path()},
                               timeout_, static_cast<std::size_t>(input.limits.max_text_bytes));
  return outcome_from(run, input, timeout_);
}

bool WordDocExtractor::available() { return !find_on_path("antiword").empty(); }

std::string WordDocExtractor::find_on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const auto end = dirs.find(':');
    const std::string_view dir = dirs.substr(0, end);
    if (!dir.empty()) {
      const std::string candidate = std::string(dir) + "/" + std::string(program);
      struct stat info {};
      if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
          ::access(candidate.c_str(), X_OK) == 0)
        return candidate;
    }
    if (end == std::string_view::npos) break;
    dirs.remove_prefix(end + 1);
  }
  return {};
}

}  // namespace vigie
