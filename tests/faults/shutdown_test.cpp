// Graceful shutdown of the real binary. On SIGTERM the server stops accepting connections,
// answers a waiting long-poll at once with no job, still receives and answers a batch enqueue whose
// body was half sent when the signal came, commits it, and exits 0. After a restart on the same
// data every acknowledged job is there, and a job leased before the signal is completed with its
// lease token as attempt 1: a shutdown ends no lease.
#include "faults/raw_clients.hpp"
#include "http/api_helpers.hpp"

#include <thread>

namespace corral::test {
namespace {

constexpr int kBatch = 200;
constexpr auto kStopDeadline = std::chrono::seconds(15);

class Shutdown : public ApiTest {};

std::string batch_body() {
  json::array jobs;
  for (int i = 0; i < kBatch; ++i) jobs.push_back(json::object{{"type", "in-flight"}, {"queue", "batch"}});
  return json::serialize(json::object{{"jobs", jobs}});
}

bool refuses_connections(int port) {
  try {
    RawConnection probe(port);
    return false;
  } catch (std::runtime_error const&) {
    return true;
  }
}

TEST_F(Shutdown, SigtermFinishesInFlightRequestsWakesLongPollsAndKeepsLeases) {
  auto lease = start_job(api());
  auto acknowledged = enqueue_id(api());

  RawConnection poll(server_.port());
  ASSERT_TRUE(poll.send(fetch_request("idle", 30)));
  ASSERT_TRUE(wait_for_parked(api(), 1));

  // A batch enqueue in progress: half its bytes are in, and the server is reading it (the
  // gauge counts it beside the long-poll and the /metrics request that reads the gauge).
  auto const request = raw_post_request("/api/v1/jobs/batch", batch_body());
  auto const half = request.size() / 2;
  RawConnection batch(server_.port());
  ASSERT_TRUE(batch.send(std::string_view(request).substr(0, half)));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_http_requests_in_flight") == 3; }));
  api_.reset();

  bool stopped = false;
  std::thread stopper([&] { stopped = server_.stop(kStopDeadline); });   // SIGTERM, then waits for the exit
  EXPECT_TRUE(wait_until(kDeadline, [&] { return refuses_connections(server_.port()); }))
      << "the server still accepts connections after SIGTERM";

  auto woken = parse_raw_reply(poll.read_reply(kDeadline));
  EXPECT_EQ(woken.status, 200) << describe(woken);
  EXPECT_TRUE(woken.json().at("jobs").as_array().empty()) << "a woken long-poll answers with no job: " << woken.body;

  ASSERT_TRUE(batch.send(std::string_view(request).substr(half)));
  auto const raw = batch.read_reply(kDeadline);
  auto const reply = parse_raw_reply(raw);
  ASSERT_EQ(reply.status, 201) << describe(reply);
  EXPECT_TRUE(has_substr(raw, "\r\nConnection: close\r\n")) << raw.substr(0, raw.find("\r\n\r\n"));
  auto const batch_ids = ids_of(reply.json().at("jobs").as_array());
  ASSERT_EQ(batch_ids.size(), static_cast<std::size_t>(kBatch));

  stopper.join();
  ASSERT_TRUE(stopped) << "no exit within " << kStopDeadline.count() << " s of SIGTERM\n" << server_.log();
  ASSERT_EQ(server_.exit_code(), 0) << server_.log();

  start_server();
  for (auto const& id : batch_ids) EXPECT_EQ(status_of(api(), id), "queued") << id;
  EXPECT_EQ(status_of(api(), acknowledged), "queued");
  ASSERT_EQ(complete(api(), lease).status, 200) << "the lease outlived the shutdown";
  auto const job = get_job(api(), lease.id);
  EXPECT_EQ(str(job, "status"), "completed");
  EXPECT_EQ(num(job, "attempt"), 1);
}

}  // namespace
}  // namespace corral::test
