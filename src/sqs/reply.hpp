// An action's result or error in the protocol it was asked in. JSON 1.0: the result object as
// it is; an error as {"__type": "com.amazonaws.sqs#Type", "message"} with the query code in
// x-amzn-query-error. Query: <ActionResponse><ActionResult>...</ActionResult>
// <ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>, the JSON members written
// as the query protocol's flattened elements (the reverse of form.hpp); an error as
// <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>.
#pragma once

#include "sqs/error.hpp"
#include "sqs/service.hpp"

#include <boost/json/object.hpp>

#include <string_view>

namespace corral::sqs {

enum class Protocol { json, query };

HttpReply result_reply(Protocol protocol, std::string_view action, boost::json::object const& result,
                       std::string_view request_id);
HttpReply error_reply(Protocol protocol, Error const& error, std::string_view request_id);

// `text` with XML's special characters escaped, and carriage returns as &#xD; so that an XML
// parser does not turn them into line feeds.
std::string xml_escape(std::string_view text);

}  // namespace corral::sqs
