// Corral's own request and response types. Handlers and the router see only these, never Beast,
// so they compile fast and read simply; server.cpp converts at the edge.
#pragma once

#include "auth/principal.hpp"
#include "wire/request_json.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::http {

enum class Method { get, post, put, patch, del, head, options, other };

std::string_view to_string(Method m);

// Whether a request of this method may change something: any but GET, HEAD and OPTIONS.
inline bool is_change(Method m) { return m != Method::get && m != Method::head && m != Method::options; }

struct Request {
  Method method = Method::get;
  std::string path;                                // decoded path, without the query
  wire::QueryParams query;                         // decoded query parameters
  std::string body;
  std::string content_type;
  std::string upgrade;                             // the Upgrade header: a protocol to switch to
  std::string accept_encoding;                     // for the dashboard's files (http/static_assets)
  std::string if_none_match;
  std::string last_event_id;                       // the Last-Event-ID header: where a stream resumes
  std::map<std::string, std::string, std::less<>> params;  // path parameters, filled by the router
  std::string request_id;                          // what X-Request-Id of the reply says (request_log.hpp)
  std::string traceparent;                         // the W3C traceparent header, as sent
  std::string prefer;                              // the Prefer header (wire/prefer.hpp)
  std::string amz_target;                          // X-Amz-Target: an SQS action (sqs/service.hpp)
  std::string host;                                // the Host header, for SQS queue URLs
  std::string authorization;                       // the Authorization header: "Bearer KEY"
  std::string cookie;                              // the Cookie header: a dashboard session
  std::string csrf_token;                          // X-CSRF-Token: the dashboard session's, on changes
  std::string origin;                              // Origin and Sec-Fetch-Site: where a browser's
  std::string sec_fetch_site;                      // request comes from (http/cross_origin.hpp)
  bool secure = false;                             // arrived over TLS
  // For a request signed with AWS Signature Version 4 only (an SQS client's): the target as sent
  // and every header, which the signature covers.
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  // The key the request was sent with, once the router has checked it; none while no key exists.
  std::optional<auth::Principal> principal;
  // True once the client has closed its connection (checked without blocking); for long-polls.
  std::function<bool()> client_gone;

  std::string const& param(std::string_view name) const { return params.find(name)->second; }
};

// The body of a reply that streams (Server-Sent Events): the server sends the head, then each
// piece as it comes, as one chunk of a chunked reply, until next() returns none. next() runs on
// the connection's strand and may wait as long as it likes; the server bounds each write, so a
// client that does not read costs one piece, not a growing buffer.
class BodyStream {
 public:
  virtual ~BodyStream() = default;
  virtual boost::asio::awaitable<std::optional<std::string>> next() = 0;
  // True when next() ended the body without completing it (its consumer fell behind or left):
  // the connection is then closed without the last chunk, so the client sees a broken stream.
  virtual bool aborted() const { return false; }
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<BodyStream> stream;   // set: `body` is ignored and the reply streams
};

}  // namespace corral::http
