// The server's settings as one table: each row knows its TOML key, and from it its environment
// variable (CORRAL_ + upper case) and flag (--key-with-dashes), its kind, its check and its
// default. apply_toml, apply_env and setting_docs all read that table, so a setting added once is
// loaded from every source and documented in `corral server --help`.
#include "config/config.hpp"

#include "config/job_types.hpp"
#include "config/schedule_settings.hpp"
#include "config/queue_settings.hpp"
#include "config/toml_value.hpp"
#include "core/number_text.hpp"

#include <algorithm>
#include <functional>
#include <type_traits>

namespace corral::config {

namespace {

using Check = std::function<std::optional<core::Error>(std::string const& field, std::string const& value)>;

struct Setting {
  std::string key;
  std::string help;
  ValueKind kind;
  std::function<std::optional<core::Error>(ServerConfig&, std::string const& field, Value const&)> apply;
  std::function<std::string(ServerConfig const&)> show;   // the value, for "(default ...)"

  std::string env() const {
    std::string name = "CORRAL_" + key;
    std::transform(name.begin(), name.end(), name.begin(), [](char c) { return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c; });
    return name;
  }
  std::string flag() const {
    std::string name = "--" + key;
    std::replace(name.begin(), name.end(), '_', '-');
    return name;
  }
};

template <class T>
Setting number(std::string key, std::string help, T ServerConfig::*member, double lo, double hi) {
  constexpr bool kIntegral = std::is_integral_v<T>;
  auto apply = [member, lo, hi](ServerConfig& cfg, std::string const& field, Value const& v) -> std::optional<core::Error> {
    if constexpr (kIntegral) {
      auto n = to_integer(field, v, lo, hi);
      if (!n) return n.error();
      cfg.*member = static_cast<T>(*n);
    } else {
      auto x = to_number(field, v, lo, hi);
      if (!x) return x.error();
      cfg.*member = static_cast<T>(*x);
    }
    return std::nullopt;
  };
  auto show = [member](ServerConfig const& cfg) {
    // format_number, not a stream: 2592000 rather than 2.592e+06.
    if constexpr (kIntegral) {
      return std::to_string(cfg.*member);
    } else {
      return core::format_number(cfg.*member);
    }
  };
  return {std::move(key), std::move(help), kIntegral ? ValueKind::integer : ValueKind::number, apply, show};
}

Setting text(std::string key, std::string help, std::string ServerConfig::*member, Check check) {
  auto apply = [member, check](ServerConfig& cfg, std::string const& field, Value const& v) -> std::optional<core::Error> {
    auto s = to_text(field, v);
    if (!s) return s.error();
    if (auto err = check(field, *s)) return err;
    cfg.*member = *s;
    return std::nullopt;
  };
  return {std::move(key), std::move(help), ValueKind::text, apply, [member](ServerConfig const& cfg) { return cfg.*member; }};
}

Setting boolean(std::string key, std::string help, bool ServerConfig::*member) {
  auto apply = [member](ServerConfig& cfg, std::string const& field, Value const& v) -> std::optional<core::Error> {
    auto b = to_boolean(field, v);
    if (!b) return b.error();
    cfg.*member = *b;
    return std::nullopt;
  };
  auto show = [member](ServerConfig const& cfg) { return std::string(cfg.*member ? "true" : "false"); };
  return {std::move(key), std::move(help), ValueKind::boolean, apply, show};
}

// A list of strings: an array in TOML, comma-separated text from the environment or a flag.
Setting text_list(std::string key, std::string help, std::vector<std::string> ServerConfig::*member, Check check) {
  auto apply = [member, check](ServerConfig& cfg, std::string const& field, Value const& v) -> std::optional<core::Error> {
    std::vector<std::string> items;
    if (auto const* text = std::get_if<std::string>(&v)) {
      for (std::size_t start = 0; start <= text->size();) {
        auto comma = std::min(text->find(',', start), text->size());
        auto item = text->substr(start, comma - start);
        auto first = item.find_first_not_of(' ');
        if (first != std::string::npos) items.push_back(item.substr(first, item.find_last_not_of(' ') - first + 1));
        start = comma + 1;
      }
    } else {
      auto list = to_text_list(field, v);
      if (!list) return list.error();
      items = std::move(*list);
    }
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (auto err = check(field + "[" + std::to_string(i) + "]", items[i])) return err;
    }
    cfg.*member = std::move(items);
    return std::nullopt;
  };
  auto show = [member](ServerConfig const& cfg) {
    std::string out;
    for (auto const& item : cfg.*member) out += (out.empty() ? "" : ",") + item;
    return out.empty() ? std::string("none") : out;
  };
  return {std::move(key), std::move(help), ValueKind::text, apply, show};
}

// HOST or HOST:PORT: what webhook_allowed_hosts lists. An IPv6 address is bracketed when a port follows.
std::optional<core::Error> check_host(std::string const& field, std::string const& value) {
  bool const bracketed = value.starts_with('[');
  auto const colons = std::count(value.begin(), value.end(), ':');
  std::string host = value, port;
  if (bracketed) {
    auto close = value.find(']');
    if (close == std::string::npos) return invalid(field + " must close the bracket of its IPv6 address");
    host = value.substr(1, close - 1);
    if (close + 1 < value.size()) {
      if (value[close + 1] != ':') return invalid(field + " must be HOST or HOST:PORT, got \"" + value + "\"");
      port = value.substr(close + 2);
    }
  } else if (colons == 1) {
    host = value.substr(0, value.find(':'));
    port = value.substr(value.find(':') + 1);
  }
  bool const host_ok = !host.empty() && host.find_first_of(" /?#@[]") == std::string::npos;
  bool const port_ok = port.empty() || (port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos &&
                                        std::stoi(port) > 0 && std::stoi(port) <= 65535);
  if (host_ok && port_ok && !(bracketed && port.empty() && value.back() != ']')) return std::nullopt;
  return invalid(field + " must be HOST or HOST:PORT (port 1..65535), got \"" + value + "\"");
}

Check one_of(std::vector<std::string> choices) {
  return [choices](std::string const& field, std::string const& value) -> std::optional<core::Error> {
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) return std::nullopt;
    std::string message = field + " must be one of";
    for (auto const& c : choices) (message += ' ') += c;
    return invalid(message);
  };
}

