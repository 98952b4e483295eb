// [job_types.NAME] stages: the config's one list value, read from TOML with its checks.
#include "config/job_types.hpp"

#include "support/has_substr.hpp"

#include <gtest/gtest.h>

namespace corral::config {
namespace {

using test::has_substr;

std::string refusal_of(std::string const& text) {
  ServerConfig cfg;
  auto const loaded = apply_toml(cfg, text, "corral.toml");
  EXPECT_FALSE(loaded.has_value()) << text;
  return loaded ? "" : loaded.error().message;
}

TEST(ConfigJobTypeStages, AreReadInTheirOrder) {
  ServerConfig cfg;
  auto const loaded = apply_toml(cfg, R"(
[job_types.video]
stages = ["download", "analyse", "render"]
queue = "media"
)", "corral.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  auto const& video = cfg.job_types.at("video");
  EXPECT_EQ(video.stages, (std::vector<std::string>{"download", "analyse", "render"}));
  EXPECT_EQ(video.queue, "media");
}

TEST(ConfigJobTypeStages, AnEmptyListDeclaresNone) {
  ServerConfig cfg;
  ASSERT_TRUE(apply_toml(cfg, "[job_types.video]\nstages = []", "corral.toml"));
  EXPECT_TRUE(cfg.job_types.at("video").stages.empty());
}

TEST(ConfigJobTypeStages, BadListsAreRefusedNamingTheKey) {
  EXPECT_TRUE(has_substr(refusal_of("[job_types.v]\nstages = \"download\""),
                         "job_types.v.stages must be a list of strings (got \"download\")"));
  EXPECT_TRUE(has_substr(refusal_of("[job_types.v]\nstages = [\"a\", 2]"), "job_types.v.stages[1] must be a string"));
  EXPECT_TRUE(has_substr(refusal_of("[job_types.v]\nstages = [\"a\", \"\"]"), "job_types.v.stages[1] must be 1..256"));
  EXPECT_TRUE(has_substr(refusal_of("[job_types.v]\nstages = [\"a\", \"b\", \"a\"]"),
                         "job_types.v.stages names the stage \"a\" twice"));
}

TEST(ConfigJobTypeStages, AListIsRefusedWhereASingleValueIsMeant) {
  EXPECT_TRUE(has_substr(refusal_of("[job_types.v]\nqueue = [\"a\"]"), "job_types.v.queue must be a string"));
  EXPECT_TRUE(has_substr(refusal_of("threads = [1]"), "threads[0] must be a string"));
}

}  // namespace
}  // namespace corral::config
