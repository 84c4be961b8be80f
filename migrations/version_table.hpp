// The version table (design.md §4, §5): which revisions a database has, as rows of
// `strata_version`, plus `strata_version_meta` holding the layout of these tables so
// that later strata versions can change them.
//
//   strata_version             one row per applied (or partly applied) revision
//     revision           VARCHAR(64) primary key
//     checksum           VARCHAR(80)   file_checksum() of the revision file when applied
//     state              VARCHAR(16)   'applied' | 'partial' | 'reverting' (see RevisionState)
//     applied_at         VARCHAR(32)   UTC, "2026-11-26T05:00:00.123456Z" (start of the run
//                                      for partial rows); sorts chronologically
//     duration_ms        BIGINT NULL   how long the upgrade took, its COMMIT included (set
//                                      again just after the COMMIT; NULL while partial, and
//                                      in rows written by a --sql script)
//     statements_applied INTEGER       statements of the run's plan that have run
//     statements_total   INTEGER       statements in the run's plan
//     failed_sql         TEXT NULL     the statement that failed (partial/reverting rows)
//     error              TEXT NULL     its error message
//     resume_plan        TEXT NULL     the plan being run, as JSON, while partial/reverting:
//                                      a resumed run executes exactly these statements
//   strata_version_meta        exactly one row
//     layout             INTEGER       VersionTable::layout
//
// Column types come from the dialect's render_type (VARCHAR, TEXT/LONGTEXT, BIGINT),
// identifiers from its quote(). Values are bound parameters on a live connection;
// scripts (the *_script functions) spell them as literals.
//
// Rows other than 'applied' exist only on databases without transactional DDL
// (MySQL/MariaDB), where each statement commits itself and progress is recorded after
// every statement; elsewhere a revision and its row commit together.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "dialects/dialect.hpp"
#include "migrations/plan.hpp"

namespace strata {

class Connection;

enum class RevisionState {
    applied,    // every statement of the upgrade ran
    partial,    // the upgrade stopped after statements_applied statements (failure or kill)
    reverting,  // a downgrade stopped after statements_applied statements of its plan
};
// "applied", "partial", "reverting".
const char* to_string(RevisionState state) noexcept;

// One row of strata_version.
struct AppliedRevision {
    std::string revision;
    std::string checksum;
    RevisionState state = RevisionState::applied;
    std::string applied_at;
    std::optional<std::int64_t> duration_ms;
    std::int64_t statements_applied = 0;
    std::int64_t statements_total = 0;
    std::string failed_sql;   // empty: none recorded (a killed run records none)
    std::string error;
    std::string resume_plan;  // JSON (see encode_resume_plan); empty for applied rows

    bool complete() const noexcept { return state == RevisionState::applied; }
    // The first statement of the stored plan that has not run: where a resumed run
    // starts. Empty for applied rows and when the plan has no such statement.
    std::string next_sql() const;
};

class VersionTable {
public:
    static constexpr const char* table_name = "strata_version";
    static constexpr const char* meta_table_name = "strata_version_meta";
    // The layout this strata writes. A database with a higher layout was migrated by a
    // newer strata; ensure() and read() refuse it rather than misread it.
    static constexpr int layout = 1;

    explicit VersionTable(const Dialect& dialect) : dialect_(dialect) {}

    // ---- live (bound parameters, run on `conn`; none opens or commits a transaction) ----
    // Whether the tables exist, by reading the meta table. Must not be called inside a
    // transaction (on PostgreSQL a failed probe would abort it). Connection failures
    // are rethrown, not reported as "missing".
    bool exists(Connection& conn) const;
    // Creates both tables if missing (CREATE TABLE IF NOT EXISTS, meta row inserted only
    // when absent), then checks the layout. Idempotent. Callers hold the migration lock
    // (inside a transaction for per-transaction locks). Throws Error(unsupported) for a
    // layout newer than this strata's, Error(database) for an unreadable one.
    void ensure(Connection& conn) const;
    // Every row, oldest first (applied_at, then revision). Empty when the tables do not
    // exist only if `may_be_missing`; else the tables must exist. Throws
    // Error(unsupported) for a newer layout, Error(database) for a row it cannot read
    // (an unknown state).
    std::vector<AppliedRevision> read(Connection& conn, bool may_be_missing = false) const;
    // The row of `revision`, std::nullopt when there is none; the tables must exist.
    // Throws as read(). One indexed lookup: what a run asks inside each revision's
    // transaction, where reading every row would cost O(rows) per revision.
    std::optional<AppliedRevision> read_row(Connection& conn, const std::string& revision) const;
    void insert(Connection& conn, const AppliedRevision& row) const;
    // Replaces every column of the row with this revision id.
    void update(Connection& conn, const AppliedRevision& row) const;
    // Sets duration_ms of an applied row (no effect on other rows): the runner writes the
    // row before its COMMIT and the duration with the COMMIT included afterwards.
    void set_duration(Connection& conn, const std::string& revision, std::int64_t duration_ms) const;
    // Sets statements_applied (progress after each statement on MySQL).
    void set_progress(Connection& conn, const std::string& revision, std::int64_t statements_applied) const;
    // Records the failing statement and error of a partial/reverting row.
    void set_failure(Connection& conn, const std::string& revision, const std::string& failed_sql,
                     const std::string& error) const;
    void remove(Connection& conn, const std::string& revision) const;

    // ---- scripts (values as literals; each statement without a trailing ';') -----------
    // CREATE TABLE IF NOT EXISTS for both tables and the meta row insert, guarded so that
    // the script can run on a database that has them already.
    std::vector<std::string> create_script() const;
    std::string insert_script(const AppliedRevision& row) const;
    std::string remove_script(const std::string& revision) const;

private:
    struct Bound {
        std::string sql;
        std::vector<Value> params;
    };
    Bound insert_statement(const AppliedRevision& row) const;
    Bound remove_statement(const std::string& revision) const;
    // SELECT of every column, in the order decode() reads them.
    std::string select_columns() const;
    static AppliedRevision decode(const std::vector<Value>& row);
    std::string table() const;
    std::string meta() const;
    std::string col(const char* name) const;
    // `sql` with each '?' marker replaced by the dialect's placeholder (live) or by the
    // literal of the matching value (script).
    std::string spell(const std::string& sql, const std::vector<Value>& params, bool literals) const;
    void check_layout(Connection& conn) const;

    const Dialect& dialect_;
};

// The current time as applied_at text: UTC, microseconds, "2026-11-26T05:00:00.123456Z".
std::string version_timestamp();

// The plan of a run in progress, as stored in resume_plan: each step's statements (SQL
// and flags) plus the plan-level statements. Call steps are kept as empty steps, so the
// step count equals the revision's. `origin` says which steps were planned (the runner
// writes "upgrade", "downgrade", or "reverse:<n>" for the reverse of the first n
// upgrade steps) and is returned by resume_plan_origin.
std::string encode_resume_plan(const Plan& plan, const std::string& origin);
// The origin stored with the plan; Error(database) when the text is not a stored plan.
std::string resume_plan_origin(const std::string& text);
// Rebuilds the plan for `steps` (the same steps that were planned) from its stored form.
// Throws Error(database) when the text is not a stored plan or its step count differs
// from steps.size() (the row does not belong to these steps).
Plan decode_resume_plan(const std::string& text, const std::vector<Step>& steps, const Dialect& dialect);

}  // namespace strata
