// AWS Signature Version 4, as SQS clients sign their requests: the Authorization header
// "AWS4-HMAC-SHA256 Credential=ID/DATE/REGION/SERVICE/aws4_request, SignedHeaders=a;b,
// Signature=HEX", checked against the secret access key of ID. The canonical request and the
// string to sign are built as AWS documents them
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html); the AWS test
// suite's vectors are in tests/sqs/sigv4_test.cpp. Presigned URLs (X-Amz-Signature in the query)
// are not accepted: SQS SDKs sign headers.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::sqs {

// The parts of an HTTP request a signature covers.
struct SignedParts {
  std::string_view method;   // "POST"
  std::string_view target;   // the request target as sent: path, and "?query" if any
  std::vector<std::pair<std::string, std::string>> headers;   // every header, names in any case
  std::string_view body;
};

// What the Authorization header says.
struct Authorization {
  std::string access_key_id;
  std::string date;      // of the credential scope: YYYYMMDD
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;   // lower case, as listed
  std::string signature;                     // lower-case hex
};

// The header's parts; none when it is not a well-formed AWS4-HMAC-SHA256 header.
std::optional<Authorization> parse_authorization(std::string_view header);

// Why a signature is refused, or none when it holds: signed by `secret` over `parts`, the
// credential's date that of X-Amz-Date, and X-Amz-Date within 15 minutes of `now`.
std::optional<std::string> check_signature(Authorization const& signed_by, SignedParts const& parts, std::string_view secret,
                                           std::chrono::system_clock::time_point now);

}  // namespace corral::sqs
