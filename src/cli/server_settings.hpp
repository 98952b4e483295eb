// The server's settings as `corral server` resolves them (defaults < TOML file < CORRAL_*
// environment < flags), shared with `corral backup`, which finds the database the same way.
#pragma once

#include "config/config.hpp"

#include <map>
#include <string>

namespace corral::cli {

// `config_file` empty: none. `flags` are keyed by flag ("--db"). Errors name the file and key,
// the variable or the flag that was wrong.
core::Result<config::ServerConfig> load_server_config(std::string const& config_file,
                                                      std::map<std::string, std::string> const& flags);

}  // namespace corral::cli
