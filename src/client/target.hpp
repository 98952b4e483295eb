// Building request targets: path segments and query strings, percent-encoded, so that opaque ids
// and user-given filter values reach the server unchanged.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::client {

// RFC 3986 unreserved characters pass; every other byte becomes %XX.
std::string percent_encode(std::string_view text);

// "/api/v1/jobs/" + percent_encode(id)
std::string job_target(std::string_view id, std::string_view action = "");

// path?name=value&... with both encoded; parameters with empty values are left out.
std::string with_query(std::string path, std::vector<std::pair<std::string, std::string>> const& params);

}  // namespace corral::client
