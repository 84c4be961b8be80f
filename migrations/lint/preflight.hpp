// The preflight (docs/lint.md "Preflight"): the data checks of a plan's findings run on
// the live database, read-only, before the plan runs. Where the linter says a step MAY
// fail on the rows already there (set-not-null, add-unique, ...), the preflight counts
// them: each failing check becomes an `error` finding (preflight-nulls, ...) with the
// count and a few sample keys; a check that did not finish a `preflight-incomplete`
// warning; a check the live data cannot answer (the column is added earlier in the
// plan, the table renamed) a `preflight-skipped` info saying why. Lock and rewrite
// findings get the table's row estimate from the catalogue and are graded by it.
//
// I/O on the connection given; reads only: each check runs in its own read-only
// transaction (Dialect::read_only_begin; a savepoint when a transaction is already
// open), rolled back, each statement limited to PreflightOptions::timeout. Throws the
// connection's errors only for reflection and for a transaction that cannot be opened;
// a failing check statement is reported as preflight-incomplete. Not thread-safe.
#pragma once

#include <chrono>
#include <vector>

#include "dialects/connection.hpp"
#include "migrations/lint/linter.hpp"

namespace strata::lint {

struct PreflightOptions {
    // Longest time one check statement may run before it is stopped and reported as
    // preflight-incomplete.
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
    int samples = 5;  // sample keys shown per failing check
    // A lock or rewrite finding on a table of at least this many rows (catalogue
    // estimate) becomes an error; on an empty table it becomes info.
    long long large_table_rows = 1'000'000;
};

struct PreflightSummary {
    int checks = 0;  // data checks considered
    int passed = 0, failed = 0, skipped = 0, incomplete = 0;
};

// Runs the checks of `groups`, the findings of a plan in the order it runs; `steps[i]`
// are the steps of groups[i] (a revision's upgrade, or a diff's operations), which tell
// what the plan does before each check (tables it creates are empty, columns it adds
// have no live values, raw SQL and data fixes may change the rows: a failure after one
// is a warning). Each finding with a data_check gets its `preflight` outcome; the
// preflight findings follow the finding they belong to, marked accepted when their
// step's lint_ok names their rule. `version` is the server's (Dialect::time_limited).
PreflightSummary run_preflight(std::vector<RevisionFindings>& groups, const std::vector<const std::vector<Step>*>& steps,
                               Connection& connection, const ServerVersion& version,
                               const PreflightOptions& options = {});

// True when a preflight finding not accepted is an error: `upgrade --preflight` refuses.
bool preflight_refuses(const std::vector<RevisionFindings>& groups) noexcept;

}  // namespace strata::lint
