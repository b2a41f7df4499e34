// Versioned schema migrations. Each migration runs once, in order, inside a transaction, and
// its version is recorded in `schema_migrations`. Never edit a published migration: add one.
#pragma once

#include "common/status.h"
#include "store/sqlite_db.h"

namespace cityops::store {

// Brings the database up to the newest schema. Returns the version now in force.
Result<int> migrate(Connection& db);

// The version migrate() brings a database to: the number of migrations there are.
int latest_schema_version();

}  // namespace cityops::store
