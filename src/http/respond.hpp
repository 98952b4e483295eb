// Building responses. error() holds the ONE table from error code to HTTP status.
#pragma once

#include "core/error.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

namespace corral::http::respond {

int status_of(core::Errc code);
Response json(int status, boost::json::value const& body);
Response error(core::Error const& e);
Response no_content();

}  // namespace corral::http::respond
