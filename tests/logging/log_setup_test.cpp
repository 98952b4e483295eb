// The server's log lines as a pipeline reads them: with the json format every line is one JSON
// object a strict parser accepts, whatever the message held; structured lines add their fields
// (as members, or as key=value after the message in text); and a stderr that does not keep up
// costs the caller nothing: lines are dropped, oldest first, and counted.
#include "logging/log_setup.hpp"

#include "logging/job_event_lines.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>

namespace corral::logging {
namespace {

namespace json = boost::json;

// Collects the formatted lines of every logger; can hold the logging thread inside a write.
class CapturingSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  struct Shared {
    std::mutex mutex;
    std::condition_variable changed;
    std::string text;
    std::vector<std::thread::id> writers;   // the thread that wrote each message
    bool hold = false;      // while true, a write waits inside the sink
    bool holding = false;   // a write is waiting
  };
  explicit CapturingSink(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

 protected:
  void sink_it_(spdlog::details::log_msg const& msg) override {
    spdlog::memory_buf_t formatted;
    formatter_->format(msg, formatted);
    std::unique_lock lock(shared_->mutex);
    shared_->holding = shared_->hold;
    shared_->changed.notify_all();
    shared_->changed.wait(lock, [&] { return !shared_->hold; });
    shared_->holding = false;
    shared_->text.append(formatted.data(), formatted.size());
    shared_->writers.push_back(std::this_thread::get_id());
    shared_->changed.notify_all();
  }
  void flush_() override {}

 private:
  std::shared_ptr<Shared> shared_;
};

class LogSetup : public ::testing::Test {
 protected:
  std::unique_ptr<Logging> start(Format format, std::size_t queued = kQueuedWrites) {
    LogOptions options;
    options.level = spdlog::level::debug;
    options.format = format;
    options.queued_writes = queued;
    options.make_sink = [shared = shared_] { return std::make_shared<CapturingSink>(shared); };
    return std::make_unique<Logging>(std::move(options));
  }

