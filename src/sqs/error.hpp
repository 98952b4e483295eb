// SQS's errors: each with the two names the two protocols give it (the JSON protocol's __type,
// the query protocol's Code, which the JSON protocol repeats in the x-amzn-query-error header so
// that SDKs built from either model find their exception class), its HTTP status and whose fault
// it is. One table maps Corral's errors onto them (from_core), as http/respond.cpp does for the
// API.
#pragma once

#include "core/error.hpp"

#include <string>
#include <string_view>

namespace corral::sqs {

struct ErrorKind {
  std::string_view type;        // JSON __type, after "com.amazonaws.sqs#"
  std::string_view query_code;  // query protocol <Code>, and the x-amzn-query-error header
  int status = 400;
  bool sender_fault = true;
};

namespace errors {
inline constexpr ErrorKind kQueueDoesNotExist{"QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"};
inline constexpr ErrorKind kQueueAlreadyExists{"QueueNameExists", "QueueAlreadyExists"};
inline constexpr ErrorKind kReceiptHandleIsInvalid{"ReceiptHandleIsInvalid", "ReceiptHandleIsInvalid", 404};
inline constexpr ErrorKind kMessageNotInflight{"MessageNotInflight", "AWS.SimpleQueueService.MessageNotInflight"};
inline constexpr ErrorKind kInvalidParameterValue{"InvalidParameterValue", "InvalidParameterValue"};
inline constexpr ErrorKind kMissingParameter{"MissingParameter", "MissingParameter"};
inline constexpr ErrorKind kInvalidAttributeName{"InvalidAttributeName", "InvalidAttributeName"};
inline constexpr ErrorKind kInvalidAttributeValue{"InvalidAttributeValue", "InvalidAttributeValue"};
inline constexpr ErrorKind kInvalidAction{"InvalidAction", "InvalidAction"};
inline constexpr ErrorKind kUnsupportedOperation{"UnsupportedOperation", "AWS.SimpleQueueService.UnsupportedOperation"};
inline constexpr ErrorKind kEmptyBatchRequest{"EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest"};
inline constexpr ErrorKind kTooManyEntriesInBatchRequest{"TooManyEntriesInBatchRequest",
                                                         "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"};
inline constexpr ErrorKind kBatchEntryIdsNotDistinct{"BatchEntryIdsNotDistinct",
                                                     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct"};
inline constexpr ErrorKind kInvalidBatchEntryId{"InvalidBatchEntryId", "AWS.SimpleQueueService.InvalidBatchEntryId"};
inline constexpr ErrorKind kInvalidMessageContents{"InvalidMessageContents", "InvalidMessageContents"};
inline constexpr ErrorKind kMalformedInput{"MalformedInput", "MalformedInput"};
// Signature Version 4 and API keys (http/sqs_gate.hpp).
inline constexpr ErrorKind kMissingAuthenticationToken{"MissingAuthenticationToken", "MissingAuthenticationToken", 403};
inline constexpr ErrorKind kInvalidClientTokenId{"InvalidClientTokenId", "InvalidClientTokenId", 403};
inline constexpr ErrorKind kSignatureDoesNotMatch{"SignatureDoesNotMatch", "SignatureDoesNotMatch", 403};
inline constexpr ErrorKind kAccessDenied{"AccessDenied", "AccessDenied", 403};
inline constexpr ErrorKind kRequestThrottled{"ThrottlingException", "RequestThrottled", 400};
inline constexpr ErrorKind kServiceUnavailable{"ServiceUnavailable", "ServiceUnavailable", 503, false};
inline constexpr ErrorKind kInternalError{"InternalError", "InternalError", 500, false};
}  // namespace errors

struct Error {
  ErrorKind kind;
  std::string message;
};

inline Error make_error(ErrorKind kind, std::string message) { return Error{kind, std::move(message)}; }

// A Corral error met while serving an SQS action, as SQS would name it: bad input is
// InvalidParameterValue, a storage or shutdown refusal ServiceUnavailable, the rest InternalError.
Error from_core(core::Error const& e);

}  // namespace corral::sqs

#include <boost/system/result.hpp>

namespace corral::sqs {

template <class T>
using Outcome = boost::system::result<T, Error>;

// Boost.System's result finds this by ADL when value() is called on an error.
[[noreturn]] void throw_exception_from_error(Error const& e, boost::source_location const& loc);

}  // namespace corral::sqs
