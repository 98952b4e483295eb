// A torn, unsynced WAL tail: the server is killed (SIGKILL) after a run of enqueues, each its own
// commit; then copies of its database and WAL are damaged as a power cut in the middle of the
// last writes could leave them: the WAL cut at a random byte inside one of its last frames,
// random bytes appended after the cut or after the whole WAL. A server started on each copy must
// start, hold every transaction whose commit frame lies before the torn frame and none after it,
// and pass PRAGMA integrity_check. The torn commits stand for writes whose sync never returned,
// so their enqueues count as without a reply; every other enqueue was acknowledged and must be
// there.
#include "faults/final_state.hpp"
#include "faults/history.hpp"
#include "http/api_helpers.hpp"
#include "support/files.hpp"

#include <random>

namespace corral::test {
namespace {

constexpr int kEnqueues = 40;
constexpr int kTrials = 8;
constexpr std::size_t kLastFrames = 12;   // cuts fall inside the last this many frames
constexpr std::size_t kWalHeader = 32, kFrameHeader = 24;

std::uint32_t big_endian32(std::string const& b, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

// The frames of the WAL's current generation (those carrying the header's salts): for each,
// whether it ends a transaction (its "database size after commit" field is set).
struct WalFrames {
  std::size_t frame_bytes = 0;
  std::vector<bool> commits;
};

WalFrames frames_of(std::string const& wal) {
  WalFrames f;
  if (wal.size() < kWalHeader) throw std::runtime_error("no WAL to tear");
  f.frame_bytes = kFrameHeader + big_endian32(wal, 8);
  for (std::size_t at = kWalHeader; at + f.frame_bytes <= wal.size(); at += f.frame_bytes) {
    if (wal.compare(at + 8, 8, wal, 16, 8) != 0) break;   // an older generation's frame
    f.commits.push_back(big_endian32(wal, at + 4) != 0);
  }
  return f;
}

TEST(TornWal, EveryTransactionBeforeTheTornFrameSurvivesAndNoneAfterIt) {
  TempDir dir;
  CorralProcess original(dir.path());
  original.start();
  std::vector<std::string> keys;   // in the order their commits were acknowledged
  {
    auto api = original.client();
    for (int i = 0; i < kEnqueues; ++i) {
      keys.push_back("torn-" + std::to_string(i));
      enqueue(api, {{"type", "t"}, {"idempotency_key", keys.back()}, {"payload", std::string(300, 'x')}});
    }
  }
  original.kill();
  std::string const db = read_file(original.db_path());
  std::string const wal = read_file(original.db_path().string() + "-wal");
  auto const frames = frames_of(wal);
  ASSERT_GT(frames.commits.size(), kLastFrames);
  ASSERT_TRUE(frames.commits.back()) << "the WAL ends with the last enqueue's commit";

  auto const seed = std::random_device{}();
  std::mt19937 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  History::Check total;
  for (int trial = 0; trial < kTrials; ++trial) {
    // Trial 0 only appends garbage; the others cut inside one of the last frames, half of them
    // with garbage after the cut.
    std::size_t torn_frame = frames.commits.size();
    std::string torn = wal;
    if (trial > 0) {
      torn_frame = frames.commits.size() - 1 - rng() % kLastFrames;
      torn.resize(kWalHeader + torn_frame * frames.frame_bytes + rng() % frames.frame_bytes);
    }
    if (trial == 0 || trial % 2 == 0) {
      std::string garbage(1 + rng() % (2 * frames.frame_bytes), '\0');
      for (auto& c : garbage) c = static_cast<char>(rng());
      torn += garbage;
    }
    auto const torn_commits = static_cast<std::size_t>(
        std::count(frames.commits.begin() + static_cast<std::ptrdiff_t>(torn_frame), frames.commits.end(), true));
    ASSERT_LT(torn_commits, keys.size()) << "the cut falls among the enqueues' commits";
    std::size_t const kept = keys.size() - torn_commits;
    SCOPED_TRACE("trial " + std::to_string(trial) + ": torn at frame " + std::to_string(torn_frame) + " of " +
                 std::to_string(frames.commits.size()) + ", " + std::to_string(torn_commits) + " commits torn");

    TempDir copy;
    write_file(copy / "corral.db", db);
    write_file(copy / "corral.db-wal", torn);
    CorralProcess server(copy.path());
    ASSERT_NO_THROW(server.start());
    std::set<std::string> found;
    std::vector<core::Job> final_jobs;
    {
      auto api = server.client();
      final_jobs = listed_jobs(api);
    }
    for (auto const& job : final_jobs) found.insert(job.idempotency_key.value_or("<none>"));
    EXPECT_EQ(found, std::set<std::string>(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(kept)))
        << "exactly the transactions before the torn frame";
    ASSERT_TRUE(server.stop());
    EXPECT_EQ(server.exit_code(), 0) << server.log();
    EXPECT_EQ(integrity_of(copy / "corral.db"), "ok");

    // The history's own check: it matches jobs by key, so the ids recorded are those found.
    History matched;
    for (std::size_t i = 0; i < keys.size(); ++i) {
      auto it = std::find_if(final_jobs.begin(), final_jobs.end(),
                             [&](core::Job const& j) { return j.idempotency_key == keys[i]; });
      matched.enqueue(keys[i], i < kept ? Outcome::acknowledged : Outcome::no_reply,
                      it == final_jobs.end() ? "missing-" + keys[i] : it->id);
    }
    auto const c = matched.check(final_jobs);
    EXPECT_TRUE(c.lost.empty() && c.unexpected.empty() && c.duplicated.empty()) << c.problems();
    total.acknowledged += c.acknowledged;
    total.no_reply += c.no_reply;
    total.lost.insert(c.lost.begin(), c.lost.end());
    total.unexpected.insert(c.unexpected.begin(), c.unexpected.end());
    total.duplicated.insert(c.duplicated.begin(), c.duplicated.end());
  }
  report_fault("torn WAL tail (cut or garbage in the last frames, " + std::to_string(kTrials) + " copies)", total,
               "n/a: SQLite's frame checksums");
}

}  // namespace
}  // namespace corral::test
