#include "sqs/sigv4.hpp"

#include "auth/key_text.hpp"
#include "core/percent_encoding.hpp"
#include "sqs/digest.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace corral::sqs {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr auto kMaxSkew = std::chrono::minutes(15);

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string_view> split(std::string_view s, char by) {
  std::vector<std::string_view> out;
  for (;;) {
    auto const at = s.find(by);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Every service but S3 encodes each path segment once more, over the encoding it was sent with.
std::string canonical_uri(std::string_view path) {
  if (path.empty()) return "/";
  return core::percent_encode(path, true);
}

std::string canonical_query(std::string_view query) {
  if (query.empty()) return "";
  std::vector<std::pair<std::string, std::string>> params;
  for (auto pair : split(query, '&')) {
    if (pair.empty()) continue;
    auto const eq = pair.find('=');
    auto const name = percent_decode(pair.substr(0, eq));
    auto const value = eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
    params.emplace_back(core::percent_encode(name), core::percent_encode(value));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (auto const& [name, value] : params) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

// The header's values, joined by commas, each trimmed and its runs of spaces made one.
std::optional<std::string> header_value(SignedParts const& parts, std::string_view name) {
  std::optional<std::string> out;
  for (auto const& [n, v] : parts.headers) {
    if (lower(n) != name) continue;
    std::string value;
    for (char c : trim(v)) {
      if (c == ' ' && !value.empty() && value.back() == ' ') continue;
      value += c;
    }
    out = out ? *out + "," + value : value;
  }
  return out;
}

// YYYYMMDDTHHMMSSZ, as X-Amz-Date has it.
std::optional<std::chrono::system_clock::time_point> parse_amz_date(std::string_view s) {
  if (s.size() != 16 || s[8] != 'T' || s[15] != 'Z') return std::nullopt;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && !std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  }
  auto const num = [&](std::size_t at, std::size_t n) { return std::stoi(std::string(s.substr(at, n))); };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(4, 2) - 1;
  tm.tm_mday = num(6, 2);
  tm.tm_hour = num(9, 2);
  tm.tm_min = num(11, 2);
  tm.tm_sec = num(13, 2);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace

std::optional<Authorization> parse_authorization(std::string_view header) {
  if (!header.starts_with(kAlgorithm) || header.size() == kAlgorithm.size() || header[kAlgorithm.size()] != ' ') {
    return std::nullopt;
  }
  Authorization out;
  bool credential = false, signed_headers = false;
  for (auto part : split(header.substr(kAlgorithm.size() + 1), ',')) {
    part = trim(part);
    auto const eq = part.find('=');
    if (eq == std::string_view::npos) return std::nullopt;
    auto const name = part.substr(0, eq);
    auto const value = part.substr(eq + 1);
    if (name == "Credential") {
      auto const scope = split(value, '/');
      if (scope.size() != 5 || scope[4] != "aws4_request" || scope[0].empty()) return std::nullopt;
      out.access_key_id = scope[0];
      out.date = scope[1];
      out.region = scope[2];
      out.service = scope[3];
      credential = true;
    } else if (name == "SignedHeaders") {
      for (auto h : split(value, ';')) out.signed_headers.push_back(lower(h));
      signed_headers = !value.empty();
    } else if (name == "Signature") {
      out.signature = lower(value);
    }
  }
  if (!credential || !signed_headers || out.signature.size() != 64) return std::nullopt;
  return out;
}

std::optional<std::string> check_signature(Authorization const& signed_by, SignedParts const& parts, std::string_view secret,
                                           std::chrono::system_clock::time_point now) {
  auto const amz_date = header_value(parts, "x-amz-date");
  if (!amz_date) return "the request has no X-Amz-Date header";
  auto const when = parse_amz_date(*amz_date);
  if (!when || amz_date->substr(0, 8) != signed_by.date) return "X-Amz-Date is not the date of the credential scope";
  if (*when < now - kMaxSkew || *when > now + kMaxSkew) {
    return "Signature expired: " + *amz_date + " is more than 15 minutes from the server's time";
  }
  if (std::find(signed_by.signed_headers.begin(), signed_by.signed_headers.end(), "host") == signed_by.signed_headers.end()) {
    return "the signature must cover the Host header";
  }
  auto const question = parts.target.find('?');
  auto const path = parts.target.substr(0, question);
  auto const query = question == std::string_view::npos ? std::string_view{} : parts.target.substr(question + 1);

  std::string canonical(parts.method);
  canonical += '\n' + canonical_uri(path) + '\n' + canonical_query(query) + '\n';
  std::string signed_list;
  for (auto const& name : signed_by.signed_headers) {
    auto value = header_value(parts, name);
    if (!value) return "the signed header " + name + " is not in the request";
    canonical += name + ':' + *value + '\n';
    signed_list += (signed_list.empty() ? "" : ";") + name;
  }
  auto const payload = header_value(parts, "x-amz-content-sha256");
  canonical += '\n' + signed_list + '\n' + (payload ? *payload : sha256_hex(parts.body));

  auto const scope = signed_by.date + '/' + signed_by.region + '/' + signed_by.service + "/aws4_request";
  auto const to_sign = std::string(kAlgorithm) + '\n' + *amz_date + '\n' + scope + '\n' + sha256_hex(canonical);
  auto key = auth::hmac_sha256_bytes("AWS4" + std::string(secret), signed_by.date);
  key = auth::hmac_sha256_bytes(key, signed_by.region);
  key = auth::hmac_sha256_bytes(key, signed_by.service);
  key = auth::hmac_sha256_bytes(key, "aws4_request");
  if (!auth::same_digest(auth::hmac_sha256(key, to_sign), signed_by.signature)) {
    return "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
           "Access Key and signing method.";
  }
  return std::nullopt;
}

}  // namespace corral::sqs
