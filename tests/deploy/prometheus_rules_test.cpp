// The alert rules shipped in deploy/prometheus: Prometheus accepts them (promtool check rules),
// and each fires on the condition it names and not otherwise (promtool test rules, with the
// cases of corral-rules.test.yml beside this file).
#include "support/promtool.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace corral::test {
namespace {

std::filesystem::path const kSourceDir = CORRAL_SOURCE_DIR;

TEST(PrometheusRules, PromtoolAcceptsTheRules) {
  CORRAL_SKIP_WITHOUT_PROMTOOL();
  auto const run = run_promtool(*find_promtool(),
                                {"check", "rules", (kSourceDir / "deploy/prometheus/corral-rules.yml").string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("SUCCESS: 5 rules found"), std::string::npos) << run.output;
}

TEST(PrometheusRules, EachAlertFiresOnItsConditionAndNotOtherwise) {
  CORRAL_SKIP_WITHOUT_PROMTOOL();
  auto const run =
      run_promtool(*find_promtool(), {"test", "rules", (kSourceDir / "tests/deploy/corral-rules.test.yml").string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
}

}  // namespace
}  // namespace corral::test
