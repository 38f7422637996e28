#include "http/admission_gate.h"

#include <algorithm>

namespace vigie::http {

AdmissionGate::Ticket::~Ticket() {
  if (gate_) gate_->leave();
}

AdmissionGate::AdmissionGate(int workers, int max_waiting, std::chrono::milliseconds max_wait)
    : workers_(std::max(1, workers)),
      max_waiting_(std::max(0, max_waiting)),
      max_wait_(std::max(std::chrono::milliseconds(0), max_wait)) {}

AdmissionGate::Ticket AdmissionGate::enter(Outcome* outcome) {
  std::unique_lock lock(mutex_);
  // Nobody jumps the queue: a free slot goes to a newcomer only when no one
  // is waiting (leave() hands slots to waiters directly).
  if (busy_ < workers_ && waiting_.empty()) {
    ++busy_;
    ++totals_.admitted;
    if (outcome) *outcome = Outcome::admitted;
    return Ticket(this);
  }
  if (static_cast<int>(waiting_.size()) >= max_waiting_ || max_wait_.count() == 0) {
    ++totals_.queue_full;
    if (outcome) *outcome = Outcome::queue_full;
    return Ticket();
  }
  Waiter me;
  waiting_.push_back(&me);
  const bool granted = me.granted_cv.wait_for(lock, max_wait_, [&me] { return me.granted; });
  if (!granted) {
    waiting_.erase(std::find(waiting_.begin(), waiting_.end(), &me));
    ++totals_.timed_out;
    if (outcome) *outcome = Outcome::timed_out;
    return Ticket();
  }
  // leave() took us off the queue and passed its slot on (busy_ unchanged).
  ++totals_.admitted;
  ++totals_.waited;
  if (outcome) *outcome = Outcome::admitted;
  return Ticket(this);
}

void AdmissionGate::leave() {
  std::lock_guard lock(mutex_);
  if (waiting_.empty()) {
    --busy_;
    return;
  }
  Waiter* next = waiting_.front();
  waiting_.pop_front();
  next->granted = true;
  // Notified under the lock: the waiter cannot have returned (and destroyed
  // its condition variable) before this call ends.
  next->granted_cv.notify_one();
}

AdmissionGate::Counts AdmissionGate::counts() const {
  std::lock_guard lock(mutex_);
  Counts c = totals_;
  c.workers = workers_;
  c.busy = busy_;
  c.waiting = static_cast<int>(waiting_.size());
  return c;
}

}  // namespace vigie::http
