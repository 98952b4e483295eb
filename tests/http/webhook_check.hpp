// What a webhook receiver checks, written here independently of the server's code: the
// X-Corral-Signature header of a request against its body, with OpenSSL's HMAC-SHA256.
#pragma once

#include "support/hook_receiver.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

namespace corral::test {

inline std::string hex_hmac_sha256(std::string const& key, std::string const& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<unsigned char const*>(text.data()),
       text.size(), digest, &size);
  std::string out;
  char const* hex = "0123456789abcdef";
  for (unsigned int i = 0; i < size; ++i) (out += hex[digest[i] >> 4]) += hex[digest[i] & 0xf];
  return out;
}

// True if the request's "t=UNIX_SECONDS,v1=HEX" signature is HMAC-SHA256(secret, "T.BODY").
inline bool signature_valid(ReceivedRequest const& r, std::string const& secret) {
  auto const header = r.header("x-corral-signature");
  auto const comma = header.find(",v1=");
  if (!header.starts_with("t=") || comma == std::string::npos) return false;
  auto const t = header.substr(2, comma - 2);
  return header.substr(comma + 4) == hex_hmac_sha256(secret, t + "." + r.body);
}

}  // namespace corral::test
