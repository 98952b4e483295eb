// docs/api.md against the code's error codes (core/error.hpp) and their one table of HTTP
// statuses (http/respond.cpp): the Errors table has one row per code, with its status, and no
// other. Each failure names the row or the code that differs.
#include "core/error.hpp"
#include "http/respond.hpp"

#include "support/doc_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace corral::test {
namespace {

// Every enumerator of core::Errc. They run from 0 without gaps, and to_string() names each one
// (the compiler's -Wswitch sees to that); past the last it falls back to "internal".
std::vector<core::Errc> every_error_code() {
  std::vector<core::Errc> codes;
  for (int i = 0; i < 1000; ++i) {
    auto const code = static_cast<core::Errc>(i);
    if (code != core::Errc::internal && core::to_string(code) == "internal") break;
    codes.push_back(code);
  }
  return codes;
}

TEST(ErrorsDoc, TheErrorsTableHasEveryCodeWithItsStatusAndNoOther) {
  auto const table = doc_table(read_doc("api.md"), "## Errors");
  ASSERT_EQ(table.header, (std::vector<std::string>{"Code", "HTTP", "When"}));
  std::map<std::string, DocRow> rows;
  for (auto const& row : table.rows) {
    ASSERT_EQ(row.cells.size(), 3u) << "docs/api.md line " << row.line;
    EXPECT_TRUE(rows.emplace(unquoted(row.cells[0]), row).second)
        << "docs/api.md line " << row.line << ": code " << row.cells[0] << " is listed twice";
  }
  std::set<std::string> in_code;
  for (auto const code : every_error_code()) {
    std::string const name(core::to_string(code));
    auto const status = std::to_string(http::respond::status_of(code));
    in_code.insert(name);
    auto it = rows.find(name);
    if (it == rows.end()) {
      ADD_FAILURE() << "docs/api.md, Errors: no row for code " << name << " (HTTP " << status << ")";
      continue;
    }
    EXPECT_EQ(it->second.cells[1], status) << "docs/api.md line " << it->second.line << ": HTTP status of " << name;
  }
  for (auto const& [name, row] : rows) {
    EXPECT_TRUE(in_code.contains(name)) << "docs/api.md line " << row.line << ": code " << name
                                        << " is not one of the code's error codes";
  }
}

}  // namespace
}  // namespace corral::test
