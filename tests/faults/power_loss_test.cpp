// Power loss: the embedded queue under enqueue, fetch and complete load loses power at a random
// point in its sequence of writes and syncs; the files go back to what was synced; the queue is
// opened again, and everything it acknowledged must be there, in a database that passes
// integrity_check. The same load at weaker synchronous levels must lose acknowledged work: the
// negative controls, which show the VFS really drops what was not synced.
#include "faults/storage_fault.hpp"

#include <random>

namespace corral::test {
namespace {

constexpr int kCycles = 20;                 // power cuts per test, on the same database
constexpr std::int64_t kMaxCutAfter = 3000; // the cut comes within this many writes and syncs
constexpr std::uint64_t kSeed = 20261201;

class PowerLoss : public StorageFault {
 protected:
  // Runs kCycles of: load, cut, restore, reopen, check. Returns what the checks found.
  History::Check cut_power_repeatedly(std::string const& synchronous) {
    std::mt19937_64 rng(kSeed);
    std::uniform_int_distribution<std::int64_t> cut_after(1, kMaxCutAfter);
    History history;
    History::Check found;
    open(synchronous);
    for (int cycle = 0; cycle < kCycles && !HasFatalFailure(); ++cycle) {
      std::int64_t const cut = cut_after(rng);
      vfs().cut_power_after(cut);
      run_load(history, "c" + std::to_string(cycle));
      vfs().cut_power_now();   // if the load ended before the cut came
      close();
      vfs().restore_power();
      open(synchronous);
      if (HasFatalFailure()) break;
      found.merge(history.check(all_jobs()));
      EXPECT_EQ(integrity(), "ok") << "after the cut at write or sync " << cut << " of cycle " << cycle;
    }
    return found;
  }
};

TEST_F(PowerLoss, AtFullSyncNothingAcknowledgedIsLostAndTheDatabaseStaysIntact) {
  auto const found = cut_power_repeatedly("FULL");
  report_fault("power loss, synchronous=FULL", found, "see the NORMAL and OFF rows");
  EXPECT_GT(found.acknowledged, 0) << "the load acknowledged nothing: the test proves nothing";
  EXPECT_TRUE(found.lost.empty() && found.unexpected.empty() && found.duplicated.empty()) << found.problems();
}

// Negative controls: the same cuts, with the WAL synced only at checkpoints (NORMAL) or never
// (OFF). Commits acknowledged since the last sync are gone after the cut.
TEST_F(PowerLoss, AtNormalSyncAcknowledgedCommitsAreLost) {
  auto const found = cut_power_repeatedly("NORMAL");
  report_fault("power loss, synchronous=NORMAL (control)", found, found.lost.empty() ? "no: nothing lost" : "yes");
  EXPECT_FALSE(found.lost.empty()) << "the control lost nothing: the power cut does not bite";
}

TEST_F(PowerLoss, AtOffSyncAcknowledgedCommitsAreLost) {
  auto const found = cut_power_repeatedly("OFF");
  report_fault("power loss, synchronous=OFF (control)", found, found.lost.empty() ? "no: nothing lost" : "yes");
  EXPECT_FALSE(found.lost.empty()) << "the control lost nothing: the power cut does not bite";
}

}  // namespace
}  // namespace corral::test
