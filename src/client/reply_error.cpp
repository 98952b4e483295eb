#include "client/reply_error.hpp"

#include <optional>
#include <utility>

namespace corral::client {

namespace {

constexpr std::size_t kMaxBodyChars = 200;   // of a body that is not Corral's (a proxy's page)

struct ErrorBody {
  std::string code, message;
};

std::optional<ErrorBody> error_body(Response const& reply) {
  auto v = reply.json();
  auto const* error = v.is_object() ? v.get_object().if_contains("error") : nullptr;
  auto const* e = error ? error->if_object() : nullptr;
  auto const* code = e ? e->if_contains("code") : nullptr;
  auto const* message = e ? e->if_contains("message") : nullptr;
  if (code && code->is_string() && message && message->is_string())
    return ErrorBody{std::string(code->get_string()), std::string(message->get_string())};
  return std::nullopt;
}

}  // namespace

ApiError::ApiError(int status, std::string code, std::string message)
    : std::runtime_error(code + ": " + message), status_(status), code_(std::move(code)), message_(std::move(message)) {}

ApiError ApiError::of(Response const& reply) {
  if (auto body = error_body(reply)) return ApiError(reply.status, std::move(body->code), std::move(body->message));
  return ApiError(reply.status, "http_" + std::to_string(reply.status), reply.body.substr(0, kMaxBodyChars));
}

std::string describe_error(Response const& reply) {
  if (auto body = error_body(reply)) return body->code + ": " + body->message;
  return "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, kMaxBodyChars);
}

}  // namespace corral::client
