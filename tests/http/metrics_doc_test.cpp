// docs/operations.md against a live server's GET /metrics: every metric family the server
// exposes (on the backend the suite runs on) has a row in the Metrics table, with its type. A
// metric added to the code and not to the docs fails here, naming it.
#include "http/api_helpers.hpp"

#include "support/doc_table.hpp"

#include <map>
#include <sstream>

namespace corral::test {
namespace {

class MetricsDoc : public ApiTest {};

// The families of a scrape, from their "# TYPE NAME TYPE" lines: name to type.
std::map<std::string, std::string> families_of(std::string const& text) {
  std::map<std::string, std::string> out;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("# TYPE ")) continue;
    std::istringstream words(line.substr(7));
    std::string name, type;
    words >> name >> type;
    out[name] = type;
  }
  return out;
}

TEST_F(MetricsDoc, EveryExposedMetricIsInTheMetricsTableWithItsType) {
  // A job through its life first, so that the families made at a first event are on the page.
  auto lease = start_job(api(), {{"type", "t"}, {"queue", "q"}});
  expect_json(complete(api(), lease), 200);
  ASSERT_TRUE(wait_until(kDeadline, [&] {
    return api().get("/metrics").body.find("kind=\"completed\"} 1") != std::string::npos;
  }));
  auto const families = families_of(api().get("/metrics").body);
  ASSERT_FALSE(families.empty());

  auto const table = doc_table(read_doc("operations.md"), "### Metrics");
  ASSERT_EQ(table.header, (std::vector<std::string>{"Metric", "Type", "Labels", "Meaning"}));
  std::map<std::string, DocRow> rows;
  for (auto const& row : table.rows) {
    ASSERT_EQ(row.cells.size(), 4u) << "docs/operations.md line " << row.line;
    rows.emplace(unquoted(row.cells[0]), row);
  }
  for (auto const& [name, type] : families) {
    auto it = rows.find(name);
    if (it == rows.end()) {
      ADD_FAILURE() << "docs/operations.md, Metrics: no row for " << name << " (" << type << ")";
      continue;
    }
    EXPECT_EQ(it->second.cells[1], type) << "docs/operations.md line " << it->second.line << ": type of " << name;
  }
}

}  // namespace
}  // namespace corral::test
