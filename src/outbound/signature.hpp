// The signature every outbound request carries, so a receiver can tell that Corral sent the body
// and when: X-Corral-Signature: t=UNIX_SECONDS,v1=HEX, HEX the HMAC-SHA256 keyed by the
// signing_secret setting of "UNIX_SECONDS.BODY". The time inside the signed text lets a receiver
// refuse a replayed request that is too old (docs/workers.md shows the check).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace corral::outbound {

inline constexpr std::string_view kSignatureHeader = "X-Corral-Signature";
inline constexpr std::string_view kDeliveryHeader = "X-Corral-Delivery";

// Lower-case hex HMAC-SHA256 of `message` keyed by `key`.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// The header's value for `body` sent at `unix_s`.
std::string signature(std::string_view secret, std::int64_t unix_s, std::string_view body);

}  // namespace corral::outbound
