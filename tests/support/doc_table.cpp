#include "support/doc_table.hpp"

#include "support/files.hpp"

#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace corral::test {
namespace {

std::string trimmed(std::string_view s) {
  auto const first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return "";
  auto const last = s.find_last_not_of(" \t");
  return std::string(s.substr(first, last - first + 1));
}

// "| a | b |" -> {"a", "b"}. A pipe escaped as "\|" stays in its cell.
std::vector<std::string> cells_of(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (line[i] == '|') {
      cells.push_back(trimmed(cell));
      cell.clear();
    } else {
      cell += line[i];
    }
  }
  return cells;
}

std::vector<std::string> lines_of(std::string const& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t line_index(std::vector<std::string> const& lines, std::string_view wanted) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == wanted) return i;
  }
  throw std::runtime_error("no line \"" + std::string(wanted) + "\" in the doc");
}

}  // namespace

std::string read_doc(std::string_view name) {
  auto const path = std::filesystem::path(CORRAL_SOURCE_DIR) / "docs" / name;
  if (!std::filesystem::exists(path)) throw std::runtime_error("cannot read " + path.string());
  return read_file(path);
}

DocTable doc_table(std::string const& text, std::string_view heading) {
  auto const lines = lines_of(text);
  std::size_t i = line_index(lines, heading) + 1;
  while (i < lines.size() && !lines[i].starts_with("|") && !lines[i].starts_with("#")) ++i;
  if (i + 1 >= lines.size() || !lines[i].starts_with("|")) {
    throw std::runtime_error("no table under \"" + std::string(heading) + "\"");
  }
  DocTable table;
  table.header = cells_of(lines[i]);
  for (i += 2; i < lines.size() && lines[i].starts_with("|"); ++i) {  // past the |---| line
    table.rows.push_back(DocRow{cells_of(lines[i]), static_cast<int>(i + 1)});
  }
  return table;
}

std::string unquoted(std::string_view cell) {
  if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`') cell = cell.substr(1, cell.size() - 2);
  return std::string(cell);
}

std::string code_block_after(std::string const& text, std::string_view fence_after) {
  auto const lines = lines_of(text);
  std::size_t i = line_index(lines, fence_after) + 1;
  while (i < lines.size() && !lines[i].starts_with("```")) ++i;
  std::string block;
  for (++i; i < lines.size() && !lines[i].starts_with("```"); ++i) block += lines[i] + "\n";
  if (i >= lines.size()) throw std::runtime_error("no code block after \"" + std::string(fence_after) + "\"");
  return block;
}

}  // namespace corral::test