std::optional<core::Error> any_text(std::string const&, std::string const&) { return std::nullopt; }

// HOST:PORT, the host possibly a bracketed IPv6 address.
std::optional<core::Error> check_listen(std::string const& field, std::string const& value) {
  auto colon = value.rfind(':');
  bool ok = colon != std::string::npos && colon > 0 && colon + 1 < value.size() && colon + 6 >= value.size() &&
            value.find_first_not_of("0123456789", colon + 1) == std::string::npos &&
            std::stoi(value.substr(colon + 1)) <= 65535;
  if (ok) return std::nullopt;
  return invalid(field + " must be HOST:PORT with a port 0..65535, e.g. 127.0.0.1:7878");
}

std::optional<core::Error> check_db(std::string const& field, std::string const& value) {
  bool sqlite = value.rfind("sqlite:", 0) == 0 && value.size() > 7;
  bool postgres = value.rfind("postgres://", 0) == 0 || value.rfind("postgresql://", 0) == 0;
  if (sqlite || postgres) return std::nullopt;
  return invalid(field + " must be sqlite:PATH or postgres://...");
}

std::optional<core::Error> check_account_id(std::string const& field, std::string const& value) {
  if (value.size() == 12 && value.find_first_not_of("0123456789") == std::string::npos) return std::nullopt;
  return invalid(field + " must be 12 digits");
}

std::optional<core::Error> check_region(std::string const& field, std::string const& value) {
  bool ok = !value.empty() && value.size() <= 32 && value.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string::npos;
  if (ok) return std::nullopt;
  return invalid(field + " must be a region name such as us-east-1");
}

// Empty, or the http(s) URL of the server as others reach it (webhook receivers, SQS clients).
std::optional<core::Error> check_public_url(std::string const& field, std::string const& value) {
  bool const scheme = value.rfind("http://", 0) == 0 || value.rfind("https://", 0) == 0;
  if (value.empty() || (scheme && value.find_first_of(" ?#") == std::string::npos)) return std::nullopt;
  return invalid(field + " must be empty or an http:// or https:// URL without a query");
}

