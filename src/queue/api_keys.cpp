#include "queue/api_keys.hpp"

#include <boost/json.hpp>

namespace corral::queue {

std::string queues_to_text(std::vector<std::string> const& queues) {
  boost::json::array a;
  for (auto const& q : queues) a.emplace_back(q);
  return boost::json::serialize(a);
}

core::Result<std::vector<std::string>> queues_from_text(std::string const& text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_array()) return core::make_error(core::Errc::storage_unavailable, "an api key's queues are not a JSON array");
  std::vector<std::string> out;
  for (auto const& q : v.get_array()) {
    if (!q.is_string()) return core::make_error(core::Errc::storage_unavailable, "an api key's queue is not a string");
    out.emplace_back(q.get_string());
  }
  return out;
}

}  // namespace corral::queue
