// Runs a plan (migrations/plan.hpp) on a connection: exactly the plan's statements, in
// order, with the transaction handling the dialect allows. The runner (version table,
// lock, revisions) builds on this; `--sql` prints the same plan instead.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "migrations/plan.hpp"

namespace strata {

class Connection;

// Reported after each statement of a step has run.
struct StatementProgress {
    std::size_t step = 0;       // index into plan.steps
    std::size_t statement = 0;  // index into that step's statements
    std::size_t done = 0;       // step statements run so far, counting skipped ones (1-based)
    std::size_t total = 0;      // plan.statement_count()
    const SqlStatement* sql = nullptr;
};

struct ExecuteOptions {
    // Called after each step statement succeeded (for MySQL the runner records
    // progress here, since every statement commits itself). With transactional DDL it
    // is called inside the transaction, except after a statement that runs outside it:
    // then before the next transaction opens, so that what it writes is committed too.
    std::function<void(const StatementProgress&)> on_statement;
    // Runs a `call` step (a data fix registered by the user's program). Required when
    // the plan has call steps: without it such a plan is Error(usage) before anything runs.
    std::function<void(const op::Call&, Connection&)> call;
    // Called right after the migration's transaction opened (transactional DDL only),
    // before any step. Returning false skips the plan: the transaction is rolled back, the
    // after_transaction statements run, and execute_plan returns with skipped = true. The
    // runner re-reads its version table here when the migration lock is the database's
    // write lock taken by this very transaction (SQLite), to skip a revision another
    // process applied meanwhile.
    std::function<bool(Connection&)> after_begin;
    // Called once after the last step, inside the transaction when the dialect has
    // transactional DDL (the runner writes the version row here, so it commits with
    // the migration).
    std::function<void(Connection&)> before_commit;
    // Join the caller's transaction (the runner's `--group` mode, one transaction for a
    // whole run): `conn` must already be in a transaction, the dialect must have
    // transactional DDL, and the plan must have no statement that runs outside a
    // transaction (outside_transaction_statements is empty); otherwise Error(usage)
    // before anything runs. The steps, before_commit statements and the before_commit
    // callback run in that transaction; there is no BEGIN, COMMIT or ROLLBACK here and
    // after_begin is not called. On failure nothing is rolled back (the caller owns the
    // transaction and must roll it back); the error names the failing step.
    bool joined = false;
    // Resume: the number of step statements already applied by an earlier, interrupted
    // run (non-transactional dialects); they are skipped. Call steps among them are
    // skipped too. Default 0: run everything.
    std::size_t skip_statements = 0;
};

struct ExecuteResult {
    std::size_t statements = 0;  // step statements run by this call (skipped ones not counted)
    bool skipped = false;        // after_begin returned false: nothing ran
};

// Transactional DDL (capabilities().transactional_ddl): runs before_transaction
// statements, then BEGIN, every step, before_commit statements and the before_commit
// callback, COMMIT, then after_transaction statements. A statement marked
// non-transactional commits the work before it and runs alone. On any failure the open
// transaction is rolled back, after_transaction statements still run, and the error is
// rethrown with its kind, saying that the migration was rolled back.
// Otherwise (MySQL): every statement runs and commits on its own; on failure the error
// is rethrown saying how many statements were applied before the failing one, so the
// migration is reported as partially applied, never as done.
// A statement with a retry probe (SqlStatement::retry_probe) has the probe run first and,
// when it finds something, the cleanup.
// Throws Error(usage) when `conn` is already in a transaction or a call step has no
// handler.
ExecuteResult execute_plan(const Plan& plan, Connection& conn, const ExecuteOptions& options = {});

// The statements of `plan` that cannot run inside a caller's transaction: its
// before_transaction and after_transaction statements (SQLite's PRAGMA foreign_keys
// around a table rebuild) and step statements marked non-transactional (PostgreSQL's
// CREATE INDEX CONCURRENTLY), in plan order. Empty: the plan can run joined.
std::vector<const SqlStatement*> outside_transaction_statements(const Plan& plan);

}  // namespace strata
