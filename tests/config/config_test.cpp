#include "config/config.hpp"
#include "config/setting_value.hpp"

#include "support/has_substr.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

namespace corral::config {
namespace {

using test::has_substr;

// The error message of a load that must fail; fails the test if it succeeded.
template <class R>
std::string error_of(R const& result) {
  EXPECT_FALSE(result.has_value());
  if (result.has_value()) return "";
  EXPECT_EQ(result.error().code, core::Errc::invalid_argument);
  return result.error().message;
}

ServerConfig from_toml(std::string const& text) {
  ServerConfig cfg;
  auto loaded = apply_toml(cfg, text, "corral.toml");
  EXPECT_TRUE(loaded.has_value()) << (loaded ? "" : loaded.error().message);
  return cfg;
}

// Each TOML text must be refused with a message naming its field.
struct BadToml {
  std::string toml, named;
};

void expect_rejected(std::vector<BadToml> const& cases) {
  for (auto const& c : cases) {
    ServerConfig cfg;
    EXPECT_TRUE(has_substr(error_of(apply_toml(cfg, c.toml, "corral.toml")), c.named)) << c.toml;
  }
}

TEST(ConfigDefaults, MatchTheDocumentedValues) {
  ServerConfig const cfg;
  EXPECT_EQ(cfg.listen, "127.0.0.1:7878");
  EXPECT_EQ(cfg.db, "sqlite:corral-data/corral.db");
  EXPECT_EQ(cfg.max_body_bytes, 1u << 20);
  EXPECT_EQ(cfg.max_header_bytes, 16u * 1024);
  EXPECT_EQ(cfg.json_max_string_bytes, 1u << 20);
  EXPECT_EQ(cfg.max_connections, 10'000u);
  EXPECT_EQ(cfg.max_long_polls, 10'000u);
  EXPECT_DOUBLE_EQ(cfg.read_timeout_s, 30);
  EXPECT_EQ(cfg.log_level, "info");
}

// The same values reach every field from either source; none of them is a default.
void expect_every_setting_applied(ServerConfig const& cfg) {
  EXPECT_EQ(cfg.listen, "0.0.0.0:9000");
  EXPECT_EQ(cfg.db, "sqlite:/var/lib/corral/corral.db");
  EXPECT_EQ(cfg.threads, 4);
  EXPECT_EQ(cfg.max_body_bytes, 2048u);
  EXPECT_EQ(cfg.max_batch_jobs, 10u);
  EXPECT_EQ(cfg.json_max_depth, 16u);
  EXPECT_EQ(cfg.json_max_string_bytes, 4096u);
  EXPECT_EQ(cfg.max_header_bytes, 8192u);
  EXPECT_EQ(cfg.max_connections, 50u);
  EXPECT_EQ(cfg.max_long_polls, 7u);
  EXPECT_DOUBLE_EQ(cfg.idle_timeout_s, 2.5);
  EXPECT_DOUBLE_EQ(cfg.read_timeout_s, 1.5);
  EXPECT_EQ(cfg.log_level, "debug");
  EXPECT_EQ(cfg.log_format, "json");
}

TEST(ConfigToml, SetsEveryServerKey) {
  expect_every_setting_applied(from_toml(R"(
listen = "0.0.0.0:9000"
db = "sqlite:/var/lib/corral/corral.db"
threads = 4
max_body_bytes = 2048
max_batch_jobs = 10
json_max_depth = 16
json_max_string_bytes = 4096
max_header_bytes = 8192
max_connections = 50
max_long_polls = 7
idle_timeout_s = 2.5
read_timeout_s = 1.5
log_level = "debug"
log_format = "json"
)"));
}

TEST(ConfigToml, KeysNotGivenKeepTheirValues) {
  ServerConfig cfg;
  cfg.threads = 3;
  ASSERT_TRUE(apply_toml(cfg, "log_level = \"warn\"", "corral.toml"));
  EXPECT_EQ(cfg.threads, 3);
  EXPECT_EQ(cfg.log_level, "warn");
}

TEST(ConfigToml, TimesAcceptIntegers) {
  EXPECT_DOUBLE_EQ(from_toml("idle_timeout_s = 30").idle_timeout_s, 30);
}

TEST(ConfigToml, UnknownKeyIsRejectedByName) {
  ServerConfig cfg;
  auto message = error_of(apply_toml(cfg, "thread = 4", "corral.toml"));
  EXPECT_TRUE(has_substr(message, "corral.toml"));
  EXPECT_TRUE(has_substr(message, "unknown setting thread"));
  EXPECT_TRUE(has_substr(message, "threads"));   // the list of known keys shows the right spelling
}

TEST(ConfigToml, BadValuesAreNamed) {
  expect_rejected({
      {"threads = \"4\"", "threads must be an integer"},
      {"threads = -1", "threads"},
      {"threads = 1.5", "threads must be an integer"},
      {"max_body_bytes = 10", "max_body_bytes"},
      {"max_batch_jobs = 0", "max_batch_jobs"},
      {"json_max_depth = 0", "json_max_depth"},
      {"idle_timeout_s = 0", "idle_timeout_s"},
      {"read_timeout_s = 0", "read_timeout_s"},
      {"max_header_bytes = 100", "max_header_bytes"},
      {"max_connections = 0", "max_connections"},
      {"max_long_polls = -1", "max_long_polls"},
      {"json_max_string_bytes = 0", "json_max_string_bytes"},
      {"idle_timeout_s = \"1\"", "idle_timeout_s must be a number"},
      {"log_level = \"loud\"", "log_level must be one of"},
      {"log_format = \"xml\"", "log_format must be one of"},
      {"listen = \"localhost\"", "listen must be HOST:PORT"},
      {"listen = \"127.0.0.1:70000\"", "listen must be HOST:PORT"},
      {"listen = 7878", "listen must be a string"},
      {"db = \"mysql://x\"", "db must be sqlite:PATH"},
      {"db = \"sqlite:\"", "db must be sqlite:PATH"},
  });
}

TEST(ConfigToml, AFileWithAnErrorChangesNothing) {
  ServerConfig cfg;
  ASSERT_FALSE(apply_toml(cfg, "threads = 8\nlog_level = \"loud\"", "corral.toml"));
  EXPECT_EQ(cfg.threads, ServerConfig{}.threads);
}

TEST(ConfigToml, SyntaxErrorNamesTheFile) {
  ServerConfig cfg;
  EXPECT_TRUE(has_substr(error_of(apply_toml(cfg, "threads = = 4", "/etc/corral.toml")), "/etc/corral.toml"));
}

TEST(ConfigJobTypes, ReadsEveryKey) {
  auto cfg = from_toml(R"(
[job_types."email.send"]
queue = "mail"
priority = "high"
max_attempts = 5
timeout_s = 30
max_run_s = 120.5
retryable = false

[job_types."email.send".backoff]
initial_s = 2
multiplier = 3
max_s = 60
jitter = 0.25
)");
  ASSERT_EQ(cfg.job_types.count("email.send"), 1u);
  auto const& t = cfg.job_types.at("email.send");
  EXPECT_EQ(t.queue, "mail");
  EXPECT_EQ(t.priority, 10);
  EXPECT_EQ(t.max_attempts, 5);
  EXPECT_EQ(t.timeout_s, 30);
  EXPECT_EQ(t.max_run_s, 120.5);
  EXPECT_EQ(t.retryable, false);
  EXPECT_EQ(t.backoff.initial_s, 2);
  EXPECT_EQ(t.backoff.multiplier, 3);
  EXPECT_EQ(t.backoff.max_s, 60);
  EXPECT_EQ(t.backoff.jitter, 0.25);
}

TEST(ConfigJobTypes, AcceptsAnInlineBackoffAndIntegerPriority) {
  auto cfg = from_toml(R"(
[job_types.resize]
priority = -20
backoff = { initial_s = 0.5, max_s = 10 }
)");
  auto const& t = cfg.job_types.at("resize");
  EXPECT_EQ(t.priority, -20);
  EXPECT_EQ(t.backoff.initial_s, 0.5);
  EXPECT_EQ(t.backoff.max_s, 10);
  EXPECT_FALSE(t.backoff.multiplier.has_value());
  EXPECT_FALSE(t.queue.has_value());
}

TEST(ConfigJobTypes, BadValuesAreNamedWithTheirPath) {
  expect_rejected({
      {"[job_types.a]\nqueue = \"has space\"", "job_types.a.queue"},
      {"[job_types.a]\npriority = \"urgent\"", "job_types.a.priority"},
      {"[job_types.a]\npriority = 5000", "job_types.a.priority"},
      {"[job_types.a]\nmax_attempts = 0", "job_types.a.max_attempts"},
      {"[job_types.a]\ntimeout_s = 0", "job_types.a.timeout_s"},
      {"[job_types.a]\nmax_run_s = 0", "job_types.a.max_run_s"},
      {"[job_types.a]\nretryable = \"no\"", "job_types.a.retryable"},
      {"[job_types.a.backoff]\nmultiplier = 0.5", "job_types.a.backoff.multiplier"},
      {"[job_types.a.backoff]\njitter = 2", "job_types.a.backoff.jitter"},
      {"[job_types.a.backoff]\ninitial_s = -1", "job_types.a.backoff.initial_s"},
      {"[job_types.a.backoff]\ninitial_s = 10\nmax_s = 5", "job_types.a.backoff.max_s"},
      {"[job_types.a]\nbackoff = 3", "job_types.a.backoff must be a table"},
      {"[job_types.\"bad name\"]\nqueue = \"q\"", "job_types.bad name"},
      {"job_types = 1", "job_types must be a table"},
  });
}

TEST(ConfigJobTypes, UnknownKeyIsRejectedByName) {
  ServerConfig cfg;
  auto message = error_of(apply_toml(cfg, "[job_types.a]\nmax_attempt = 3", "corral.toml"));
  EXPECT_TRUE(has_substr(message, "unknown setting job_types.a.max_attempt"));
  EXPECT_TRUE(has_substr(message, "max_attempts"));
  message = error_of(apply_toml(cfg, "[job_types.a.backoff]\nfactor = 3", "corral.toml"));
  EXPECT_TRUE(has_substr(message, "unknown setting job_types.a.backoff.factor"));
}

TEST(ConfigEnv, SetsEverySetting) {
  ServerConfig cfg;
  ASSERT_TRUE(apply_env(cfg, {{"CORRAL_LISTEN", "0.0.0.0:9000"},
                              {"CORRAL_DB", "sqlite:/var/lib/corral/corral.db"},
                              {"CORRAL_THREADS", "4"},
                              {"CORRAL_MAX_BODY_BYTES", "2048"},
                              {"CORRAL_MAX_BATCH_JOBS", "10"},
                              {"CORRAL_JSON_MAX_DEPTH", "16"},
                              {"CORRAL_JSON_MAX_STRING_BYTES", "4096"},
                              {"CORRAL_MAX_HEADER_BYTES", "8192"},
                              {"CORRAL_MAX_CONNECTIONS", "50"},
                              {"CORRAL_MAX_LONG_POLLS", "7"},
                              {"CORRAL_IDLE_TIMEOUT_S", "2.5"},
                              {"CORRAL_READ_TIMEOUT_S", "1.5"},
                              {"CORRAL_LOG_LEVEL", "debug"},
                              {"CORRAL_LOG_FORMAT", "json"}}));
  expect_every_setting_applied(cfg);
}

TEST(ConfigEnv, OverridesTheFile) {
  ServerConfig cfg;
  ASSERT_TRUE(apply_toml(cfg, "threads = 4\nlog_level = \"debug\"", "corral.toml"));
  ASSERT_TRUE(apply_env(cfg, {{"CORRAL_THREADS", "8"}}));
  EXPECT_EQ(cfg.threads, 8);            // the environment wins
  EXPECT_EQ(cfg.log_level, "debug");    // what it does not set stays as the file said
}

TEST(ConfigEnv, EmptyAndUnrelatedVariablesAreIgnored) {
  ServerConfig cfg;
  ASSERT_TRUE(apply_env(cfg, {{"CORRAL_THREADS", ""}, {"CORRAL_URL", "http://x"}, {"PATH", "/bin"}}));
  EXPECT_EQ(cfg.threads, ServerConfig{}.threads);
}

TEST(ConfigEnv, BadValuesNameTheVariable) {
  ServerConfig cfg;
  EXPECT_TRUE(has_substr(error_of(apply_env(cfg, {{"CORRAL_THREADS", "four"}})), "CORRAL_THREADS must be an integer"));
  EXPECT_TRUE(has_substr(error_of(apply_env(cfg, {{"CORRAL_THREADS", "4x"}})), "CORRAL_THREADS"));
  EXPECT_TRUE(has_substr(error_of(apply_env(cfg, {{"CORRAL_IDLE_TIMEOUT_S", "soon"}})), "CORRAL_IDLE_TIMEOUT_S"));
  EXPECT_TRUE(has_substr(error_of(apply_env(cfg, {{"CORRAL_LOG_LEVEL", "loud"}})), "CORRAL_LOG_LEVEL"));
  EXPECT_TRUE(has_substr(error_of(apply_env(cfg, {{"CORRAL_MAX_BODY_BYTES", "1"}})), "CORRAL_MAX_BODY_BYTES"));
}

TEST(ConfigEnv, AValueOutOfRangeNamesTheVariableTheRangeAndTheValue) {
  ServerConfig cfg;
  EXPECT_EQ(error_of(apply_env(cfg, {{"CORRAL_MAX_BATCH_JOBS", "0"}})),
            "CORRAL_MAX_BATCH_JOBS must be between 1 and 100000 (got 0)");
  EXPECT_EQ(error_of(apply_env(cfg, {{"CORRAL_THREADS", "four"}})), "CORRAL_THREADS must be an integer (got \"four\")");
}

TEST(ConfigToml, AValueOutOfRangeNamesTheFileTheKeyTheRangeAndTheValue) {
  ServerConfig cfg;
  EXPECT_EQ(error_of(apply_toml(cfg, "max_batch_jobs = 100001", "corral.toml")),
            "corral.toml: max_batch_jobs must be between 1 and 100000 (got 100001)");
  EXPECT_EQ(error_of(apply_toml(cfg, "idle_timeout_s = 0.05", "corral.toml")),
            "corral.toml: idle_timeout_s must be between 0.1 and 86400 (got 0.05)");
}

TEST(ConfigFlags, SetAndOverrideTheEnvironment) {
  ServerConfig cfg;
  ASSERT_TRUE(apply_env(cfg, {{"CORRAL_THREADS", "8"}, {"CORRAL_LOG_LEVEL", "debug"}}));
  ASSERT_TRUE(apply_flags(cfg, {{"--threads", "2"}, {"--max-body-bytes", "2048"}, {"--idle-timeout-s", "2.5"}}));
  EXPECT_EQ(cfg.threads, 2);
  EXPECT_EQ(cfg.max_body_bytes, 2048u);
  EXPECT_DOUBLE_EQ(cfg.idle_timeout_s, 2.5);
  EXPECT_EQ(cfg.log_level, "debug");
}

// A bad flag is reported under the flag the user typed, not the variable it stands for.
TEST(ConfigFlags, BadValuesNameTheFlag) {
  ServerConfig cfg;
  EXPECT_EQ(error_of(apply_flags(cfg, {{"--max-body-bytes", "1023"}})),
            "--max-body-bytes must be between 1024 and 1073741824 (got 1023)");
  EXPECT_EQ(error_of(apply_flags(cfg, {{"--max-batch-jobs", "0"}})), "--max-batch-jobs must be between 1 and 100000 (got 0)");
  EXPECT_EQ(error_of(apply_flags(cfg, {{"--threads", "1.5"}})), "--threads must be an integer (got \"1.5\")");
  EXPECT_EQ(error_of(apply_flags(cfg, {{"--log-level", "loud"}})), "--log-level must be one of trace debug info warn error");
  EXPECT_TRUE(has_substr(error_of(apply_flags(cfg, {{"--listen", ""}})), "--listen must be HOST:PORT"))
      << "an empty flag is a value, unlike an empty variable";
  EXPECT_EQ(cfg.threads, ServerConfig{}.threads) << "nothing is applied from a set of flags with an error";
}

TEST(SettingValue, RangesReadAsPeopleWriteNumbers) {
  EXPECT_EQ(describe_range(1, 100000), "between 1 and 100000");
  EXPECT_EQ(describe_range(0, 1099511627776.0), "between 0 and 1099511627776");
  EXPECT_EQ(describe_range(0.01, 600), "between 0.01 and 600");
  EXPECT_EQ(describe_range(-5, 2.5), "between -5 and 2.5");
  EXPECT_EQ(describe_range(0, std::numeric_limits<double>::max()), "at least 0");
  EXPECT_EQ(format_number(1e6), "1000000");
}

TEST(SettingDocs, ListEverySettingWithItsEnvironmentVariableFlagAndDefault) {
  auto const& docs = setting_docs();
  auto find = [&](std::string const& key) {
    return std::find_if(docs.begin(), docs.end(), [&](SettingDoc const& d) { return d.toml_key == key; });
  };
  for (std::string key : {"listen", "db", "threads", "max_body_bytes", "max_batch_jobs", "json_max_depth",
                          "json_max_string_bytes", "max_header_bytes", "max_connections", "max_long_polls",
                          "idle_timeout_s", "read_timeout_s", "log_level", "log_format"}) {
    auto doc = find(key);
    ASSERT_NE(doc, docs.end()) << key;
    EXPECT_EQ(doc->env.rfind("CORRAL_", 0), 0u) << key;
    EXPECT_EQ(doc->flag.rfind("--", 0), 0u) << key;
    EXPECT_TRUE(has_substr(doc->help, "(default ")) << key;
  }
  EXPECT_EQ(find("idle_timeout_s")->env, "CORRAL_IDLE_TIMEOUT_S");
  EXPECT_EQ(find("idle_timeout_s")->flag, "--idle-timeout-s");
  EXPECT_TRUE(has_substr(find("listen")->help, "127.0.0.1:7878"));
  for (std::string key : {"queue", "priority", "max_attempts", "timeout_s", "max_run_s", "retryable", "backoff",
                          "backoff.initial_s", "backoff.multiplier", "backoff.max_s", "backoff.jitter"}) {
    EXPECT_NE(find("job_types.NAME." + key), docs.end()) << key;
  }
}

}  // namespace
}  // namespace corral::config

namespace corral::config {
namespace {

TEST(WebhookSettings, AllowedHostsComeAsATomlArrayOrACommaSeparatedList) {
  ServerConfig cfg;
  EXPECT_EQ(cfg.webhook_allowed_hosts, (std::vector<std::string>{"127.0.0.1", "::1", "localhost"}));
  ASSERT_TRUE(apply_toml(cfg, R"(webhook_allowed_hosts = ["hooks.example.com", "[fd00::1]:8080"])", "corral.toml"));
  EXPECT_EQ(cfg.webhook_allowed_hosts, (std::vector<std::string>{"hooks.example.com", "[fd00::1]:8080"}));
  ASSERT_TRUE(apply_env(cfg, {{"CORRAL_WEBHOOK_ALLOWED_HOSTS", "a.example.com, b.example.com:8443"},
                              {"CORRAL_SIGNING_SECRET", "s3cret"}}));
  EXPECT_EQ(cfg.webhook_allowed_hosts, (std::vector<std::string>{"a.example.com", "b.example.com:8443"}));
  EXPECT_EQ(cfg.signing_secret, "s3cret");
}

TEST(WebhookSettings, BadValuesAreRefusedNamingThem) {
  ServerConfig cfg;
  auto bad_host = apply_flags(cfg, {{"--webhook-allowed-hosts", "ok.example.com,http://x.example.com"}});
  ASSERT_FALSE(bad_host);
  EXPECT_NE(bad_host.error().message.find("--webhook-allowed-hosts[1]"), std::string::npos) << bad_host.error().message;
  EXPECT_FALSE(apply_flags(cfg, {{"--webhook-allowed-hosts", "x.example.com:99999"}}));
  EXPECT_FALSE(apply_flags(cfg, {{"--public-url", "corral.example.com"}}));
  EXPECT_FALSE(apply_flags(cfg, {{"--webhook-timeout-s", "0"}}));
  EXPECT_FALSE(apply_flags(cfg, {{"--webhook-retry-for-s", "0.5"}}));
  EXPECT_FALSE(apply_toml(cfg, "[job_types.t]\ncallback_url = \"ftp://x\"\n", "corral.toml"));
  ASSERT_TRUE(apply_toml(cfg, "[job_types.t]\ncallback_url = \"http://127.0.0.1:9/h\"\n", "corral.toml"));
  EXPECT_EQ(cfg.job_types.at("t").callback_url, "http://127.0.0.1:9/h");
}

}  // namespace
}  // namespace corral::config