std::vector<Setting> const& settings() {
  static std::vector<Setting> const kSettings = {
      text("listen", "HOST:PORT to serve on; port 0 picks a free one", &ServerConfig::listen, check_listen),
      text("db", "the database: sqlite:PATH (embedded) or postgres://USER@HOST:PORT/DB (shared by nodes)",
           &ServerConfig::db, check_db),
      number("db_pool_size", "postgres: most connections this node holds, 1..1000", &ServerConfig::db_pool_size, 1,
             1000),
      number("db_batches",
             "postgres: write transactions this node runs at once, 1..64; requests that arrive meanwhile wait "
             "and share the next one (group commit)",
             &ServerConfig::db_batches, 1, 64),
      number("db_acquire_timeout_s", "postgres: seconds to wait for a free connection before a 503, 0.01..600",
             &ServerConfig::db_acquire_timeout_s, 0.01, 600),
      number("disk_reserve_bytes",
             "sqlite: bytes kept in PATH.reserve for a full disk, 0..1073741824; when free space falls below it "
             "the reserve is released for reports on running jobs and new jobs and fetches get 503 storage_full "
             "until twice as much is free; 0 keeps no reserve",
             &ServerConfig::disk_reserve_bytes, 0, 1 << 30),
      number("wal_max_bytes",
             "sqlite: the WAL file is checkpointed and truncated once it reaches half of this, so it stays under it "
             "(plus one batch) even while readers never pause, 0..1099511627776; 0 = no bound",
             &ServerConfig::wal_max_bytes, 0, 1099511627776.0),
      number("retention_completed_s",
             "seconds a completed job is kept after it ended before the server deletes it, 0..3153600000; "
             "0 keeps completed jobs for ever",
             &ServerConfig::retention_completed_s, 0, 3153600000.0),
      number("retention_failed_s",
             "seconds a failed or cancelled job is kept after it ended before the server deletes it, 0..3153600000; "
             "0 keeps them for ever",
             &ServerConfig::retention_failed_s, 0, 3153600000.0),
      number("db_statement_timeout_s", "postgres: seconds a statement may run before it fails with a 503, 0.1..3600",
             &ServerConfig::db_statement_timeout_s, 0.1, 3600),
      number("threads", "HTTP threads, 0..1024; 0 = one per core", &ServerConfig::threads, 0, 1024),
      number("max_body_bytes", "largest request body, 1024..1073741824; larger ones get 413",
             &ServerConfig::max_body_bytes, 1024, 1 << 30),
      number("max_batch_jobs", "most jobs in one POST /jobs/batch, and completions in one POST /complete, 1..100000",
             &ServerConfig::max_batch_jobs, 1, 100000),
      number("json_max_depth", "deepest JSON nesting accepted, 1..1024; deeper bodies get 400",
             &ServerConfig::json_max_depth, 1, 1024),
      number("json_max_string_bytes",
             "longest JSON string or key accepted, 1..1073741824; longer ones get 400 invalid_argument",
             &ServerConfig::json_max_string_bytes, 1, 1 << 30),
      number("max_header_bytes", "largest request head (request line and headers), 1024..1048576; larger ones get 431",
             &ServerConfig::max_header_bytes, 1024, 1 << 20),
      number("max_connections",
             "most open HTTP connections, 1..1000000; a connection over it gets 503 too_many_connections",
             &ServerConfig::max_connections, 1, 1'000'000),
      number("max_long_polls",
             "most long-polls waiting at once (fetch with wait_s, GET ?wait), 0..1000000; one more that would wait gets "
             "503 too_many_long_polls",
             &ServerConfig::max_long_polls, 0, 1'000'000),
      number("max_streams",
             "most event streams open at once (GET /api/v1/events, GET /api/v1/jobs/{id}/events), 0..1000000; one "
             "more gets 503 too_many_streams",
             &ServerConfig::max_streams, 0, 1'000'000),
      number("stream_keepalive_s",
             "seconds an event stream may stay silent before it sends a keep-alive comment, 0.01..3600",
             &ServerConfig::stream_keepalive_s, 0.01, 3600),
      number("event_window",
             "recent events kept for event streams to resume from (Last-Event-ID), 1..10000000; an older id gets a "
             "gap message",
             &ServerConfig::event_window, 1, 10'000'000),
      number("idle_timeout_s", "seconds an idle keep-alive connection stays open, 0.1..86400",
             &ServerConfig::idle_timeout_s, 0.1, 86400),
      number("read_timeout_s",
             "seconds from a request's first byte until all of it must have arrived, 0.1..3600; slower clients are "
             "closed",
             &ServerConfig::read_timeout_s, 0.1, 3600),
      number("write_timeout_s",
             "seconds one write of a reply may take, 0.1..3600; a client that does not read is closed (an event "
             "stream so closed counts as dropped)",
             &ServerConfig::write_timeout_s, 0.1, 3600),
      number("health_min_success_rate",
             "GET /api/v1/health is degraded while fewer than this share of the jobs that ended in the last hour "
             "completed, 0..1",
             &ServerConfig::health_min_success_rate, 0, 1),
      number("health_max_expired_leases",
             "GET /api/v1/health is degraded while more leases than this expired in the last 15 minutes, 0..1000000000",
             &ServerConfig::health_max_expired_leases, 0, 1e9),
      number("health_max_ready",
             "GET /api/v1/health is degraded while a queue that is not paused has more ready jobs than this, "
             "0..1000000000000",
             &ServerConfig::health_max_ready, 0, 1e12),
      number("health_max_ready_age_s",
             "GET /api/v1/health is degraded while the oldest ready job of a queue that is not paused has waited "
             "longer than this, 0..31536000",
             &ServerConfig::health_max_ready_age_s, 0, 31536000),
      number("health_no_worker_s",
             "GET /api/v1/health is unhealthy (503) while a queue that is not paused has had ready jobs and no fetch "
             "for this many seconds, 0..31536000",
             &ServerConfig::health_no_worker_s, 0, 31536000),
      number("health_max_commit_latency_s",
             "GET /api/v1/health is degraded while the slowest commit of the last minute took longer than this, "
             "0..3600",
             &ServerConfig::health_max_commit_latency_s, 0, 3600),
      number("health_max_connection_use",
             "GET /api/v1/health is degraded while more than this share of max_connections is open, 0..1",
             &ServerConfig::health_max_connection_use, 0, 1),
      number("health_max_long_poll_use",
             "GET /api/v1/health is degraded while more than this share of max_long_polls is waiting, 0..1",
             &ServerConfig::health_max_long_poll_use, 0, 1),
      text("signing_secret",
           "the key of the HMAC-SHA256 signature (X-Corral-Signature) on every webhook; empty: webhooks go unsigned "
           "(a warning at start). Prefer the environment variable to a flag, which other users can see",
           &ServerConfig::signing_secret, [](std::string const&, std::string const&) { return std::nullopt; }),
      text_list("webhook_allowed_hosts",
                "the hosts a callback_url may name: HOST (any port) or HOST:PORT, a TOML array or comma-separated; "
                "a callback_url to any other host is refused with 400",
                &ServerConfig::webhook_allowed_hosts, check_host),
      text("public_url", "the server's http(s) URL as receivers of its requests reach it; empty: none",
           &ServerConfig::public_url, check_public_url),
      number("webhook_timeout_s", "seconds one webhook try may take, connect to the reply's end, 0.1..600",
             &ServerConfig::webhook_timeout_s, 0.1, 600),
      number("webhook_retry_for_s",
             "seconds after a job ended during which its webhook is retried, 1..2592000; then the delivery fails",
             &ServerConfig::webhook_retry_for_s, 1, 2592000),
      text("log_level", "trace|debug|info|warn|error", &ServerConfig::log_level,
           one_of({"trace", "debug", "info", "warn", "error"})),
      text("log_format", "text|json", &ServerConfig::log_format, one_of({"text", "json"})),
      text("sqs_account_id", "SQS: the 12-digit account id in queue URLs and ARNs", &ServerConfig::sqs_account_id,
           check_account_id),
      text("sqs_region", "SQS: the region in queue ARNs", &ServerConfig::sqs_region, check_region),
      text("sqs_public_url",
           "SQS: the base of queue URLs, as clients reach the server (http://HOST:PORT); empty: http:// and the "
           "request's Host header",
           &ServerConfig::sqs_public_url, check_public_url),
      text("admin_key",
           "an API key with the admin role, for automated set-ups: with it (or any stored key) every request "
           "needs a key. Prefer the environment variable to a flag, which other users can see",
           &ServerConfig::admin_key, any_text),
      text("auth_secret",
           "signs the dashboard's sessions: at least 32 characters, the same on every node sharing a PostgreSQL "
           "database; empty: a random one per process, so sessions end when it restarts. Prefer the environment "
           "variable to a flag",
           &ServerConfig::auth_secret,
           [](std::string const& field, std::string const& value) -> std::optional<core::Error> {
             if (value.empty() || value.size() >= 32) return std::nullopt;
             return core::make_error(core::Errc::invalid_argument, field + " must be at least 32 characters");
           }),
      boolean("metrics_open", "serve GET /metrics without a key even when keys exist", &ServerConfig::metrics_open),
      boolean("insecure",
              "serve an address other than loopback with no API key at all, open to anyone who reaches it",
              &ServerConfig::insecure),
      text("tls_cert_file",
           "serve HTTPS on listen with this PEM certificate (its chain after it); needs tls_key_file. SIGHUP "
           "loads both again without dropping connections",
           &ServerConfig::tls_cert_file, any_text),
      text("tls_key_file", "the PEM private key of tls_cert_file, unencrypted", &ServerConfig::tls_key_file, any_text),
      text("plain_listen",
           "with TLS, a second listener serving plain HTTP, on a loopback HOST:PORT only (local tools and probes); "
           "empty: none",
           &ServerConfig::plain_listen,
           [](std::string const& field, std::string const& value) -> std::optional<core::Error> {
             if (value.empty()) return std::nullopt;
             return check_listen(field, value);
           }),
      number("key_rate_limit_per_s",
             "requests a second each API key may send, on this node, 0..1000000; more get 429 rate_limited with "
             "Retry-After. 0: no limit",
             &ServerConfig::key_rate_limit_per_s, 0, 1'000'000),
      number("key_rate_limit_burst",
             "requests an API key may send at once before key_rate_limit_per_s holds it back, 0..1000000; 0: "
             "key_rate_limit_per_s rounded up, at least 1",
             &ServerConfig::key_rate_limit_burst, 0, 1'000'000),
  };
  return kSettings;
}

