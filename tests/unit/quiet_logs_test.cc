// Tests exercise code that logs every case it touches; at the default level that would bury
// the test output (and slow sanitizer runs). Only warnings and errors are shown.
#include <spdlog/spdlog.h>

namespace {

const bool kQuiet = [] {
  spdlog::set_level(spdlog::level::warn);
  return true;
}();

}  // namespace
