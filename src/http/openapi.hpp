// The OpenAPI 3.1 description of the HTTP API (docs/openapi.json), embedded in the binary at build
// time by cmake/embed_file.cmake and served as it is at GET /api/v1/openapi.json. Tests hold the
// router's routes and the replies the server gives to it, so the two cannot drift apart.
#pragma once

#include <string_view>

namespace corral::http {

// The document's bytes, exactly as docs/openapi.json holds them.
std::string_view openapi_document();
// Its content hash, quoted, for the reply's ETag: "\"5d41402abc4b2a76\"".
std::string_view openapi_document_etag();

}  // namespace corral::http
