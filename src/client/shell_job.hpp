// A Worker handler that runs each job as a shell command, for `corral worker --exec`.
//
// The command runs through `/bin/sh -c` with the payload JSON on its stdin (then closed) and
// CORRAL_JOB_ID, CORRAL_JOB_TYPE, CORRAL_ATTEMPT and TRACEPARENT (the W3C trace context
// 00-TRACE_ID-SPAN_ID-01 of the job's trace, with a new span id for this run) in its environment. While it runs, one poll()
// loop feeds its stdin and reads its stdout and stderr (the worker's heartbeat thread keeps the
// lease); a stderr line `progress PERCENT [STAGE]` is reported as progress (several in a quick
// burst share a heartbeat). A cancel
// request, or a lost lease (the server says so, or the granted lease ran out, as it does at the
// job's max_run_s), stops the command: SIGTERM to its process group, SIGKILL after a grace
// period. Exit 0 completes the job with stdout as its result (JSON if it parses, else a string)
// and its progress at 100 %;
// any other end fails it with the last ~2 KiB of stderr as the message and the code exit_STATUS
// (signal_N if a signal ended it, cancelled if a cancel did).
#pragma once

#include "client/worker.hpp"

#include <string>

namespace corral::client {

JobOutcome run_shell_job(std::string const& command, JobContext& job);

}  // namespace corral::client
