// A prepared statement whose LIMIT is a count that changes from call to call (a claim of n jobs).
//
// PostgreSQL prices a generic plan's `LIMIT $k` as a tenth of the rows the rest of the statement
// finds: on a queue of thousands, over a hundred times the plan for `LIMIT 1`. So it planned such a
// statement again at most calls (a claim: 176 µs of its CPU each, docs/benchmarks.md, 2026-12-07).
// Each count up to kCountsInText is a statement of its own with the count in its text, whose
// generic plan prices as the custom one and is kept; larger counts share one statement that takes
// the count as its last parameter, planned for each batch of that many.
#pragma once

#include "queue/postgres/connection.hpp"

#include <functional>
#include <string>
#include <vector>

namespace corral::postgres {

class CountedStatement {
 public:
  static constexpr int kCountsInText = 16;

  // `sql_with(limit)` is the statement with `limit` as its LIMIT's text. It takes `params`
  // parameters besides the count ($1 ... $params); the count, when a parameter, is the next one.
  CountedStatement(std::string const& name, int params, std::function<std::string(std::string const& limit)> const& sql_with);

  struct Chosen {
    std::string const& name;
    std::string const& sql;
    bool count_is_param;
  };
  Chosen for_count(int count) const;

  // Runs the statement for up to `count` rows; `params` are all but the count.
  DbResult<Rows> run(Connection& conn, int count, std::vector<Param> params) const;

 private:
  struct Text {
    std::string name, sql;
  };
  std::vector<Text> texts_;   // [0]: the count as a parameter; [i]: the count i in the text
};

}  // namespace corral::postgres
