// SQL for the case tables, shared by the store's read and write paths. Each function works on
// the connection it is given and assumes the caller holds whatever lock or transaction it needs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/case.h"
#include "store/decoded_cases.h"
#include "store/sqlite_db.h"
#include "store/store.h"

namespace cityops::store {

// The next sequence number for a "130304-20261204" prefix; starts at 1.
Result<int64_t> next_sequence(Connection& db, const std::string& prefix);
// The last number handed out for a prefix, 0 when none was.
Result<int64_t> last_sequence(Connection& db, const std::string& prefix);
// Records that numbers up to `last` are taken; never moves the sequence back.
Status advance_sequence(Connection& db, const std::string& prefix, int64_t last);

// The stored text of a case and of an event's data. Encoding is the costly part of a write,
// so the writer's callers do it on their own threads and hand the text over.
std::string encode_case_body(const Case& c);
std::string encode_event_data(const CaseEvent& event);

Status upsert_case_row(Connection& db, const Case& c);
Status upsert_case_row(Connection& db, const Case& c, const std::string& body);
// Moves the row from version c.version - 1 to c; kConflict "stale_version" when it is not there.
Status update_case_row(Connection& db, const Case& c);
Status update_case_row(Connection& db, const Case& c, const std::string& body);
Status insert_event(Connection& db, const CaseEvent& event);
Status insert_event(Connection& db, const CaseEvent& event, const std::string& data);
Result<std::vector<CaseEvent>> read_events(Connection& db, const std::string& number);
// Selecting these columns, a statement's rows read back with collect_events.
inline constexpr std::string_view kEventColumns =
    "SELECT id, case_number, version, action, actor, at, from_state, to_state, note, data";
Result<std::vector<CaseEvent>> collect_events(Statement& stmt);

Result<std::optional<std::string>> find_idempotent(Connection& db, const std::string& key);
Status remember_idempotent(Connection& db, const std::string& key, const std::string& number,
                           Timestamp at);

Result<Case> case_from_body(const std::string& body);
// Reads every row of a statement whose first column is a case body.
// With `cache`, records read recently are not decoded again.
Result<std::vector<Case>> collect_cases(Statement& stmt, DecodedCases* cache = nullptr);
// Cases whose warning or due time has come by `now` and that the timer has not yet marked.
Result<std::vector<Case>> cases_due_for_timer(Connection& db, Timestamp now, int limit);
// The condition " AND (...)" that keeps the cases of `scope` (columns of `table`, an alias
// with its dot, or empty), appending its arguments, all text, to `args`.
std::string scope_condition(const CaseQuery::Scope& scope, const std::string& table,
                            std::vector<std::string>& args);
Result<CasePage> query_cases(Connection& db, const CaseQuery& query, DecodedCases* cache = nullptr);

// The derived columns of a case row, as the functions above write them, for writers that
// bind rows through statements of their own (bulk_load.h).
int64_t case_warn_at_column(const Case& c);
int64_t case_timer_at_column(const Case& c);

}  // namespace cityops::store
