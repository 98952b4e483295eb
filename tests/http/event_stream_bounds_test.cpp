// A consumer of GET /api/v1/events that sends its request and never reads: it must cost the
// server a bounded amount, never slow the writer, and be dropped and counted, while the server
// goes on serving everyone else (on PostgreSQL too, with CORRAL_TEST_BACKEND=postgres).
#include "http/api_helpers.hpp"
#include "http/stream_reader.hpp"
#include "support/raw_socket.hpp"

#include <fstream>

namespace corral::test {
namespace {

constexpr std::size_t kResultBytes = 128 * 1024;
// 200 completions of 128 KiB results: 25 MiB of events a round, more than loopback sockets buffer.
constexpr int kJobs = 200;

// The resident memory of process `pid`, from /proc.
std::int64_t rss_bytes(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

// Enqueues `kJobs` jobs in `queue`, fetches and completes each with a large result.
void complete_with_large_results(Client& api, std::string const& queue) {
  json::object const result{{"blob", std::string(kResultBytes, 'x')}};
  for (int i = 0; i < kJobs; i += 20) enqueue_many(api, 20, "big", queue);
  for (int done = 0; done < kJobs;) {
    auto jobs = fetch(api, {{"queues", {queue}}, {"count", 100}});
    for (auto const& job : jobs) {
      Lease lease{str(job.as_object(), "id"), str(job.as_object(), "lease_token"), job.as_object()};
      expect_json(complete(api, lease, result), 200);
      ++done;
    }
  }
}

class SlowConsumer : public ApiTest {
 protected:
  // A write that cannot finish in a second closes its stream; a window of 100 events (12.5 MiB).
  std::vector<std::string> server_args() const override {
    return {"--write-timeout-s", "1", "--event-window", "100"};
  }
};

TEST_F(SlowConsumer, AConsumerThatNeverReadsIsDroppedWhileTheServerServesOnAndItsMemoryStaysBounded) {
  // The server's memory grows over the first rounds of this work (caches, allocator pools, the
  // event window) and then stays: two rounds make the baseline.
  complete_with_large_results(api(), "warm-1");
  complete_with_large_results(api(), "warm-2");
  auto const before = rss_bytes(server_.pid());

  RawConnection stuck(server_.port());
  ASSERT_TRUE(stuck.send("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_streams") == 1; }));
  // 100 MiB of events the stuck consumer does not read; every request is answered meanwhile.
  for (int round = 0; round < 4; ++round) complete_with_large_results(api(), "flood-" + std::to_string(round));
  ASSERT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_streams_dropped_total") == 1; }))
      << server_.log();
  EXPECT_TRUE(wait_until(kDeadline, [&] { return gauge(api(), "corral_streams") == 0; }));
  EXPECT_TRUE(stuck.wait_closed(kDeadline)) << "the server closed the stuck stream's connection";

  // Keeping what the consumer did not read would take most of the 100 MiB. The bound leaves room
  // for allocator noise: under AddressSanitizer freed blocks sit in its quarantine for a while,
  // and one CI run grew by 34 MiB with the stream dropped.
  auto const grown = rss_bytes(server_.pid()) - before;
  EXPECT_LT(grown, 48 << 20) << "the server's resident memory grew by " << grown << " bytes";

  // A reading consumer is served as before.
  StreamReader reader(server_.url(), "/api/v1/events");
  ASSERT_TRUE(reader.wait_connected());
  auto const id = enqueue_id(api());
  ASSERT_TRUE(reader.wait_for(1)) << reader.error();
  EXPECT_EQ(str(data_of(reader.messages().front()), "job_id"), id);
}

}  // namespace
}  // namespace corral::test
