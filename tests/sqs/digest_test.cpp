// The digests SQS replies carry: the body's MD5, and the attributes' MD5 over SQS's documented
// encoding (name, type, transport byte, value; each length-prefixed, names in order), checked
// against vectors from an independent implementation of that documentation (Python's hashlib).
#include "sqs/digest.hpp"

#include <gtest/gtest.h>

namespace corral::sqs {
namespace {

TEST(Digest, TheBodyDigestIsItsMd5InLowercaseHex) {
  EXPECT_EQ(md5_hex("hello"), "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
}

TEST(Digest, TheContentDeduplicationIdIsTheBodysSha256InLowercaseHex) {
  EXPECT_EQ(sha256_hex("hello"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
}

TEST(Digest, TheAttributesDigestFollowsSqssEncodingInNameOrder) {
  MessageAttributes const attributes{
      {"size", {"Number", "42", ""}},
      {"color", {"String", "blue", ""}},
      {"blob", {"Binary", "", "AAEC/w=="}},
  };
  EXPECT_EQ(md5_of_attributes(attributes), "4716c7b2ebaf37c6f5e5d45b321088ca");
  EXPECT_EQ(md5_of_attributes({{"k", {"String.custom", "v", ""}}}), "5150c8f8cb063ce4291f7625ad134cb6");
  EXPECT_EQ(md5_of_attributes({}), std::nullopt) << "no attributes, no digest";
}

TEST(Digest, Base64RoundTripsAndRefusesWhatIsNotBase64) {
  std::string const bytes("\x00\x01\x02\xff", 4);
  EXPECT_EQ(base64_encode(bytes), "AAEC/w==");
  EXPECT_EQ(base64_decode("AAEC/w=="), bytes);
  EXPECT_EQ(base64_decode("aGk="), "hi");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("abc"), std::nullopt);
  EXPECT_EQ(base64_decode("ab!="), std::nullopt);
}

}  // namespace
}  // namespace corral::sqs
