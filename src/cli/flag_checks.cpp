#include "cli/flag_checks.hpp"

#include "config/setting_value.hpp"

namespace corral::cli {

CLI::Validator in_range(double lo, double hi) {
  auto check = [lo, hi](std::string& text) -> std::string {
    double value = 0;
    if (!CLI::detail::lexical_cast(text, value)) return "must be a number (got " + text + ")";
    if (value >= lo && value <= hi) return "";
    return "must be " + config::describe_range(lo, hi) + " (got " + text + ")";
  };
  // Shown in --help after the type: "FLOAT:at least 0".
  return CLI::Validator(check, config::describe_range(lo, hi));
}

}  // namespace corral::cli
