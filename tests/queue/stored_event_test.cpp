// The stored form of an event (corral_events.body) reads back as the event it was made from, with
// every optional part present or absent.
#include "queue/stored_event.hpp"

#include <gtest/gtest.h>

namespace corral::queue {
namespace {

TEST(StoredEvent, AnEventWithEveryPartReadsBackTheSame) {
  core::JobEvent e;
  e.kind = core::JobEventKind::retrying;
  e.at = core::from_unix_micros(1'765'000'000'123'456);
  e.job_id = "j1";
  e.queue = "q \"quoted\"\n";
  e.type = "t";
  e.owner = "o";
  e.priority = -3;
  e.status = core::JobState::retrying;
  e.attempt = 2;
  e.worker_id = "w";
  e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  e.progress = core::Progress{12.5, "s", "m", 1.0, 8.0};
  e.result = R"({"a":[1,2]})";
  e.error = core::JobError{"boom", "it broke", false};
  e.run_at = core::from_unix_micros(1'765'000'001'000'000);
  e.queue_wait = core::Micros{1500};
  e.run_time = core::Micros{2'000'001};
  auto back = parse_stored_event(stored_event(e));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(StoredEvent, AnEventWithNoOptionalPartReadsBackTheSame) {
  core::JobEvent e;
  e.kind = core::JobEventKind::enqueued;
  e.job_id = "j2";
  e.queue = "default";
  e.type = "t";
  auto back = parse_stored_event(stored_event(e));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, e);
}

TEST(StoredEvent, MalformedTextIsAnError) {
  EXPECT_FALSE(parse_stored_event("not json"));
  EXPECT_FALSE(parse_stored_event(R"({"kind":"nope","status":"queued"})"));
}

}  // namespace
}  // namespace corral::queue
