// A completion racing the lease-expiry sweep at the expiry instant, against the real server. Each
// job must end one way only: the completion wins (200, and the job stays completed for good, its
// one attempt `completed`) or the expiry wins (the complete gets 409 stale_lease and the attempt
// is `lease_expired`). A completion is accepted only before the lease's expiry, by the server's
// clock, whether or not a sweep has acted on it yet. A completed job never moves back. On SQLite the one writer thread runs
// both; on PostgreSQL both lock the job's row, and the database's clock decides the expiry.
// The race is only tested if both sides won some of the time, and the test checks that they did.
#include "faults/history.hpp"
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

constexpr int kJobsPerRound = 60;                                 // per round
constexpr auto kSpread = std::chrono::milliseconds(60);   // first round: from 30 ms before to 30 ms after
constexpr int kMaxRounds = 4;                             // each with twice the spread of the one before

// How many races each side won.
struct Wins {
  int completion = 0, expiry = 0;
};

class ExpiryRace : public ApiTest {
 protected:
  // One round in its own queue: kJobsPerRound jobs leased for 1 s, each completed at its own instant
  // within `spread` around its lease's expiry; then checks each job's one ending.
  Wins race(std::string const& queue, std::chrono::milliseconds spread, History& h, History::Check& found);
};

Wins ExpiryRace::race(std::string const& queue, std::chrono::milliseconds spread, History& h, History::Check& found) {
  json::array specs;
  // One attempt: an expiry fails the job, so every job ends in a state that no longer moves.
  for (int i = 0; i < kJobsPerRound; ++i) specs.push_back(json::object{{"type", "t"}, {"queue", queue}, {"max_attempts", 1}});
  enqueue_batch(api(), std::move(specs));
  auto const leased = fetch(api(), {{"queues", json::array{queue}}, {"count", kJobsPerRound}, {"lease_s", 1}});
  EXPECT_EQ(leased.size(), static_cast<std::size_t>(kJobsPerRound));

  std::map<std::string, int> reply_of;              // job id -> status of its complete
  std::map<std::string, std::int64_t> expiry_of;    // job id -> its lease's expiry, by the server's clock
  for (std::size_t i = 0; i < leased.size(); ++i) {
    auto const& job = leased[i].as_object();
    Lease const lease{str(job, "id"), str(job, "lease_token"), job};
    // Aim each completion at its own instant around the lease's expiry; wait for the instant by
    // the wall clock, which is what the server compares the lease with.
    auto const expiry = std::chrono::system_clock::time_point(std::chrono::microseconds(time_at(job, "lease_expires_at")));
    auto const aim = expiry - spread / 2 + spread * static_cast<int>(i) / kJobsPerRound;
    while (std::chrono::system_clock::now() < aim) std::this_thread::yield();
    auto const reply = complete(api(), lease, json::object{{"i", static_cast<int>(i)}});
    reply_of[lease.id] = reply.status;
    expiry_of[lease.id] = time_at(job, "lease_expires_at");
    h.complete(lease.id, reply.status == 200 ? Outcome::acknowledged : Outcome::failed);
    if (reply.status != 200) {
      EXPECT_TRUE(is_error(reply, 409, "stale_lease"));
    }
  }

  // Every refused completion's job is failed by the sweep; then check each job's one ending.
  EXPECT_TRUE(wait_until(kDeadline, [&] {
    return list_jobs(api(), "queue=" + queue + "&status=running").at("jobs").as_array().empty();
  }));
  Wins wins;
  for (auto const& [id, status] : reply_of) {
    auto const job = get_job(api(), id);
    auto const& attempts = job.at("attempts").as_array();
    std::string const outcome = attempts.size() == 1 ? str(attempts[0].as_object(), "outcome") : "several attempts";
    if (status == 200) {
      ++wins.completion;
      EXPECT_EQ(str(job, "status"), "completed") << id << " was completed, then moved back";
      EXPECT_EQ(outcome, "completed") << id;
      if (str(job, "status") != "completed" || outcome != "completed") found.lost.insert(id);
      // Accepted only while the lease was live: the server's own times, so no clock is compared
      // with another.
      bool const in_time = outcome == "completed" && time_at(attempts[0].as_object(), "ended_at") < expiry_of[id];
      EXPECT_TRUE(in_time) << id << " was completed after its lease expired: " << json::serialize(job);
      if (!in_time) found.unexpected.insert(id + ": completed after its lease expired");
    } else {
      ++wins.expiry;
      EXPECT_EQ(str(job, "status"), "failed") << id << " refused its completion but did not expire";
      EXPECT_EQ(outcome, "lease_expired") << id;
      if (str(job, "status") != "failed" || outcome != "lease_expired") found.unexpected.insert(id);
    }
  }
  return wins;
}

TEST_F(ExpiryRace, ACompletionAtTheExpiryInstantIsEitherRefusedOrFinal) {
  History h;
  History::Check found;
  Wins total;
  // Which side wins depends on when each completion lands. A slow or loaded machine may land a
  // whole round on one side of the expiry: run again with the spread doubled, a bounded number
  // of times, until each side has won at least once.
  int rounds = 0;
  for (auto spread = kSpread; rounds < kMaxRounds && (total.completion == 0 || total.expiry == 0); spread *= 2) {
    auto const wins = race("race-" + std::to_string(rounds++), spread, h, found);
    total.completion += wins.completion;
    total.expiry += wins.expiry;
  }
  EXPECT_GT(total.completion, 0) << "no completion beat the expiry in " << rounds << " rounds";
  EXPECT_GT(total.expiry, 0) << "the expiry beat no completion in " << rounds << " rounds";
  found.merge(h.tally());
  report_fault("complete racing the lease expiry at its instant", found, "n/a");
}

}  // namespace
}  // namespace corral::test
