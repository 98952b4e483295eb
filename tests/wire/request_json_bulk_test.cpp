#include "wire/request_json.hpp"

#include "wire/job_json.hpp"

#include "support/results.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace corral::wire {
namespace {

using test::error_of;

core::Result<api::BulkRequest> bulk(std::string_view body) { return parse_bulk(boost::json::parse(body)); }

TEST(ParseBulk, ReadsIdsActionAndDryRun) {
  auto r = bulk(R"({"action":"delete","ids":["job_a","job_b"],"dry_run":true})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->action, api::BulkAction::remove);
  EXPECT_EQ(r->ids, (std::vector<std::string>{"job_a", "job_b"}));
  EXPECT_FALSE(r->filter);
  EXPECT_TRUE(r->dry_run);
  EXPECT_FALSE(bulk(R"({"action":"retry","ids":["job_a"]})")->dry_run) << "dry_run defaults to false";
  EXPECT_EQ(bulk(R"({"action":"cancel","ids":["job_a"]})")->action, api::BulkAction::cancel);
}

TEST(ParseBulk, ReadsTheFilterWithTheListsMeaning) {
  auto r = bulk(R"({"action":"retry","filter":{"status":"failed,cancelled","queue":"mail","type":"email.send",
                    "owner":"team a","error_code":"smtp_down","error_text":"refused",
                    "created_after":"2026-01-01T00:00:00Z","created_before":"2026-02-01T00:00:00Z"}})");
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_TRUE(r->filter);
  EXPECT_TRUE(r->ids.empty());
  EXPECT_EQ(r->filter->statuses, (std::vector<core::JobState>{core::JobState::failed, core::JobState::cancelled}));
  EXPECT_EQ(r->filter->queue, "mail");
  EXPECT_EQ(r->filter->type, "email.send");
  EXPECT_EQ(r->filter->owner, "team a");
  EXPECT_EQ(r->filter->error_code, "smtp_down");
  EXPECT_EQ(r->filter->error_text, "refused");
  EXPECT_TRUE(r->filter->created_after);
  EXPECT_TRUE(r->filter->created_before);

  auto every = bulk(R"({"action":"delete","filter":{}})");
  ASSERT_TRUE(every) << every.error().message;
  ASSERT_TRUE(every->filter) << "{} is a filter that matches every job";
  EXPECT_TRUE(every->filter->statuses.empty());
}

TEST(ParseBulk, RefusesBadInputWithAClearMessage) {
  struct Case {
    char const* body;
    char const* error;
  };
  for (auto const& c : std::initializer_list<Case>{
           {R"({"ids":["job_a"]})", "action is required"},
           {R"({"action":"restart","ids":["job_a"]})", "action must be one of retry, cancel, delete"},
           {R"({"action":"retry"})", "exactly one of ids and filter must be given"},
           {R"({"action":"retry","ids":["job_a"],"filter":{}})", "exactly one of ids and filter must be given"},
           {R"({"action":"retry","ids":[]})", "ids must hold 1..1000 job ids"},
           {R"({"action":"retry","ids":["job_a",7]})", "ids[1] must be a string"},
           {R"({"action":"retry","ids":"job_a"})", "ids must be an array"},
           {R"({"action":"retry","filter":{"status":"done"}})",
            "status must be one of queued, scheduled, running, retrying, completed, failed, cancelled"},
           {R"({"action":"retry","filter":{"status":["failed"]}})", "filter.status must be a string"},
           {R"({"action":"retry","filter":{"error_code":"Bad Code"}})",
            "error_code must be 1..128 characters of a-z 0-9 _ . -"},
           {R"({"action":"retry","filter":{"created_after":"soon"}})",
            "created_after must be an RFC 3339 time such as 2026-01-02T03:04:05Z"},
           {R"({"action":"retry","filter":{"priority":"high"}})", "unknown field \"filter.priority\""},
           {R"({"action":"retry","ids":["job_a"],"force":true})", "unknown field \"force\""},
           {R"({"action":"retry","ids":["job_a"],"dry_run":"yes"})", "dry_run must be true or false"},
       }) {
    auto r = bulk(c.body);
    ASSERT_FALSE(r) << c.body;
    EXPECT_EQ(r.error().code, core::Errc::invalid_argument) << c.body;
    EXPECT_TRUE(r.error().message.starts_with(c.error)) << c.body << " -> " << r.error().message;
  }
  std::string many = R"({"action":"retry","ids":[)";
  for (int i = 0; i < 1001; ++i) many += (i ? ",\"job_" : "\"job_") + std::to_string(i) + "\"";
  EXPECT_EQ(error_of(bulk(many + "]}")), "invalid_argument: ids must hold 1..1000 job ids");
}

TEST(BulkResultJson, ADryRunTellsWhatWouldChangeAndARunWhatDid) {
  api::BulkResult r{.action = api::BulkAction::remove, .dry_run = true, .matched = 7, .changed = 5};
  EXPECT_EQ(boost::json::value(to_json(r)),
            boost::json::parse(R"({"action":"delete","dry_run":true,"matched":7,"would_change":5})"));
  r.dry_run = false;
  r.action = api::BulkAction::retry;
  EXPECT_EQ(boost::json::value(to_json(r)),
            boost::json::parse(R"({"action":"retry","dry_run":false,"matched":7,"changed":5,"skipped":2})"));
}

TEST(SummaryJson, HasEveryFieldButPayloadResultCheckpointAttemptsAndParents) {
  core::Job job;
  job.id = "job_x";
  job.payload = R"({"big":true})";
  job.result = "1";
  job.checkpoint = "2";
  auto const full = to_json(job);
  auto const summary = to_summary_json(job);
  for (auto const& [key, value] : full) {
    bool const left_out =
        key == "payload" || key == "result" || key == "checkpoint" || key == "attempts" || key == "parents";
    EXPECT_EQ(summary.contains(key), !left_out) << key;
    if (!left_out) {
      EXPECT_EQ(summary.at(key), value) << key;
    }
  }
  EXPECT_EQ(summary.size(), full.size() - 5);
  std::vector<std::string> full_order, summary_order;
  for (auto const& [key, value] : full) {
    if (summary.contains(key)) full_order.emplace_back(key);
  }
  for (auto const& [key, value] : summary) summary_order.emplace_back(key);
  EXPECT_EQ(summary_order, full_order) << "the fields keep their order";
}

}  // namespace
}  // namespace corral::wire
