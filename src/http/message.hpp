// Corral's own request and response types. Handlers and the router see only these, never Beast,
// so they compile fast and read simply; server.cpp converts at the edge.
#pragma once

#include "wire/request_json.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::http {

enum class Method { get, post, put, patch, del, head, options, other };

std::string_view to_string(Method m);

struct Request {
  Method method = Method::get;
  std::string path;                                // decoded path, without the query
  wire::QueryParams query;                         // decoded query parameters
  std::string body;
  std::string content_type;
  std::string upgrade;                             // the Upgrade header: a protocol to switch to
  std::string accept_encoding;                     // for the dashboard's files (http/static_assets)
  std::string if_none_match;
  std::map<std::string, std::string, std::less<>> params;  // path parameters, filled by the router
  std::string request_id;                          // what X-Request-Id of the reply says (request_log.hpp)
  std::string traceparent;                         // the W3C traceparent header, as sent
  // True once the client has closed its connection (checked without blocking); for long-polls.
  std::function<bool()> client_gone;

  std::string const& param(std::string_view name) const { return params.find(name)->second; }
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace corral::http
