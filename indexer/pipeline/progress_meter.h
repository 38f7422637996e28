// ProgressMeter: indexing progress on stderr — a one-line bar redrawn in
// place on a terminal (files, MB, rate, ETA), or a log line every 10 s when
// stderr is a file or a pipe (cron, CI). Used by the writer thread only.
#pragma once

#include <chrono>
#include <cstdint>

namespace vigie {

class ProgressMeter {
 public:
  ProgressMeter(bool enabled, std::uint64_t total_files, std::uint64_t total_bytes);
  void advance(std::uint64_t bytes);  // one more file done
  void finish();                      // clears the bar line

 private:
  void draw(bool force);
  bool enabled_;
  bool tty_;
  std::uint64_t total_files_, total_bytes_;
  std::uint64_t files_ = 0, bytes_ = 0;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace vigie
