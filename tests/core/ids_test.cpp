#include "core/ids.hpp"

#include <gtest/gtest.h>

#include <set>

namespace corral::core {
namespace {

TEST(Ids, JobIdsAreUrlSafeAndCarryAllTheirBits) {
  auto const id = make_job_id(0x0123456789abcdefULL, 0xfedcba9876543210ULL);
  ASSERT_EQ(id.size(), 4u + 26u);
  EXPECT_EQ(id.substr(0, 4), "job_");
  EXPECT_EQ(id.find_first_not_of("0123456789abcdefghjkmnpqrstvwxyz", 4), std::string::npos) << id;
  // Different bits in either half give a different id: nothing is dropped.
  std::set<std::string> ids{id, make_job_id(0x0123456789abcdefULL, 0xfedcba9876543211ULL),
                            make_job_id(0x0123456789abcdeeULL, 0xfedcba9876543210ULL)};
  EXPECT_EQ(ids.size(), 3u);
}

TEST(Ids, LeaseTokensAre32HexDigits) {
  EXPECT_EQ(make_lease_token(0, 0), std::string(32, '0'));
  EXPECT_EQ(make_lease_token(0xf, 0x1), "f000000000000000" "1000000000000000");
}

}  // namespace
}  // namespace corral::core
