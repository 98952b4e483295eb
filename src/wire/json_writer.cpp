#include "wire/json_writer.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>

namespace corral::wire {
namespace json = boost::json;

namespace {

constexpr std::size_t kStoredTextMaxDepth = 100000;

// The callbacks of a parser that only validates, and notes a number in Boost.JSON's exponent form
// (1E-1): the form every fractional number of text stored by earlier versions has, and one that
// json_text.hpp never writes (its exponents are a lowercase e).
struct Validator {
  bool boost_double = false;
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);
  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) { return true; }
  bool on_object_end(std::size_t, json::error_code&) { return true; }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t, json::error_code&) { return true; }
  bool on_key_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_key(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string_part(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_string(json::string_view, std::size_t, json::error_code&) { return true; }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t, json::string_view, json::error_code&) { return true; }
  bool on_uint64(std::uint64_t, json::string_view, json::error_code&) { return true; }
  bool on_double(double, json::string_view text, json::error_code&) {
    if (text.find('E') != json::string_view::npos) boost_double = true;
    return true;
  }
  bool on_bool(bool, json::error_code&) { return true; }
  bool on_null(json::error_code&) { return true; }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

enum class StoredText { json, json_to_rewrite, not_json };

StoredText check_stored_text(std::string_view text) {
  json::parse_options options;
  options.max_depth = kStoredTextMaxDepth;
  json::basic_parser<Validator> parser(options);
  json::error_code ec;
  parser.write_some(false, text.data(), text.size(), ec);
  if (ec) return StoredText::not_json;
  return parser.handler().boost_double ? StoredText::json_to_rewrite : StoredText::json;
}

}  // namespace

void JsonWriter::embed(std::string_view text) {
  switch (check_stored_text(text)) {
    case StoredText::json: raw(text); return;
    case StoredText::json_to_rewrite: {
      json::parse_options options;
      options.max_depth = kStoredTextMaxDepth;
      append_json(out_, json::parse(text, {}, options));
      return;
    }
    case StoredText::not_json: string(text); return;
  }
}

}  // namespace corral::wire
