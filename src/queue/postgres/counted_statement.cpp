#include "queue/postgres/counted_statement.hpp"

namespace corral::postgres {

CountedStatement::CountedStatement(std::string const& name, int params,
                                   std::function<std::string(std::string const& limit)> const& sql_with) {
  texts_.reserve(kCountsInText + 1);
  texts_.push_back({name, sql_with("$" + std::to_string(params + 1))});
  for (int i = 1; i <= kCountsInText; ++i) texts_.push_back({name + "_" + std::to_string(i), sql_with(std::to_string(i))});
}

CountedStatement::Chosen CountedStatement::for_count(int count) const {
  bool const in_text = count >= 1 && count <= kCountsInText;
  auto const& t = texts_[in_text ? static_cast<std::size_t>(count) : 0];
  return {t.name, t.sql, !in_text};
}

DbResult<Rows> CountedStatement::run(Connection& conn, int count, std::vector<Param> params) const {
  auto const chosen = for_count(count);
  if (chosen.count_is_param) params.emplace_back(std::to_string(count));
  return conn.query(chosen.name, chosen.sql, params);
}

}  // namespace corral::postgres
