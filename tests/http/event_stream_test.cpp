// GET /api/v1/events and GET /api/v1/jobs/{id}/events against the real binary (on PostgreSQL too,
// with CORRAL_TEST_BACKEND=postgres): the events of a job in order, resuming with Last-Event-ID,
// filters, one job's stream and its end, the gap message, keep-alives and stats, and the limits:
// max_streams, a consumer that never reads, SIGTERM.
#include "http/api_helpers.hpp"
#include "http/stream_reader.hpp"

#include <fstream>
#include <set>

namespace corral::test {
namespace {

constexpr char kEvents[] = "/api/v1/events";

std::vector<std::string> kinds_of(std::vector<client::SseMessage> const& messages, std::string const& job_id = "") {
  std::vector<std::string> out;
  for (auto const& m : messages) {
    if (job_id.empty() || str(data_of(m), "job_id") == job_id) out.push_back(m.event);
  }
  return out;
}

std::vector<std::int64_t> seqs_of(std::vector<client::SseMessage> const& messages) {
  std::vector<std::int64_t> out;
  for (auto const& m : messages) {
    if (!m.last_event_id.empty()) out.push_back(std::stoll(m.last_event_id));
  }
  return out;
}

// The messages that are job events (not the snapshot, gap or stats messages).
std::vector<client::SseMessage> job_events(std::vector<client::SseMessage> const& messages) {
  std::vector<client::SseMessage> out;
  for (auto const& m : messages) {
    if (m.event != "job" && m.event != "gap" && m.event != "stats") out.push_back(m);
  }
  return out;
}

// A job taken through enqueued, started, progress and completed, as a worker would.
std::string run_job(Client& api, std::string const& queue = "flow") {
  auto lease = start_job(api, {{"type", "render"}, {"queue", queue}, {"owner", "ana"}});
  expect_json(heartbeat(api, lease, {{"progress", {{"percent", 40}, {"stage", "rendering"}}}}), 200);
  expect_json(complete(api, lease, json::object{{"pages", 3}}), 200);
  return lease.id;
}

using EventStream = ApiTest;

TEST_F(EventStream, AConsumerSeesEnqueuedStartedProgressCompletedOfAJobInOrder) {
  StreamReader stream(server_.url(), kEvents);
  ASSERT_TRUE(stream.wait_connected());
  auto const id = run_job(api());
  ASSERT_TRUE(stream.wait_for(4)) << stream.error();
  auto const events = stream.messages();
  EXPECT_EQ(kinds_of(events, id), (std::vector<std::string>{"enqueued", "started", "progress", "completed"}));
  auto const seqs = seqs_of(events);
  EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end()) && std::adjacent_find(seqs.begin(), seqs.end()) == seqs.end());
  for (auto const& m : events) {
    auto const e = data_of(m);
    EXPECT_EQ(str(e, "kind"), m.event);
    EXPECT_EQ(std::to_string(static_cast<std::int64_t>(num(e, "seq"))), m.last_event_id) << "id: is the seq";
    EXPECT_EQ(str(e, "job_id"), id);
    EXPECT_EQ(str(e, "queue"), "flow");
    EXPECT_EQ(str(e, "type"), "render");
    EXPECT_EQ(str(e, "owner"), "ana");
    EXPECT_NO_THROW(time_at(e, "at"));
  }
  auto const started = data_of(events[1]), progress = data_of(events[2]), completed = data_of(events[3]);
  EXPECT_EQ(str(started, "status"), "running");
  EXPECT_EQ(num(started, "attempt"), 1);
  EXPECT_EQ(str(started, "worker_id"), "w1");
  EXPECT_GE(num(started, "queue_wait_s"), 0);
  EXPECT_EQ(num(progress.at("progress").as_object(), "percent"), 40);
  EXPECT_EQ(str(progress.at("progress").as_object(), "stage"), "rendering");
  EXPECT_EQ(str(completed, "status"), "completed");
  EXPECT_EQ(completed.at("result"), (json::object{{"pages", 3}})) << "the result is the JSON value, not a string";
  EXPECT_GE(num(completed, "run_time_s"), 0);
  EXPECT_FALSE(completed.contains("progress")) << "fields that do not apply are left out";
}

