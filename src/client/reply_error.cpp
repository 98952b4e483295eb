#include "client/reply_error.hpp"

namespace corral::client {

namespace {

constexpr std::size_t kMaxBodyChars = 200;   // of a body that is not Corral's (a proxy's page)

}  // namespace

std::string describe_error(Response const& reply) {
  auto v = reply.json();
  auto const* error = v.is_object() ? v.get_object().if_contains("error") : nullptr;
  auto const* e = error ? error->if_object() : nullptr;
  auto const* code = e ? e->if_contains("code") : nullptr;
  auto const* message = e ? e->if_contains("message") : nullptr;
  if (code && code->is_string() && message && message->is_string())
    return std::string(code->get_string()) + ": " + std::string(message->get_string());
  return "HTTP " + std::to_string(reply.status) + ": " + reply.body.substr(0, kMaxBodyChars);
}

}  // namespace corral::client
