// `corral server`: loads the configuration (defaults < TOML file < CORRAL_* environment < flags),
// opens the queue backend and serves HTTP until SIGINT/SIGTERM.
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "queue/open.hpp"

#include <spdlog/spdlog.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <fstream>
#include <iostream>
#include <sstream>

extern char** environ;

namespace corral::cli {
namespace {

struct ServerFlags {
  std::string config_file;
  std::optional<std::string> listen, db, log_level;
  std::optional<int> threads;
  std::optional<std::size_t> max_body_bytes;
};

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos && kv.starts_with("CORRAL_")) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

core::Result<config::ServerConfig> load(ServerFlags const& flags) {
  config::ServerConfig cfg;
  if (!flags.config_file.empty()) {
    std::ifstream in(flags.config_file);
    if (!in) return core::make_error(core::Errc::invalid_argument, "cannot read config file " + flags.config_file);
    std::stringstream text;
    text << in.rdbuf();
    if (auto r = config::apply_toml(cfg, text.str(), flags.config_file); !r) return r.error();
  }
  if (auto r = config::apply_env(cfg, environment()); !r) return r.error();
  if (flags.listen) cfg.listen = *flags.listen;
  if (flags.db) cfg.db = *flags.db;
  if (flags.log_level) cfg.log_level = *flags.log_level;
  if (flags.threads) cfg.threads = *flags.threads;
  if (flags.max_body_bytes) cfg.max_body_bytes = *flags.max_body_bytes;
  return cfg;
}

int serve(ServerFlags const& flags) {
  auto cfg = load(flags);
  if (!cfg) {
    std::cerr << "corral server: " << cfg.error().message << "\n";
    return kExitUsage;
  }
  spdlog::set_default_logger(spdlog::stderr_logger_mt("corral"));
  spdlog::set_level(spdlog::level::from_str(cfg->log_level));
  spdlog::set_pattern(cfg->log_format == "json"
                          ? R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","msg":"%v"})"
                          : "%Y-%m-%dT%H:%M:%S.%fZ %l %v",
                      spdlog::pattern_time_type::utc);
  auto queue = queue::open_queue(cfg->db, cfg->job_types);
  if (!queue) {
    spdlog::critical("cannot open {}: {}", cfg->db, queue.error().message);
    return kExitServerError;
  }
  http::Context ctx{**queue, wire::JsonLimits{cfg->json_max_depth, cfg->max_body_bytes}, cfg->max_batch_jobs};
  http::ServerOptions options;
  options.listen = cfg->listen;
  options.threads = cfg->threads;
  options.max_body_bytes = cfg->max_body_bytes;
  options.idle_timeout = std::chrono::milliseconds(static_cast<long>(cfg->idle_timeout_s * 1000));
  http::Server server(options, ctx);
  auto r = server.run();
  if (!r) {
    spdlog::critical("{}", r.error().message);
    return kExitServerError;
  }
  queue->reset();  // stops the writer after it commits everything acknowledged
  spdlog::info("stopped");
  return kExitOk;
}

std::string settings_help() {
  std::string out = "\nSettings (flag > environment > config file > default):\n";
  for (auto const& s : config::setting_docs()) {
    out += "  " + s.toml_key + "  (" + (s.flag.empty() ? "" : s.flag + ", ") + s.env + ")\n      " + s.help + "\n";
  }
  return out;
}

}  // namespace

void register_server_command(CLI::App& app) {
  auto flags = std::make_shared<ServerFlags>();
  auto* cmd = app.add_subcommand("server", "Run the Corral server");
  cmd->add_option("--config", flags->config_file, "TOML configuration file")->check(CLI::ExistingFile);
  cmd->add_option("--listen", flags->listen, "HOST:PORT to listen on (default 127.0.0.1:7878)");
  cmd->add_option("--db", flags->db, "database: sqlite:PATH (default sqlite:corral-data/corral.db)");
  cmd->add_option("--threads", flags->threads, "HTTP threads (default: one per core)");
  cmd->add_option("--max-body-bytes", flags->max_body_bytes, "largest request body (default 1048576)");
  cmd->add_option("--log-level", flags->log_level, "trace, debug, info, warn or error");
  cmd->footer(settings_help());
  cmd->callback([flags] {
    int const code = serve(*flags);
    if (code != kExitOk) throw CLI::RuntimeError(code);
  });
}

}  // namespace corral::cli
