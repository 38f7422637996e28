#include "pipeline/write_failure_guard.h"

#include <xapian.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <thread>

#include "pipeline/index_report.h"

namespace vigie {
namespace {

std::atomic<const WriteFailureGuard*> armed{nullptr};
std::atomic<bool> handling{false};

// errno values a failed write leaves that mean the write itself failed.
bool is_write_errno(int code) {
  return code == ENOSPC || code == EFBIG || code == EDQUOT || code == EIO;
}

// What a write failure that reached terminate() says: the library's
// description and the OS error behind it.
struct FailureCause {
  std::string error;
  std::string system_error;
};

// The write failure behind a terminate(), or nothing if it was something
// else (a bug). Glass's own cleanup landing pads call std::terminate()
// directly when a second write fails while the first one's exception
// unwinds (the destructors that write value chunks): there is then no
// current exception, only one still in flight, and errno as that failed
// write left it.
std::optional<FailureCause> write_failure_cause(const std::exception_ptr& current, int last_errno) {
  if (current) {
    try {
      std::rethrow_exception(current);
    } catch (const Xapian::Error& e) {
      const char* system_error = e.get_error_string();
      return FailureCause{e.get_description(), system_error ? system_error : ""};
    } catch (...) {
      return std::nullopt;
    }
  }
  if (std::uncaught_exceptions() > 0 && is_write_errno(last_errno)) {
    const std::string system_error = std::strerror(last_errno);
    return FailureCause{
        "a write failed (" + system_error + ") while Xapian was undoing an earlier one",
        system_error};
  }
  return std::nullopt;
}

}  // namespace

WriteFailureGuard::WriteFailureGuard(const IndexDirectory& directory, std::filesystem::path target,
                                     bool full)
    : directory_(directory),
      target_(std::move(target)),
      live_generation_(directory.live_generation().value_or("").filename().string()),
      full_(full) {
  armed = this;
  previous_ = std::set_terminate(&WriteFailureGuard::on_terminate);
}

WriteFailureGuard::~WriteFailureGuard() {
  std::set_terminate(previous_);
  armed = nullptr;
}

void WriteFailureGuard::on_terminate() {
  const int last_errno = errno;  // first: anything below may change it
  const WriteFailureGuard* guard = armed.load();
  if (guard) {
    if (const auto cause = write_failure_cause(std::current_exception(), last_errno)) {
      // One thread reports; a second one terminating meanwhile waits for the exit.
      if (handling.exchange(true))
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      try {
        if (guard->full_) guard->directory_.remove_abandoned();
      } catch (...) {
        // The report below matters more; the next run removes it.
      }
      std::cerr << "vigie-index: "
                << write_failure_message({guard->target_.string(), guard->live_generation_,
                                          guard->full_, cause->error, cause->system_error})
                << std::endl;
      std::_Exit(1);
    }
  }
  if (guard && guard->previous_) guard->previous_();
  std::abort();
}

}  // namespace vigie
