#include "core/error.hpp"

#include <stdexcept>

namespace corral::core {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::invalid_json: return "invalid_json";
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::unsupported_media_type: return "unsupported_media_type";
    case Errc::payload_too_large: return "payload_too_large";
    case Errc::not_found: return "not_found";
    case Errc::method_not_allowed: return "method_not_allowed";
    case Errc::wrong_state: return "wrong_state";
    case Errc::stale_lease: return "stale_lease";
    case Errc::run_time_exceeded: return "run_time_exceeded";
    case Errc::storage_full: return "storage_full";
    case Errc::storage_unavailable: return "storage_unavailable";
    case Errc::shutting_down: return "shutting_down";
    case Errc::too_many_connections: return "too_many_connections";
    case Errc::too_many_long_polls: return "too_many_long_polls";
    case Errc::too_many_streams: return "too_many_streams";
    case Errc::internal: return "internal";
    case Errc::unauthenticated: return "unauthenticated";
    case Errc::forbidden: return "forbidden";
    case Errc::rate_limited: return "rate_limited";
    case Errc::already_exists: return "already_exists";
  }
  return "internal";
}

bool operator==(Error const& a, Error const& b) { return a.code == b.code && a.message == b.message; }

void throw_exception_from_error(Error const& e, boost::source_location const&) {
  throw std::runtime_error(std::string(to_string(e.code)) + ": " + e.message);
}

}  // namespace corral::core
