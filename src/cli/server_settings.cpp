#include "cli/server_settings.hpp"

#include <fstream>
#include <sstream>
#include <string_view>

extern char** environ;

namespace corral::cli {
namespace {

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos && kv.starts_with("CORRAL_")) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return env;
}

}  // namespace

core::Result<config::ServerConfig> load_server_config(std::string const& config_file,
                                                      std::map<std::string, std::string> const& flags) {
  config::ServerConfig cfg;
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in) return core::make_error(core::Errc::invalid_argument, "cannot read config file " + config_file);
    std::stringstream text;
    text << in.rdbuf();
    if (auto r = config::apply_toml(cfg, text.str(), config_file); !r) return r.error();
  }
  if (auto r = config::apply_env(cfg, environment()); !r) return r.error();
  if (auto r = config::apply_flags(cfg, flags); !r) return r.error();
  return cfg;
}

}  // namespace corral::cli
