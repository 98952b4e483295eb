#include "metrics/exposition.hpp"

#include "core/number_text.hpp"

#include <charconv>

namespace corral::metrics {
namespace {

std::string_view type_name(Type t) {
  switch (t) {
    case Type::counter: return "counter";
    case Type::gauge: return "gauge";
    case Type::histogram: return "histogram";
  }
  return "untyped";
}

// Help text escapes backslash and newline; a label value also escapes the double quote.
void append_escaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

void append_label(std::string& out, bool& first, std::string_view name, std::string_view value) {
  out += first ? '{' : ',';
  first = false;
  out += name;
  out += "=\"";
  append_escaped(out, value, true);
  out += '"';
}

}  // namespace

void Exposition::family(std::string_view name, std::string_view help, Type type) {
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  append_escaped(out_, help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type_name(type);
  out_ += '\n';
}

void Exposition::sample(std::string_view name, std::span<Label const> labels, std::uint64_t v) {
  series(name, labels);
  value(v);
}

void Exposition::sample(std::string_view name, std::span<Label const> labels, double v) {
  series(name, labels);
  value(v);
}

void Exposition::gauge(std::string_view name, std::string_view help, double v) {
  family(name, help, Type::gauge);
  sample(name, {}, v);
}

void Exposition::counter(std::string_view name, std::string_view help, std::uint64_t v) {
  family(name, help, Type::counter);
  sample(name, {}, v);
}

void Exposition::histogram(std::string_view name, std::string_view help, Histogram const& h) {
  family(name, help, Type::histogram);
  histogram_samples(name, {}, {}, h);
}

void Exposition::counters(std::string_view name, std::string_view help, Labeled<Counter> const& f) {
  family(name, help, Type::counter);
  f.each([&](std::span<std::string const> values, Counter const& c) {
    series(name, "", f.label_names(), values, nullptr);
    value(c.value());
  });
}

void Exposition::histograms(std::string_view name, std::string_view help, Labeled<Histogram> const& f) {
  family(name, help, Type::histogram);
  f.each([&](std::span<std::string const> values, Histogram const& h) {
    histogram_samples(name, f.label_names(), values, h);
  });
}

void Exposition::series(std::string_view name, std::span<Label const> labels) {
  out_ += name;
  bool first = true;
  for (auto const& l : labels) append_label(out_, first, l.name, l.value);
  if (!first) out_ += '}';
}

void Exposition::series(std::string_view name, std::string_view suffix, std::span<std::string const> names,
                        std::span<std::string const> values, Label const* extra) {
  out_ += name;
  out_ += suffix;
  bool first = true;
  for (std::size_t i = 0; i < names.size() && i < values.size(); ++i) append_label(out_, first, names[i], values[i]);
  if (extra) append_label(out_, first, extra->name, extra->value);
  if (!first) out_ += '}';
}

void Exposition::histogram_samples(std::string_view name, std::span<std::string const> names,
                                   std::span<std::string const> values, Histogram const& h) {
  auto const snapshot = h.snapshot();
  auto const bounds = h.upper_bounds();
  std::string bound;
  for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    bound = i < bounds.size() ? core::format_number(bounds[i]) : "+Inf";
    Label const le{"le", bound};
    series(name, "_bucket", names, values, &le);
    value(snapshot.cumulative[i]);
  }
  series(name, "_sum", names, values, nullptr);
  value(snapshot.sum);
  series(name, "_count", names, values, nullptr);
  value(snapshot.count());
}

void Exposition::value(std::uint64_t v) {
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  out_ += ' ';
  out_.append(buffer, end);
  out_ += '\n';
}

void Exposition::value(double v) {
  out_ += ' ';
  core::append_number(out_, v);
  out_ += '\n';
}

}  // namespace corral::metrics
