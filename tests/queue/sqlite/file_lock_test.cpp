#include "queue/sqlite/file_lock.hpp"

#include "queue/queue_printers.hpp"
#include "support/has_substr.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace corral::sqlite {
namespace {

// flock() locks belong to an open file description, so two acquires in one process conflict
// exactly as two servers would.
TEST(FileLock, SecondAcquireOfTheSameFileFailsNamingTheFile) {
  test::TempDir dir;
  std::string const path = (dir / "corral.db").string();

  auto first = FileLock::acquire(path);
  ASSERT_TRUE(first) << first.error().message;

  auto second = FileLock::acquire(path);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, core::Errc::storage_unavailable);
  EXPECT_TRUE(test::has_substr(second.error().message, path));
}

TEST(FileLock, IsFreeAgainOnceTheHolderIsDestroyed) {
  test::TempDir dir;
  std::string const path = (dir / "corral.db").string();

  std::optional<core::Result<FileLock>> holder(FileLock::acquire(path));
  ASSERT_TRUE(*holder);
  ASSERT_FALSE(FileLock::acquire(path));
  holder.reset();

  auto again = FileLock::acquire(path);
  EXPECT_TRUE(again) << again.error().message;
}

TEST(FileLock, SurvivesAMove) {
  test::TempDir dir;
  std::string const path = (dir / "corral.db").string();

  auto acquired = FileLock::acquire(path);
  ASSERT_TRUE(acquired);
  std::optional<FileLock> moved(std::move(*acquired));
  EXPECT_FALSE(FileLock::acquire(path)) << "the moved-to lock still holds";
  moved.reset();
  EXPECT_TRUE(FileLock::acquire(path)) << "and releases on destruction";
}

TEST(FileLock, OtherFilesAreIndependent) {
  test::TempDir dir;
  auto a = FileLock::acquire((dir / "a.db").string());
  auto b = FileLock::acquire((dir / "b.db").string());
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
}

}  // namespace
}  // namespace corral::sqlite
