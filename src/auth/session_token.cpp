#include "auth/session_token.hpp"

#include "auth/key_text.hpp"

#include <cctype>
#include <charconv>
#include <vector>

namespace corral::auth {
namespace {

constexpr std::string_view kVersion = "v1";

// What the MAC covers: every claim, and the key's digest, which the token does not carry.
std::string signed_text(SessionClaims const& c, std::string_view key_digest) {
  std::string text(kVersion);
  text += '.';
  text += c.key_id;
  text += '.';
  text += std::to_string(c.expires_unix);
  text += '.';
  text += c.csrf;
  text += '.';
  text += key_digest;
  return text;
}

// Ids and CSRF tokens are letters, digits and '_': a '.' or anything else is no token of ours.
bool is_plain(std::string_view part) {
  if (part.empty() || part.size() > 128) return false;
  for (char c : part) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

}  // namespace

std::string sign_session(std::string_view secret, SessionClaims const& claims, std::string_view key_digest) {
  auto mac = hmac_sha256(secret, signed_text(claims, key_digest));
  return std::string(kVersion) + '.' + claims.key_id + '.' + std::to_string(claims.expires_unix) + '.' +
         claims.csrf + '.' + mac;
}

std::optional<SignedSession> read_session(std::string_view token) {
  std::vector<std::string_view> parts;
  while (parts.size() < 6) {
    auto const dot = token.find('.');
    parts.push_back(token.substr(0, dot));
    if (dot == std::string_view::npos) break;
    token.remove_prefix(dot + 1);
  }
  if (parts.size() != 5 || parts[0] != kVersion) return std::nullopt;
  for (auto part : parts) {
    if (!is_plain(part)) return std::nullopt;
  }
  SignedSession out;
  auto const expires = parts[2];
  auto [end, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), out.claims.expires_unix);
  if (ec != std::errc{} || end != expires.data() + expires.size()) return std::nullopt;
  out.claims.key_id = parts[1];
  out.claims.csrf = parts[3];
  out.mac = parts[4];
  return out;
}

bool session_signed_by(SignedSession const& session, std::string_view secret, std::string_view key_digest) {
  return same_digest(hmac_sha256(secret, signed_text(session.claims, key_digest)), session.mac);
}

std::string_view cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto const semicolon = header.find(';');
    auto pair = header.substr(0, semicolon);
    header = semicolon == std::string_view::npos ? std::string_view{} : header.substr(semicolon + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto const eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
  }
  return {};
}

}  // namespace corral::auth
