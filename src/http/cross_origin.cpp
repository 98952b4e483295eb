#include "http/cross_origin.hpp"

#include "http/respond.hpp"

namespace corral::http {
namespace {

// "scheme://host[:port]" -> "host[:port]"; "null" (an opaque origin) and anything else -> empty.
std::string_view host_of_origin(std::string_view origin) {
  auto const scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos) return {};
  return origin.substr(scheme_end + 3);
}

Response refuse(std::string const& why) {
  return respond::error(core::make_error(core::Errc::forbidden, "a change sent by a browser from another site is refused (" + why + ")"));
}

}  // namespace

std::optional<Response> refuse_cross_origin(Request const& req) {
  if (!is_change(req.method)) return std::nullopt;
  if (!req.sec_fetch_site.empty()) {
    if (req.sec_fetch_site == "same-origin" || req.sec_fetch_site == "none") return std::nullopt;
    return refuse("Sec-Fetch-Site: " + req.sec_fetch_site);
  }
  if (req.origin.empty()) return std::nullopt;
  auto const host = host_of_origin(req.origin);
  if (!host.empty() && host == req.host) return std::nullopt;
  return refuse("Origin: " + req.origin + ", Host: " + req.host);
}

}  // namespace corral::http
