// An ApiTest whose server starts with a config file: the fixture of tests of settings that only
// a file can hold ([job_types.NAME], [queues.NAME]).
#pragma once

#include "http/api_helpers.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace corral::test {

class ConfiguredApiTest : public ApiTest {
 protected:
  // The file's TOML text.
  virtual std::string config_toml() const = 0;

  std::vector<std::string> server_args() const override {
    auto const path = config_dir_.path() / "corral.toml";
    write_file(path, config_toml());
    return {"--config", path.string()};
  }

 private:
  TempDir config_dir_;
};

}  // namespace corral::test
