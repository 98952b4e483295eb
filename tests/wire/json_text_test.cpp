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

// Text from outside (a database's error message, a command's output) may hold any bytes; what is
// written is valid JSON that a strict parser reads, valid UTF-8 kept and each stray byte U+FFFD.
TEST(SerializeJson, AStringOfAnyBytesIsWrittenAsValidJson) {
  std::string const bytes = std::string("ok caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 ") +
                            "\xFF|\xC3|\xE2\x82|\xC0\xAF|\xED\xA0\x80|\xF4\x90\x80\x80|" + std::string("\0\x7F\"\n", 4);
  std::string out;
  append_json_string(out, bytes);
  boost::system::error_code ec;
  auto const parsed = json::parse(out, ec);   // Boost.JSON refuses invalid UTF-8
  ASSERT_FALSE(ec) << out;
  std::string const fffd = "\xEF\xBF\xBD";
  EXPECT_EQ(std::string(parsed.as_string()),
            "ok caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 " + fffd + "|" + fffd + "|" + fffd + fffd + "|" + fffd + fffd +
                "|" + fffd + fffd + fffd + "|" + fffd + fffd + fffd + fffd + "|" + std::string("\0\x7F\"\n", 4));
}

}  // namespace
}  // namespace corral::wire
