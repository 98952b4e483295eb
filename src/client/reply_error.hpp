// The error a reply carries. Corral's error body is {"error": {"code", "message"}}, with a stable
// code to test (docs/api.md "Errors"); a reply from something else (a proxy's page) has none.
#pragma once

#include "client/client.hpp"

#include <stdexcept>
#include <string>

namespace corral::client {

// A reply that is not the success its call expects, as the typed calls (jobs.hpp) throw it: the
// server's code ("not_found", "invalid_argument"), the HTTP status and the server's message. A
// reply without Corral's error body gets the code "http_STATUS" and the start of its body as the
// message; a 2xx whose body cannot be read, "invalid_reply". Transport failures (no connection,
// a timeout) are plain std::runtime_error, as Client throws them.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, std::string message);
  static ApiError of(Response const& reply);

  int status() const { return status_; }
  std::string const& code() const { return code_; }
  std::string const& message() const { return message_; }

 private:
  int status_;
  std::string code_, message_;
};

// One line for a log: "CODE: MESSAGE" from Corral's error body, or "HTTP STATUS: BODY" when the
// body is something else.
std::string describe_error(Response const& reply);

}  // namespace corral::client
