#include "wire/json_text.hpp"

#include "core/number_text.hpp"
#include "core/utf8.hpp"

#include <charconv>
#include <cmath>

namespace corral::wire {
namespace json = boost::json;

namespace {

template <class Integer>
void append_integer(std::string& out, Integer i) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, i);
  out.append(buffer, end);
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t plain = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto const c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    if (c >= 0x80) {
      // A valid sequence is written as it is; a byte that starts none is U+FFFD, so the text
      // stays JSON whatever bytes it was given.
      if (auto const length = core::utf8_sequence_length(s.substr(i))) {
        i += length - 1;
        continue;
      }
    }
    out.append(s.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c >= 0x80) {
          out += core::kUtf8Replacement;
          break;
        }
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.substr(plain));
  out += '"';
}

// Recursive: the values written are parsed request bodies, at most json_max_depth (<= 1024)
// deep, or values Corral builds, a few levels deep.
void append_json(std::string& out, json::value const& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; return;
    case json::kind::int64: append_integer(out, v.get_int64()); return;
    case json::kind::uint64: append_integer(out, v.get_uint64()); return;
    case json::kind::double_:
      // parse_body turns non-finite numbers away; should one be built here, null keeps the text JSON.
      if (std::isfinite(v.get_double())) core::append_number(out, v.get_double());
      else out += "null";
      return;
    case json::kind::string: append_json_string(out, v.get_string()); return;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (json::value const& item : v.get_array()) {
        if (!first) out += ',';
        first = false;
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (auto const& [key, item] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, key);
        out += ':';
        append_json(out, item);
      }
      out += '}';
      return;
    }
  }
}

std::string serialize_json(json::value const& v) {
  std::string out;
  append_json(out, v);
  return out;
}

}  // namespace corral::wire
