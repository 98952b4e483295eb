// The dashboard, served by the server on its own port: GET or HEAD of any path outside the API
// (/api/...) and the probes (/livez, /readyz, /metrics) answers with an embedded file
// (web/assets.hpp), or with the app's index.html for any other path, so that a shared link to a
// view (/jobs?status=failed, /jobs/ID) opens it. A missing file under /assets/ is a 404: a page
// from an older build asking for its script must not get HTML in its place.
//
// Each reply carries its content type, an ETag (the content hash; 304 to a matching
// If-None-Match), the gzip copy made at build time when the client accepts gzip (Vary:
// Accept-Encoding), caching for good of content-hashed names and revalidation (no-cache) of
// index.html, and a Content-Security-Policy that allows scripts, styles and requests from the
// server itself only: no inline script or style runs.
#pragma once

#include "http/message.hpp"
#include "web/assets.hpp"

#include <string_view>

namespace corral::http {

// True for a path the dashboard answers when no route matched it.
bool is_dashboard_path(std::string_view path);

// The reply to a GET or HEAD of a dashboard path (the server drops the body of a HEAD).
Response serve_dashboard(Request const& req);

// The reply to a GET or HEAD of `asset`, with the caching and headers above: also for files the
// server embeds besides the dashboard's (the OpenAPI document).
Response serve_asset(Request const& req, web::Asset const& asset);

}  // namespace corral::http
