// The list queries whose plans the backends' plan tests check: every sort, alone and with the
// filters a dashboard combines with it, on a first page and past a cursor. Header-only: the suite
// target globs only *_test.cpp files.
#pragma once

#include "queue/requests.hpp"

#include <string>
#include <vector>

namespace corral::test {

struct PlanCase {
  std::string name;
  queue::ListQuery query;
};

inline std::vector<PlanCase> list_plan_cases() {
  using core::JobState;
  std::vector<std::pair<std::string, queue::JobFilter>> const filters = {
      {"no filter", {}},
      {"one status", {.statuses = {JobState::failed}}},
      {"two statuses", {.statuses = {JobState::failed, JobState::cancelled}}},
      {"queue", {.queue = "mail"}},
      {"status and queue", {.statuses = {JobState::failed}, .queue = "mail"}},
      {"error text", {.error_text = "timeout"}},
      {"created after", {.created_after = core::from_unix_micros(1)}},
  };
  std::vector<PlanCase> out;
  for (auto sort : {queue::ListSort::newest, queue::ListSort::oldest, queue::ListSort::updated}) {
    for (auto const& [name, filter] : filters) {
      for (bool paged : {false, true}) {
        queue::ListQuery q;
        q.filter = filter;
        q.sort = sort;
        if (paged) q.cursor = queue::ListCursor{sort, 1000, sort == queue::ListSort::updated ? 1'000'000 : 0};
        out.push_back({std::to_string(static_cast<int>(sort)) + " sort, " + name + (paged ? ", past a cursor" : ""), q});
      }
    }
  }
  return out;
}

}  // namespace corral::test
