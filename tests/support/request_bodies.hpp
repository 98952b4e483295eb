// A request body for the parsers' tests, written as JSON text the way a client sends it.
#pragma once

#include "wire/request_json.hpp"

#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <string_view>

namespace corral::test {

// `text` parsed as a request body; a text that does not parse fails the test (a mistake in the
// test, not in the code under test).
inline boost::json::value body(std::string_view text) {
  auto v = wire::parse_body(text);
  if (!v) ADD_FAILURE() << "test body does not parse: " << v.error().message;
  return v ? *v : boost::json::value();
}

}  // namespace corral::test
