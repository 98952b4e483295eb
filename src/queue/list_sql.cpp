#include "queue/list_sql.hpp"

#include "core/job_state.hpp"

namespace corral::queue {
namespace {

class Builder {
 public:
  explicit Builder(SqlDialect dialect) : dialect_(dialect) {}

  // The placeholder of a new parameter holding `value`.
  std::string param(SqlValue value) {
    out_.params.push_back(std::move(value));
    return (dialect_ == SqlDialect::sqlite ? "?" : "$") + std::to_string(out_.params.size());
  }

  void add(std::string const& condition) { where_ += (where_.empty() ? "WHERE " : " AND ") + condition; }

  // The parameters of `values`, comma-separated.
  template <class Range, class Fn>
  std::string params_of(Range const& values, Fn fn) {
    std::string list;
    for (auto const& v : values) list += (list.empty() ? "" : ", ") + param(fn(v));
    return list;
  }

  // Column `name` of the filter. SQLite's planner, which has no statistics, would read a filter
  // column's (column, seq) index and then sort every match whenever that index does not give the
  // sort's order: for sort=updated, or for several statuses (one range of the index each). A unary
  // + keeps it on the sort's own index instead, so a page reads rows in order and stops at its
  // limit. PostgreSQL's planner weighs both plans by its statistics.
  std::string column(std::string_view name, bool gives_order) const {
    return (dialect_ == SqlDialect::sqlite && !gives_order ? "+j." : "j.") + std::string(name);
  }

  void filter(JobFilter const& f, std::vector<std::string> const& ids, ListSort sort) {
    bool const by_seq = sort != ListSort::updated;
    if (!f.statuses.empty()) {
      add(column("status", by_seq && f.statuses.size() == 1) + " IN (" +
          params_of(f.statuses, [](auto s) { return std::string(core::to_string(s)); }) + ")");
    }
    if (f.queue) add(column("queue", by_seq) + " = " + param(*f.queue));
    if (f.type) add(column("type", by_seq) + " = " + param(*f.type));
    if (f.owner) add(column("owner", by_seq) + " = " + param(*f.owner));
    if (f.error_code) add("j.error_code = " + param(*f.error_code));
    if (f.error_text) {
      // A literal substring (no LIKE wildcards to escape), ASCII letters in either case.
      auto const needle = param(*f.error_text);
      add(dialect_ == SqlDialect::sqlite ? "instr(lower(j.error_message), lower(" + needle + ")) > 0"
                                         : "strpos(lower(j.error_message), lower(" + needle + ")) > 0");
    }
    if (f.created_after) add("j.created_at >= " + param(core::to_unix_micros(*f.created_after)));
    if (f.created_before) add("j.created_at < " + param(core::to_unix_micros(*f.created_before)));
    // At most kBulkBatch ids: their unique index finds them, and sorting so few costs nothing.
    if (!ids.empty()) add("j.id IN (" + params_of(ids, [](auto const& id) { return id; }) + ")");
  }

  void sort(ListSort sort, std::optional<ListCursor> const& cursor) {
    out_.count_where = where_;
    out_.count_params = out_.params.size();
    switch (sort) {
      case ListSort::newest:
        if (cursor) add("j.seq < " + param(cursor->seq));
        out_.order = "ORDER BY j.seq DESC";
        break;
      case ListSort::oldest:
        if (cursor) add("j.seq > " + param(cursor->seq));
        out_.order = "ORDER BY j.seq";
        break;
      case ListSort::updated:
        if (cursor) {
          auto const updated = param(cursor->updated_us);
          add("(j.updated_at, j.seq) < (" + updated + ", " + param(cursor->seq) + ")");
        }
        out_.order = "ORDER BY j.updated_at DESC, j.seq DESC";
        break;
    }
  }

  ListSql done() {
    out_.where = std::move(where_);
    return std::move(out_);
  }

 private:
  SqlDialect dialect_;
  std::string where_;
  ListSql out_;
};

}  // namespace

ListSql list_sql(ListQuery const& query, SqlDialect dialect) {
  Builder b(dialect);
  b.filter(query.filter, query.ids, query.sort);
  b.sort(query.sort, query.cursor);
  return b.done();
}

std::string count_sql(ListSql const& sql, std::string_view table) {
  return "SELECT count(*) FROM (SELECT 1 FROM " + std::string(table) + " j " + sql.count_where + " LIMIT " +
         std::to_string(api::kMaxListCount + 1) + ") c";
}

}  // namespace corral::queue
