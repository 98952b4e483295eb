// Stable error codes and the Result type every fallible Corral operation returns.
//
// The enumerators equal the wire codes clients see in {"error": {"code": ...}}; docs/api.md lists
// each with its HTTP status. The one table from code to status lives in http/respond.cpp.
// Expected failures travel as values (Result); exceptions are reserved for bugs.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace corral::core {

enum class Errc {
  invalid_json,            // 400: the body is not JSON
  invalid_argument,        // 400: a field is missing, of the wrong type, or out of range
  unsupported_media_type,  // 415: a body that is not application/json
  payload_too_large,       // 413: body over the configured limit
  not_found,               // 404: no such job, or no such route
  method_not_allowed,      // 405: known route, other method
  wrong_state,             // 409: the job's state does not allow the operation
  stale_lease,             // 409: the lease token is not the job's live lease
  run_time_exceeded,       // 409: the attempt ran past max_run_s; it has been failed as timed_out
  already_exists,          // 409: the name is taken (a batch made by another request)
  storage_full,            // 503: the disk is full; nothing was written
  storage_unavailable,     // 503: the database failed; nothing was written
  shutting_down,           // 503: the server is stopping
  // Connection and request limits of the HTTP server.
  too_many_connections,    // 503: max_connections are open; this connection is closed after the reply
  too_many_long_polls,     // 503: max_long_polls are waiting; retry after Retry-After seconds
  too_many_streams,        // 503: max_streams event streams are open; retry after Retry-After seconds
  internal,                // 500: a bug; details are in the log, with the request id
  // API keys (docs/security.md).
  unauthenticated,         // 401: no key, or a key that is unknown or revoked
  forbidden,               // 403: the key's role or scope does not allow the request
  rate_limited,            // 429: the key sent more requests than its rate limit; retry after Retry-After seconds
};

std::string_view to_string(Errc code);

struct Error {
  Errc code;
  std::string message;
};

bool operator==(Error const& a, Error const& b);

// Boost.System's result finds this by ADL when value() is called on an error.
[[noreturn]] void throw_exception_from_error(Error const& e, boost::source_location const& loc);

template <class T>
using Result = boost::system::result<T, Error>;

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace corral::core
