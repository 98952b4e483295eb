// List cursors: base64url (no padding) of "s:<seq>". Opaque to clients, who only hand back what
// they were given; the "s:" tag leaves room for another kind of cursor without guessing.
// decode_cursor accepts only the exact text encode_cursor produces, so a tampered or truncated
// cursor is refused rather than read as some other position.
#include "wire/job_json.hpp"

#include <charconv>
#include <string>

namespace corral::wire {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kMaxCursorChars = 64;  // "s:" + 20 digits is 30 characters encoded

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  unsigned bits = 0;
  int pending = 0;  // bits held in `bits` not yet written
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    pending += 8;
    while (pending >= 6) {
      pending -= 6;
      out.push_back(kAlphabet[(bits >> pending) & 0x3F]);
    }
  }
  if (pending > 0) out.push_back(kAlphabet[(bits << (6 - pending)) & 0x3F]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  unsigned bits = 0;
  int pending = 0;
  for (char c : text) {
    auto index = kAlphabet.find(c);
    if (index == std::string_view::npos) return std::nullopt;
    bits = (bits << 6) | static_cast<unsigned>(index);
    pending += 6;
    if (pending >= 8) {
      pending -= 8;
      out.push_back(static_cast<char>((bits >> pending) & 0xFF));
    }
  }
  return out;
}

}  // namespace

std::string encode_cursor(std::int64_t before_seq) {
  return base64url_encode("s:" + std::to_string(before_seq));
}

std::optional<std::int64_t> decode_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > kMaxCursorChars) return std::nullopt;
  std::optional<std::string> text = base64url_decode(cursor);
  if (!text || !text->starts_with("s:")) return std::nullopt;
  std::int64_t seq = 0;
  char const* first = text->data() + 2;
  char const* last = text->data() + text->size();
  auto [end, ec] = std::from_chars(first, last, seq);
  if (ec != std::errc{} || end != last) return std::nullopt;
  // Only the exact encoding is accepted: no leading zeros, no stray trailing bits.
  if (encode_cursor(seq) != cursor) return std::nullopt;
  return seq;
}

}  // namespace corral::wire
