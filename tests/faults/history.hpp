// The history of a fault test, counted as Jepsen's queue checker counts it. Every operation ends
// in one of three ways: acknowledged (a success the client could act on), failed (an error reply)
// or no reply (the connection or process died first: the operation may or may not have happened).
// After the fault and the restart, the final state is read back and compared:
//
//   lost        an acknowledged operation whose effect is not there (an enqueue whose job is
//               missing, a fetch whose attempt was undone, a completion whose job is not completed)
//   unexpected  a job that no one ever tried to enqueue
//   duplicated  a job that is there more than once (two jobs for one enqueue)
//
// Failed and no-reply operations may or may not have taken effect; neither outcome counts against
// the server. Each enqueue carries a unique idempotency key, by which the final state is matched
// to the history.
//
// Thread-safe.
#pragma once

#include "core/job.hpp"
#include "support/corral_process.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace corral::test {

enum class Outcome { acknowledged, failed, no_reply };

class History {
 public:
  void enqueue(std::string const& key, Outcome outcome, std::string const& id = {}) {
    std::lock_guard lock(mutex_);
    count(outcome);
    attempted_.insert(key);
    if (outcome == Outcome::acknowledged) enqueued_[key] = id;
  }
  void fetch(std::string const& id, int attempt) {   // acknowledged fetches only
    std::lock_guard lock(mutex_);
    count(Outcome::acknowledged);
    auto& a = fetched_[id];
    a = std::max(a, attempt);
  }
  void complete(std::string const& id, Outcome outcome) {
    std::lock_guard lock(mutex_);
    count(outcome);
    if (outcome == Outcome::acknowledged) completed_.insert(id);
  }
  void other(Outcome outcome) {   // a fetch that failed or got no reply, a heartbeat, ...
    std::lock_guard lock(mutex_);
    count(outcome);
  }

  struct Check {
    std::int64_t acknowledged = 0, failed = 0, no_reply = 0;
    std::set<std::string> lost, unexpected, duplicated;   // each problem, described

    // Adds what `later` found. A loss found once stays counted even if the work was redone
    // afterwards (a lost completion whose job a later worker completed again).
    void merge(Check const& later) {
      acknowledged = later.acknowledged;
      failed = later.failed;
      no_reply = later.no_reply;
      lost.insert(later.lost.begin(), later.lost.end());
      unexpected.insert(later.unexpected.begin(), later.unexpected.end());
      duplicated.insert(later.duplicated.begin(), later.duplicated.end());
    }
    std::string problems() const {
      std::string out;
      int shown = 0;
      for (auto const* set : {&lost, &unexpected, &duplicated}) {
        for (auto const& p : *set) {
          if (shown++ < 10) out += "\n  " + p;
        }
      }
      return out;
    }
  };

  // The outcome counts alone, for tests that judge the final state themselves.
  Check tally() const {
    std::lock_guard lock(mutex_);
    return Check{acknowledged_, failed_, no_reply_};
  }

  // Compares the history so far with every job in the final state.
  Check check(std::vector<core::Job> const& final_jobs) const {
    Check c = tally();
    std::lock_guard lock(mutex_);
    std::map<std::string, core::Job const*> by_id;
    std::map<std::string, int> copies;   // idempotency key -> jobs carrying it
    for (auto const& j : final_jobs) {
      by_id[j.id] = &j;
      std::string const key = j.idempotency_key.value_or("");
      if (!attempted_.contains(key)) c.unexpected.insert("unexpected job " + j.id + " (key '" + key + "')");
      if (++copies[key] == 2) c.duplicated.insert("key " + key + " is on more than one job");
    }
    for (auto const& [key, id] : enqueued_) {
      if (!by_id.contains(id)) c.lost.insert("acknowledged enqueue " + key + " (" + id + ") is lost");
    }
    for (auto const& [id, attempt] : fetched_) {
      auto it = by_id.find(id);
      if (it == by_id.end() || it->second->attempt < attempt) {
        c.lost.insert("acknowledged fetch of " + id + " (attempt " + std::to_string(attempt) + ") was undone");
      }
    }
    for (auto const& id : completed_) {
      auto it = by_id.find(id);
      if (it == by_id.end() || it->second->status != core::JobState::completed) {
        c.lost.insert("acknowledged completion of " + id + " was undone");
      }
    }
    return c;
  }

  std::int64_t acknowledged() const {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }

 private:
  void count(Outcome o) {
    if (o == Outcome::acknowledged) ++acknowledged_;
    else if (o == Outcome::failed) ++failed_;
    else ++no_reply_;
  }

  mutable std::mutex mutex_;
  std::int64_t acknowledged_ = 0, failed_ = 0, no_reply_ = 0;
  std::set<std::string> attempted_;
  std::map<std::string, std::string> enqueued_;   // key -> id
  std::map<std::string, int> fetched_;            // id -> highest acknowledged attempt
  std::set<std::string> completed_;
};

// One row of the fault table that scripts/faults.sh prints: appended, tab-separated, to the file
// named by CORRAL_FAULT_REPORT (if set), and written to the test's output. The row names the
// backend the test ran against, since the same test runs once per backend.
inline void report_fault(std::string const& fault, History::Check const& c, std::string const& control) {
  std::ostringstream row;
  row << fault << '\t' << (serves_from_postgres() ? "postgres" : "sqlite") << '\t' << c.acknowledged << '\t'
      << c.failed << '\t' << c.no_reply << '\t' << c.lost.size() << '\t' << c.unexpected.size()
      << '\t' << c.duplicated.size() << '\t' << control << '\n';
  std::cout << "fault row: " << row.str();
  if (char const* path = std::getenv("CORRAL_FAULT_REPORT")) std::ofstream(path, std::ios::app) << row.str();
}

}  // namespace corral::test