TEST_F(EventStream, ResumesWithLastEventIdWithoutAGapOrADuplicate) {
  std::string last;
  {
    StreamReader first(server_.url(), kEvents);
    ASSERT_TRUE(first.wait_connected());
    run_job(api());
    ASSERT_TRUE(first.wait_for(4)) << first.error();
    last = first.messages().back().last_event_id;
  }
  // Events committed while no one listens.
  auto const missed = run_job(api(), "while-away");
  auto const later = enqueue_id(api(), {{"type", "t"}, {"queue", "later"}});
  for (auto const& resume : {std::map<std::string, std::string>{{"Last-Event-ID", last}},
                             std::map<std::string, std::string>{}}) {
    std::string const target = resume.empty() ? std::string(kEvents) + "?last_event_id=" + last : kEvents;
    StreamReader again(server_.url(), target, resume);
    ASSERT_TRUE(again.wait_for(5)) << again.error();
    auto const events = again.messages();
    EXPECT_EQ(kinds_of(events, missed), (std::vector<std::string>{"enqueued", "started", "progress", "completed"}));
    EXPECT_EQ(kinds_of(events, later), (std::vector<std::string>{"enqueued"}));
    auto const seqs = seqs_of(events);
    ASSERT_EQ(seqs.size(), 5u);
    EXPECT_EQ(seqs.front(), std::stoll(last) + 1) << "the first event after the one last seen: no gap, no duplicate";
    for (std::size_t i = 1; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], seqs[i - 1] + 1);
  }
}

