#include "support/cli_runner.hpp"

#include "support/corral_process.hpp"
#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <signal.h>

namespace corral::test {

namespace {

constexpr auto kCommandDeadline = std::chrono::seconds(60);

}  // namespace

CliResult run_cli(std::vector<std::string> const& args, std::map<std::string, std::string> const& env,
                  std::string const& stdin_text) {
  TempDir dir;
  write_file(dir / "stdin", stdin_text);
  Process::Options options;
  options.argv = {kCorralBinary};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.env = env;
  options.stdin_path = dir / "stdin";
  options.stdout_path = dir / "stdout";
  options.stderr_path = dir / "stderr";

  CliResult result;
  {
    Process process(options);
    if (process.wait_for_exit(kCommandDeadline)) {
      result.exit_code = *process.exit_code();
    } else {
      process.signal(SIGKILL);
      process.wait_for_exit(kCommandDeadline);
    }
  }
  result.out = read_file(dir / "stdout");
  result.err = read_file(dir / "stderr");
  if (result.exit_code == -1) result.err += "\n[run_cli: killed after 60 s]";
  return result;
}

}  // namespace corral::test
