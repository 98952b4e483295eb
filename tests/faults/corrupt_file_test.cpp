// A damaged database file: the header's magic or page size overwritten, a b-tree page's header
// overwritten (the jobs table's root, and a page in the middle of the file), the file cut to half
// its length, the file replaced with garbage. Each time `corral server` must refuse to start: exit
// non-zero, log a line naming the file and the problem, and leave the file byte for byte as it
// was (never start an empty database in its place, never write over it).
#include "http/api_helpers.hpp"
#include "queue/sqlite/database.hpp"
#include "support/files.hpp"

#include <functional>
#include <random>

namespace corral::test {
namespace {

constexpr int kStoredJobs = 300;
constexpr std::size_t kPageSize = 4096;   // SQLite's default, which Corral keeps

struct Damage {
  std::string name;
  std::string expected_problem;   // a phrase the log line must hold
  std::function<void(std::string& bytes, int jobs_root_page)> apply;
};

void overwrite_page_header(std::string& bytes, std::size_t page) {
  // The b-tree page header (type, freeblock, cell count, content start) and the first cell pointers.
  auto const at = (page - 1) * kPageSize + (page == 1 ? 100 : 0);
  for (std::size_t i = 0; i < 16; ++i) bytes[at + i] = static_cast<char>(0xA5 ^ i);
}

std::vector<Damage> const& damages() {
  static std::vector<Damage> const kDamages = {
      {"magic string", "not the SQLite header", [](std::string& b, int) { b[3] ^= 0x20; b[9] ^= 0x01; }},
      {"page size field", "page size", [](std::string& b, int) { b[16] = 0x03; b[17] = 0x01; }},
      {"jobs table root page", "quick_check",
       [](std::string& b, int root) { overwrite_page_header(b, static_cast<std::size_t>(root)); }},
      {"page in the middle", "quick_check",
       [](std::string& b, int) { overwrite_page_header(b, b.size() / kPageSize / 2); }},
      {"truncated to half", "truncated", [](std::string& b, int) { b.resize(b.size() / 2); }},
      {"garbage", "not the SQLite header",
       [](std::string& b, int) {
         std::mt19937 rng(7);
         for (auto& c : b) c = static_cast<char>(rng());
       }},
  };
  return kDamages;
}

int jobs_root_page(std::filesystem::path const& db_path) {
  auto db = sqlite::Database::open(db_path.string(), sqlite::Database::Mode::read_only);
  if (!db) throw std::runtime_error(db.error().message);
  auto st = db->prepare("SELECT rootpage FROM sqlite_master WHERE name = 'jobs'");
  auto row = st.step();
  if (!row || !*row) throw std::runtime_error("no jobs table");
  return static_cast<int>(st.int64(0));
}

TEST(CorruptFile, TheServerRefusesEveryDamagedFileWithAClearMessageAndLeavesItUnchanged) {
  TempDir dir;
  CorralProcess server(dir.path());
  server.start();
  {
    auto api = server.client();
    // Payloads of a few hundred bytes spread the jobs over many b-tree pages and no overflow page.
    json::array specs;
    for (int i = 0; i < kStoredJobs; ++i) specs.push_back(json::object{{"type", "t"}, {"payload", std::string(400, 'p')}});
    for (int sent = 0; sent < kStoredJobs; sent += 100) {
      json::array part(specs.begin() + sent, specs.begin() + sent + 100);
      enqueue_batch(api, std::move(part));
    }
  }
  ASSERT_TRUE(server.stop());
  ASSERT_EQ(server.exit_code(), 0) << server.log();
  ASSERT_FALSE(std::filesystem::exists(server.db_path().string() + "-wal")) << "a clean stop checkpoints the WAL";
  std::string const original = read_file(server.db_path());
  ASSERT_GT(original.size(), 20 * kPageSize);
  int const root = jobs_root_page(server.db_path());

  for (auto const& damage : damages()) {
    SCOPED_TRACE(damage.name);
    std::string damaged = original;
    damage.apply(damaged, root);
    write_file(server.db_path(), damaged);

    EXPECT_THROW(server.start(), std::runtime_error) << "the server started on a damaged file";
    EXPECT_NE(server.exit_code().value_or(0), 0) << server.log();
    auto const log = server.log();
    EXPECT_TRUE(has_substr(log, server.db_path().string() + " is not a usable Corral database")) << log;
    EXPECT_TRUE(has_substr(log, damage.expected_problem)) << log;
    EXPECT_TRUE(read_file(server.db_path()) == damaged) << "the server changed the damaged file";
  }

  // The same file undamaged still serves every job: the refusals were about the damage alone.
  write_file(server.db_path(), original);
  server.start();
  auto api = server.client();
  EXPECT_EQ(list_jobs(api, "limit=1000").at("jobs").as_array().size(), static_cast<std::size_t>(kStoredJobs));
  EXPECT_TRUE(server.stop());
  EXPECT_EQ(server.exit_code(), 0) << server.log();
}

}  // namespace
}  // namespace corral::test
