#include "support/promtool.hpp"

#include "support/files.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace corral::test {

std::optional<std::filesystem::path> find_promtool() {
  char const* path = std::getenv("PATH");
  std::istringstream dirs(path ? path : "/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    auto const candidate = std::filesystem::path(dir) / "promtool";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

PromtoolRun run_promtool(std::filesystem::path const& promtool, std::vector<std::string> const& args,
                         std::optional<std::string> const& input) {
  TempDir dir;
  Process::Options options;
  options.argv.push_back(promtool.string());
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  if (input) {
    options.stdin_path = dir / "stdin";
    write_file(options.stdin_path, *input);
  }
  options.stdout_path = options.stderr_path = dir / "output";
  Process process(options);
  PromtoolRun run;
  if (process.wait_for_exit(std::chrono::seconds(60))) run.exit_code = *process.exit_code();
  run.output = read_file(dir / "output");
  return run;
}

}  // namespace corral::test
