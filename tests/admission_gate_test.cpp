// AdmissionGate (server/http/admission_gate.h): the bound on requests doing CPU
// work at once, with a bounded FIFO wait — every way in and out.
#include "http/admission_gate.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

using vigie::http::AdmissionGate;
using namespace std::chrono_literals;

namespace {

// Polls until `gate` has `n` waiters (the threads under test have queued).
bool waiting_becomes(const AdmissionGate& gate, int n) {
  const auto give_up = std::chrono::steady_clock::now() + 5s;
  while (gate.counts().waiting != n) {
    if (std::chrono::steady_clock::now() > give_up) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

}  // namespace

TEST_CASE("admission gate: free slots admit at once, then refusals are immediate or bounded") {
  struct Row {
    const char* name;
    int workers, max_waiting, wait_ms;
    AdmissionGate::Outcome extra;  // what one request beyond `workers` gets
    int min_ms, max_ms;            // how long it took to get it
  };
  const Row rows[] = {
      {"no queue: refused at once", 2, 0, 2000, AdmissionGate::Outcome::queue_full, 0, 50},
      {"zero wait: refused at once", 2, 8, 0, AdmissionGate::Outcome::queue_full, 0, 50},
      {"queue: waits max_wait, then gives up", 1, 4, 150, AdmissionGate::Outcome::timed_out, 140,
       1500},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    AdmissionGate gate(row.workers, row.max_waiting, std::chrono::milliseconds(row.wait_ms));
    std::vector<AdmissionGate::Ticket> held;
    for (int i = 0; i < row.workers; ++i) {
      AdmissionGate::Outcome outcome{};
      held.push_back(gate.enter(&outcome));
      CHECK(held.back().admitted());
      CHECK(outcome == AdmissionGate::Outcome::admitted);
    }
    CHECK(gate.counts().busy == row.workers);
    AdmissionGate::Outcome outcome{};
    const auto t0 = std::chrono::steady_clock::now();
    const auto extra = gate.enter(&outcome);
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    CHECK_FALSE(extra.admitted());
    CHECK(outcome == row.extra);
    CHECK(took >= row.min_ms);
    CHECK(took <= row.max_ms);
    CHECK(gate.counts().waiting == 0);  // a waiter that gave up left the queue
    held.clear();
    CHECK(gate.counts().busy == 0);
    CHECK(gate.enter().admitted());  // and the gate works again
  }
}

TEST_CASE("admission gate: a freed slot goes to the longest waiter, not to a newcomer") {
  AdmissionGate gate(1, 4, 5s);
  std::optional<AdmissionGate::Ticket> holder(gate.enter());
  REQUIRE(holder->admitted());
  std::atomic<int> order{0};
  int first = -1, second = -1;
  std::thread a([&] {
    auto t = gate.enter();
    first = order++;
    std::this_thread::sleep_for(20ms);
  });
  REQUIRE(waiting_becomes(gate, 1));
  std::thread b([&] {
    auto t = gate.enter();
    second = order++;
  });
  REQUIRE(waiting_becomes(gate, 2));
  holder.reset();
  a.join();
  b.join();
  CHECK(first == 0);
  CHECK(second == 1);
  const auto c = gate.counts();
  CHECK(c.busy == 0);
  CHECK(c.waited == 2);
  CHECK(c.admitted == 3);
}

TEST_CASE("admission gate: the queue is bounded — one waiter too many is refused at once") {
  AdmissionGate gate(1, 1, 5s);
  std::optional<AdmissionGate::Ticket> holder(gate.enter());
  std::thread waiter([&] { CHECK(gate.enter().admitted()); });
  REQUIRE(waiting_becomes(gate, 1));
  AdmissionGate::Outcome outcome{};
  const auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(gate.enter(&outcome).admitted());
  CHECK(outcome == AdmissionGate::Outcome::queue_full);
  CHECK(std::chrono::steady_clock::now() - t0 < 100ms);
  holder.reset();
  waiter.join();
  CHECK(gate.counts().queue_full == 1);
}

TEST_CASE("admission gate: many threads never exceed the workers, and every ticket comes back") {
  constexpr int kWorkers = 3;
  AdmissionGate gate(kWorkers, 64, 10s);
  std::atomic<int> inside{0}, most{0}, admitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i) {
        auto ticket = gate.enter();
        if (!ticket.admitted()) continue;
        ++admitted;
        const int now = ++inside;
        int seen = most.load();
        while (now > seen && !most.compare_exchange_weak(seen, now)) {
        }
        std::this_thread::yield();
        --inside;
      }
    });
  for (auto& t : threads) t.join();
  CHECK(most.load() <= kWorkers);
  CHECK(admitted.load() == 1200);  // 12 waiters at most, 64 allowed, 10 s each: none refused
  const auto c = gate.counts();
  CHECK(c.busy == 0);
  CHECK(c.waiting == 0);
  CHECK(c.admitted == 1200);
}
