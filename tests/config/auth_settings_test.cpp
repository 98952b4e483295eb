// The API key settings: admin_key as text, metrics_open and insecure as true or false from each
// source, and a switch's value refused when it is neither.
#include "config/config.hpp"

#include <gtest/gtest.h>

namespace corral::config {
namespace {

TEST(AuthSettings, SwitchesAreFalseByDefaultAndTrueFromEachSource) {
  ServerConfig cfg;
  EXPECT_FALSE(cfg.insecure);
  EXPECT_FALSE(cfg.metrics_open);
  EXPECT_TRUE(cfg.admin_key.empty());
  ASSERT_TRUE(apply_toml(cfg, "insecure = true\nadmin_key = \"k-from-file\"", "corral.toml"));
  EXPECT_TRUE(cfg.insecure);
  EXPECT_EQ(cfg.admin_key, "k-from-file");
  ASSERT_TRUE(apply_env(cfg, {{"CORRAL_METRICS_OPEN", "true"}, {"CORRAL_INSECURE", "false"}}));
  EXPECT_TRUE(cfg.metrics_open);
  EXPECT_FALSE(cfg.insecure);
}

TEST(AuthSettings, ASwitchTakesTrueOrFalseOnly) {
  ServerConfig cfg;
  auto bad = apply_env(cfg, {{"CORRAL_INSECURE", "yes"}});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("CORRAL_INSECURE must be true or false"), std::string::npos) << bad.error().message;
  EXPECT_FALSE(apply_toml(cfg, "metrics_open = \"true\"", "corral.toml"));
}

}  // namespace
}  // namespace corral::config
