// A plan: migration steps rendered by one dialect into the SQL that performs them,
// each step flagged destructive / irreversible / transactional. The plan is the one
// path shared by `--sql` output (render_script) and real execution (execute_plan in
// migrations/plan_executor.hpp): what the script shows is exactly what runs.
//
//   Plan plan = make_plan(steps, engine.dialect(), reflected, {.connection = &conn});
//   std::cout << render_script(plan, engine.dialect());
#pragma once

#include <string>
#include <vector>

#include "dialects/dialect.hpp"
#include "migrations/operation.hpp"
#include "orm/schema/metadata.hpp"

namespace strata {

class Connection;

struct PlanOptions {
    // Optional. Used for two cheap questions, never for changes:
    //  - "does this table have rows?" (SELECT 1 ... LIMIT 1), only for an add_column of a
    //    NOT NULL column with neither default nor backfill;
    //  - the objects a table rebuild must recreate, and the views a change of a column
    //    they read must drop and recreate (Dialect::reflect_native_objects), read once,
    //    unless `native` is given.
    // nullptr (offline --sql): such an add_column is refused unless the table is created
    // earlier in the same plan; rebuilds recreate only what the model describes, and
    // views over a changed column are not known (PostgreSQL then refuses the change).
    Connection* connection = nullptr;
    // Optional, not owned: overrides what the connection would report.
    const NativeObjects* native = nullptr;
};

struct PlanStep {
    Operation operation;
    std::string description;              // describe(operation)
    std::vector<SqlStatement> statements;  // placement == step, in order; empty for a call
    bool destructive = false;    // may lose data (is_destructive, or a destructive statement)
    bool destructive_ok = false;  // the reviewer's consent from the revision file
    bool irreversible = false;    // no reverse() (or the reverse would not know the old definition)
    bool transactional = true;    // the dialect has transactional DDL and every statement can run in a transaction
    // Warnings for the reviewer: "may fail if existing rows hold NULL in users.email", ...
    std::vector<std::string> notes;
};

struct Plan {
    std::string dialect;  // Dialect::name() of the dialect that rendered it
    bool transactional_ddl = false;
    // Plan-level statements (from StatementPlacement), deduplicated by SQL text.
    std::vector<SqlStatement> before_transaction;
    std::vector<PlanStep> steps;
    std::vector<SqlStatement> before_commit;
    std::vector<SqlStatement> after_transaction;
    // The schema after every step (as far as the model can tell: execute_sql and call
    // steps change nothing here).
    Metadata result;

    bool empty() const noexcept { return steps.empty(); }
    bool destructive() const noexcept;
    // Destructive steps without the reviewer's consent (destructive_ok), in order.
    std::vector<const PlanStep*> unconsented_destructive() const;
    // Statements of all steps (plan-level ones not counted).
    std::size_t statement_count() const noexcept;
};

// Renders `steps` with `dialect`, tracking the schema from `current` (the database
// as reflected) through each operation (migrations/schema_edit.hpp).
// Throws:
//  - Error(refused) for an add_column of a NOT NULL column with no default and no
//    backfill to a table that has rows, or may have (no connection): the message says
//    to add a server default or a backfill value;
//  - Error(input) when an operation does not fit the schema at that point;
//  - Error(unsupported) when the dialect cannot render an operation.
Plan make_plan(const std::vector<Step>& steps, const Dialect& dialect, const Metadata& current,
               const PlanOptions& options = {});
// The same for bare operations (no consent marks).
Plan make_plan(const std::vector<Operation>& operations, const Dialect& dialect, const Metadata& current,
               const PlanOptions& options = {});

// A script runnable by the database's own client (sqlite3, psql, mariadb): the
// dialect's client directives, the before_transaction statements, then BEGIN, the
// steps (each introduced by a "-- " comment line with its description and flags),
// the before_commit statements and COMMIT, then the after_transaction statements.
// Dialects without transactional DDL get no BEGIN/COMMIT. A statement that cannot run
// in a transaction closes the transaction before it and opens a new one after it.
// Every statement ends with ';'. An empty plan gives a script with comments only.
// The client directives (".bail on", "\set ON_ERROR_STOP on") are for those clients;
// other tools need them removed. A raw SQL step is emitted as written: several
// statements, or a compound body, are the step author's to delimit for the client
// (the mariadb client splits on ';' unless the text sets DELIMITER).
std::string render_script(const Plan& plan, const Dialect& dialect);

}  // namespace strata
