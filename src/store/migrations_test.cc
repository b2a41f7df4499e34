// Query plans the schema is meant to give, checked with SQLite's own planner on a fresh
// database, so an index that stops being used is noticed before a large register is slow.
#include "store/migrations.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "support/temp_dir.h"

namespace cityops::store {
namespace {

template <typename T>
T must(Result<T> result) {
  EXPECT_TRUE(result.is_ok()) << result.status().message();
  if (!result.is_ok()) throw std::runtime_error(result.status().message());
  return std::move(result).value();
}

std::string plan(Connection& db, const std::string& sql) {
  auto stmt = must(db.prepare("EXPLAIN QUERY PLAN " + sql));
  std::string out;
  while (must(stmt.step())) out += stmt.text(3) + "; ";
  return out;
}

TEST(Migrations, OpenCasesAreReadThroughTheirPartialIndex) {
  const testing::TempDir dir("cityops-migrations");
  auto db = must(Connection::open(dir.path() / "plan.db", false));
  must(migrate(db));
  // The statement SqliteStore::open_cases runs at every start; a full scan here reads every
  // finished case of the register before the server can answer.
  const auto open_cases = plan(
      db, "SELECT body FROM cases WHERE state NOT IN ('rejected','merged','closed','cancelled')");
  EXPECT_NE(open_cases.find("USING INDEX cases_open"), std::string::npos) << open_cases;
}

}  // namespace
}  // namespace cityops::store
