// Locates ../shared/data, the public data set tests read but the project never copies.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <optional>
#include "common/source_dir.h"

namespace cityops::testing {

// The shared data folder, or nullopt when this checkout has none beside it.
inline std::optional<std::filesystem::path> shared_data_dir() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("CITYOPS_SHARED_DATA"); env && fs::is_directory(env)) {
    return fs::path(env);
  }
  const fs::path beside = fs::path(::cityops::source_dir()) / ".." / "shared" / "data";
  if (fs::is_directory(beside)) return fs::canonical(beside);
  return std::nullopt;
}

}  // namespace cityops::testing

// Skips the current test, saying why, when the shared data set is absent.
#define CITYOPS_REQUIRE_SHARED_DATA(var)                                               \
  const auto var##_opt = ::cityops::testing::shared_data_dir();                        \
  if (!var##_opt) GTEST_SKIP() << "../shared/data is absent; skipping real-data test"; \
  const std::filesystem::path var = *var##_opt
