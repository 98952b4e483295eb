#include "wire/json_text.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <limits>

namespace corral::wire {
namespace {

namespace json = boost::json;

TEST(SerializeJson, NumbersReadAsPeopleWriteThem) {
  EXPECT_EQ(serialize_json(0.1), "0.1");
  EXPECT_EQ(serialize_json(1.308), "1.308");
  EXPECT_EQ(serialize_json(1.308405313), "1.308405313");
  EXPECT_EQ(serialize_json(30.0), "30");
  EXPECT_EQ(serialize_json(1e21), "1e+21");
  EXPECT_EQ(serialize_json(1e20), "100000000000000000000");
  EXPECT_EQ(serialize_json(1e-7), "1e-7");
  EXPECT_EQ(serialize_json(0.000001), "0.000001");
  EXPECT_EQ(serialize_json(std::int64_t{-9007199254740993}), "-9007199254740993");
  EXPECT_EQ(serialize_json(std::numeric_limits<std::uint64_t>::max()), "18446744073709551615");
  EXPECT_EQ(serialize_json(json::parse(R"({"a":[0.1,1.308E0,3E2]})")), R"({"a":[0.1,1.308,300]})");
}

TEST(SerializeJson, AnInfiniteNumberBuiltInMemoryIsWrittenAsNull) {
  EXPECT_EQ(serialize_json(json::array{std::numeric_limits<double>::infinity(), 1}), "[null,1]");
}

// Apart from numbers, the text is Boost.JSON's: clients and stored text see no other change.
TEST(SerializeJson, EverythingButNumbersIsWrittenAsBoostJsonWritesIt) {
  json::value v = json::parse(R"({"s":"tab\there \"q\" \\ \u0001 \u001f caf\u00e9 /","n":null,"t":true,"f":false,
      "a":[[],{},[1,-2,{"k":"v"}]],"e":"","k\nkey":1})");
  EXPECT_EQ(serialize_json(v), json::serialize(v));
}

TEST(SerializeJson, AppendAddsToWhatIsThere) {
  std::string out = "x=";
  append_json(out, json::array{"a", 0.5});
  append_json_string(out, "\"");
  EXPECT_EQ(out, R"(x=["a",0.5]"\"")");
}

}  // namespace
}  // namespace corral::wire
