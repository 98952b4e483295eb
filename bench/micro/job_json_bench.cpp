// JSON of one job as the server handles it: decoding an enqueue body (~100-byte payload),
// encoding a fetched job for the reply, and the attempt history as the backends store it.
#include "core/transition.hpp"
#include "queue/stored_json.hpp"
#include "wire/job_json.hpp"
#include "wire/request_json.hpp"

#include <benchmark/benchmark.h>
#include <boost/json/serialize.hpp>

namespace corral::wire {
namespace {

constexpr char kEnqueueBody[] =
    R"({"type":"bench.noop","queue":"bench","payload":{"data":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","sent_ns":123456789}})";

core::Job leased_job() {
  core::Job job;
  job.id = "job_0123456789abcdefghjkmnpqrs";
  job.type = "bench.noop";
  job.queue = "bench";
  job.payload = R"({"data":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","sent_ns":123456789})";
  auto const now = core::TimePoint{} + std::chrono::hours(24 * 365 * 56);
  job.created_at = job.updated_at = job.run_at = now;
  auto applied = core::apply(job, core::fetch_event("0123456789abcdef0123456789abcdef", "bench-1", std::nullopt), now);
  return applied->job;
}

void json_enqueue_decode(benchmark::State& state) {
  for (auto _ : state) {
    auto body = parse_body(kEnqueueBody);
    auto req = parse_enqueue(*body);
    benchmark::DoNotOptimize(req);
  }
}
BENCHMARK(json_enqueue_decode);

// What the server writes for a fetched job.
void json_leased_job_to_text(benchmark::State& state) {
  auto const job = leased_job();
  for (auto _ : state) {
    auto text = to_json_text(job, /*with_lease_token=*/true);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(json_leased_job_to_text);

// The same document through a boost::json::object, as the server wrote it before.
void json_leased_job_encode(benchmark::State& state) {
  auto const job = leased_job();
  for (auto _ : state) {
    auto text = boost::json::serialize(to_json(job, /*with_lease_token=*/true));
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(json_leased_job_encode);

// What a backend writes to the row and reads back.
void json_stored_attempts_round_trip(benchmark::State& state) {
  auto const job = leased_job();
  for (auto _ : state) {
    std::string text;
    queue::append_stored_attempts(text, job.attempts);
    auto attempts = queue::parse_stored_attempts(text);
    benchmark::DoNotOptimize(attempts);
  }
}
BENCHMARK(json_stored_attempts_round_trip);

}  // namespace
}  // namespace corral::wire
