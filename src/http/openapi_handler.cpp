// GET /api/v1/openapi.json: the embedded OpenAPI document, served as the dashboard's files are
// (ETag, 304 to a matching If-None-Match, revalidated rather than cached for good), since a
// client or code generator that fetches it again should get the new one after an upgrade.
#include "http/handlers.hpp"

#include "http/openapi.hpp"
#include "http/static_assets.hpp"

namespace corral::http::meta {

boost::asio::awaitable<Response> openapi(Request& req, Context&) {
  static web::Asset const kDocument{"api/v1/openapi.json", "application/json", openapi_document_etag(),
                                    openapi_document(), {}, false};
  co_return serve_asset(req, kDocument);
}

}  // namespace corral::http::meta
