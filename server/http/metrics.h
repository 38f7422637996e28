// Metrics: the counters behind GET /metrics (Prometheus text format 0.0.4):
// requests by route and status, a latency histogram per route, requests in
// flight, rejections by reason (the admission gate's full queue or timed-out
// wait, connections over the per-client cap), generation switches and reopens seen by the
// searchers. Gauges that belong to others (documents in the index, Poco's refused connections) are
// passed in at scrape time. Thread-safe: counters are updated from every worker thread under one
// mutex (a few map lookups per request; contention is negligible next to a
// Xapian match).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace vigie::http {

struct ScrapeGauges {
  std::optional<std::uint64_t> documents;  // nullopt when no index
  std::string generation;
  int refused_connections = 0;  // Poco: queue full, connection closed at accept
  int queued_connections = 0;
  int current_threads = 0;
  // The admission gate (admission_gate.h).
  int workers = 0;
  int workers_busy = 0;
  int requests_waiting = 0;
  std::uint64_t requests_waited = 0;  // admitted after waiting, since start
};

class Metrics {
 public:
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,   1.0,  2.5,   5.0,  10.0};

  void observe(const std::string& route, int status, double seconds);
  void count_rejected(const std::string& reason);
  // Counts a switch when a searcher reports a generation other than the last seen.
  void observe_generation(const std::string& generation);
  // Index changes picked up by the searchers (each Searcher opens a new
  // generation, or reopens onto a new revision, on its own).
  void count_reloads(std::uint64_t generations, std::uint64_t revisions);

  // In-flight requests: the boundary enters on arrival and leaves when done.
  int enter() { return ++in_flight_; }
  void leave() { --in_flight_; }
  int in_flight() const { return in_flight_; }

  std::string render(const ScrapeGauges& gauges) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};  // cumulative at render time
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, std::uint64_t> rejected_;
  std::string last_generation_;
  std::uint64_t generation_switches_ = 0;
  std::uint64_t generation_opens_ = 0;
  std::uint64_t revision_reopens_ = 0;
  std::atomic<int> in_flight_{0};
};

}  // namespace vigie::http
