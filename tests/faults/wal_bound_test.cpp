// The WAL stays under wal_max_bytes while readers never pause. A bounded run of producers
// (enqueue batches), a worker (fetch, complete), readers over HTTP (GET a job, list a page) and
// two read transactions held in relay on the file (each begins before the other ends), so some
// snapshot is always held and SQLite's own checkpoints cannot restart the WAL (checkpoint
// starvation). The HTTP readers sample the -wal file's size after every request: it never
// exceeds the bound by more than one batch's worth (a size bound, not a timing one). The control
// runs the same load with the bound off, and the WAL grows past it (7 to 25 MB in our runs;
// without the relay, HTTP readers alone left gaps enough for SQLite's 1000-page checkpoints).
#include "http/api_helpers.hpp"
#include "queue/sqlite/database.hpp"

#include <sys/stat.h>

#include <atomic>
#include <iostream>

namespace corral::test {
namespace {

constexpr std::uint64_t kBound = 1u << 20;
// One batch's worth: at most 3 write requests are in flight (two producers, one worker), each of
// at most 20 jobs whose rows and index entries touch a few pages each: well under 1 MiB of frames.
constexpr std::uint64_t kOneBatch = 1u << 20;
constexpr int kProducerBatches = 80, kJobsPerBatch = 20, kReaderRequests = 4000;
constexpr auto kLoadDeadline = std::chrono::seconds(30);

std::uint64_t file_size(std::filesystem::path const& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

class WalBound : public ApiTest {
 protected:
  void SetUp() override {}   // each test starts the server with its own bound

  // Runs the load; returns the largest WAL size the readers saw.
  std::uint64_t run_load(std::string const& wal_max_bytes) {
    server_.start({"--wal-max-bytes", wal_max_bytes});
    api_.emplace(server_.url());
    auto const wal = server_.db_path().string() + "-wal";
    auto const known = enqueue_id(api(), {{"type", "t"}, {"queue", "known"}});
    auto const stop_at = std::chrono::steady_clock::now() + kLoadDeadline;
    auto in_time = [&] { return std::chrono::steady_clock::now() < stop_at; };
    std::atomic<int> producing{2};
    std::atomic<std::uint64_t> largest{0};
    std::vector<std::thread> threads;
    for (int p = 0; p < 2; ++p) {
      threads.emplace_back([&] {
        Client own(server_.url());
        for (int b = 0; b < kProducerBatches && in_time(); ++b) {
          json::array jobs;
          for (int j = 0; j < kJobsPerBatch; ++j) jobs.push_back(json::object{{"type", "t"}, {"payload", std::string(500, 'w')}});
          (void)own.post("/api/v1/jobs/batch", json::object{{"jobs", std::move(jobs)}});
        }
        --producing;
      });
    }
    threads.emplace_back([&] {
      Client own(server_.url());
      while (producing > 0 && in_time()) {
        for (auto const& job : fetch(own, {{"count", 20}})) {
          (void)complete(own, Lease{str(job.as_object(), "id"), str(job.as_object(), "lease_token"), {}});
        }
      }
    });
    for (int r = 0; r < 3; ++r) {
      threads.emplace_back([&, r] {
        Client own(server_.url());
        for (int i = 0; i < kReaderRequests && producing > 0 && in_time(); ++i) {
          (void)((i + r) % 2 ? own.get(job_path(known)) : own.get("/api/v1/jobs?limit=50"));
          auto const size = file_size(wal);
          for (auto seen = largest.load(); size > seen && !largest.compare_exchange_weak(seen, size);) {}
        }
      });
    }
    // Two read transactions in relay on connections of the test's own: each begins before the
    // other ends, so some snapshot is always held, as when lists and backups overlap.
    threads.emplace_back([&] {
      std::vector<sqlite::Database> relay;
      for (int c = 0; c < 2; ++c) relay.push_back(std::move(*sqlite::Database::open(server_.db_path().string(),
                                                                                   sqlite::Database::Mode::read_only)));
      (void)relay[0].exec("BEGIN; SELECT count(*) FROM jobs WHERE seq = 1");
      for (int i = 1; producing > 0 && in_time(); ++i) {
        (void)relay[i % 2].exec("BEGIN; SELECT count(*) FROM jobs WHERE seq = 1");
        (void)relay[(i + 1) % 2].exec("COMMIT");
      }
      (void)relay[0].exec("ROLLBACK");
      (void)relay[1].exec("ROLLBACK");
    });
    for (auto& t : threads) t.join();
    std::cout << "largest WAL seen with wal_max_bytes " << wal_max_bytes << ": " << largest << " bytes\n";
    return largest;
  }
};

TEST_F(WalBound, TheWalStaysUnderItsBoundPlusOneBatchWhileReadersNeverPause) {
  auto const largest = run_load(std::to_string(kBound));
  EXPECT_LE(largest, kBound + kOneBatch) << "the WAL grew past its bound";
  EXPECT_GE(largest, kBound / 2) << "the load never brought the WAL to the checkpoint point: it proves nothing";
}

TEST_F(WalBound, ControlWithoutTheBoundTheReadersStarveTheCheckpointAndTheWalGrows) {
  auto const largest = run_load("0");
  EXPECT_GT(largest, kBound + kOneBatch) << "the load did not starve SQLite's own checkpoints";
}

}  // namespace
}  // namespace corral::test
