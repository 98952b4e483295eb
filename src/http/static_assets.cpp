#include "http/static_assets.hpp"

#include "http/respond.hpp"
#include "web/assets.hpp"

#include <algorithm>
#include <cctype>

namespace corral::http {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
// No inline script or style, no plug-ins, no framing by other sites, no <base> rewriting.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Calls f(item) for each comma-separated item of a header value, trimmed.
template <class F>
void for_each_item(std::string_view list, F f) {
  while (!list.empty()) {
    auto const comma = list.find(',');
    f(trim(list.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// Accept-Encoding names gzip (or *) without q=0.
bool accepts_gzip(std::string_view accept_encoding) {
  bool yes = false;
  for_each_item(accept_encoding, [&](std::string_view item) {
    auto const semi = item.find(';');
    auto const coding = trim(item.substr(0, semi));
    if (!iequals(coding, "gzip") && coding != "*") return;
    bool refused = false;
    auto const params = semi == std::string_view::npos ? std::string_view() : item.substr(semi + 1);
    if (auto const at = params.find("q="); at != std::string_view::npos) {
      auto const q = trim(params.substr(at + 2));   // "0", "0.0", "0.000": not acceptable
      refused = !q.empty() && q.find_first_not_of("0.") == std::string_view::npos;
    }
    yes = yes || !refused;
  });
  return yes;
}

// The gzip copy is another representation, so it has its own entity tag.
std::string gzip_etag(std::string_view etag) {
  return std::string(etag.substr(0, etag.size() - 1)) + "-gzip\"";
}

// If-None-Match lists `etag` (weakly compared, as RFC 9110 says for this header) or is "*".
bool matches(std::string_view if_none_match, std::string_view etag) {
  bool found = false;
  for_each_item(if_none_match, [&](std::string_view tag) {
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    found = found || tag == "*" || tag == etag;
  });
  return found;
}

}  // namespace

bool is_dashboard_path(std::string_view path) {
  if (path == "/api" || path.starts_with("/api/")) return false;
  return path != "/livez" && path != "/readyz" && path != "/metrics";
}

Response serve_dashboard(Request const& req) {
  std::string_view const path = std::string_view(req.path).substr(1);
  auto const* asset = web::find_asset(path);
  if (asset == nullptr && path.starts_with("assets/")) {
    return respond::error(core::make_error(core::Errc::not_found, "no dashboard file " + req.path));
  }
  if (asset == nullptr) asset = web::index_page();   // a deep link: the app shows its view
  if (asset == nullptr) {
    return respond::error(core::make_error(core::Errc::not_found,
                                           "no route for " + req.path + " (this build has no dashboard)"));
  }
  return serve_asset(req, *asset);
}

Response serve_asset(Request const& req, web::Asset const& asset) {
  bool const gzip = !asset.gzip.empty() && accepts_gzip(req.accept_encoding);
  std::string const etag = gzip ? gzip_etag(asset.etag) : std::string(asset.etag);

  Response r;
  r.headers = {
      {"ETag", etag},
      {"Cache-Control", std::string(asset.immutable ? kImmutable : "no-cache")},
      {"Vary", "Accept-Encoding"},
      {"Content-Security-Policy", std::string(kContentSecurityPolicy)},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "same-origin"},
  };
  if (matches(req.if_none_match, etag)) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = asset.content_type;
  r.body = gzip ? asset.gzip : asset.body;
  if (gzip) r.headers.emplace_back("Content-Encoding", "gzip");
  return r;
}

}  // namespace corral::http
