#include "client/target.hpp"

namespace corral::client {

std::string percent_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

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
