// The fixture of the client tests: a real server on an ephemeral port for each test, and the
// typed calls (client::Jobs) on a connection to it, to set jobs up and check on them.
#pragma once

#include "client/jobs.hpp"
#include "support/corral_process.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace corral::test {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.start();
    api_.emplace(server_.client());
    jobs_.emplace(*api_);
  }
  void TearDown() override { EXPECT_TRUE(server_.stop()); }   // exit 0 on SIGTERM

  CorralProcess server_;
  std::optional<client::Client> api_;
  std::optional<client::Jobs> jobs_;
};

}  // namespace corral::test
