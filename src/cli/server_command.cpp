// `corral server`: loads the configuration (defaults < TOML file < CORRAL_* environment < flags),
// opens the queue backend and serves HTTP until SIGINT/SIGTERM.
#include "cli/commands.hpp"
#include "cli/server_settings.hpp"
#include "http/authenticator.hpp"
#include "http/sqs_gate.hpp"
#include "http/server.hpp"
#include "logging/job_event_lines.hpp"
#include "logging/log_setup.hpp"
#include "outbound/destination.hpp"
#include "queue/open/open_queue.hpp"
#include "push/dispatcher.hpp"
#include "schedules/configured.hpp"
#include "schedules/ticker.hpp"
#include "webhooks/dispatcher.hpp"
#include "wire/job_json.hpp"
#include "sqs/service.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>

namespace corral::cli {
namespace {

struct ServerFlags {
  std::string config_file;
  // Flag values keyed by the flag ("--threads"): they go through the same parsing and range
  // checks as CORRAL_* variables, applied after them so that flags win, and errors name the flag.
  std::map<std::string, std::string> by_flag;
};

// postgres://user:secret@host/db -> postgres://user:***@host/db, for logs.
std::string redact_password(std::string url) {
  auto scheme = url.find("://");
  auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return url;
  auto colon = url.find(':', scheme + 3);
  if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  return url;
}

logging::LogOptions log_options(config::ServerConfig const& cfg) {
  logging::LogOptions options;
  options.level = spdlog::level::from_str(cfg.log_level);
  options.format = cfg.log_format == "json" ? logging::Format::json : logging::Format::text;
  return options;
}

// TLS needs both of its files; the plain listener beside it is for this machine only, since what
// it carries (keys included) is readable on the wire. Empty when the settings hold together.
std::optional<std::string> check_tls_settings(config::ServerConfig const& cfg) {
  if (cfg.tls_cert_file.empty() != cfg.tls_key_file.empty()) {
    return "tls_cert_file and tls_key_file go together: set both to serve HTTPS, or neither";
  }
  if (!cfg.tls_cert_file.empty()) {
    if (auto problem = http::tls_files_problem(cfg.tls_cert_file, cfg.tls_key_file)) return *problem;
  }
  if (!cfg.plain_listen.empty()) {
    if (cfg.tls_cert_file.empty()) {
      return "plain_listen adds a plain HTTP listener beside HTTPS: set tls_cert_file and tls_key_file, or serve "
             "plain HTTP on listen";
    }
    if (!http::is_loopback_listen(cfg.plain_listen)) {
      return "plain_listen must be a loopback address (127.0.0.1:PORT or [::1]:PORT), got " + cfg.plain_listen +
             ": plain HTTP carries API keys readable on the wire";
    }
  }
  return std::nullopt;
}

int serve(ServerFlags const& flags) {
  auto cfg = load_server_config(flags.config_file, flags.by_flag);
  if (!cfg) {
    std::cerr << "corral server: " << cfg.error().message << "\n";
    return kExitUsage;
  }
  logging::Logging const logs(log_options(*cfg));
  if (auto refused = check_tls_settings(*cfg)) {
    std::cerr << "corral server: " << *refused << "\n";
    return kExitUsage;
  }
  // A type's default callback_url is checked now, as an enqueue's is when it is given; so is a
  // queue's push_url, by the same rule.
  outbound::AllowList const allowed(cfg->webhook_allowed_hosts);
  auto destination = [&allowed](std::string const& field, std::string const& url) {
    auto to = outbound::allowed_destination(field, url, allowed);
    if (!to) std::cerr << "corral server: " << to.error().message << "\n";
    return to;
  };
  for (auto const& [name, type] : cfg->job_types) {
    if (type.callback_url && !destination("job_types." + name + ".callback_url", *type.callback_url)) return kExitUsage;
  }
  // Outlives the queue, whose event log calls it.
  logging::JobEventLines change_lines;
  auto millis = [](double s) { return std::chrono::milliseconds(static_cast<long>(s * 1000)); };
  push::DispatcherOptions pushes;
  for (auto const& [name, q] : cfg->queues) {
    if (q.push_url && !destination("queues." + name + ".push_url", *q.push_url)) return kExitUsage;
  }
  pushes.allow = allowed;
  pushes.signing_secret = cfg->signing_secret;
  pushes.public_url = cfg->public_url;
  queue::Retention retention{{core::seconds_to_micros(cfg->retention_completed_s),
                              core::seconds_to_micros(cfg->retention_failed_s)}, {}};
  for (auto const& [name, q] : cfg->queues) {
    // A queue named for its limits only keeps the global retention (and needs no index of its own).
    if (!q.retention_completed_s && !q.retention_failed_s) continue;
    retention.queues[name] = {core::seconds_to_micros(q.retention_completed_s.value_or(cfg->retention_completed_s)),
                              core::seconds_to_micros(q.retention_failed_s.value_or(cfg->retention_failed_s))};
  }
  queue::OpenOptions shared{retention, cfg->db_pool_size,
                            millis(cfg->db_acquire_timeout_s), millis(cfg->db_statement_timeout_s), cfg->db_batches};
  // The file's limits, rate limits, aging and push delivery, over those set through the API before this start (docs/api.md).
  for (auto const& [name, q] : cfg->queues) {
    if (!q.max_running && !q.max_running_per_key && !q.push_url && !q.rate_limit && !q.priority_aging_per_s) continue;
    auto& update = shared.queue_settings[name];
    if (q.max_running) update.max_running.emplace(q.max_running);
    if (q.max_running_per_key) update.max_running_per_key.emplace(q.max_running_per_key);
    if (q.rate_limit) update.rate_limit.emplace(q.rate_limit);
    if (q.priority_aging_per_s) update.priority_aging_per_s.emplace(q.priority_aging_per_s);
    if (q.push_url) {
      update.push_url.emplace(q.push_url);
      update.push_concurrency.emplace(q.push_concurrency);
      update.push_timeout_s.emplace(q.push_timeout_s);
    }
  }
  shared.disk_reserve_bytes = cfg->disk_reserve_bytes;
  shared.wal_max_bytes = cfg->wal_max_bytes;
  // An HTTP thread may then commit its own request when the writer is idle: another one serves
  // meanwhile. With one thread, every request would wait for it, so all go through the writer.
  shared.sqlite_commit_on_caller = http::serving_threads(cfg->threads) >= 2;
  shared.event_window.max_events = cfg->event_window;
  // A webhook carries the final job as the API shows it, written when the job ends.
  shared.delivery_body = [](core::Job const& job) { return wire::to_json_text(job); };
  auto queue = queue::open_queue(cfg->db, cfg->job_types, shared);
  if (!queue) {
    spdlog::critical("cannot open {}: {}", redact_password(cfg->db), queue.error().message);
    return kExitServerError;
  }
  auto stored_keys = http::count_stored_keys(**queue);
  if (!stored_keys) {
    spdlog::critical("cannot read the API keys: {}", stored_keys.error().message);
    return kExitServerError;
  }
  bool const open = cfg->admin_key.empty() && *stored_keys == 0;
  if (open && !cfg->insecure && !http::is_loopback_listen(cfg->listen)) {
    std::cerr << "corral server: refusing to serve " << cfg->listen
              << " with no API key: anyone who reaches it could read, change and delete every job. Set admin_key "
                 "(CORRAL_ADMIN_KEY), or pass --insecure to serve it open anyway\n";
    return kExitUsage;
  }
  if (open) {
    spdlog::warn("no API keys: every request is served without one, on {} only; set admin_key to require keys",
                 http::is_loopback_listen(cfg->listen) ? "loopback" : cfg->listen + " (--insecure)");
  }
  http::Authenticator authenticator(**queue, http::AuthSettings{
      cfg->admin_key.empty() ? std::nullopt : std::optional(cfg->admin_key), cfg->metrics_open,
      core::RateLimit{cfg->key_rate_limit_per_s, cfg->key_rate_limit_burst}, cfg->auth_secret});
  std::vector<queue::Schedule> configured;
  for (auto const& [name, s] : cfg->schedules) {
    configured.push_back(queue::Schedule{.name = name, .cron = s.cron, .timezone = s.timezone, .job = s.job,
                                         .overlap = s.overlap, .catch_up = s.catch_up, .paused = s.paused});
  }
  if (auto saved = schedules::save_configured(**queue, configured); !saved) {
    spdlog::critical("{}", saved.error().message);
    return kExitUsage;
  }
  // Before any request: every change from here on is logged.
  (*queue)->events().subscribe_batch([&change_lines](auto events) { change_lines.append(events); });
  http::Context ctx{**queue, wire::JsonLimits{cfg->json_max_depth, cfg->json_max_string_bytes}, cfg->max_batch_jobs};
  ctx.stream_keepalive = millis(cfg->stream_keepalive_s);
  sqs::Service sqs(**queue, sqs::Settings{cfg->sqs_account_id, cfg->sqs_region, cfg->sqs_public_url});
  sqs.set_gate(http::make_sqs_gate(authenticator));
  ctx.sqs = &sqs;
  ctx.health = api::HealthThresholds{cfg->health_min_success_rate,     cfg->health_max_expired_leases,
                                     cfg->health_max_ready,            cfg->health_max_ready_age_s,
                                     cfg->health_no_worker_s,          cfg->health_max_commit_latency_s,
                                     cfg->health_max_connection_use,   cfg->health_max_long_poll_use};
  ctx.allowed_destinations = allowed;
  ctx.auth = &authenticator;
  webhooks::DispatcherOptions hooks;
  hooks.signing_secret = cfg->signing_secret;
  hooks.allow = allowed;
  hooks.retry.retry_for = core::seconds_to_micros(cfg->webhook_retry_for_s);
  hooks.timeout = millis(cfg->webhook_timeout_s);
  // Ended before the server: its timer and connections live on the server's io_context.
  std::optional<webhooks::Dispatcher> dispatcher(std::in_place, **queue, hooks);
  ctx.webhooks = &*dispatcher;
  // Likewise ended before the server; always there, as a queue may start pushing by API.
  std::optional<push::Dispatcher> pusher(std::in_place, **queue, std::move(pushes));
  ctx.push = &*pusher;
  // Ended before the server, as the dispatcher: its timer lives on the server's io_context.
  std::optional<schedules::Ticker> ticker(std::in_place, **queue);
  ctx.schedules = &*ticker;
  http::ServerOptions options;
  options.listen = cfg->listen;
  options.threads = cfg->threads;
  options.max_body_bytes = cfg->max_body_bytes;
  options.max_header_bytes = cfg->max_header_bytes;
  options.max_connections = cfg->max_connections;
  options.max_long_polls = cfg->max_long_polls;
  options.idle_timeout = millis(cfg->idle_timeout_s);
  options.read_timeout = millis(cfg->read_timeout_s);
  options.write_timeout = millis(cfg->write_timeout_s);
  options.max_streams = cfg->max_streams;
  options.tls_cert_file = cfg->tls_cert_file;
  options.tls_key_file = cfg->tls_key_file;
  options.plain_listen = cfg->plain_listen;
  core::Result<void> r;
  {
    http::Server server(options, ctx);
    r = server.run();
    // Commit what was acknowledged before the server's io_context (and the requests suspended
    // on it) goes away; the queue outlives them, since their frames still refer to it.
    (*queue)->close();
    dispatcher.reset();
    pusher.reset();
    ticker.reset();
  }
  queue->reset();
  if (!r) {
    spdlog::critical("{}", r.error().message);
    return kExitServerError;
  }
  spdlog::info("stopped");
  return kExitOk;
}

std::string settings_help() {
  std::string out = "\nSettings (flag > environment > config file > default):\n";
  for (auto const& s : config::setting_docs()) {
    std::string const where = s.flag.empty() && s.env.empty() ? "config file only"
                              : (s.flag.empty() ? "" : s.flag + ", ") + s.env;
    out += "  " + s.toml_key + "  (" + where + ")\n      " + s.help + "\n";
  }
  return out;
}

}  // namespace

void register_server_command(CLI::App& app) {
  auto flags = std::make_shared<ServerFlags>();
  auto* cmd = app.add_subcommand("server", "Run the Corral server");
  cmd->add_option("--config", flags->config_file, "TOML configuration file")->check(CLI::ExistingFile);
  for (auto const& setting : config::setting_docs()) {
    if (setting.flag.empty()) continue;
    if (setting.is_switch) {
      cmd->add_flag_function(
          setting.flag, [flags, flag = setting.flag](std::int64_t) { flags->by_flag[flag] = "true"; }, setting.help);
      continue;
    }
    auto* opt = cmd->add_option_function<std::string>(
        setting.flag, [flags, flag = setting.flag](std::string const& v) { flags->by_flag[flag] = v; }, setting.help);
    opt->type_name("VALUE");
  }
  cmd->footer(settings_help());
  cmd->callback([flags] {
    int const code = serve(*flags);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace corral::cli
