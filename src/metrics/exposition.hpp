// The Prometheus text exposition format (version 0.0.4), as GET /metrics serves it: for each
// family a # HELP and a # TYPE line, then its samples, one per line. Label values and help text
// are escaped as the format asks (backslash, quote, newline). Counters and bucket counts are
// integers and print as such, exactly, at any size ("12345678", never "1.23457e+07"); other
// values print as core::format_number writes every number (0.25, 30, +Inf).
//
// Not thread-safe: one Exposition per scrape. The metrics it reads are thread-safe.
#pragma once

#include "metrics/counter.hpp"
#include "metrics/histogram.hpp"
#include "metrics/labeled.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace corral::metrics {

enum class Type { counter, gauge, histogram };

struct Label {
  std::string_view name;
  std::string_view value;
};

class Exposition {
 public:
  // Opens a family: its HELP and TYPE lines. The samples written next belong to it; all of a
  // family's samples must follow its opening, together.
  void family(std::string_view name, std::string_view help, Type type);
  void sample(std::string_view name, std::span<Label const> labels, std::uint64_t value);
  void sample(std::string_view name, std::span<Label const> labels, double value);

  // Whole families.
  void gauge(std::string_view name, std::string_view help, double value);
  void counter(std::string_view name, std::string_view help, std::uint64_t value);
  void histogram(std::string_view name, std::string_view help, Histogram const& h);
  void counters(std::string_view name, std::string_view help, Labeled<Counter> const& family);
  void histograms(std::string_view name, std::string_view help, Labeled<Histogram> const& family);

  std::string const& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  // name{label="value",...}
  void series(std::string_view name, std::span<Label const> labels);
  // name{label="value",...,extra="value"} with `names` and `values` paired; `extra` last (le).
  void series(std::string_view name, std::string_view suffix, std::span<std::string const> names,
              std::span<std::string const> values, Label const* extra);
  void histogram_samples(std::string_view name, std::span<std::string const> names,
                         std::span<std::string const> values, Histogram const& h);
  void value(std::uint64_t v);
  void value(double v);

  std::string out_;
};

}  // namespace corral::metrics
