// Cross-node wake-ups: LISTEN on one dedicated connection, so a long-poll on any node wakes when
// any node commits work for it.
//
// After each commit a node sends NOTIFY corral_events with a small payload, "NODE|key=n,key,...":
// "q:QUEUE=n" means n jobs became ready in QUEUE, "j:ID" that a job ended, "p:ID" that a job's
// progress was reported, "e" that events were committed. The notify goes out
// after the commit, in its own statement, never inside the hot transaction: NOTIFY takes a
// database-wide lock at commit, so a busy transaction holding it would serialise every writer.
// Payloads stay under 8000 bytes (the server's limit) by splitting into several notifications.
//
// Notifications can be lost: the listening connection drops, or a transaction-mode pooler
// (PgBouncer) sits in between, where LISTEN does not work at all. At start the notifier sends
// itself a ping and warns if it does not come back; whenever the connection is lost it wakes
// every waiter, so each re-checks, and the maintenance loop's slow fallback poll covers the gap.
//
// Thread-safe.
#pragma once

#include "queue/postgres/connection.hpp"
#include "queue/waiters.hpp"

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace corral::postgres {

inline constexpr char kChannel[] = "corral_events";

// What a commit means for waiters: "q:QUEUE" -> jobs that became ready there, "j:ID" -> a job
// that ended, "p:ID" -> a job's progress report; a count of 0 means "wake everyone" (a resumed
// queue, a job's end, a progress report).
using Wakes = std::map<std::string, std::size_t>;

// The payloads announcing `wakes` from node `node`.
std::vector<std::string> notify_payloads(std::string const& node, Wakes const& wakes);

class Notifier {
 public:
  // `on_events` is called (on the notifier's thread) when another node announces events ("e"), and
  // whenever notifications may have been lost.
  Notifier(std::string url, std::string node, queue::Waiters& waiters, std::function<void()> on_events = {});
  ~Notifier();
  void stop();

  bool listening() const { return listening_.load(); }
  // False once the start-up ping failed to come back: LISTEN is not delivered here.
  bool delivered() const { return delivered_.load(); }
  std::int64_t reconnects() const { return reconnects_.load(); }
  // Notifications from other nodes handled since start.
  std::int64_t received() const { return received_.load(); }

 private:
  void run();
  bool connect();
  void dispatch(std::string_view payload);

  std::string url_, node_;
  queue::Waiters& waiters_;
  std::function<void()> on_events_;
  std::unique_ptr<Connection> conn_;
  std::string ping_;
  std::atomic<bool> stop_{false}, listening_{false}, delivered_{true};
  std::atomic<std::int64_t> reconnects_{0}, received_{0};
  std::thread thread_;
};

}  // namespace corral::postgres
