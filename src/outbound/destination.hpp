// Where an outbound request may go: an http(s) URL parsed into its parts, and the allow-list of
// destination hosts (the webhook_allowed_hosts setting) that keeps a producer from making the
// server call any address it likes. A URL is checked when it is given (at enqueue, at start for a
// job type's default), so a refused destination is a 400 to the one who named it, never a
// delivery that fails later.
#pragma once

#include "core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::outbound {

struct Destination {
  bool tls = false;          // https
  std::string host;          // lower case; an IPv6 address without brackets
  std::uint16_t port = 80;
  std::string target;        // path and query, at least "/"
  // "host:port" ("[v6]:port"): what connections are pooled and limited by.
  std::string key() const;
  bool operator==(Destination const&) const = default;
};

// An absolute http:// or https:// URL with a host, without user info or fragment;
// invalid_argument naming `field` otherwise.
core::Result<Destination> parse_destination(std::string_view field, std::string_view url);

// Entries are "host" (any port) or "host:port"; an IPv6 address in brackets ("[::1]:8080") or
// bare ("::1"). Host names match exactly, ignoring case: no wildcards, and a name is not
// resolved to compare it with an address.
class AllowList {
 public:
  // The default: loopback only.
  AllowList() : AllowList(loopback()) {}
  explicit AllowList(std::vector<std::string> const& entries);
  static std::vector<std::string> loopback() { return {"127.0.0.1", "::1", "localhost"}; }
  bool allows(Destination const& d) const;

 private:
  struct Entry {
    std::string host;
    std::optional<std::uint16_t> port;
  };
  std::vector<Entry> entries_;
};

// invalid_argument if an entry is not a host or host:port ("webhook_allowed_hosts[1] ...").
std::optional<core::Error> check_allow_entry(std::string_view field, std::string_view entry);

// The destination of `url` if it parses and the allow-list allows it; else invalid_argument
// naming `field` and, when it is the reason, the host and the setting that would allow it.
core::Result<Destination> allowed_destination(std::string_view field, std::string_view url, AllowList const& allow);

}  // namespace corral::outbound
