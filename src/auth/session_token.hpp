// The dashboard's session: an API key exchanged, once, for a signed token the browser keeps in an
// HttpOnly cookie (docs/security.md, "Dashboard sign-in").
//
// The token is "v1.KEY_ID.EXPIRES.CSRF.MAC": the key's id (never the key), when the session ends
// (Unix seconds), the CSRF token the dashboard must echo in X-CSRF-Token on every change, and an
// HMAC-SHA256 of the rest under the server's session secret and the key's stored digest. So:
// - nothing is stored per session, and every node that shares the secret accepts the token;
// - a token cannot be made or altered without the secret, nor be moved to another key;
// - revoking the key ends its sessions, since the key must still be live when the token is used.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace corral::auth {

inline constexpr std::string_view kSessionCookie = "corral_session";

struct SessionClaims {
  std::string key_id;
  std::int64_t expires_unix = 0;
  std::string csrf;
};

// The token of `claims`, signed under `secret` for the key whose digest is `key_digest`.
std::string sign_session(std::string_view secret, SessionClaims const& claims, std::string_view key_digest);

// The claims of a well-formed token and the MAC it carries; none for anything else.
struct SignedSession {
  SessionClaims claims;
  std::string mac;
};
std::optional<SignedSession> read_session(std::string_view token);

// Whether `session` was signed under `secret` for the key of `key_digest` (constant time).
bool session_signed_by(SignedSession const& session, std::string_view secret, std::string_view key_digest);

// The value of cookie `name` in a Cookie header ("a=1; b=2"), or empty.
std::string_view cookie_value(std::string_view header, std::string_view name);

}  // namespace corral::auth
