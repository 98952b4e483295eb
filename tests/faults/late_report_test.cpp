// Duplicate, reordered and late reports against the real server: once an attempt has ended, every
// report with its token changes nothing and gets 409 stale_lease, except the resend of the very
// report that ended it, which answers 200 with the job as it is. tests/http/reports_test.cpp
// covers complete after fail, fail after complete and the resend of a winning complete or fail;
// this file walks the rest of the matrix: every report kind after every way an attempt ends.
#include "faults/history.hpp"
#include "http/api_helpers.hpp"

namespace corral::test {
namespace {

class LateReports : public ApiTest {};

// The four reports a worker can send on its lease.
enum class Report { heartbeat, complete, fail, release };
constexpr Report kReports[] = {Report::heartbeat, Report::complete, Report::fail, Report::release};

char const* name_of(Report r) {
  switch (r) {
    case Report::heartbeat: return "heartbeat";
    case Report::complete: return "complete";
    case Report::fail: return "fail";
    case Report::release: return "release";
  }
  return "?";
}

Response send(Client& api, Lease const& lease, Report r) {
  switch (r) {
    case Report::heartbeat: return heartbeat(api, lease);
    case Report::complete: return complete(api, lease, json::object{{"done", true}});
    case Report::fail: return fail(api, lease, /*retryable=*/false);
    case Report::release: return act(api, lease.id, "release", {{"lease_token", lease.token}});
  }
  return {};
}

// How the attempt of `lease` ended before the late reports; `winner` is the report that ended
// it, if one did.
struct Ending {
  std::string name;
  std::optional<Report> winner;
  std::function<void(Client&, Lease const&)> end;
};

// Sends every report kind with `lease`'s token, twice, and checks that only the resend of the
// winner succeeds and that nothing changes. Records each reply in `h`.
void expect_late_reports_change_nothing(Client& api, Lease const& lease, std::optional<Report> winner,
                                        History& h, History::Check& found) {
  auto const before = get_job(api, lease.id);
  for (int round = 0; round < 2; ++round) {
    for (Report r : kReports) {
      SCOPED_TRACE(std::string(name_of(r)) + ", round " + std::to_string(round));
      auto const reply = send(api, lease, r);
      if (winner == r) {
        h.other(reply.status == 200 ? Outcome::acknowledged : Outcome::failed);
        EXPECT_EQ(expect_json(reply, 200), get_job(api, lease.id)) << "the resend answers with the job as it is";
      } else {
        h.other(reply.status == 409 ? Outcome::failed : Outcome::acknowledged);
        EXPECT_TRUE(is_error(reply, 409, "stale_lease"));
        if (!is_error(reply, 409, "stale_lease")) found.unexpected.insert(lease.id + ": " + describe(reply));
      }
      auto const after = get_job(api, lease.id);
      EXPECT_EQ(after, before) << "a late " << name_of(r) << " changed the job";
      if (after != before) found.lost.insert(lease.id + ": changed by a late " + name_of(r));
    }
  }
}

TEST_F(LateReports, EveryReportAfterTheAttemptEndedIsRefusedExceptTheResendOfTheWinner) {
  std::vector<Ending> const endings = {
      {"completed", Report::complete, [](Client& c, Lease const& l) { ASSERT_EQ(send(c, l, Report::complete).status, 200); }},
      {"failed", Report::fail, [](Client& c, Lease const& l) { ASSERT_EQ(send(c, l, Report::fail).status, 200); }},
      {"retrying", Report::fail,
       [](Client& c, Lease const& l) {
         ASSERT_EQ(str(expect_json(fail(c, l, /*retryable=*/true), 200), "status"), "retrying");
       }},
      {"released", Report::release, [](Client& c, Lease const& l) { ASSERT_EQ(send(c, l, Report::release).status, 200); }},
      {"cancelled by the worker's fail after a cancel", Report::fail,
       [](Client& c, Lease const& l) {
         ASSERT_EQ(cancel(c, l.id).status, 200);
         ASSERT_EQ(str(expect_json(send(c, l, Report::fail), 200), "status"), "cancelled");
       }},
      {"cancelled after a release", Report::release,
       [](Client& c, Lease const& l) {
         ASSERT_EQ(act(c, l.id, "release", {{"lease_token", l.token}, {"delay_s", 3600}}).status, 200);
         ASSERT_EQ(str(expect_json(cancel(c, l.id), 200), "status"), "cancelled");
       }},
  };
  History h;
  History::Check found;
  for (auto const& ending : endings) {
    SCOPED_TRACE(ending.name);
    auto lease = start_job(api(), {{"type", "t"}, {"max_attempts", 5}, {"backoff", {{"initial_s", 3600}}}});
    ending.end(api(), lease);
    if (HasFatalFailure()) return;
    expect_late_reports_change_nothing(api(), lease, ending.winner, h, found);
  }
  found.merge(h.tally());
  report_fault("late, duplicate and reordered reports", found, "n/a");
}

// Fencing: A's lease runs out, B fetches the job as attempt 2, and from then on every report of A
// is refused while B's lease and then B's outcome stand.
TEST_F(LateReports, AWorkerWhoseLeaseExpiredIsFencedOffAndTheNextWorkersOutcomeStands) {
  History h;
  History::Check found;
  auto a = start_job(api(), {{"type", "t"}, {"queue", "fenced"}, {"max_attempts", 5}, {"backoff", {{"initial_s", 0}}}},
                     {{"lease_s", 1}});
  auto b_client = new_client();
  // B long-polls; the expiry of A's lease makes the job ready and wakes it.
  auto const b = fetch_one(b_client, {{"queues", json::array{"fenced"}}, {"worker_id", "w2"}, {"lease_s", 600}, {"wait_s", 10}});
  ASSERT_EQ(b.id, a.id);
  EXPECT_EQ(field(b.job, "attempt"), json::value(2));
  EXPECT_EQ(str(b.job.at("attempts").as_array()[0].as_object(), "outcome"), "lease_expired");

  // While B holds the lease, and after B has completed: A is refused, twice over.
  expect_late_reports_change_nothing(api(), a, std::nullopt, h, found);
  EXPECT_EQ(heartbeat(b_client, b).status, 200);
  auto const done = expect_json(complete(b_client, b, json::object{{"by", "B"}}), 200);
  expect_late_reports_change_nothing(api(), a, std::nullopt, h, found);
  expect_late_reports_change_nothing(api(), b, Report::complete, h, found);
  EXPECT_EQ(field(get_job(api(), a.id), "result"), (json::object{{"by", "B"}}));
  EXPECT_EQ(get_job(api(), a.id), done);
  found.merge(h.tally());
  report_fault("fencing: reports after the lease expired and was re-fetched", found, "n/a");
}

}  // namespace
}  // namespace corral::test
