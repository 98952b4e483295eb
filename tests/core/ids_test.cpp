#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace corral::core {
namespace {

TimePoint const kIdTime = from_unix_micros(1'764'633'600'123'456);   // 2025-12-02T00:00:00.123456Z

TEST(Ids, JobIdsAreUrlSafeAndCarryAllTheirBits) {
  auto const id = make_job_id(kIdTime, 0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  ASSERT_EQ(id.size(), 4u + 26u);
  EXPECT_EQ(id.substr(0, 4), "job_");
  EXPECT_EQ(id.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz", 4), std::string::npos) << id;
  // Different random bits in either half give a different id: none of the 80 is dropped.
  std::set<std::string> ids{id};
  for (int bit = 0; bit < 64; ++bit) {
    ids.insert(make_job_id(kIdTime, 0x0123456789abcdefULL, 0xfedcba9876543210ULL ^ (std::uint64_t{1} << bit)));
  }
  for (int bit = 0; bit < 16; ++bit) {
    ids.insert(make_job_id(kIdTime, 0x0123456789abcdefULL ^ (std::uint64_t{1} << bit), 0xfedcba9876543210ULL));
  }
  EXPECT_EQ(ids.size(), 81u);
}

TEST(Ids, JobIdsAreLaidOutAsAUlid) {
  // The first 10 digits are the milliseconds since the epoch, most significant first.
  auto const id = make_job_id(kIdTime, 0, 0);
  std::uint64_t millis = 0;
  std::string const alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  for (std::size_t i = 4; i < 14; ++i) millis = millis * 32 + alphabet.find(id[i]);
  EXPECT_EQ(millis, 1'764'633'600'123u);
  EXPECT_EQ(id.substr(14), std::string(16, '0'));
  EXPECT_EQ(make_job_id(kIdTime, 0xffff, ~std::uint64_t{0}).substr(14), std::string(16, 'z'));
}

TEST(Ids, AJobIdMadeLaterSortsLater) {
  // Whatever the random bits, one millisecond later is a greater id: new ids append to an index.
  auto const earlier = make_job_id(kIdTime, 0xffff, ~std::uint64_t{0});
  auto const later = make_job_id(kIdTime + Micros(1000), 0, 0);
  EXPECT_LT(earlier, later);
  EXPECT_LT(make_job_id(kIdTime + Micros(1000), 0, 0), make_job_id(kIdTime + Micros(86'400'000'000), 0, 0));
}

TEST(Ids, LeaseTokensAre32HexDigits) {
  EXPECT_EQ(make_lease_token(0, 0), std::string(32, '0'));
  EXPECT_EQ(make_lease_token(0xf, 0x1), "f000000000000000" "1000000000000000");
}

TEST(Ids, TraceIdsAre32LowercaseHexDigitsAndNeverAllZero) {
  auto const id = make_trace_id(0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  EXPECT_EQ(id.size(), 32u);
  EXPECT_TRUE(is_trace_id(id)) << id;
  // All zero is W3C's invalid trace id: the one draw that would give it gives another id.
  EXPECT_TRUE(is_trace_id(make_trace_id(0, 0)));
  EXPECT_NE(make_trace_id(0, 0), std::string(32, '0'));
}

TEST(Ids, SpanIdsAre16LowercaseHexDigitsAndNeverAllZero) {
  EXPECT_EQ(make_span_id(0xabcULL), "cba0000000000000");
  EXPECT_NE(make_span_id(0), std::string(16, '0'));
  EXPECT_EQ(make_span_id(0).size(), 16u);
}

TEST(Ids, OnlyThirtyTwoLowercaseHexDigitsNotAllZeroAreATraceId) {
  EXPECT_TRUE(is_trace_id("4bf92f3577b34da6a3ce929d0e0e4736"));
  EXPECT_FALSE(is_trace_id("4BF92F3577B34DA6A3CE929D0E0E4736"));   // uppercase: not W3C
  EXPECT_FALSE(is_trace_id(std::string(32, '0')));
  EXPECT_FALSE(is_trace_id("4bf92f3577b34da6a3ce929d0e0e473"));   // 31 digits
  EXPECT_FALSE(is_trace_id("4bf92f3577b34da6a3ce929d0e0e4736a"));
  EXPECT_FALSE(is_trace_id("4bf92f3577b34da6a3ce929d0e0e473g"));
  EXPECT_FALSE(is_trace_id(""));
}

}  // namespace
}  // namespace corral::core
