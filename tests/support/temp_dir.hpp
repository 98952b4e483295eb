// A fresh directory under $TMPDIR (or /tmp), removed with everything in it when the object dies.
#pragma once

#include <filesystem>

namespace corral::test {

class TempDir {
 public:
  TempDir();   // throws std::system_error if it cannot be created
  ~TempDir();
  TempDir(TempDir const&) = delete;
  TempDir& operator=(TempDir const&) = delete;

  std::filesystem::path const& path() const { return path_; }
  std::filesystem::path operator/(std::filesystem::path const& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace corral::test
