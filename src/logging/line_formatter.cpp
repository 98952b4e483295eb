#include "logging/line_formatter.hpp"

#include "wire/json_text.hpp"

#include <chrono>
#include <cstdio>

namespace corral::logging {

void LineFormatter::set_time(spdlog::log_clock::time_point at) {
  using namespace std::chrono;
  auto const since_epoch = duration_cast<microseconds>(at.time_since_epoch());
  auto const second = static_cast<std::time_t>(floor<seconds>(since_epoch).count());
  if (second != cached_second_) {
    std::tm utc{};
    ::gmtime_r(&second, &utc);
    char buffer[32];
    auto n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    cached_prefix_.assign(buffer, n);
    cached_second_ = second;
  }
  char micros[16];
  auto const fraction = since_epoch.count() - static_cast<long long>(second) * 1'000'000;
  std::snprintf(micros, sizeof micros, ".%06lldZ", static_cast<long long>(fraction));
  time_.assign(cached_prefix_).append(micros);
}

void LineFormatter::start_line(spdlog::level::level_enum level) {
  auto const name = spdlog::level::to_string_view(level);
  if (format_ == Format::json) {
    out_.append(R"({"time":")").append(time_).append(R"(","level":")");
    out_.append(name.data(), name.size()).append(R"(",)");
  } else {
    out_.append(time_).append(" ").append(name.data(), name.size()).append(" ");
  }
}

void LineFormatter::format(spdlog::details::log_msg const& msg, spdlog::memory_buf_t& dest) {
  out_.clear();
  set_time(msg.time);
  std::string_view payload(msg.payload.data(), msg.payload.size());
  if (payload_ == Payload::message) {
    start_line(msg.level);
    if (format_ == Format::json) {
      out_ += R"("message":)";
      wire::append_json_string(out_, payload);
      out_ += '}';
    } else {
      out_ += payload;
    }
    out_ += '\n';
  } else {
    while (!payload.empty()) {
      auto const end = std::min(payload.find('\n'), payload.size());
      auto const record = payload.substr(0, end);
      payload.remove_prefix(std::min(end + 1, payload.size()));
      if (record.empty()) continue;
      start_line(level_of_record(record));
      out_ += record.substr(1);
      if (format_ == Format::json) out_ += '}';
      out_ += '\n';
    }
  }
  dest.append(out_.data(), out_.data() + out_.size());
}

std::unique_ptr<spdlog::formatter> LineFormatter::clone() const {
  return std::make_unique<LineFormatter>(format_, payload_);
}

}  // namespace corral::logging
