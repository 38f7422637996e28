#include "pipeline/progress_meter.h"

#include <unistd.h>

#include <cstdio>

namespace vigie {

ProgressMeter::ProgressMeter(bool enabled, std::uint64_t total_files, std::uint64_t total_bytes)
    : enabled_(enabled && total_files > 0),
      tty_(::isatty(STDERR_FILENO) == 1),
      total_files_(total_files),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void ProgressMeter::advance(std::uint64_t bytes) {
  ++files_;
  bytes_ += bytes;
  draw(false);
}

void ProgressMeter::draw(bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const auto interval = tty_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(10000);
  if (!force && now - last_draw_ < interval) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double mb = static_cast<double>(bytes_) / (1 << 20);
  const double total_mb = static_cast<double>(total_bytes_) / (1 << 20);
  const double rate = seconds > 0 ? mb / seconds : 0;
  const double eta = rate > 0 ? (total_mb - mb) / rate : 0;
  const int percent = total_files_ ? static_cast<int>(100 * files_ / total_files_) : 100;
  if (tty_) {
    char bar[21];
    int filled = percent / 5;
    for (int i = 0; i < 20; ++i) bar[i] = i < filled ? '#' : '.';
    bar[20] = 0;
    std::fprintf(stderr, "\r[%s] %3d%%  %llu/%llu files  %.1f/%.1f MB  %.1f MB/s  ETA %.0f s   ",
                 bar, percent, static_cast<unsigned long long>(files_),
                 static_cast<unsigned long long>(total_files_), mb, total_mb, rate, eta);
  } else {
    std::fprintf(stderr,
                 "vigie-index: %llu/%llu files (%d%%), %.1f/%.1f MB, %.1f MB/s, ETA %.0f s\n",
                 static_cast<unsigned long long>(files_),
                 static_cast<unsigned long long>(total_files_), percent, mb, total_mb, rate, eta);
  }
  std::fflush(stderr);
}

void ProgressMeter::finish() {
  if (enabled_ && tty_) {
    draw(true);
    std::fprintf(stderr, "\n");
  }
}

}  // namespace vigie
