// A numbered schema migration, embedded in the binary from migrations/NNN_name.sql.
// Migrations are applied in order, each in its own transaction, and never edited once released:
// a schema change is a new file with the next number.
#pragma once

#include <string_view>
#include <vector>

namespace corral::queue {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

}  // namespace corral::queue
