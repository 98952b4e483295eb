#include "metrics/labeled.hpp"

#include "metrics/counter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace corral::metrics {
namespace {

TEST(Labeled, TheSameLabelValuesGiveTheSameChild) {
  Labeled<Counter> family({"queue", "type"});
  std::string const queue = "emails";
  auto& a = family.with({queue, "send"});
  auto& b = family.with({std::string_view("emails"), std::string_view("send")});
  EXPECT_EQ(&a, &b);
  EXPECT_NE(&a, &family.with({"emails", "bounce"}));
}

TEST(Labeled, ChildrenMadeFromManyThreadsCountEveryIncrement) {
  Labeled<Counter> family({"worker"});
  constexpr int kThreads = 4;
  constexpr int kAdds = 10'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&family, t] {
      for (int i = 0; i < kAdds; ++i) family.with({i % 2 == 0 ? "even" : std::to_string(t)}).add();
    });
  }
  for (auto& t : threads) t.join();
  std::uint64_t total = 0;
  int children = 0;
  family.each([&](auto, Counter const& c) {
    total += c.value();
    ++children;
  });
  EXPECT_EQ(total, std::uint64_t{kThreads} * kAdds);
  EXPECT_EQ(children, kThreads + 1);
}

}  // namespace
}  // namespace corral::metrics
