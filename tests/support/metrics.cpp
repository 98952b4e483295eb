#include "support/metrics.hpp"

#include "support/wait_until.hpp"

namespace corral::test {

double gauge(client::Client& api, std::string const& name) {
  auto const text = api.get("/metrics").body;
  auto const at = text.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
}

bool wait_for_parked(client::Client& api, int n, std::chrono::steady_clock::duration timeout) {
  return wait_until(timeout, [&] { return gauge(api, "corral_long_polls_parked") >= n; });
}

}  // namespace corral::test