TEST_F(EventStream, FiltersByQueueTypeOwnerAndKindRepeatedOrCommaSeparated) {
  StreamReader by_queue(server_.url(), std::string(kEvents) + "?queue=qa&queue=qb,ql");
  StreamReader by_type_and_kind(server_.url(), std::string(kEvents) + "?type=ta,tb&kind=enqueued");
  StreamReader by_owner(server_.url(), std::string(kEvents) + "?owner=alice");
  StreamReader by_kinds(server_.url(), std::string(kEvents) + "?kind=started,completed");
  for (auto* s : {&by_queue, &by_type_and_kind, &by_owner, &by_kinds}) ASSERT_TRUE(s->wait_connected());
  auto const a = enqueue_id(api(), {{"type", "ta"}, {"queue", "qa"}, {"owner", "alice"}});
  auto const b = enqueue_id(api(), {{"type", "tc"}, {"queue", "qb"}, {"owner", "bob"}});
  auto const c = enqueue_id(api(), {{"type", "tb"}, {"queue", "qc"}, {"owner", "alice"}});
  enqueue_id(api(), {{"type", "tc"}, {"queue", "qd"}});
  expect_json(complete(api(), fetch_one(api(), {{"queues", {"qc"}}})), 200);
  // Last, a job that passes every filter: a stream that has its last event has had all before it.
  auto const last = enqueue_id(api(), {{"type", "ta"}, {"queue", "ql"}, {"owner", "alice"}});
  expect_json(complete(api(), fetch_one(api(), {{"queues", {"ql"}}})), 200);
  auto seen = [&](StreamReader& s, std::string const& final_kind) {
    EXPECT_TRUE(wait_until(kDeadline, [&] {
      auto const kinds = kinds_of(s.messages(), last);
      return !kinds.empty() && kinds.back() == final_kind;
    })) << s.error();
    std::vector<std::string> out;
    for (auto const& m : s.messages()) {
      auto const job = str(data_of(m), "job_id");
      out.push_back((job == a ? "a" : job == b ? "b" : job == c ? "c" : job == last ? "last" : job) + " " + m.event);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(seen(by_queue, "completed"), (V{"a enqueued", "b enqueued", "last enqueued", "last started", "last completed"}));
  EXPECT_EQ(seen(by_type_and_kind, "enqueued"), (V{"a enqueued", "c enqueued", "last enqueued"}));
  EXPECT_EQ(seen(by_owner, "completed"), (V{"a enqueued", "c enqueued", "c started", "c completed", "last enqueued",
                                            "last started", "last completed"}));
  EXPECT_EQ(seen(by_kinds, "completed"), (V{"c started", "c completed", "last started", "last completed"}));
}

TEST_F(EventStream, AnUnknownKindOrParameterIsRefusedBeforeAnyStream) {
  EXPECT_TRUE(is_error(api().get(std::string(kEvents) + "?kind=started,finished"), 400, "invalid_argument",
                      {"kind", "finished"}));
  EXPECT_TRUE(is_error(api().get(std::string(kEvents) + "?since=3"), 400, "invalid_argument", {"since"}));
  EXPECT_TRUE(is_error(api().get(std::string(kEvents) + "?last_event_id=x"), 400, "invalid_argument",
                      {"last_event_id"}));
  EXPECT_TRUE(is_error(api().get(job_path("job_nope") + "/events"), 404, "not_found"));
}

TEST_F(EventStream, AJobStreamSendsTheJobThenItsEventsAndEndsAfterItsTerminalEvent) {
  auto const id = enqueue_id(api(), {{"type", "t"}, {"queue", "one"}});
  enqueue_id(api(), {{"type", "t"}, {"queue", "other"}});
  StreamReader stream(server_.url(), job_path(id) + "/events");
  ASSERT_TRUE(stream.wait_for(1, "job")) << stream.error();
  EXPECT_EQ(str(data_of(stream.messages().front()), "status"), "queued") << "first the job as it is now";
  auto lease = fetch_one(api(), {{"queues", {"one"}}});
  expect_json(fail(api(), lease, false), 200);
  ASSERT_TRUE(stream.wait_ended()) << "the stream ends after the job's terminal event";
  EXPECT_EQ(stream.error(), "") << "ended by the server with its last chunk";
  EXPECT_EQ(kinds_of(stream.messages()), (std::vector<std::string>{"job", "started", "failed"}));
  auto const reply = stream.reply();
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.headers.at("content-type"), "text/event-stream");
  EXPECT_EQ(reply.headers.at("cache-control"), "no-cache");

  // A job that has ended: the snapshot, and the end.
  StreamReader ended(server_.url(), job_path(id) + "/events");
  ASSERT_TRUE(ended.wait_ended());
  EXPECT_EQ(kinds_of(ended.messages()), (std::vector<std::string>{"job"}));
  EXPECT_EQ(str(data_of(ended.messages().front()), "status"), "failed");
}

TEST_F(EventStream, AResumedJobStreamSendsOnlyWhatItMissed) {
  auto const lease = start_job(api());
  std::string position;
  {
    StreamReader stream(server_.url(), job_path(lease.id) + "/events");
    ASSERT_TRUE(stream.wait_for(1, "job"));
    position = stream.position();
  }
  expect_json(complete(api(), lease), 200);
  StreamReader resumed(server_.url(), job_path(lease.id) + "/events", {{"Last-Event-ID", position}});
  ASSERT_TRUE(resumed.wait_ended());
  EXPECT_EQ(kinds_of(resumed.messages()), (std::vector<std::string>{"completed"}));
}

class EventStreamSmallWindow : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--event-window", "5"}; }
};

