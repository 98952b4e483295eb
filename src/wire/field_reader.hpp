// Typed access to the fields of one JSON object, with errors that name the field. Internal to
// wire/: the request parsers and job_from_json read every field through it, so the checks "is
// this a string", "is this an integer that fits int", "is this number finite and in range" live
// here once.
//
// A FieldReader keeps the first error and, once it has one, answers every later call with
// "absent" without looking. A parser reads all its fields in a row and checks error() once at
// the end, rather than testing a Result after each field. A missing field and a null one are the
// same thing: absent. Messages carry the reader's prefix ("jobs[3].", "backoff."), so a nested
// or batched field is named in full: "jobs[3].backoff.jitter must be a number".
//
// Unknown fields: the reader notes every field asked for, and finish() refuses the first member
// of the object nobody asked for (`unknown field "jobs[3].callback_url"`), so a misspelt or
// unsupported field gets an error rather than being dropped. Request parsers end every reader
// of a fixed-shape object (a body, a batch item, backoff, progress, error) with finish(); values
// the client shapes (payload, metadata, result, checkpoint) are read whole and never walked.
// job_from_json does not call it: it reads replies from a server that may be newer than the
// client and have fields the client does not know.
#pragma once

#include "core/error.hpp"
#include "core/time.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace corral::wire {

// Inclusive bounds of a number; messages show them ("count must be an integer 1..100"). An
// infinite `hi` reads as ">= lo".
struct Bounds {
  double lo;
  double hi;
};

// The value as an int if it is an integer (5 or 5.0, not 5.5) that fits int.
std::optional<int> json_to_int(boost::json::value const& v);
// The value as a double if it is a finite number of any JSON kind.
std::optional<double> json_to_double(boost::json::value const& v);

class FieldReader {
 public:
  explicit FieldReader(boost::json::object const& object, std::string prefix = {});

  // Records "X is required" for the first of `names` that is absent.
  void require(std::initializer_list<std::string_view> names);

  std::optional<std::string> string(std::string_view name);
  std::optional<bool> boolean(std::string_view name);
  std::optional<int> integer(std::string_view name);
  std::optional<int> integer(std::string_view name, Bounds bounds);
  std::optional<double> number(std::string_view name);
  std::optional<double> number(std::string_view name, Bounds bounds);
  // A number of seconds as microseconds. `bounds` must be finite and small enough to convert.
  std::optional<core::Micros> seconds(std::string_view name, Bounds bounds);
  std::optional<core::TimePoint> time(std::string_view name);   // an RFC 3339 string
  std::optional<std::string> json_text(std::string_view name);  // any JSON, serialized
  boost::json::object const* object(std::string_view name);      // nullptr if absent or bad
  boost::json::array const* array(std::string_view name);        // nullptr if absent or bad
  boost::json::value const* value(std::string_view name);  // any kind; nullptr if absent

  // Records `unknown field "<prefix>NAME" (known: ...)` for the first member of the object that
  // no call above asked for, unless an error is already recorded; then returns ok(). The names
  // passed to the calls above are kept for the message, so they must outlive the reader (they
  // are string literals).
  bool finish();

  // Records "<prefix><name> <what>" unless an error is already recorded.
  void fail(std::string_view name, std::string_view what);
  // Records an error built elsewhere (core::check_name and friends), if there is one.
  void check(std::optional<core::Error> error);
  std::string path(std::string_view name) const { return prefix_ + std::string(name); }

  bool ok() const { return !error_; }
  core::Error const& error() const { return *error_; }

 private:
  static constexpr std::size_t kTrackedMembers = 64;

  bool was_asked(std::string_view name) const;

  boost::json::object const& object_;
  std::string prefix_;
  std::optional<core::Error> error_;
  // Bit i: member i of object_ was asked for. Members past the 64th are looked up among
  // asked_names_ instead; no request object has that many fields.
  std::uint64_t asked_members_ = 0;
  // The names asked for, in order, for finish()'s message and past the 64th member; a reader
  // asking for more (job_from_json, which never finishes) keeps the first ones.
  std::array<std::string_view, 32> asked_names_{};
  std::size_t asked_count_ = 0;
};

// A request body as an object, or invalid_argument "body must be a JSON object".
core::Result<boost::json::object const*> body_object(boost::json::value const& body);
// The body's "jobs" array of a batch call: 1..max_items items, else invalid_argument
// ("jobs must hold 1..1000 <what>"). batch_item(items, i): item i, which must be an object
// ("jobs[3] must be a JSON object"); checked item by item, so the first error is reported.
// `also`: other members the body may have, which the caller reads.
core::Result<boost::json::array const*> batch_items(boost::json::value const& body, std::size_t max_items,
                                                    std::string_view what,
                                                    std::initializer_list<std::string_view> also = {});
core::Result<boost::json::object const*> batch_item(boost::json::array const& items, std::size_t i);

// "1..100", ">= 0": how a message states `bounds`.
std::string describe(Bounds bounds);

}  // namespace corral::wire
