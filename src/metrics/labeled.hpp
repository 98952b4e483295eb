// A metric family with labels: one child (a Counter, a Histogram, ...) per set of label values,
// made on first use and kept for the life of the family, as Prometheus expects of a series that
// has appeared. with() finds an existing child without allocating; a caller on a hot path keeps
// the reference it returns (a pre-resolved label set) and skips even that lookup.
//
// Thread-safe: one mutex per family guards its index of children; a child is used without it.
#pragma once

#include <algorithm>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace corral::metrics {

template <class Metric>
class Labeled {
 public:
  using Values = std::span<std::string_view const>;
  // Makes the child for a new set of label values.
  using Make = std::function<std::unique_ptr<Metric>(std::span<std::string const> values)>;

  explicit Labeled(std::vector<std::string> label_names,
                   Make make = [](std::span<std::string const>) { return std::make_unique<Metric>(); })
      : label_names_(std::move(label_names)), make_(std::move(make)) {}

  std::span<std::string const> label_names() const { return label_names_; }

  // The child for `values`, one per label name, in their order.
  Metric& with(Values values) {
    std::lock_guard lock(mutex_);
    auto it = children_.find(values);
    if (it == children_.end()) {
      std::vector<std::string> key(values.begin(), values.end());
      auto child = make_(key);
      it = children_.emplace(std::move(key), std::move(child)).first;
    }
    return *it->second;
  }
  Metric& with(std::initializer_list<std::string_view> values) { return with(Values(values.begin(), values.size())); }

  // Calls fn(values, child) for every child, ordered by label values.
  template <class Fn>
  void each(Fn fn) const {
    std::lock_guard lock(mutex_);
    for (auto const& [values, child] : children_) fn(std::span<std::string const>(values), *child);
  }

 private:
  // Orders label-value lists, and finds a list of views among lists of strings without copying.
  struct ValuesLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(A const& a, B const& b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](auto const& x, auto const& y) {
        return std::string_view(x) < std::string_view(y);
      });
    }
  };

  std::vector<std::string> label_names_;
  Make make_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, ValuesLess> children_;   // GUARDED_BY(mutex_)
};

}  // namespace corral::metrics