TEST_F(EventStreamSmallWindow, AnIdOlderThanTheWindowGetsAGapMessageThenTheEventsKept) {
  auto const ids = enqueue_many(api(), 12, "t", "many");
  // On PostgreSQL the node reads the events from the database: wait until it has all twelve, the
  // newest id a new stream opens at.
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    StreamReader probe(server_.url(), kEvents);
    return probe.wait_connected() && probe.position() == "12";
  }));
  StreamReader stream(server_.url(), kEvents, {{"Last-Event-ID", "1"}});
  ASSERT_TRUE(stream.wait_for(6)) << stream.error();
  auto const messages = stream.messages();
  ASSERT_EQ(messages.front().event, "gap");
  auto const gap = data_of(messages.front());
  auto const oldest = static_cast<std::int64_t>(num(gap, "oldest_kept"));
  EXPECT_TRUE(has_substr(str(gap, "message"), "no longer kept")) << str(gap, "message");
  EXPECT_TRUE(has_substr(str(gap, "message"), std::to_string(oldest))) << "it names the oldest id kept";
  auto const events = job_events(messages);
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(std::stoll(events.front().last_event_id), oldest) << "and continues from it";
  std::vector<std::string> last_five(ids.end() - 5, ids.end());
  std::vector<std::string> got;
  for (auto const& m : events) got.push_back(str(data_of(m), "job_id"));
  EXPECT_EQ(got, last_five);
}

class EventStreamKeepAlive : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--stream-keepalive-s", "0.05"}; }
};

TEST_F(EventStreamKeepAlive, AnIdleStreamSendsKeepAliveCommentsAndStatsOnceASecond) {
  enqueue_id(api(), {{"type", "t"}, {"queue", "counted"}});
  StreamReader stream(server_.url(), std::string(kEvents) + "?stats=1");
  ASSERT_TRUE(wait_until(kDeadline, [&] { return stream.comments().size() >= 2; })) << stream.error();
  EXPECT_EQ(stream.comments().front(), "keep-alive");
  ASSERT_TRUE(stream.wait_for(1, "stats")) << stream.error();
  auto const stats = data_of(stream.messages("stats").front());
  EXPECT_NO_THROW(time_at(stats, "at"));
  bool found = false;
  for (auto const& q : stats.at("queues").as_array()) {
    if (str(q.as_object(), "name") != "counted") continue;
    found = true;
    EXPECT_EQ(num(q.at("counts").as_object(), "queued"), 1);
  }
  EXPECT_TRUE(found) << json::serialize(stats);
}

class EventStreamLimit : public ApiTest {
 protected:
  std::vector<std::string> server_args() const override { return {"--max-streams", "1"}; }
};

TEST_F(EventStreamLimit, StreamsPastMaxStreamsGet503AndLongPollsAreNotCounted) {
  auto open = std::make_unique<StreamReader>(server_.url(), kEvents);
  ASSERT_TRUE(open->wait_connected());
  EXPECT_EQ(gauge(api(), "corral_streams"), 1);
  auto refused = api().get(kEvents);
  EXPECT_TRUE(is_error(refused, 503, "too_many_streams", {"max_streams"}));
  EXPECT_EQ(refused.headers["retry-after"], "1");
  EXPECT_TRUE(is_error(api().get(job_path("job_nope") + "/events"), 404, "not_found"));
  EXPECT_EQ(gauge(api(), "corral_long_polls"), 0) << "a stream is not a long-poll";
  open.reset();
  ASSERT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_streams") == 0; }));
  StreamReader again(server_.url(), kEvents);
  EXPECT_TRUE(again.wait_connected()) << again.error();
}

TEST_F(EventStream, SigtermEndsOpenStreamsAndTheServerExitsCleanly) {
  StreamReader all(server_.url(), kEvents);
  auto const lease = start_job(api());
  StreamReader one(server_.url(), job_path(lease.id) + "/events");
  ASSERT_TRUE(all.wait_connected());
  ASSERT_TRUE(one.wait_for(1, "job"));
  api_.reset();
  // Well inside drain_timeout (10 s): open streams do not hold the drain up.
  EXPECT_TRUE(server_.stop(std::chrono::seconds(5))) << server_.log();
  EXPECT_EQ(server_.exit_code(), 0) << server_.log();
  EXPECT_TRUE(all.wait_ended());
  EXPECT_TRUE(one.wait_ended());
  EXPECT_EQ(all.error(), "") << "each stream got its last chunk";
  EXPECT_EQ(one.error(), "");
}

}  // namespace
}  // namespace corral::test
