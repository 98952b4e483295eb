#include "support/pg_pair.hpp"

#include "support/corral_process.hpp"
#include "support/files.hpp"
#include "support/process.hpp"

#include <filesystem>
#include <stdexcept>

namespace corral::test {
namespace {

// Starting two clusters (initdb, base backup) takes seconds, more on busy machines.
constexpr auto kScriptDeadline = std::chrono::seconds(120);

// scripts/pg_cluster.sh of the source tree the tests were built from: the build directory lies
// inside it, so it is found by walking up from the binary under test.
std::filesystem::path cluster_script() {
  for (auto dir = std::filesystem::path(kCorralBinary).parent_path(); dir.has_relative_path(); dir = dir.parent_path()) {
    auto script = dir / "scripts" / "pg_cluster.sh";
    if (std::filesystem::exists(script)) return script;
  }
  throw std::runtime_error(std::string("scripts/pg_cluster.sh not found above ") + kCorralBinary);
}

}  // namespace

PgPair::PgPair(Replication replication) {
  run({"start-pair", replication == Replication::synchronous ? "sync" : "async"});
}

PgPair::~PgPair() {
  try {
    run({"stop-pair"});
  } catch (std::exception const&) {
    // Nothing more to do: the directory goes, and a server left running has no data to serve.
  }
}

std::string PgPair::url(std::string const& db) const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port("primary")) + ",127.0.0.1:" +
         std::to_string(port("standby")) + "/" + db + "?target_session_attrs=read-write";
}

std::string PgPair::primary_url() const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port("primary")) + "/postgres";
}

std::string PgPair::standby_url() const {
  return "postgres://postgres@127.0.0.1:" + std::to_string(port("standby")) + "/postgres";
}

void PgPair::kill_primary() { run({"kill-primary"}); }
void PgPair::promote() { run({"promote"}); }
void PgPair::pause_wal_sender() { run({"pause-wal-sender"}); }

void PgPair::run(std::vector<std::string> const& args) const {
  auto const log = dir_ / ("pg_cluster-" + args.front() + ".log");
  Process::Options options;
  options.argv = {"/bin/bash", cluster_script().string(), args.front(), dir_.path().string()};
  options.argv.insert(options.argv.end(), args.begin() + 1, args.end());
  options.stdout_path = options.stderr_path = log;
  Process script(options);
  if (!script.wait_for_exit(kScriptDeadline) || script.exit_code() != 0) {
    throw std::runtime_error("pg_cluster.sh " + args.front() + " failed: " + read_file(log));
  }
}

int PgPair::port(char const* instance) const { return std::stoi(read_file(dir_ / instance / "port")); }

}  // namespace corral::test
