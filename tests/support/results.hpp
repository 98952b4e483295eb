// core::Result in tests: the value of one that must succeed, and the error of one that must fail
// written as "code: message", so that one EXPECT_EQ shows both.
#pragma once

#include "core/error.hpp"

#include <gtest/gtest.h>

#include <string>

namespace corral::test {

// The value of a successful Result; an error throws, which GoogleTest reports with its message,
// so a test never goes on with a default-constructed value.
template <class T>
T must(core::Result<T> r) {
  return std::move(r).value();
}

// "code: message" of a failed result; "<no error>" if it succeeded.
template <class T>
std::string error_of(core::Result<T> const& r) {
  if (r) return "<no error>";
  return std::string(core::to_string(r.error().code)) + ": " + r.error().message;
}

template <class T>
::testing::AssertionResult fails_with(core::Result<T> const& r, core::Errc code) {
  if (r) return ::testing::AssertionFailure() << "succeeded; expected " << core::to_string(code);
  if (r.error().code != code) {
    return ::testing::AssertionFailure() << "failed with " << core::to_string(r.error().code) << " ("
                                         << r.error().message << "); expected " << core::to_string(code);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace corral::test
