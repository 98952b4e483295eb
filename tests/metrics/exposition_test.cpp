#include "metrics/exposition.hpp"

#include "metrics/buckets.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace corral::metrics {
namespace {

TEST(Exposition, CountersPrintAsExactIntegersAtAnySize) {
  Counter million, large;
  million.add(1'234'567);
  large.add(18'446'744'073'709'551'615u);   // the largest uint64: far past a double's exact integers
  Exposition out;
  out.counter("corral_a_total", "A counter", million.value());
  out.counter("corral_b_total", "Another", large.value());
  EXPECT_NE(out.text().find("\ncorral_a_total 1234567\n"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("\ncorral_b_total 18446744073709551615\n"), std::string::npos) << out.text();
}

TEST(Exposition, EveryFamilyOpensWithHelpAndType) {
  Exposition out;
  out.gauge("corral_x", "What x is", 2.5);
  EXPECT_EQ(out.text(), "# HELP corral_x What x is\n# TYPE corral_x gauge\ncorral_x 2.5\n");
}

TEST(Exposition, LabeledCountersAreOneSeriesPerLabelSetInLabelOrder) {
  Labeled<Counter> refusals({"code"});
  refusals.with({"stale_lease"}).add(2);
  refusals.with({"not_found"}).add();
  refusals.with({"stale_lease"}).add();
  Exposition out;
  out.counters("corral_refusals_total", "Refusals", refusals);
  EXPECT_EQ(out.text(),
            "# HELP corral_refusals_total Refusals\n# TYPE corral_refusals_total counter\n"
            "corral_refusals_total{code=\"not_found\"} 1\n"
            "corral_refusals_total{code=\"stale_lease\"} 3\n");
}

TEST(Exposition, LabelValuesAndHelpAreEscaped) {
  Labeled<Counter> family({"queue"});
  family.with({"a\"b\\c\nd"}).add();
  Exposition out;
  out.counters("corral_c_total", "line one\nback\\slash", family);
  EXPECT_NE(out.text().find("# HELP corral_c_total line one\\nback\\\\slash\n"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("corral_c_total{queue=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos) << out.text();
}

TEST(Exposition, HistogramBucketsAreCumulativeAndEndAtInfEqualToTheCount) {
  static constexpr double kBounds[] = {0.125, 1, 10};
  Labeled<Histogram> family({"queue"}, [](auto) { return std::make_unique<Histogram>(kBounds); });
  auto& h = family.with({"q"});
  for (double v : {0.0625, 0.125, 0.5, 3.0, 32.0}) h.observe(v);   // sums exactly in binary
  Exposition out;
  out.histograms("corral_wait_seconds", "Waits", family);
  EXPECT_EQ(out.text(),
            "# HELP corral_wait_seconds Waits\n# TYPE corral_wait_seconds histogram\n"
            "corral_wait_seconds_bucket{queue=\"q\",le=\"0.125\"} 2\n"
            "corral_wait_seconds_bucket{queue=\"q\",le=\"1\"} 3\n"
            "corral_wait_seconds_bucket{queue=\"q\",le=\"10\"} 4\n"
            "corral_wait_seconds_bucket{queue=\"q\",le=\"+Inf\"} 5\n"
            "corral_wait_seconds_sum{queue=\"q\"} 35.6875\n"
            "corral_wait_seconds_count{queue=\"q\"} 5\n");
}

TEST(Exposition, UnlabeledHistogramHasOnlyTheLeLabel) {
  Histogram h(kBatchSizes);
  h.observe(3);
  Exposition out;
  out.histogram("corral_batch_size", "Sizes", h);
  EXPECT_NE(out.text().find("\ncorral_batch_size_bucket{le=\"2\"} 0\n"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("\ncorral_batch_size_bucket{le=\"4\"} 1\n"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("\ncorral_batch_size_sum 3\n"), std::string::npos) << out.text();
  EXPECT_NE(out.text().find("\ncorral_batch_size_count 1\n"), std::string::npos) << out.text();
}

}  // namespace
}  // namespace corral::metrics
