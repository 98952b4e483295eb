// The fixture of the multi-node tests: two real corral nodes, each on 127.0.0.1:0, sharing a
// fresh database on the test cluster. TearDown stops the nodes still running and expects a clean
// exit of each.
#pragma once

#include "http/api_helpers.hpp"
#include "support/postgres_db.hpp"

#include <optional>
#include <string>

namespace corral::test {

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = pg_fresh_database("corral_nodes");
    for (auto* node : {&a_, &b_}) {
      node->use_db(db_);
      node->start({"--db-pool-size", "6"});
    }
    api_a_.emplace(a_.url());
    api_b_.emplace(b_.url());
  }

  void TearDown() override {
    api_a_.reset();
    api_b_.reset();
    for (auto* node : {&a_, &b_}) {
      if (!node->running()) continue;   // a test that killed a node checked what it wanted
      EXPECT_TRUE(node->stop()) << node->log();
      EXPECT_EQ(node->exit_code(), 0) << node->log();
    }
  }

  Client& a() { return *api_a_; }
  Client& b() { return *api_b_; }

  std::string db_;
  CorralProcess a_, b_;
  std::optional<Client> api_a_, api_b_;
};

}  // namespace corral::test
