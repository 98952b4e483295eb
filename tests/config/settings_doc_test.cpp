// docs/cli.md against the code's settings table (config.cpp): the Settings table has one row per
// setting, with the code's environment variable, flag and default, and no other; the Job types
// table has one row per key of a [job_types.NAME] table; the `server` synopsis names every flag;
// and the sample of a refused config file shows the message the program prints. Each failure
// names the row or the setting that differs.
#include "config/config.hpp"

#include "support/doc_table.hpp"
#include "support/has_substr.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace corral::config {
namespace {

using test::DocTable;
using test::unquoted;

// The default the code shows in `corral server --help`: the help text ends "(default VALUE)".
std::string default_of(SettingDoc const& doc) {
  auto const at = doc.help.rfind(" (default ");
  if (at == std::string::npos || !doc.help.ends_with(")")) return "<no default in the help text>";
  auto const from = at + std::string_view(" (default ").size();
  return doc.help.substr(from, doc.help.size() - 1 - from);
}

// The settings that are server settings (the job types' keys have no variable or flag).
std::vector<SettingDoc> server_settings() {
  std::vector<SettingDoc> out;
  for (auto const& doc : setting_docs()) {
    if (!doc.env.empty()) out.push_back(doc);
  }
  return out;
}

std::size_t column(DocTable const& table, std::string const& name) {
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    if (table.header[i] == name) return i;
  }
  ADD_FAILURE() << "docs/cli.md: the table has no column \"" << name << "\"";
  return 0;
}

TEST(SettingsDoc, TheSettingsTableHasEverySettingWithTheCodesVariableFlagAndDefaultAndNoOther) {
  auto const table = test::doc_table(test::read_doc("cli.md"), "### Settings");
  auto const key = column(table, "TOML key"), env = column(table, "Environment"), flag = column(table, "Flag"),
             def = column(table, "Default");
  std::map<std::string, test::DocRow> rows;
  for (auto const& row : table.rows) {
    ASSERT_GT(row.cells.size(), def) << "docs/cli.md line " << row.line << ": too few cells";
    EXPECT_TRUE(rows.emplace(unquoted(row.cells[key]), row).second)
        << "docs/cli.md line " << row.line << ": setting " << row.cells[key] << " is listed twice";
  }
  std::set<std::string> in_code;
  for (auto const& s : server_settings()) {
    in_code.insert(s.toml_key);
    auto it = rows.find(s.toml_key);
    if (it == rows.end()) {
      ADD_FAILURE() << "docs/cli.md, Settings: no row for setting " << s.toml_key << " (" << s.env << ", " << s.flag
                    << ", default " << default_of(s) << ")";
      continue;
    }
    auto const& [cells, line] = it->second;
    EXPECT_EQ(unquoted(cells[env]), s.env) << "docs/cli.md line " << line << ": environment variable of " << s.toml_key;
    EXPECT_EQ(unquoted(cells[flag]), s.flag) << "docs/cli.md line " << line << ": flag of " << s.toml_key;
    EXPECT_EQ(unquoted(cells[def]), default_of(s)) << "docs/cli.md line " << line << ": default of " << s.toml_key;
  }
  for (auto const& [name, row] : rows) {
    EXPECT_TRUE(in_code.contains(name)) << "docs/cli.md line " << row.line << ": setting " << name
                                        << " is not in the code's settings table";
  }
}

// The table under `heading` of docs/cli.md has one row per key of the code's `prefix` settings
// ("job_types.NAME.", "queues.NAME."), and no other.
void expect_one_row_per_key(std::string const& heading, std::string const& prefix) {
  auto const table = test::doc_table(test::read_doc("cli.md"), heading);
  std::set<std::string> documented;
  for (auto const& row : table.rows) {
    auto const name = unquoted(row.cells.at(0));
    documented.insert(name);
    bool const known = std::any_of(setting_docs().begin(), setting_docs().end(),
                                   [&](SettingDoc const& d) { return d.toml_key == prefix + name; });
    EXPECT_TRUE(known) << "docs/cli.md line " << row.line << ": key " << prefix << name << " is not in the code";
  }
  for (auto const& doc : setting_docs()) {
    if (!doc.toml_key.starts_with(prefix)) continue;
    auto const name = doc.toml_key.substr(prefix.size());
    EXPECT_TRUE(documented.contains(name)) << "docs/cli.md, " << heading << ": no row for key " << name;
  }
}

TEST(SettingsDoc, TheJobTypesTableHasEveryKeyOfAJobTypeAndNoOther) {
  expect_one_row_per_key("### Job types", "job_types.NAME.");
}

TEST(SettingsDoc, TheQueuesTableHasEveryKeyOfAQueueAndNoOther) {
  expect_one_row_per_key("### Queues", "queues.NAME.");
}

TEST(SettingsDoc, TheServerSynopsisNamesEveryFlag) {
  auto const synopsis = test::code_block_after(test::read_doc("cli.md"), "## corral server");
  EXPECT_TRUE(test::has_substr(synopsis, "[--config FILE]"));
  for (auto const& s : server_settings()) {
    // A switch takes no value: [--insecure].
    auto const shown = s.is_switch ? "[" + s.flag + "]" : "[" + s.flag + " ";
    EXPECT_TRUE(test::has_substr(synopsis, shown)) << "docs/cli.md, corral server synopsis: " << s.flag;
  }
}

TEST(SettingsDoc, TheRefusedConfigSampleShowsTheProgramsMessage) {
  // The doc's sample: a file with `lisen = ...` in place of `listen`.
  ServerConfig cfg;
  auto const refused = apply_toml(cfg, "lisen = \"127.0.0.1:7878\"", "bad.toml");
  ASSERT_FALSE(refused);
  std::string const printed = "corral server: " + refused.error().message;
  auto const doc = test::read_doc("cli.md");
  auto const at = doc.find("corral server: bad.toml: unknown setting lisen");
  ASSERT_NE(at, std::string::npos) << "docs/cli.md: no sample of the unknown setting lisen";
  EXPECT_EQ(doc.substr(at, doc.find('\n', at) - at), printed) << "docs/cli.md, corral server: the sample of an unknown setting";
}

}  // namespace
}  // namespace corral::config
