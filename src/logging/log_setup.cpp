#include "logging/log_setup.hpp"

#include "logging/line_formatter.hpp"

#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace corral::logging {

namespace {

// Set by Logging's constructor and destructor only, while no other thread logs.
Format g_format = Format::text;
std::shared_ptr<spdlog::logger> g_fields;        // null: the default logger
std::shared_ptr<spdlog::logger> g_fields_here;   // null: the default logger

spdlog::sink_ptr make_sink(LogOptions const& options, LineFormatter::Payload payload) {
  auto sink = options.make_sink ? options.make_sink() : std::make_shared<spdlog::sinks::stderr_sink_mt>();
  sink->set_formatter(std::make_unique<LineFormatter>(options.format, payload));
  return sink;
}

}  // namespace

Logging::Logging(LogOptions options) : options_(std::move(options)) {
  plain_sink_ = make_sink(options_, LineFormatter::Payload::message);
  fields_sink_ = make_sink(options_, LineFormatter::Payload::records);
  // One thread: lines are written in the order they were queued, whichever logger queued them.
  pool_ = std::make_shared<spdlog::details::thread_pool>(options_.queued_writes, 1);
  auto const policy = spdlog::async_overflow_policy::overrun_oldest;
  plain_ = std::make_shared<spdlog::async_logger>("corral", plain_sink_, pool_, policy);
  fields_ = std::make_shared<spdlog::async_logger>("corral.fields", fields_sink_, pool_, policy);
  // Synchronous: the sink's own mutex orders its writes with the logging thread's.
  fields_here_ = std::make_shared<spdlog::logger>("corral.fields.here", fields_sink_);
  for (auto const& logger : {plain_, fields_, fields_here_}) logger->set_level(options_.level);
  g_format = options_.format;
  g_fields = fields_;
  g_fields_here = fields_here_;
  spdlog::set_default_logger(plain_);
}

Logging::~Logging() {
  if (auto const n = dropped()) {
    plain_->warn("{} log writes were dropped because stderr did not keep up (the queue holds {}; a batch's "
                 "change lines are one write)",
                 n, options_.queued_writes);
  }
  // Synchronous loggers on the same sinks take over, so that a line logged later is still written;
  // then the pool goes, writing every line queued before it.
  auto sync_plain = std::make_shared<spdlog::logger>("corral", plain_sink_);
  auto sync_fields = std::make_shared<spdlog::logger>("corral.fields", fields_sink_);
  for (auto const& logger : {sync_plain, sync_fields}) logger->set_level(options_.level);
  spdlog::set_default_logger(sync_plain);
  g_fields = sync_fields;
  plain_.reset();
  fields_.reset();
  pool_.reset();
}

std::size_t Logging::dropped() const { return pool_->overrun_counter(); }

Format format() { return g_format; }

spdlog::logger& fields_logger() { return g_fields ? *g_fields : *spdlog::default_logger_raw(); }

spdlog::logger& fields_logger_here() { return g_fields_here ? *g_fields_here : *spdlog::default_logger_raw(); }

}  // namespace corral::logging
