// Server configuration: built-in defaults < TOML file < CORRAL_* environment < command-line flags.
#pragma once

#include "core/enqueue_spec.hpp"
#include "core/error.hpp"
#include "core/queue_flow.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace corral::config {

// [queues.NAME]: a queue's own settings; an unset one follows the server-wide setting.
struct QueueSettings {
  std::optional<double> retention_completed_s;
  std::optional<double> retention_failed_s;
  // Push delivery: the server POSTs each job of the queue to push_url (its host on the allow-list
  // of webhook_allowed_hosts), at most push_concurrency at once, each POST within push_timeout_s.
  std::optional<std::string> push_url;
  int push_concurrency = 8;
  double push_timeout_s = 30;
  // Concurrency limits, written to the queue at start (PATCH /api/v1/queues/NAME changes them
  // until the next start).
  std::optional<int> max_running;
  std::optional<int> max_running_per_key;
  // Rate limit and priority aging (core/queue_flow.hpp), written to the queue at start as the
  // limits are.
  std::optional<core::QueueRateLimit> rate_limit;
  std::optional<double> priority_aging_per_s;
  bool operator==(QueueSettings const&) const = default;
};
using QueueTable = std::map<std::string, QueueSettings, std::less<>>;

// [schedules.NAME]: a recurring schedule the server creates or updates at start (the API's
// fields; the job as the enqueue body's JSON text).
struct ScheduleSettings {
  std::string cron;
  std::string timezone = "UTC";
  std::string job;
  std::string overlap = "allow";
  std::string catch_up = "none";
  bool paused = false;
  bool operator==(ScheduleSettings const&) const = default;
};
using ScheduleTable = std::map<std::string, ScheduleSettings, std::less<>>;

struct ServerConfig {
  std::string listen = "127.0.0.1:7878";          // HOST:PORT; port 0 picks a free one
  std::string db = "sqlite:corral-data/corral.db"; // sqlite:PATH or postgres://USER@HOST:PORT/DB
  int db_pool_size = 10;                           // postgres: connections this node may hold
  int db_batches = 1;                              // postgres: write transactions this node runs at once
  double db_acquire_timeout_s = 5;                 // postgres: wait for a free connection, then 503
  double db_statement_timeout_s = 30;              // postgres: a statement running longer fails (503)
  std::size_t disk_reserve_bytes = 4u << 20;      // sqlite: room kept for reports on a full disk; 0 = none
  std::size_t wal_max_bytes = 64u << 20;          // sqlite: the WAL is truncated before it passes this; 0 = no bound
  double retention_completed_s = 7 * 86400;        // completed jobs are deleted this long after they end; 0 = never
  double retention_failed_s = 30 * 86400;          // failed and cancelled ones, likewise
  int threads = 0;                                 // HTTP threads; 0 = one per core
  std::size_t max_body_bytes = 1 << 20;            // larger bodies get 413
  std::size_t max_batch_jobs = 1000;               // POST /jobs/batch and POST /complete limit
  std::size_t json_max_depth = 64;                 // deeper bodies get 400 invalid_json
  std::size_t json_max_string_bytes = 1 << 20;     // longer strings (and keys) get 400 invalid_argument
  std::size_t max_header_bytes = 16 * 1024;        // larger request heads get 431
  std::size_t max_connections = 10'000;            // more get 503 too_many_connections
  std::size_t max_long_polls = 10'000;             // more waiting get 503 too_many_long_polls
  std::size_t max_streams = 1'000;                 // more open event streams get 503 too_many_streams
  double stream_keepalive_s = 15;                  // an idle event stream sends a comment this often
  std::size_t event_window = 10'000;               // recent events kept for streams to resume from
  double idle_timeout_s = 60;                      // keep-alive connections idle longer are closed
  double read_timeout_s = 30;                      // a request must arrive within this of its first byte
  double write_timeout_s = 30;                     // one write of a reply must finish within this
  // GET /api/v1/health thresholds (api::HealthThresholds holds what each means).
  double health_min_success_rate = 0.9;            // over the last hour; below: degraded
  std::int64_t health_max_expired_leases = 10;     // in the last 15 minutes; more: degraded
  std::int64_t health_max_ready = 10'000;          // ready jobs in a queue; more: degraded
  double health_max_ready_age_s = 600;             // the oldest ready job of a queue; older: degraded
  double health_no_worker_s = 60;                  // ready work no worker fetched for this long: unhealthy
  double health_max_commit_latency_s = 1;          // the slowest commit of the last minute; slower: degraded
  double health_max_connection_use = 0.9;          // open connections / max_connections; more: degraded
  double health_max_long_poll_use = 0.9;           // waiting long-polls / max_long_polls; more: degraded
  // Outbound requests (completion webhooks).
  std::string signing_secret;                      // HMAC key of X-Corral-Signature; empty: unsigned
  std::vector<std::string> webhook_allowed_hosts = {"127.0.0.1", "::1", "localhost"};   // HOST or HOST:PORT
  std::string public_url;                          // the server's URL as receivers reach it; empty: none
  double webhook_timeout_s = 10;                   // one try, connect to the reply's last byte
  double webhook_retry_for_s = 86400;              // a delivery is retried this long after the job ended
  std::string log_level = "info";                  // trace|debug|info|warn|error
  std::string log_format = "text";                 // text|json
  std::string sqs_account_id = "000000000000";     // the account in SQS queue URLs and ARNs
  std::string sqs_region = "us-east-1";            // the region in SQS queue ARNs
  std::string sqs_public_url;                      // base of SQS queue URLs; empty: the request's Host
  // API keys (docs/security.md).
  std::string admin_key;                           // a first admin key; empty: none
  bool metrics_open = false;                       // /metrics without a key
  std::string auth_secret;                      // signs dashboard sessions; empty: random per process
  bool insecure = false;                           // serve a non-loopback address without any key
  // TLS (docs/security.md): HTTPS on listen when both files are set; reloaded on SIGHUP.
  std::string tls_cert_file;                       // PEM: the certificate, then its chain
  std::string tls_key_file;                        // PEM: its private key, unencrypted
  std::string plain_listen;                        // loopback HOST:PORT for plain HTTP beside HTTPS
  double key_rate_limit_per_s = 0;                 // requests a second each key may send; 0 = no limit
  std::int64_t key_rate_limit_burst = 0;           // requests a key may send at once; 0 = per_s, at least 1
  core::JobTypeTable job_types;                    // [job_types.NAME]
  QueueTable queues;                               // [queues.NAME]
  ScheduleTable schedules;                         // [schedules.NAME]
};

// Every setting: its TOML key, environment variable, flag and meaning, for --help and docs.
struct SettingDoc {
  std::string toml_key, env, flag, help;
  bool is_switch = false;   // true or false: its flag takes no value (--insecure)
};
std::vector<SettingDoc> const& setting_docs();

// Applies a TOML document (text) over `cfg`. invalid_argument naming the file and the key on a
// bad value.
core::Result<void> apply_toml(ServerConfig& cfg, std::string const& toml_text, std::string const& origin);
// Applies CORRAL_* variables from `env` (name -> value) over `cfg`; an error names the variable.
core::Result<void> apply_env(ServerConfig& cfg, std::map<std::string, std::string> const& env);
// Applies command-line values keyed by their flag ("--max-body-bytes" -> "2048") over `cfg`; an
// error names the flag. Flags are text, parsed and checked as the environment's values are.
core::Result<void> apply_flags(ServerConfig& cfg, std::map<std::string, std::string> const& flags);

}  // namespace corral::config
