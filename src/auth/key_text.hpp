// API keys as text: made from a CSPRNG, stored only as a digest, compared in constant time.
//
// A key is "crl_" and 52 base32 letters: 32 random bytes (256 bits) from OpenSSL's RAND_bytes.
// The store keeps SHA-256 of the key, never the key. A password needs a slow hash (bcrypt,
// Argon2) because it is guessable, so a stolen table of fast hashes gives the passwords to a
// dictionary; a 256-bit random key cannot be guessed, so one SHA-256 is as safe as any slow hash
// and costs a microsecond per request instead of tens of milliseconds.
#pragma once

#include <string>
#include <string_view>

namespace corral::auth {

inline constexpr std::string_view kKeyPrefix = "crl_";

// A new key. Throws std::runtime_error if the CSPRNG cannot give bytes (it then has no entropy).
std::string generate_key();

// A new key id: "key_" and 16 random hex digits; not secret, shown in lists and logs.
std::string generate_key_id();

// SHA-256 of `key`, as 64 lower-case hex digits: what the store keeps and looks up by.
std::string hash_key(std::string_view key);

// `bytes` random bytes from the CSPRNG as hex digits: secrets that are not keys (session
// secrets, CSRF tokens). Throws as generate_key does.
std::string random_hex(std::size_t bytes);

// SHA-256 of `data`, as 64 lower-case hex digits.
std::string sha256_hex(std::string_view data);

// HMAC-SHA256 of `data` under `secret`, as 64 lower-case hex digits, and as its 32 bytes (for a
// key derived by chained HMACs, as AWS Signature Version 4's is).
std::string hmac_sha256(std::string_view secret, std::string_view data);
std::string hmac_sha256_bytes(std::string_view secret, std::string_view data);

// Whether two digests are equal, in a time that depends on their length only (CRYPTO_memcmp).
bool same_digest(std::string_view a, std::string_view b);

}  // namespace corral::auth
