// The query protocol's form body, in the JSON protocol's shape, so one handler serves both:
//   Attribute.1.Name=A&Attribute.1.Value=1            -> "Attributes": {"A": "1"}
//   MessageAttribute.1.Name=n&MessageAttribute.1.Value.DataType=String&...
//                                                     -> "MessageAttributes": {"n": {"DataType": ...}}
//   AttributeName.1=All                               -> "AttributeNames": ["All"]
//   SendMessageBatchRequestEntry.1.Id=a&...           -> "Entries": [{"Id": "a", ...}]
// Values stay text (the parameter readers take numbers as text). Rejected: a table of every
// action's members from the SQS model; the few flattened names here are all SQS uses.
#pragma once

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace corral::sqs {

// The form's fields, percent-decoded ('+' is a space); nullopt when a field is badly encoded.
std::optional<boost::json::object> parse_form(std::string_view body);

// The fields of a form (parse_form) in the JSON protocol's shape, without Action and Version.
boost::json::object query_params_as_json(boost::json::object const& form);

}  // namespace corral::sqs
