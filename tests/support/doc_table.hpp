// The tables of docs/*.md, read from the source tree, for the tests that keep the docs and the
// code in step (a setting or an error code added to the code and not to its doc table, or a
// default changed in one place only, fails a test naming the row).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace corral::test {

// One row of a Markdown table: its cells, trimmed, and its line in the file (1-based).
struct DocRow {
  std::vector<std::string> cells;
  int line = 0;
};

struct DocTable {
  std::vector<std::string> header;
  std::vector<DocRow> rows;
};

// The text of docs/NAME in the source tree; throws std::runtime_error if it cannot be read.
std::string read_doc(std::string_view name);

// The first table after the line `heading` (the whole line, "### Settings"); throws
// std::runtime_error if the heading or a table under it is missing.
DocTable doc_table(std::string const& text, std::string_view heading);

// The cell's text without the backticks around it: "`listen`" -> "listen".
std::string unquoted(std::string_view cell);

// The text between the line `fence_after` and the next "```" line: the code block that follows a
// heading, for the synopsis and the console samples. Throws std::runtime_error if there is none.
std::string code_block_after(std::string const& text, std::string_view fence_after);

}  // namespace corral::test
