#include "write_failure_guard.h"

#include <xapian.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>

#include "index_report.h"

namespace vigie {
namespace {

std::atomic<const WriteFailureGuard*> armed{nullptr};
std::atomic<bool> handling{false};

// errno values a failed write leaves that mean the write itself failed.
bool is_write_errno(int code) { return code == ENOSPC || code == EFBIG || code == EDQUOT || code == EIO; }

// Reports the failure like the ordinary path does (index_run.cpp), removes a
// --full run's unfinished generation, and exits with status 1.
[[noreturn]] void report_and_exit(const WriteFailure& failure, const IndexDirectory& directory) {
  try {
    if (failure.full) directory.remove_abandoned();
  } catch (...) {
    // The report below matters more; the next run removes it.
  }
  std::cerr << "vigie-index: " << write_failure_message(failure) << std::endl;
  std::_Exit(1);
}

}  // namespace

WriteFailureGuard::WriteFailureGuard(const IndexDirectory& directory, std::filesystem::path target, bool full)
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
  // First: anything below may change errno.
  const int last_errno = errno;
  const WriteFailureGuard* guard = armed.load();
  if (guard) {
    std::exception_ptr in_flight = std::current_exception();
    // Glass's own cleanup landing pads call std::terminate() directly when a
    // second write fails while the first one's exception unwinds (the
    // destructors that write value chunks): the handler then sees no
    // current exception, only one still in flight, and errno as that
    // failed write left it. Anything else — a bug, no write error — still
    // goes to the runtime's handler.
    const bool unwinding_write_failure =
        !in_flight && std::uncaught_exceptions() > 0 && is_write_errno(last_errno);
    if (in_flight || unwinding_write_failure) {
      // One thread reports; a second one terminating meanwhile waits for the exit.
      if (handling.exchange(true))
        for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
      WriteFailure failure{guard->target_.string(), guard->live_generation_, guard->full_, "", ""};
      if (unwinding_write_failure) {
        failure.system_error = std::strerror(last_errno);
        failure.error = "a write failed (" + failure.system_error + ") while Xapian was undoing an earlier one";
        report_and_exit(failure, guard->directory_);
      }
      try {
        std::rethrow_exception(in_flight);
      } catch (const Xapian::Error& e) {
        const char* system_error = e.get_error_string();
        failure.error = e.get_description();
        failure.system_error = system_error ? system_error : "";
        report_and_exit(failure, guard->directory_);
      } catch (...) {
        // Not a write failure: the runtime's handler says what it was.
      }
    }
  }
  if (guard && guard->previous_) guard->previous_();
  std::abort();
}

}  // namespace vigie