Setting const* find_setting(std::string const& key) {
  for (auto const& s : settings())
    if (s.key == key) return &s;
  return nullptr;
}

std::vector<std::string_view> top_level_keys() {
  std::vector<std::string_view> keys;
  for (auto const& s : settings()) keys.push_back(s.key);
  keys.push_back("job_types");
  keys.push_back("queues");
  keys.push_back("schedules");
  return keys;
}

std::optional<core::Error> apply_top_level(ServerConfig& cfg, std::string const& key, toml::value const& v) {
  if (key == "job_types") return apply_job_types(cfg.job_types, v);
  if (key == "queues") return apply_queues(cfg.queues, v);
  if (key == "schedules") return apply_schedules(cfg.schedules, v);
  auto const* setting = find_setting(key);
  if (!setting) return unknown_key(key, top_level_keys());
  auto value = from_toml(key, v);
  if (!value) return value.error();
  return setting->apply(cfg, key, *value);
}

}  // namespace

std::vector<SettingDoc> const& setting_docs() {
  static std::vector<SettingDoc> const kDocs = [] {
    ServerConfig const defaults;
    std::vector<SettingDoc> docs;
    for (auto const& s : settings())
      docs.push_back({s.key, s.env(), s.flag(), s.help + " (default " + s.show(defaults) + ")",
                      s.kind == ValueKind::boolean});
    for (auto& doc : job_type_docs()) docs.push_back(std::move(doc));
    for (auto& doc : queue_setting_docs()) docs.push_back(std::move(doc));
    for (auto& doc : schedule_setting_docs()) docs.push_back(std::move(doc));
    return docs;
  }();
  return kDocs;
}

