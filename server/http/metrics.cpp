#include "http/metrics.h"

#include <cstdio>
#include <sstream>

namespace vigie::http {
namespace {

// Label values are our own route names and reasons, but escape anyway so a
// future route name can never break the exposition format.
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::string number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// One metric without labels: its HELP and TYPE lines, then its value.
void write_metric(std::ostream& out, const char* name, const char* type, const char* help,
                  long long value) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
      << name << " " << value << "\n";
}

}  // namespace

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_rejected(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++rejected_[reason];
}

void Metrics::observe_generation(const std::string& generation) {
  if (generation.empty()) return;
  std::lock_guard lock(mutex_);
  if (generation == last_generation_) return;
  if (!last_generation_.empty()) ++generation_switches_;
  last_generation_ = generation;
}

void Metrics::count_reloads(std::uint64_t generations, std::uint64_t revisions) {
  if (generations == 0 && revisions == 0) return;
  std::lock_guard lock(mutex_);
  generation_opens_ += generations;
  revision_reopens_ += revisions;
}

std::string Metrics::render(const ScrapeGauges& gauges) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP vigie_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE vigie_http_requests_total counter\n";
  for (const auto& [key, n] : requests_)
    out << "vigie_http_requests_total{route=\"" << label(key.first) << "\",status=\"" << key.second
        << "\"} " << n << "\n";

  out << "# HELP vigie_http_request_duration_seconds Time to answer a request, by route.\n"
         "# TYPE vigie_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << "vigie_http_request_duration_seconds_bucket{route=\"" << label(route) << "\",le=\""
          << number(kBuckets[i]) << "\"} " << cumulative << "\n";
    }
    out << "vigie_http_request_duration_seconds_bucket{route=\"" << label(route)
        << "\",le=\"+Inf\"} " << h.count << "\n";
    out << "vigie_http_request_duration_seconds_sum{route=\"" << label(route) << "\"} "
        << number(h.sum) << "\n";
    out << "vigie_http_request_duration_seconds_count{route=\"" << label(route) << "\"} " << h.count
        << "\n";
  }

  out << "# HELP vigie_http_requests_in_flight Requests being handled now.\n"
         "# TYPE vigie_http_requests_in_flight gauge\n"
      << "vigie_http_requests_in_flight " << in_flight_.load() << "\n";

  out << "# HELP vigie_http_rejected_total Requests answered 503 because the server was saturated, "
         "or connections answered 429 (per_client), by reason.\n"
         "# TYPE vigie_http_rejected_total counter\n";
  {
    // The gate's two reasons always appear, so alerts need no "absent" case.
    auto rejected = rejected_;
    rejected.try_emplace("queue_full", 0);
    rejected.try_emplace("queue_timeout", 0);
    for (const auto& [reason, n] : rejected)
      out << "vigie_http_rejected_total{reason=\"" << label(reason) << "\"} " << n << "\n";
  }
  write_metric(out, "vigie_http_workers", "gauge",
               "Requests that may do CPU work at once (server.workers).", gauges.workers);
  write_metric(out, "vigie_http_workers_busy", "gauge", "Requests doing CPU work now.",
               gauges.workers_busy);
  write_metric(out, "vigie_http_requests_waiting", "gauge",
               "Requests waiting for a worker now (at most server.queue).",
               gauges.requests_waiting);
  write_metric(out, "vigie_http_requests_waited_total", "counter",
               "Requests that got a worker after waiting.", gauges.requests_waited);

  write_metric(out, "vigie_http_refused_connections_total", "counter",
               "Connections closed at accept because the queue was full.",
               gauges.refused_connections);
  write_metric(out, "vigie_http_queued_connections", "gauge",
               "Accepted connections waiting for a connection thread.", gauges.queued_connections);
  write_metric(out, "vigie_http_worker_threads", "gauge",
               "Connection threads (one per open connection).", gauges.current_threads);

  out << "# HELP vigie_index_available 1 when an index is open.\n"
         "# TYPE vigie_index_available gauge\n"
      << "vigie_index_available " << (gauges.documents ? 1 : 0) << "\n";
  out << "# HELP vigie_index_documents Documents in the live index generation.\n"
         "# TYPE vigie_index_documents gauge\n"
      << "vigie_index_documents " << (gauges.documents ? *gauges.documents : 0) << "\n";
  write_metric(out, "vigie_index_generation_switches_total", "counter",
               "New index generations picked up without restart.", generation_switches_);
  out << "# HELP vigie_index_reopens_total Index reopens by the searchers (each searcher counts "
         "its own): a new generation opened, or a new revision of the same one.\n"
         "# TYPE vigie_index_reopens_total counter\n"
      << "vigie_index_reopens_total{kind=\"generation\"} " << generation_opens_ << "\n"
      << "vigie_index_reopens_total{kind=\"revision\"} " << revision_reopens_ << "\n";
  if (!gauges.generation.empty())
    out << "# HELP vigie_index_generation_info The live generation.\n"
           "# TYPE vigie_index_generation_info gauge\n"
        << "vigie_index_generation_info{generation=\"" << label(gauges.generation) << "\"} 1\n";
  return out.str();
}

}  // namespace vigie::http
