// A scratch directory for one test, removed with everything in it when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <system_error>

namespace cityops::testing {

class TempDir {
 public:
  // `prefix` names the suite; the test's name, the process id and a counter keep directories of
  // parallel test runs apart.
  explicit TempDir(const std::string& prefix)
      : TempDir(prefix, std::filesystem::temp_directory_path()) {}
  // The same below `base`, for tests that want a particular file system (a RAM disk for a
  // test that commits many thousand transactions).
  TempDir(const std::string& prefix, const std::filesystem::path& base) {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test = info ? info->name() : "none";
    path_ = base / (prefix + "-" + std::to_string(::getpid()) + "-" + test + "-" +
                    std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace cityops::testing
