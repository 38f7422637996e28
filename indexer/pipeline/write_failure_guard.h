// WriteFailureGuard: the index-write failures that Xapian turns into
// std::terminate(), reported like every other write failure.
//
// Why: Xapian 1.4's glass backend writes value chunks from a destructor
// (Glass::ValueUpdater, glass_values.cc). When that write fails — the disk
// is full, a file size limit is hit — the Xapian::DatabaseError leaves a
// destructor and the C++ runtime calls std::terminate(): vigie-index would
// die of SIGABRT with no word of the cause, and a --full run would leave its
// unfinished generation behind. Position streams (position_stream.h) are
// the biggest values we write, so that is where a disk usually fills up.
//
// A second failure while the first unwinds is worse: glass's cleanup code
// then calls std::terminate() itself, with no exception to look at, only
// one still in flight and errno as the failed write left it.
//
// While a guard is alive, a terminate() caused by a Xapian::Error, or called
// while an exception unwinds with errno saying a write failed (ENOSPC,
// EFBIG, EDQUOT, EIO), prints write_failure_message() for the write being
// guarded, removes a --full run's unfinished generation (what
// IndexDirectory::remove_abandoned() does on the ordinary path), and exits
// with status 1 — what the ordinary path does. Any other terminate() goes on
// to the runtime's own handler.
//
// Thread-safety: one guard at a time per process (vigie-index writes one
// index); the handler runs on whichever thread terminates.
#pragma once

#include <exception>
#include <filesystem>
#include <string>

#include "vigie/index_directory.h"

namespace vigie {

class WriteFailureGuard {
 public:
  // `directory` must outlive the guard. `full`: the write builds a new
  // generation at `target` (removed on failure); otherwise it updates the
  // live one, whose last commit stays intact.
  WriteFailureGuard(const IndexDirectory& directory, std::filesystem::path target, bool full);
  ~WriteFailureGuard();
  WriteFailureGuard(const WriteFailureGuard&) = delete;
  WriteFailureGuard& operator=(const WriteFailureGuard&) = delete;

 private:
  static void on_terminate();

  const IndexDirectory& directory_;
  std::filesystem::path target_;
  std::string live_generation_;
  bool full_;
  std::terminate_handler previous_;
};

}  // namespace vigie
