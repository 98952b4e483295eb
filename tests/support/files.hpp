// Whole-file reads and writes for tests: logs, scripts and payloads.
#pragma once

#include <filesystem>
#include <string>

namespace corral::test {

// The file's contents; empty if it does not exist (yet).
std::string read_file(std::filesystem::path const& path);
// Replaces the file's contents; throws std::runtime_error if it cannot.
void write_file(std::filesystem::path const& path, std::string const& text);

}  // namespace corral::test
