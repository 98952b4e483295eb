// List cursors: base64url (no padding) of the sort's tag and the last job's position: "s:<seq>"
// (newest), "o:<seq>" (oldest), "u:<updated_at>:<seq>" (updated). Opaque to clients, who only hand
// back what they were given; the tag says which order the position is in.
// decode_cursor accepts only the exact text encode_cursor produces, so a tampered or truncated
// cursor is refused rather than read as some other position.
#include "wire/job_json.hpp"

#include <charconv>
#include <string>

namespace corral::wire {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kMaxCursorChars = 64;  // "u:" + 2 × 20 digits + ":" is 58 characters encoded

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

char tag_of(api::ListSort sort) {
  switch (sort) {
    case api::ListSort::newest: return 's';
    case api::ListSort::oldest: return 'o';
    case api::ListSort::updated: return 'u';
  }
  return 's';
}

// The whole of `text` as an integer, or nullopt.
std::optional<std::int64_t> whole_int(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string encode_cursor(api::ListCursor const& cursor) {
  std::string text{tag_of(cursor.sort), ':'};
  if (cursor.sort == api::ListSort::updated) text += std::to_string(cursor.updated_us) + ":";
  return base64url_encode(text + std::to_string(cursor.seq));
}

std::optional<api::ListCursor> decode_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() > kMaxCursorChars) return std::nullopt;
  std::optional<std::string> text = base64url_decode(cursor);
  if (!text || text->size() < 2 || (*text)[1] != ':') return std::nullopt;
  api::ListCursor out;
  std::string_view rest = std::string_view(*text).substr(2);
  switch ((*text)[0]) {
    case 's': out.sort = api::ListSort::newest; break;
    case 'o': out.sort = api::ListSort::oldest; break;
    case 'u': {
      out.sort = api::ListSort::updated;
      auto const colon = rest.find(':');
      auto updated = whole_int(rest.substr(0, colon));
      if (colon == std::string_view::npos || !updated) return std::nullopt;
      out.updated_us = *updated;
      rest.remove_prefix(colon + 1);
      break;
    }
    default: return std::nullopt;
  }
  auto seq = whole_int(rest);
  if (!seq) return std::nullopt;
  out.seq = *seq;
  // Only the exact encoding is accepted: no leading zeros, no stray trailing bits.
  if (encode_cursor(out) != cursor) return std::nullopt;
  return out;
}

std::optional<api::ListSort> parse_list_sort(std::string_view text) {
  if (text == "newest") return api::ListSort::newest;
  if (text == "oldest") return api::ListSort::oldest;
  if (text == "updated") return api::ListSort::updated;
  return std::nullopt;
}

}  // namespace corral::wire