  // The lines written so far (a Logging's destructor writes every queued line).
  std::vector<std::string> lines() {
    std::lock_guard lock(shared_->mutex);
    std::vector<std::string> out;
    std::istringstream in(shared_->text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }

  static json::object parsed(std::string const& line) {
    boost::system::error_code ec;
    auto v = json::parse(line, ec);
    EXPECT_FALSE(ec) << ec.message() << ": " << line;
    return !ec && v.is_object() ? v.get_object() : json::object();
  }

  std::shared_ptr<CapturingSink::Shared> shared_ = std::make_shared<CapturingSink::Shared>();
};

using namespace std::string_literals;
std::string const kNasty = "quote \" backslash \\ newline \n tab \t nul \0 bell \x07 stray \xFF\xC3 half \xE2\x82 end"s;

TEST_F(LogSetup, AJsonLineIsOneValidObjectWhateverTheMessageHolds) {
  {
    auto logs = start(Format::json);
    spdlog::error("postgres failed: {}", kNasty);
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 1u) << "a newline in a message does not split its line";
  auto const o = parsed(all[0]);
  EXPECT_EQ(o.at("level"), "error");
  EXPECT_TRUE(std::regex_match(std::string(o.at("time").as_string()),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)")))
      << o.at("time");
  auto const message = std::string(o.at("message").as_string());
  EXPECT_EQ(message.substr(0, 40), "postgres failed: quote \" backslash \\ new");
  EXPECT_NE(message.find(" nul \0 bell \x07 stray \xEF\xBF\xBD\xEF\xBF\xBD half"s), std::string::npos) << message;
}

TEST_F(LogSetup, AStructuredLineHasItsFieldsAsMembersInJson) {
  {
    auto logs = start(Format::json);
    Lines lines;
    lines.line(spdlog::level::info, "job failed")
        .field("job_id", "job_1")
        .field("attempt", 3)
        .field("ratio", 0.25)
        .seconds("run_time_s", core::Micros(1'000'042))
        .field("error_message", kNasty)
        .field("worker_id", std::optional<std::string>());
    lines.write();
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 1u);
  auto const o = parsed(all[0]);
  EXPECT_EQ(o.at("message"), "job failed");
  EXPECT_EQ(o.at("level"), "info");
  EXPECT_EQ(o.at("job_id"), "job_1");
  EXPECT_EQ(o.at("attempt"), 3);
  EXPECT_EQ(o.at("ratio"), 0.25);
  EXPECT_EQ(o.at("run_time_s"), 1.000042);
  EXPECT_FALSE(o.contains("worker_id")) << "an absent field is left out";
  EXPECT_EQ(std::string(o.at("error_message").as_string()).substr(0, 30), kNasty.substr(0, 30));
}

TEST_F(LogSetup, AsTextAStructuredLineIsKeyValuePairsQuotedWhereNeeded) {
  {
    auto logs = start(Format::text);
    Lines lines;
    lines.line(spdlog::level::info, "job failed")
        .field("job_id", "job_1")
        .field("worker_id", "w 1")
        .field("error_message", "said \"no\"\nleft")
        .field("empty", "")
        .seconds("run_time_s", core::Micros(1'500'000));
    lines.write();
    spdlog::warn("plain text");
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_TRUE(std::regex_match(all[0], std::regex(R"(\S+Z info job failed job_id=job_1 worker_id="w 1" )"
                                                  R"(error_message="said \\"no\\"\\nleft" empty="" run_time_s=1\.5)")))
      << all[0];
  EXPECT_TRUE(std::regex_match(all[1], std::regex(R"(\S+Z warning plain text)"))) << all[1];
}

TEST_F(LogSetup, ALineBelowTheLevelIsNotWritten) {
  {
    auto logs = start(Format::json);
    EXPECT_FALSE(enabled(spdlog::level::trace));
    Lines lines;
    lines.line(spdlog::level::trace, "unseen").field("k", "v");
    lines.write();
  }
  EXPECT_TRUE(lines().empty());
}

// The caller never waits for a slow stderr: with the logging thread stuck in a write, a full
// queue drops its oldest lines, and the count of them is logged at the end.
TEST_F(LogSetup, WhenTheSinkStallsLinesAreDroppedAndCountedNotWaitedFor) {
  constexpr std::size_t kQueue = 16;
  {
    auto logs = start(Format::json, kQueue);
    {
      std::unique_lock lock(shared_->mutex);
      shared_->hold = true;
    }
    spdlog::info("first");   // taken by the logging thread, which then waits in the sink
    {
      std::unique_lock lock(shared_->mutex);
      shared_->changed.wait(lock, [&] { return shared_->holding; });
    }
    for (int i = 0; i < 100; ++i) {
      Lines lines;
      lines.line(spdlog::level::info, "line").field("n", i);
      lines.write();
    }
    EXPECT_EQ(logs->dropped(), 100 - kQueue);
    {
      std::unique_lock lock(shared_->mutex);
      shared_->hold = false;
    }
    shared_->changed.notify_all();
    std::unique_lock lock(shared_->mutex);   // every queued line written before the count is logged
    shared_->changed.wait(lock, [&] { return std::count(shared_->text.begin(), shared_->text.end(), '\n') == 1 + kQueue; });
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 1 + kQueue + 1);
  EXPECT_EQ(parsed(all[1]).at("n"), 100 - static_cast<int>(kQueue)) << "the oldest were dropped";
  EXPECT_NE(parsed(all.back()).at("message").as_string().find("84 log writes were dropped"), std::string::npos)
      << all.back();
}

TEST_F(LogSetup, EachOfABatchsChangesIsOneLineWithItsFieldsAndOnlyThisNodesAreLogged) {
  core::JobEvent e;
  e.kind = core::JobEventKind::started;
  e.job_id = "job_1";
  e.type = "mail";
  e.queue = "q";
  e.status = core::JobState::running;
  e.attempt = 2;
  e.worker_id = "w1";
  e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  e.queue_wait = core::Micros(1'500'000);
  {
    auto logs = start(Format::json);
    auto other_node = e;
    other_node.local = false;
    auto heartbeat = e;
    heartbeat.kind = core::JobEventKind::heartbeat;
    std::vector<std::shared_ptr<core::JobEvent const>> const batch{
        std::make_shared<core::JobEvent const>(e), std::make_shared<core::JobEvent const>(other_node),
        std::make_shared<core::JobEvent const>(heartbeat)};
    log_job_events(batch);
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 2u) << "this node's two changes, the heartbeat at debug";
  EXPECT_EQ(parsed(all[1]).at("level"), "debug");
  EXPECT_EQ(parsed(all[1]).at("kind"), "heartbeat");
  EXPECT_EQ(parsed(all[0]), (json::object{{"time", parsed(all[0]).at("time")},
                                          {"level", "info"},
                                          {"message", "job started"},
                                          {"kind", "started"},
                                          {"job_id", "job_1"},
                                          {"type", "mail"},
                                          {"queue", "q"},
                                          {"attempt", 2},
                                          {"worker_id", "w1"},
                                          {"trace_id", "4bf92f3577b34da6a3ce929d0e0e4736"},
                                          {"queue_wait_s", 1.5}}));
}

// The committing thread hands its batch over and goes on; the lines are written by the time the
// hand-over is destroyed, in the order the batches came.
TEST_F(LogSetup, HandedOverChangesAreAllWrittenInOrder) {
  {
    auto logs = start(Format::json);
    JobEventLines change_lines;
    for (int i = 0; i < 50; ++i) {
      core::JobEvent e;
      e.job_id = "job_" + std::to_string(i);
      e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
      std::vector<EventPtr> const batch{std::make_shared<core::JobEvent const>(e)};
      change_lines.append(batch);
    }
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 50u);
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(parsed(all[i]).at("job_id"), json::value("job_" + std::to_string(i)));
}

// The job change lines' thread writes its lines itself (Via::this_thread): they are in the sink
// when the call returns, written by the caller, not queued for the logging thread (which would
// be woken for each lone commit's line). Other lines still go through the logging thread.
TEST_F(LogSetup, ChangeLinesWrittenHereAreWrittenByTheCallerBeforeItGoesOn) {
  core::JobEvent e;
  e.kind = core::JobEventKind::completed;
  e.job_id = "job_here";
  e.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  std::vector<EventPtr> const batch{std::make_shared<core::JobEvent const>(e)};
  auto logs = start(Format::json);
  log_job_events(batch, Via::this_thread);
  {
    std::lock_guard lock(shared_->mutex);
    ASSERT_EQ(shared_->writers.size(), 1u) << "written before the call returned";
    EXPECT_EQ(shared_->writers[0], std::this_thread::get_id());
  }
  log_job_events(batch);   // queued for the logging thread
  logs.reset();            // writes what is queued
  {
    std::lock_guard lock(shared_->mutex);
    ASSERT_EQ(shared_->writers.size(), 2u);
    EXPECT_NE(shared_->writers[1], std::this_thread::get_id());
  }
  auto const all = lines();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(parsed(all[0]).at("job_id"), "job_here");
  EXPECT_EQ(parsed(all[0]).at("message"), "job completed");
}

}  // namespace
}  // namespace corral::logging
