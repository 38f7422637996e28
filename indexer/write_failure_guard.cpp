#include "write_failure_guard.h"

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <cstdlib>
#include <iostream>

#include "index_report.h"

namespace vigie {
namespace {

std::atomic<const WriteFailureGuard*> armed{nullptr};
std::atomic<bool> handling{false};

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
  const WriteFailureGuard* guard = armed.load();
  std::exception_ptr in_flight = std::current_exception();
  if (guard && in_flight) {
    // One thread reports; a second one terminating meanwhile waits for the exit.
    if (handling.exchange(true))
      for (;;) std::this_thread::sleep_for(std::chrono::seconds(1));
    try {
      std::rethrow_exception(in_flight);
    } catch (const Xapian::Error& e) {
      try {
        if (guard->full_) guard->directory_.remove_abandoned();
      } catch (...) {
        // The report below matters more; the next run removes it.
      }
      const char* system_error = e.get_error_string();
      std::cerr << "vigie-index: "
                << write_failure_message({guard->target_.string(), guard->live_generation_, guard->full_,
                                          e.get_description(), system_error ? system_error : ""})
                << std::endl;
      std::_Exit(1);
    } catch (...) {
      // Not a write failure: the runtime's handler says what it was.
    }
  }
  if (guard && guard->previous_) guard->previous_();
  std::abort();
}

}  // namespace vigie
