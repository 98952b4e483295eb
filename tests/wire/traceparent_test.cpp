#include "wire/traceparent.hpp"

#include <gtest/gtest.h>

namespace corral::wire {
namespace {

constexpr char kTrace[] = "4bf92f3577b34da6a3ce929d0e0e4736";

TEST(Traceparent, AValidHeaderGivesItsTraceId) {
  EXPECT_EQ(trace_id_of_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), kTrace);
  EXPECT_EQ(trace_id_of_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"), kTrace);
  EXPECT_EQ(trace_id_of_traceparent(" 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\t"), kTrace);
}

// A later version keeps the first four fields and may add more after a dash; a reader of version
// 00 takes what it knows.
TEST(Traceparent, ALaterVersionIsReadForTheFieldsVersion00Knows) {
  EXPECT_EQ(trace_id_of_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), kTrace);
  EXPECT_EQ(trace_id_of_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future"), kTrace);
  EXPECT_FALSE(trace_id_of_traceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x"));
}

// The spec: a header that is not valid is ignored; the receiver starts a trace of its own.
TEST(Traceparent, AnInvalidHeaderGivesNothing) {
  for (std::string_view bad : {
           "",
           "garbage",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",   // 00 has exactly 4 fields
           "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",          // trace id of 31 digits
           "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",         // uppercase
           "00-00000000000000000000000000000000-00f067aa0ba902b7-01",         // all-zero trace id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",         // all-zero parent id
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902bz-01",
           "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
           "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",         // version ff is forbidden
           "0x-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
           "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
       }) {
    EXPECT_FALSE(trace_id_of_traceparent(bad)) << bad;
  }
}

TEST(Traceparent, AMadeHeaderReadsBackAsItsTrace) {
  auto const header = make_traceparent(kTrace, "00f067aa0ba902b7");
  EXPECT_EQ(header, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  EXPECT_EQ(trace_id_of_traceparent(header), kTrace);
}

}  // namespace
}  // namespace corral::wire
