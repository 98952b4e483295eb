#include "support/corral_process.hpp"

#include "support/files.hpp"
#include "support/postgres_db.hpp"
#include "support/response_log.hpp"
#include "support/wait_until.hpp"

#include <signal.h>

#include <cstdlib>
#include <stdexcept>
#include <string_view>

namespace corral::test {

namespace {

// Generous: a first start creates the database, and sanitizer builds run several times slower.
constexpr auto kStartDeadline = std::chrono::seconds(30);

}  // namespace

std::optional<int> parse_listening_port(std::string const& log) {
  constexpr std::string_view kMarker = "listening on ";
  auto at = log.find(kMarker);
  if (at == std::string::npos) return std::nullopt;
  // HOST:PORT ends at a space, a quote (JSON logs) or the end of the line.
  auto begin = at + kMarker.size();
  auto end = log.find_first_of(" \t\r\n\"',", begin);
  std::string address = log.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon + 1 == address.size()) return std::nullopt;
  auto port_text = address.substr(colon + 1);
  if (port_text.find_first_not_of("0123456789") != std::string::npos || port_text.size() > 5) return std::nullopt;
  return std::stoi(port_text);
}

CorralProcess::CorralProcess() : owned_dir_(std::make_unique<TempDir>()), dir_(owned_dir_->path()) {}

CorralProcess::CorralProcess(std::filesystem::path data_dir) : dir_(std::move(data_dir)) {}

CorralProcess::~CorralProcess() {
  // The Process destructor SIGKILLs and reaps; done here so it happens before the directory goes.
  process_.reset();
}

void CorralProcess::start(std::vector<std::string> const& extra_args, int port,
                          std::map<std::string, std::string> const& env) {
  if (process_ && process_->running()) throw std::logic_error("CorralProcess::start: already running");
  record_replies_if_asked();
  log_path_ = dir_ / ("server-" + std::to_string(++runs_) + ".log");
  Process::Options options;
  options.argv = {kCorralBinary, "server", "--listen", "127.0.0.1:" + std::to_string(port),
                  "--db", db_url()};
  options.argv.insert(options.argv.end(), extra_args.begin(), extra_args.end());
  options.env = env;
  options.stdout_path = options.stderr_path = log_path_;
  process_ = std::make_unique<Process>(options);

  std::optional<int> listening;
  bool ready = wait_until(kStartDeadline, [&] {
    listening = parse_listening_port(read_file(log_path_));
    return listening.has_value() || !process_->running();
  });
  if (!ready || !listening) {
    auto reason = process_->running() ? "did not log 'listening on' in time" : "exited before listening";
    process_->signal(SIGKILL);
    process_->wait_for_exit(kStartDeadline);
    throw std::runtime_error(std::string("corral server ") + reason + "; its log:\n" + log());
  }
  port_ = *listening;
}

bool serves_from_postgres() {
  char const* backend = std::getenv("CORRAL_TEST_BACKEND");
  return backend && std::string_view(backend) == "postgres";
}

std::string CorralProcess::db_url() const {
  if (db_url_) return *db_url_;
  if (serves_from_postgres()) {
    // One database per data directory, so a restart on the same directory finds its jobs.
    return pg_ensure_database("corral_srv_" + std::to_string(std::hash<std::string>{}(dir_.string()) % 1000000000000ULL));
  }
  return "sqlite:" + db_path().string();
}

bool CorralProcess::stop(std::chrono::steady_clock::duration deadline) {
  if (!process_) return true;
  process_->signal(SIGTERM);
  if (process_->wait_for_exit(deadline)) return true;
  kill();
  return false;
}

void CorralProcess::kill() {
  if (!process_) return;
  process_->signal(SIGKILL);
  process_->wait_for_exit(kStartDeadline);
}

bool CorralProcess::running() { return process_ && process_->running(); }

std::optional<int> CorralProcess::exit_code() { return process_ ? process_->exit_code() : std::nullopt; }

pid_t CorralProcess::pid() const { return process_ ? process_->pid() : -1; }

std::string CorralProcess::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

client::Client CorralProcess::client() const { return client::Client(url()); }

std::string CorralProcess::log() const { return read_file(log_path_); }

}  // namespace corral::test
