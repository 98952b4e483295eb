// The MD5 digests SQS replies carry and SDKs verify (MD5OfMessageBody, MD5OfMessageAttributes),
// the SHA-256 of content-based deduplication, and the base64 that binary attribute values travel
// in; OpenSSL does them all.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace corral::sqs {

// A message attribute as SQS holds it: DataType "String", "Number" or "Binary", each possibly
// with a custom suffix ("Number.int"); a String or Number has string_value, a Binary the base64
// of its bytes in binary_value.
struct MessageAttribute {
  std::string data_type;
  std::string string_value;
  std::string binary_value;   // base64
  bool operator==(MessageAttribute const&) const = default;
};
using MessageAttributes = std::map<std::string, MessageAttribute>;   // by name, in byte order

// 32 lowercase hex digits.
std::string md5_hex(std::string_view bytes);
// 64 lowercase hex digits: a FIFO queue's content-based deduplication id.
std::string sha256_hex(std::string_view bytes);

// SQS's digest of message attributes: for each attribute in name order, the name, the data type
// and the value, each as a 4-byte big-endian length and its bytes, with a transport byte (1 for
// String and Number, 2 for Binary) before the value. None: no attributes, no digest.
std::optional<std::string> md5_of_attributes(MessageAttributes const& attributes);

// nullopt when `text` is not base64.
std::optional<std::string> base64_decode(std::string_view text);
std::string base64_encode(std::string_view bytes);

}  // namespace corral::sqs
