// The SQL of a job list, for both backends: the WHERE of its filters, ids and cursor, the ORDER BY
// of its sort, and the bounded count. One builder, so that the two backends cannot disagree on
// what a filter means or where a page ends.
//
// Each sort reads one index in order and applies the filters along it, so a page costs its limit
// in rows plus the rows the filters skip, never a sort of every match:
//   newest  ORDER BY seq DESC                  the primary key (SQLite's rowid), backwards
//   oldest  ORDER BY seq                       the primary key
//   updated ORDER BY updated_at DESC, seq DESC jobs_by_updated / corral_jobs_by_updated
//                                              (updated_at, seq), backwards
// A single status, queue, type or owner may instead be read through its (column, seq) index when
// the planner judges it more selective; the plans are checked in the backends' tests.
#pragma once

#include "queue/requests.hpp"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace corral::queue {

enum class SqlDialect { sqlite, postgres };   // ?N or $N placeholders, and the substring function

using SqlValue = std::variant<std::string, std::int64_t>;

struct ListSql {
  std::string where;              // "WHERE ...": filter, ids and cursor, over alias j
  std::string count_where;        // the same without the cursor: a count is of every match
  std::string order;              // "ORDER BY ..."
  std::vector<SqlValue> params;   // numbered from 1, in order
  std::size_t count_params = 0;   // count_where reads only the first count_params of them
};

ListSql list_sql(ListQuery const& query, SqlDialect dialect);

// "SELECT count(*) FROM (SELECT 1 FROM <table> j <count_where> LIMIT kMaxListCount + 1) c".
std::string count_sql(ListSql const& sql, std::string_view table);

}  // namespace corral::queue