core::Result<void> apply_toml(ServerConfig& cfg, std::string const& toml_text, std::string const& origin) {
  toml::value root;
  try {
    std::istringstream in(toml_text);
    root = toml::parse(in, origin);
  } catch (std::exception const& e) {
    return invalid(e.what());   // toml11's message names the file, line and column
  }
  // Applied to a copy, so that a file with an error changes nothing.
  ServerConfig next = cfg;
  for (auto const& key : sorted_keys(root.as_table())) {
    if (auto err = apply_top_level(next, key, root.as_table().at(key))) return invalid(origin + ": " + err->message);
  }
  cfg = std::move(next);
  return {};
}

namespace {

// Applies text values (from the environment or flags) over `cfg`, keyed and named by `name_of`
// each setting, so that an error names what the user typed. All or nothing.
core::Result<void> apply_text(ServerConfig& cfg, std::map<std::string, std::string> const& values,
                              std::string (Setting::*name_of)() const, bool empty_is_unset) {
  ServerConfig next = cfg;
  for (auto const& s : settings()) {
    auto name = (s.*name_of)();
    auto it = values.find(name);
    if (it == values.end() || (empty_is_unset && it->second.empty())) continue;
    auto value = parse_text(name, it->second, s.kind);
    if (!value) return value.error();
    if (auto err = s.apply(next, name, *value)) return *err;
  }
  cfg = std::move(next);
  return {};
}

}  // namespace

core::Result<void> apply_env(ServerConfig& cfg, std::map<std::string, std::string> const& env) {
  // An empty variable counts as unset, as container runtimes often pass them empty.
  return apply_text(cfg, env, &Setting::env, true);
}

core::Result<void> apply_flags(ServerConfig& cfg, std::map<std::string, std::string> const& flags) {
  return apply_text(cfg, flags, &Setting::flag, false);
}

}  // namespace corral::config
