#include "http/sqs_gate.hpp"

#include "http/authorize.hpp"
#include "logging/log_line.hpp"
#include "sqs/sigv4.hpp"

#include <algorithm>
#include <array>

namespace corral::http {
namespace {

using boost::asio::awaitable;

constexpr std::array kReadActions{std::string_view("GetQueueUrl"), std::string_view("GetQueueAttributes"),
                                  std::string_view("ListQueues"), std::string_view("ListQueueTags"),
                                  std::string_view("ListDeadLetterSourceQueues")};
constexpr std::array kWorkActions{std::string_view("ReceiveMessage"), std::string_view("DeleteMessage"),
                                  std::string_view("DeleteMessageBatch"), std::string_view("ChangeMessageVisibility"),
                                  std::string_view("ChangeMessageVisibilityBatch")};

bool one_of(auto const& list, std::string_view action) {
  return std::find(list.begin(), list.end(), action) != list.end();
}

// A change made with a key, as the API's audit lines have them (http/authorize.hpp).
void audit(auth::Principal const& who, std::string const& action, std::string_view request_id) {
  logging::Lines lines;
  lines.line(spdlog::level::info, "audit")
      .field("request_id", request_id)
      .field("key_id", who.key_id)
      .field("key_name", who.key_name)
      .field("sqs_action", action)
      .write();
}

awaitable<sqs::Outcome<sqs::Caller>> check(Authenticator& auth, std::string const& action, std::string const& queue,
                                          sqs::HttpRequest const& req) {
  if (auth.known_open()) co_return sqs::Caller{};
  auto const keys_exist = co_await auth.keys_exist();
  if (keys_exist && !*keys_exist) co_return sqs::Caller{};
  if (req.authorization.empty()) {
    // The store cannot say whether keys exist: an unsigned request is told to retry (authorize.cpp).
    if (!keys_exist) co_return sqs::from_core(keys_exist.error());
    co_return sqs::make_error(sqs::errors::kMissingAuthenticationToken,
                              "Request is missing Authentication Token: while API keys are in use, sign SQS requests "
                              "with a key's SQS credentials");
  }
  auto const signed_by = sqs::parse_authorization(req.authorization);
  if (!signed_by) {
    co_return sqs::make_error(sqs::errors::kSignatureDoesNotMatch,
                              "The Authorization header is not an AWS4-HMAC-SHA256 signature");
  }
  auto key = co_await auth.sqs_key(signed_by->access_key_id);
  if (!key) {
    switch (key.error().code) {
      case core::Errc::unauthenticated:
        co_return sqs::make_error(sqs::errors::kInvalidClientTokenId,
                                  "The security token included in the request is invalid: no live key has the access "
                                  "key id " + signed_by->access_key_id);
      case core::Errc::forbidden: co_return sqs::make_error(sqs::errors::kAccessDenied, key.error().message);
      default: co_return sqs::from_core(key.error());
    }
  }
  sqs::SignedParts parts{"POST", req.target, {req.headers.begin(), req.headers.end()}, req.body};
  if (auto why = sqs::check_signature(*signed_by, parts, key->secret, std::chrono::system_clock::now())) {
    co_return sqs::make_error(sqs::errors::kSignatureDoesNotMatch, *why);
  }
  auto const& who = key->principal;
  if (auth.take_token(who.key_id)) {
    co_return sqs::make_error(sqs::errors::kRequestThrottled, "this key sent more requests than its rate limit allows");
  }
  auto const need = sqs_need(action);
  // Reading queues is every role's: a worker needs GetQueueUrl as much as a viewer.
  if (need != auth::Need::read && !auth::allows(who.role, need)) {
    co_return sqs::make_error(sqs::errors::kAccessDenied, "a key of role " + std::string(auth::to_string(who.role)) +
                                                              " may not " + action);
  }
  // An owner's key sends as its owner and learns no other owner's counts or messages.
  if (who.owner && action != "GetQueueUrl" && need != auth::Need::enqueue) {
    co_return sqs::make_error(sqs::errors::kAccessDenied, "a key scoped to owner " + *who.owner +
                                                              " may only GetQueueUrl and send over SQS, not " + action);
  }
  if (!queue.empty() && !who.may_use_queue(queue)) {
    co_return sqs::make_error(sqs::errors::kAccessDenied, queue_forbidden(who, queue).message);
  }
  if (need != auth::Need::read) audit(who, action, req.request_id);
  co_return sqs::Caller{who.owner};
}

}  // namespace

auth::Need sqs_need(std::string_view action) {
  if (one_of(kReadActions, action)) return auth::Need::read;
  if (action == "SendMessage" || action == "SendMessageBatch") return auth::Need::enqueue;
  if (one_of(kWorkActions, action)) return auth::Need::work;
  return auth::Need::admin_all;
}

sqs::Gate make_sqs_gate(Authenticator& auth) {
  return [&auth](std::string const& action, std::string const& queue, sqs::HttpRequest const& req) {
    return check(auth, action, queue, req);
  };
}

}  // namespace corral::http
