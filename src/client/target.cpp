#include "client/target.hpp"

#include "core/percent_encoding.hpp"

namespace corral::client {

std::string percent_encode(std::string_view text) { return core::percent_encode(text); }

std::string job_target(std::string_view id, std::string_view action) {
  std::string target = "/api/v1/jobs/" + percent_encode(id);
  if (!action.empty()) (target += '/') += action;
  return target;
}

std::string with_query(std::string path, std::vector<std::pair<std::string, std::string>> const& params) {
  char separator = '?';
  for (auto const& [name, value] : params) {
    if (value.empty()) continue;
    path += separator;
    path += percent_encode(name);
    path += '=';
    path += percent_encode(value);
    separator = '&';
  }
  return path;
}

}  // namespace corral::client
