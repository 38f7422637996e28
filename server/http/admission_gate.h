// AdmissionGate: how many requests do CPU work (a search, a page, an export)
// at once, and how long the others may wait for their turn.
//
// Connections and CPU work are separate in vigie-server: a connection holds
// a Poco thread for its whole life, mostly blocked in recv and cheap, so
// there may be many (server.max_connections); the work itself goes through
// this gate, sized to the cores (server.workers). A request that finds every
// worker busy waits in FIFO order — at most `max_waiting` requests, each at
// most `max_wait` — and is otherwise refused at once (→ 503 + Retry-After),
// so there is no unbounded queue anywhere: under overload clients get a
// quick "retry" instead of a pile-up whose latency grows without limit.
//
// Ownership: the Ticket returned by enter() holds the worker slot and gives
// it back (to the longest waiter, if any) when destroyed; it must not
// outlive the gate. Thread-safe: one mutex, one condition variable per
// waiter.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>

namespace vigie::http {

class AdmissionGate {
 public:
  enum class Outcome {
    admitted,    // a worker slot is held (the Ticket gives it back)
    queue_full,  // max_waiting requests were already waiting
    timed_out,   // waited max_wait without a slot freeing up
  };

  class Ticket {
   public:
    Ticket() = default;
    Ticket(Ticket&& other) noexcept : gate_(other.gate_) { other.gate_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    Ticket(const Ticket&) = delete;
    ~Ticket();
    bool admitted() const { return gate_ != nullptr; }

   private:
    friend class AdmissionGate;
    explicit Ticket(AdmissionGate* gate) : gate_(gate) {}
    AdmissionGate* gate_ = nullptr;
  };

  // workers ≥ 1; max_waiting ≥ 0 (0 = never wait); max_wait ≥ 0.
  AdmissionGate(int workers, int max_waiting, std::chrono::milliseconds max_wait);
  AdmissionGate(const AdmissionGate&) = delete;
  AdmissionGate& operator=(const AdmissionGate&) = delete;

  // Blocks for at most max_wait. `outcome` says why a ticket was not
  // admitted (optional).
  Ticket enter(Outcome* outcome = nullptr);

  struct Counts {
    int workers = 0;
    int busy = 0;                // slots held now
    int waiting = 0;             // requests waiting now
    std::uint64_t admitted = 0;  // since start
    std::uint64_t waited = 0;    // of those, admitted after waiting
    std::uint64_t queue_full = 0;
    std::uint64_t timed_out = 0;
  };
  Counts counts() const;

 private:
  struct Waiter {
    std::condition_variable granted_cv;
    bool granted = false;
  };
  void leave();

  const int workers_;
  const int max_waiting_;
  const std::chrono::milliseconds max_wait_;
  mutable std::mutex mutex_;
  int busy_ = 0;
  std::deque<Waiter*> waiting_;  // FIFO; a waiter removes itself when it gives up
  Counts totals_;
};

}  // namespace vigie::http
