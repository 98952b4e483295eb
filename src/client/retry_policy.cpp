#include "client/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>

namespace corral::client {

bool is_transient(Response const& reply) {
  return reply.status == 429 || (reply.status >= 500 && reply.status <= 599);
}

std::optional<double> retry_after_s(Response const& reply) {
  auto const it = reply.headers.find("retry-after");
  if (it == reply.headers.end()) return std::nullopt;
  // delay-seconds is digits only; the HTTP-date form is not worth a date parser here: the
  // backoff alone is a fine wait.
  std::string_view const text = it->second;
  unsigned long seconds = 0;
  auto const [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return static_cast<double>(seconds);
}

std::chrono::duration<double> retry_delay(core::Backoff const& policy, int failures,
                                          std::optional<double> retry_after_s, double unit_random) {
  double seconds = std::chrono::duration<double>(core::delay_for(policy, failures, unit_random)).count();
  if (retry_after_s) seconds = std::max(seconds, std::min(*retry_after_s, policy.max_s));
  return std::chrono::duration<double>(seconds);
}

RetryBackoff::RetryBackoff(core::Backoff policy, std::uint32_t seed) : policy_(policy), random_(seed) {}

std::chrono::duration<double> RetryBackoff::next(Response const* reply) {
  ++failures_;
  double const unit_random = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  return retry_delay(policy_, failures_, reply ? retry_after_s(*reply) : std::nullopt, unit_random);
}

}  // namespace corral::client
