#include "sqs/digest.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdint>

namespace corral::sqs {
namespace {

void append_length_prefixed(std::string& out, std::string_view bytes) {
  auto const n = static_cast<std::uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((n >> shift) & 0xFF));
  out.append(bytes);
}

bool is_binary(std::string_view data_type) { return data_type.substr(0, 6) == "Binary"; }

std::string hex_digest(std::string_view bytes, EVP_MD const* md) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, md, nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < size; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xF]);
  }
  return out;
}

}  // namespace

std::string md5_hex(std::string_view bytes) { return hex_digest(bytes, EVP_md5()); }

std::string sha256_hex(std::string_view bytes) { return hex_digest(bytes, EVP_sha256()); }

std::optional<std::string> md5_of_attributes(MessageAttributes const& attributes) {
  if (attributes.empty()) return std::nullopt;
  std::string bytes;
  for (auto const& [name, attribute] : attributes) {
    append_length_prefixed(bytes, name);
    append_length_prefixed(bytes, attribute.data_type);
    if (is_binary(attribute.data_type)) {
      bytes.push_back(2);
      append_length_prefixed(bytes, base64_decode(attribute.binary_value).value_or(""));
    } else {
      bytes.push_back(1);
      append_length_prefixed(bytes, attribute.string_value);
    }
  }
  return md5_hex(bytes);
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(text.size() / 4 * 3, '\0');
  int const n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<unsigned char const*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock decodes the padding as zero bytes: drop one per '='.
  std::size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '=' && padding < 2; ++it) ++padding;
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

std::string base64_encode(std::string_view bytes) {
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');
  int const n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<unsigned char const*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

}  // namespace corral::sqs
