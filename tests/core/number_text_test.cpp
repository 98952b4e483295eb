#include "core/number_text.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>

namespace corral::core {
namespace {

TEST(NumberText, FractionsReadAsPeopleWriteThem) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(1.308), "1.308");
  EXPECT_EQ(format_number(1.308405313), "1.308405313");
  EXPECT_EQ(format_number(42.5), "42.5");
  EXPECT_EQ(format_number(-2.75), "-2.75");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004") << "the shortest text that reads back the same";
}

TEST(NumberText, WholeNumbersHaveNoFraction) {
  EXPECT_EQ(format_number(30.0), "30");
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "0");
  EXPECT_EQ(format_number(-300.0), "-300");
  EXPECT_EQ(format_number(100000.0), "100000") << "not 1e+05";
  EXPECT_EQ(format_number(86400.0 * 365 * 10), "315360000");
  EXPECT_EQ(format_number(9007199254740993.0), "9007199254740992");
}

TEST(NumberText, PlainUpTo1e21AndExponentFormBeyond) {
  EXPECT_EQ(format_number(1e20), "100000000000000000000");
  EXPECT_EQ(format_number(1.5e20), "150000000000000000000");
  EXPECT_EQ(format_number(1e21), "1e+21");
  EXPECT_EQ(format_number(1.25e21), "1.25e+21");
  EXPECT_EQ(format_number(-1e21), "-1e+21");
  EXPECT_EQ(format_number(1.7976931348623157e308), "1.7976931348623157e+308");
}

TEST(NumberText, SmallNumbersArePlainDownTo1e7) {
  EXPECT_EQ(format_number(0.000001), "0.000001");
  EXPECT_EQ(format_number(0.0000015), "0.0000015");
  EXPECT_EQ(format_number(1e-7), "1e-7");
  EXPECT_EQ(format_number(-1.5e-7), "-1.5e-7");
  EXPECT_EQ(format_number(5e-324), "5e-324") << "the smallest double";
}

TEST(NumberText, NonFiniteValuesReadAsPrometheusReadsThem) {
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(format_number(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(format_number(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(NumberText, EveryTextReadsBackAsTheSameDouble) {
  std::mt19937_64 rng(20);
  std::uniform_int_distribution<std::uint64_t> bits;
  int checked = 0;
  while (checked < 20000) {
    double d = std::bit_cast<double>(bits(rng));
    if (!std::isfinite(d)) continue;
    ++checked;
    std::string text = format_number(d);
    double back = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), back);
    ASSERT_EQ(ec, std::errc{}) << text;
    ASSERT_EQ(end, text.data() + text.size()) << text;
    ASSERT_EQ(back, d) << text;
  }
}

TEST(NumberText, AppendAddsToWhatIsThere) {
  std::string out = "x=";
  append_number(out, 0.5);
  EXPECT_EQ(out, "x=0.5");
}

}  // namespace
}  // namespace corral::core
