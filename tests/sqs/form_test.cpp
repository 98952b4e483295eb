// The query protocol's form bodies in the JSON protocol's shape: percent-decoding, and the
// flattened lists and maps SQS's query protocol uses, nested inside batch entries too.
#include "sqs/form.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace corral::sqs {
namespace {

std::string shaped(std::string_view body) {
  auto form = parse_form(body);
  if (!form) return "<bad form>";
  return boost::json::serialize(query_params_as_json(*form));
}

TEST(Form, FieldsArePercentDecodedWithPlusAsASpace) {
  auto form = parse_form("Action=SendMessage&MessageBody=a+b%26c%0D%0A%F0%9F%90%84&Version=2012-11-05");
  ASSERT_TRUE(form);
  EXPECT_EQ((*form)["MessageBody"].as_string(), "a b&c\r\n\xF0\x9F\x90\x84");
  EXPECT_FALSE(parse_form("A=%4"));
  EXPECT_FALSE(parse_form("A=%zz"));
}

TEST(Form, FlattenedListsAndMapsBecomeTheJsonProtocolsMembers) {
  EXPECT_EQ(shaped("Action=CreateQueue&QueueName=q&Attribute.2.Name=DelaySeconds&Attribute.2.Value=5"
                   "&Attribute.1.Name=VisibilityTimeout&Attribute.1.Value=60&Tag.1.Key=team&Tag.1.Value=a"),
            boost::json::serialize(boost::json::parse(
                R"({"QueueName":"q","Attributes":{"VisibilityTimeout":"60","DelaySeconds":"5"},"Tags":{"team":"a"}})")));
  EXPECT_EQ(shaped("Action=ReceiveMessage&QueueUrl=u&AttributeName.1=All&MessageAttributeName.1=a&MessageAttributeName.2=b"),
            R"({"QueueUrl":"u","AttributeNames":["All"],"MessageAttributeNames":["a","b"]})");
}

TEST(Form, BatchEntriesKeepTheirOrderAndTheirOwnAttributes) {
  EXPECT_EQ(shaped("Action=SendMessageBatch&QueueUrl=u"
                   "&SendMessageBatchRequestEntry.2.Id=b&SendMessageBatchRequestEntry.2.MessageBody=two"
                   "&SendMessageBatchRequestEntry.1.Id=a&SendMessageBatchRequestEntry.1.MessageBody=one"
                   "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Name=k"
                   "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType=String"
                   "&SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue=v"),
            boost::json::serialize(boost::json::parse(
                R"({"QueueUrl":"u","Entries":[)"
                R"({"Id":"a","MessageBody":"one","MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}},)"
                R"({"Id":"b","MessageBody":"two"}]})")));
}

}  // namespace
}  // namespace corral::sqs
