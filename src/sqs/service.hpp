// Amazon SQS on Corral's own port: the server hands this part every POST that speaks one of SQS's
// two wire protocols, told apart from the rest of the API by the request itself:
//   - AWS JSON 1.0: an X-Amz-Target: AmazonSQS.<Action> header and a JSON body (current SDKs);
//   - query: a form body with Action=<Action>, answered in XML (older SDKs and the AWS CLI v1/v2
//     of Debian 12).
// Both decode into one JSON object of the action's parameters, in the JSON protocol's shape
// (form.hpp), are served by one handler per action (actions.hpp), and the handler's result is
// encoded back in the protocol asked in (reply.hpp).
//
// One model: an SQS message is a Corral job (message_codec.hpp); queue attributes are the
// queue's attribute record in the QueueService. While API keys exist, the gate (set by the server,
// http/sqs_gate.hpp) checks each request's Signature Version 4 and its key's role first.
//
// Runs on the server's io_context; the queue service is thread-safe, so is this.
#pragma once

#include "queue/queue_service.hpp"
#include "sqs/error.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::sqs {

struct Settings {
  std::string account_id = "000000000000";   // the account in queue URLs and ARNs
  std::string region = "us-east-1";          // the region in ARNs
  // The base of queue URLs ("https://sqs.example.com"); empty: http:// and the request's Host.
  std::string public_url;
};

// What the SQS layer reads of an HTTP request.
struct HttpRequest {
  std::string_view path;
  std::string_view content_type;
  std::string_view amz_target;   // the X-Amz-Target header
  std::string_view host;         // the Host header
  std::string_view body;
  std::string_view request_id;
  std::function<bool()> client_gone;   // may be empty
  // What a Signature Version 4 covers (sqs/sigv4.hpp): the Authorization header, the request
  // target as sent, and every header; the last two only for a request signed AWS4-HMAC-SHA256.
  std::string_view authorization;
  std::string_view target;
  std::span<std::pair<std::string, std::string> const> headers;
};

struct HttpReply {
  int status = 200;
  std::string content_type;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// True when a POST with these speaks SQS: X-Amz-Target names an AmazonSQS action, or the body is a
// form with an Action field. Cheap: the server asks it of every POST.
bool is_sqs_request(std::string_view content_type, std::string_view amz_target, std::string_view body);

// Who a request the gate let through acts as.
struct Caller {
  std::optional<std::string> owner;   // its messages are sent as this owner
};

// Whether a request may run `action` on `queue` (the queue its QueueUrl or QueueName names;
// empty for an action without one): the caller to serve it as, else the error to answer.
using Gate = std::function<boost::asio::awaitable<Outcome<Caller>>(std::string const& action, std::string const& queue,
                                                                   HttpRequest const& req)>;

class Service {
 public:
  Service(queue::QueueService& queue, Settings settings) : queue_(queue), settings_(std::move(settings)) {}
  // Set before the server serves; none: every request is served (a server without keys).
  void set_gate(Gate gate) { gate_ = std::move(gate); }
  boost::asio::awaitable<HttpReply> handle(HttpRequest const& req);

 private:
  queue::QueueService& queue_;
  Settings settings_;
  Gate gate_;
};

}  // namespace corral::sqs
