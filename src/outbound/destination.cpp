#include "outbound/destination.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace corral::outbound {
namespace {

core::Error invalid(std::string message) { return core::make_error(core::Errc::invalid_argument, std::move(message)); }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  auto const n = std::stoul(std::string(s));
  if (n == 0 || n > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(n);
}

// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address; nullopt if none of these.
std::optional<std::pair<std::string, std::optional<std::uint16_t>>> split_entry(std::string_view e) {
  if (e.empty()) return std::nullopt;
  if (e.front() == '[') {
    auto close = e.find(']');
    if (close == std::string_view::npos || close == 1) return std::nullopt;
    auto host = e.substr(1, close - 1);
    auto rest = e.substr(close + 1);
    if (rest.empty()) return std::pair{lower(host), std::optional<std::uint16_t>{}};
    if (rest.front() != ':') return std::nullopt;
    auto port = parse_port(rest.substr(1));
    if (!port) return std::nullopt;
    return std::pair{lower(host), std::optional(*port)};
  }
  if (std::count(e.begin(), e.end(), ':') > 1) return std::pair{lower(e), std::optional<std::uint16_t>{}};
  if (e.find_first_of(" /?#@[]") != std::string_view::npos) return std::nullopt;
  auto colon = e.find(':');
  if (colon == std::string_view::npos) return std::pair{lower(e), std::optional<std::uint16_t>{}};
  auto port = parse_port(e.substr(colon + 1));
  if (colon == 0 || !port) return std::nullopt;
  return std::pair{lower(e.substr(0, colon)), std::optional(*port)};
}

}  // namespace

std::string Destination::key() const {
  bool const v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

core::Result<Destination> parse_destination(std::string_view field, std::string_view url) {
  auto u = boost::urls::parse_absolute_uri(url);
  if (!u) return invalid(std::string(field) + " must be an absolute http:// or https:// URL");
  auto const scheme = lower(u->scheme());
  if (scheme != "http" && scheme != "https") {
    return invalid(std::string(field) + " must use http or https, not " + scheme);
  }
  if (u->has_userinfo()) return invalid(std::string(field) + " must not carry a user name or password");
  if (u->has_fragment()) return invalid(std::string(field) + " must not have a fragment (#...)");
  Destination d;
  d.tls = scheme == "https";
  d.host = lower(u->host_address());
  if (d.host.empty()) return invalid(std::string(field) + " must name a host");
  d.port = d.tls ? 443 : 80;
  if (u->has_port()) {
    auto port = parse_port(u->port());
    if (!port) return invalid(std::string(field) + " has an invalid port");
    d.port = *port;
  }
  d.target = std::string(u->encoded_path());
  if (d.target.empty()) d.target = "/";
  if (u->has_query()) d.target += "?" + std::string(u->encoded_query());
  return d;
}

AllowList::AllowList(std::vector<std::string> const& entries) {
  for (auto const& e : entries) {
    if (auto split = split_entry(e)) entries_.push_back(Entry{split->first, split->second});
  }
}

bool AllowList::allows(Destination const& d) const {
  return std::any_of(entries_.begin(), entries_.end(),
                     [&d](Entry const& e) { return e.host == d.host && (!e.port || *e.port == d.port); });
}

std::optional<core::Error> check_allow_entry(std::string_view field, std::string_view entry) {
  if (split_entry(entry)) return std::nullopt;
  return invalid(std::string(field) + " must be HOST or HOST:PORT (an IPv6 address in brackets with a port), not \"" +
                 std::string(entry) + "\"");
}

core::Result<Destination> allowed_destination(std::string_view field, std::string_view url, AllowList const& allow) {
  auto d = parse_destination(field, url);
  if (!d) return d.error();
  if (!allow.allows(*d)) {
    return invalid(std::string(field) + ": the host " + d->key() +
                   " is not in webhook_allowed_hosts, the destinations this server may call");
  }
  return d;
}

}  // namespace corral::outbound
