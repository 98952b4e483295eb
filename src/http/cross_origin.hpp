// Refuses a change a browser was made to send from another site (cross-site request forgery).
//
// A page elsewhere can make the browser of someone signed in to the dashboard, or of someone who
// can reach an open server on loopback, send a form or a fetch to Corral; the browser says where
// the request came from, and that is checked before anything else, for every route. A change
// (any method but GET, HEAD and OPTIONS) is refused with 403 forbidden when:
//   - Sec-Fetch-Site (sent by every current browser) is neither same-origin nor none (typed,
//     bookmarked), or else
//   - Origin names another host than the request's Host.
// Requests with neither header are not from a browser (curl, the clients, the SDKs): served.
// The same rules as Go's net/http CrossOriginProtection. The dashboard's session cookie is also
// SameSite=Strict and its changes need the X-CSRF-Token header (http/authorize.hpp): this check
// keeps an open server safe too, which has no cookie to withhold.
#pragma once

#include "http/message.hpp"

#include <optional>

namespace corral::http {

std::optional<Response> refuse_cross_origin(Request const& req);

}  // namespace corral::http
