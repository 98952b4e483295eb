// The error a reply carries, as one line for a log: "CODE: MESSAGE" from Corral's error body
// {"error": {"code", "message"}}, or "HTTP STATUS: BODY" when the body is something else.
#pragma once

#include "client/client.hpp"

#include <string>

namespace corral::client {

std::string describe_error(Response const& reply);

}  // namespace corral::client
