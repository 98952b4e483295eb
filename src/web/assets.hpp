// The dashboard's files (web/dist: index.html and the content-hashed assets/), embedded in the
// binary at build time by cmake/embed_web.cmake, each with what serving it needs: its content
// type, an ETag (its content hash) and a gzip copy made at build time. Read-only data, so
// thread-safe. A build configured with -DCORRAL_DASHBOARD=OFF embeds none.
#pragma once

#include <span>
#include <string_view>

namespace corral::web {

struct Asset {
  std::string_view path;           // "index.html", "assets/main-3F9C2A1B.js": relative to the site's root
  std::string_view content_type;   // "text/javascript; charset=utf-8"
  std::string_view etag;           // the content hash, quoted: "\"5d41402abc4b2a76\""
  std::string_view body;
  std::string_view gzip;           // the body gzipped at build time; empty if there is none
  bool immutable;                  // the name carries the content hash: cache it for good
};

std::span<Asset const> assets();

// The asset at `path` ("assets/main-X.js", no leading slash), or null.
Asset const* find_asset(std::string_view path);

// index.html, the app's page for every deep link; null in a build without the dashboard.
Asset const* index_page();

}  // namespace corral::web
