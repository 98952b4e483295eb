// [queues.NAME]: a queue's own retention, over the server-wide one.
#include "config/queue_settings.hpp"

#include "support/has_substr.hpp"

#include <gtest/gtest.h>

namespace corral::config {
namespace {

using test::has_substr;

TEST(ConfigQueues, ReadsARetentionOverrideAndLeavesTheOtherSettingUnset) {
  ServerConfig cfg;
  auto const loaded = apply_toml(cfg, R"(
retention_failed_s = 86400
[queues.billing]
retention_failed_s = 0
[queues.thumbnails]
retention_completed_s = 3600
)", "corral.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(cfg.retention_failed_s, 86400);
  EXPECT_EQ(cfg.queues.at("billing"), (QueueSettings{.retention_completed_s = std::nullopt, .retention_failed_s = 0}));
  EXPECT_EQ(cfg.queues.at("thumbnails"), (QueueSettings{.retention_completed_s = 3600, .retention_failed_s = std::nullopt}));
}

TEST(ConfigQueues, BadNamesKeysAndValuesAreRefusedNamingThem) {
  for (auto const& [text, expected] : std::vector<std::pair<std::string, std::string>>{
           {"[queues.q]\nretention_completed_s = -1", "queues.q.retention_completed_s must be between 0 and"},
           {"[queues.q]\nretention_failed_s = \"long\"", "queues.q.retention_failed_s must be a number"},
           {"[queues.q]\nretention_s = 5", "unknown setting queues.q.retention_s (known: retention_completed_s, retention_failed_s, push_url, "
            "push_concurrency, push_timeout_s, max_running, max_running_per_key, rate_limit, priority_aging_per_s)"},
           {"[queues.q]\nmax_running = 0", "queues.q.max_running must be"},
           {"[queues.q]\nmax_running_per_key = 1.5", "queues.q.max_running_per_key must be"},
           {"[queues.\"bad name\"]\nretention_failed_s = 5", "queues.bad name"},
           {"[queues.q]\npush_concurrency = 0", "queues.q.push_concurrency must be between 1 and 1000"},
           {"[queues.q]\npush_timeout_s = 0", "queues.q.push_timeout_s must be between 0.1 and 3600"},
           {"[queues.q]\npush_url = 5", "queues.q.push_url must be"},
           {"[queues.q]\npush_url = \"\"", "queues.q.push_url must be an http:// or https:// URL"},
           {"queues = 1", "queues must be a table"},
           {"[queues.q]\nrate_limit = 5", "queues.q.rate_limit must be a table"},
           {"[queues.q]\nrate_limit = { jobs = 5 }", "queues.q.rate_limit.per_s is required"},
           {"[queues.q]\nrate_limit = { per_s = 1 }", "queues.q.rate_limit.jobs is required"},
           {"[queues.q]\nrate_limit = { jobs = 0, per_s = 1 }", "queues.q.rate_limit.jobs must be"},
           {"[queues.q]\nrate_limit = { jobs = 5, per_s = 0 }", "queues.q.rate_limit.per_s must be"},
           {"[queues.q]\nrate_limit = { jobs = 5, per_s = 1, burst = 0 }", "queues.q.rate_limit.burst must be"},
           {"[queues.q]\nrate_limit = { jobs = 5, per_s = 1, brust = 5 }", "unknown setting queues.q.rate_limit.brust"},
           {"[queues.q]\npriority_aging_per_s = 0", "queues.q.priority_aging_per_s must be"},
       }) {
    ServerConfig cfg;
    auto const loaded = apply_toml(cfg, text, "corral.toml");
    ASSERT_FALSE(loaded) << text;
    EXPECT_TRUE(has_substr(loaded.error().message, expected)) << loaded.error().message;
  }
}

TEST(ConfigQueues, ReadsPushSettingsWithTheirDefaults) {
  ServerConfig cfg;
  auto const loaded = apply_toml(cfg, R"(
[queues.hooks]
push_url = "http://127.0.0.1:9000/run"
[queues.slow]
push_url = "https://fn.example.com/run"
push_concurrency = 2
push_timeout_s = 120
)", "corral.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto const& hooks = cfg.queues.at("hooks");
  EXPECT_EQ(hooks.push_url, "http://127.0.0.1:9000/run");
  EXPECT_EQ(hooks.push_concurrency, 8);
  EXPECT_EQ(hooks.push_timeout_s, 30);
  auto const& slow = cfg.queues.at("slow");
  EXPECT_EQ(slow.push_concurrency, 2);
  EXPECT_EQ(slow.push_timeout_s, 120);
}

TEST(ConfigQueues, EveryKeyIsDocumentedForHelp) {
  auto const docs = queue_setting_docs();
  ASSERT_EQ(docs.size(), 9u);
  EXPECT_EQ(docs[0].toml_key, "queues.NAME.retention_completed_s");
  EXPECT_EQ(docs[1].toml_key, "queues.NAME.retention_failed_s");
  EXPECT_EQ(docs[2].toml_key, "queues.NAME.push_url");
  EXPECT_EQ(docs[3].toml_key, "queues.NAME.push_concurrency");
  EXPECT_EQ(docs[4].toml_key, "queues.NAME.push_timeout_s");
  EXPECT_EQ(docs[5].toml_key, "queues.NAME.max_running");
  EXPECT_EQ(docs[6].toml_key, "queues.NAME.max_running_per_key");
  EXPECT_EQ(docs[7].toml_key, "queues.NAME.rate_limit");
  EXPECT_EQ(docs[8].toml_key, "queues.NAME.priority_aging_per_s");
}

TEST(ConfigQueues, ReadsARateLimitTableAndAnAgingRate) {
  ServerConfig cfg;
  auto const loaded = apply_toml(cfg, R"(
[queues.partner]
rate_limit = { jobs = 50, per_s = 1 }
[queues.slow]
rate_limit = { jobs = 10, per_s = 60, burst = 2 }
priority_aging_per_s = 0.5
)", "corral.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(cfg.queues.at("partner").rate_limit, (core::QueueRateLimit{50, 1, std::nullopt}));
  EXPECT_EQ(cfg.queues.at("partner").priority_aging_per_s, std::nullopt);
  EXPECT_EQ(cfg.queues.at("slow").rate_limit, (core::QueueRateLimit{10, 60, 2}));
  EXPECT_EQ(cfg.queues.at("slow").priority_aging_per_s, 0.5);
}

TEST(ConfigQueues, ConcurrencyLimitsAreReadAsIntegers) {
  ServerConfig cfg;
  ASSERT_TRUE(apply_toml(cfg, "[queues.convert]\nmax_running = 3\nmax_running_per_key = 1\n", "corral.toml"));
  EXPECT_EQ(cfg.queues.at("convert"), (QueueSettings{.max_running = 3, .max_running_per_key = 1}));
}

}  // namespace
}  // namespace corral::config
