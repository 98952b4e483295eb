// `corral backup` against the real server: a copy taken while a producer enqueues holds every job
// acknowledged before it began, and a server opened on the copy serves them. And what it refuses:
// a DEST that exists, a PostgreSQL database, a path with no database.
#include "support/cli_runner.hpp"
#include "support/corral_process.hpp"
#include "support/has_substr.hpp"
#include "support/temp_dir.hpp"
#include "support/wait_until.hpp"

#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

namespace corral::test {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

// Enqueues jobs one by one until stopped, keeping the ids the server acknowledged (201).
class Producer {
 public:
  explicit Producer(CorralProcess const& server)
      : thread_([this, client = server.client()]() mutable {
          while (!stop_) {
            auto reply = client.post("/api/v1/jobs", json::object{{"type", "backup.test"}});
            if (reply.status != 201) continue;
            std::lock_guard lock(mutex_);
            acknowledged_.emplace_back(reply.json().at("id").as_string());
          }
        }) {}
  ~Producer() { stop(); }

  std::vector<std::string> acknowledged() {
    std::lock_guard lock(mutex_);
    return acknowledged_;
  }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> acknowledged_;
  std::thread thread_;   // last: starts once the members it uses exist
};

TEST(BackupCommand, ACopyTakenWhileAProducerEnqueuesHoldsEveryJobAcknowledgedBeforeIt) {
  if (serves_from_postgres()) GTEST_SKIP() << "corral backup copies the embedded database";
  CorralProcess server;
  server.start();
  Producer producer(server);
  ASSERT_TRUE(wait_until(20s, [&] { return producer.acknowledged().size() >= 100; }));

  auto const before = producer.acknowledged();
  TempDir out;
  auto const copy = out / "copy.db";
  auto backup = run_cli({"backup", "--db", "sqlite:" + server.db_path().string(), copy.string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  EXPECT_TRUE(has_substr(backup.out, "schema version")) << backup.out;
  // The producer went on through the copy: the server served writes while it was taken.
  ASSERT_TRUE(wait_until(20s, [&] { return producer.acknowledged().size() >= before.size() + 100; }));
  producer.stop();
  ASSERT_TRUE(server.stop()) << server.log();
  EXPECT_EQ(server.exit_code(), 0) << server.log();
  EXPECT_FALSE(std::filesystem::exists(copy.string() + ".partial"));

  TempDir restored_dir;
  std::filesystem::copy_file(copy, restored_dir / "corral.db");
  CorralProcess restored(restored_dir.path());
  restored.start();
  auto client = restored.client();
  for (auto const& id : before) {
    auto reply = client.get("/api/v1/jobs/" + id);
    ASSERT_EQ(reply.status, 200) << id << " was acknowledged before the backup began\n" << reply.body;
    EXPECT_EQ(reply.json().at("status"), "queued");
  }
  EXPECT_TRUE(restored.stop()) << restored.log();
}

TEST(BackupCommand, NeverOverwritesAFile) {
  if (serves_from_postgres()) GTEST_SKIP() << "corral backup copies the embedded database";
  CorralProcess server;
  server.start();
  TempDir out;
  auto const db = "sqlite:" + server.db_path().string();
  ASSERT_EQ(run_cli({"backup", "--db", db, (out / "a.db").string()}).exit_code, 0);
  auto again = run_cli({"backup", "--db", db, (out / "a.db").string()});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(has_substr(again.err, "exists")) << again.err;
  EXPECT_TRUE(server.stop());
}

TEST(BackupCommand, RefusesWhatItCannotCopy) {
  TempDir out;
  auto postgres = run_cli({"backup", "--db", "postgres://corral@127.0.0.1:5432/corral", (out / "x.db").string()});
  EXPECT_EQ(postgres.exit_code, 2);
  EXPECT_TRUE(has_substr(postgres.err, "pg_dump")) << postgres.err;

  auto missing = run_cli({"backup", "--db", "sqlite:" + (out / "none.db").string(), (out / "y.db").string()});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(has_substr(missing.err, "no database")) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(out / "y.db"));
}

TEST(BackupCommand, FindsTheDatabaseAsTheServerDoes) {
  if (serves_from_postgres()) GTEST_SKIP() << "corral backup copies the embedded database";
  CorralProcess server;
  server.start();
  TempDir out;
  auto r = run_cli({"backup", (out / "env.db").string()}, {{"CORRAL_DB", "sqlite:" + server.db_path().string()}});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(out / "env.db"));
  EXPECT_TRUE(server.stop());
}

}  // namespace
}  // namespace corral::test
