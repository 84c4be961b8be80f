// Plain types for migration operations rendered as SQL (Dialect::render_operation).
// No I/O. A dialect turns one operation into SqlStatements; the planner
// (migrations/plan.hpp) collects them into a plan that both `--sql` output and
// real execution use.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "orm/schema/metadata.hpp"

namespace strata {

// Where a rendered statement runs relative to the migration's transaction.
enum class StatementPlacement {
    // With its operation, in order (inside the transaction where DDL is transactional).
    step,
    // Once, before the migration's transaction opens: session settings that cannot
    // change inside a transaction (SQLite's PRAGMA foreign_keys = OFF for a rebuild).
    // The planner deduplicates these by SQL text.
    before_transaction,
    // Once, inside the transaction after the last step, before COMMIT: checks that must
    // pass for the whole migration (SQLite's foreign-key check after rebuilds).
    before_commit,
    // Once, after the transaction ended, whether it committed or rolled back:
    // restores what before_transaction changed.
    after_transaction,
};

struct SqlStatement {
    std::string sql;  // one statement, without a trailing ';'
    StatementPlacement placement = StatementPlacement::step;
    // False when the statement cannot run inside a transaction block. On a dialect
    // with transactional DDL the executor then commits what came before, runs it
    // alone, and opens a new transaction.
    bool transactional = true;
    // The statement itself can lose data: DROP TABLE, DROP COLUMN, a narrowing cast.
    // (The DROP TABLE of a rebuild, after the rows were copied, is not.)
    bool destructive = false;
    // What an earlier, failed attempt at the statement may have left behind, and how to
    // clear it before the statement runs again (PostgreSQL: the INVALID index a failed
    // CREATE INDEX CONCURRENTLY leaves, which makes the retry fail with "already
    // exists"). Both empty, or both set: `retry_probe` is a query; when it returns a row
    // the executor runs `retry_cleanup` (same placement and transaction as the
    // statement) first. A --sql script shows the cleanup as a comment.
    std::string retry_probe;
    std::string retry_cleanup;

    friend bool operator==(const SqlStatement&, const SqlStatement&) = default;
};

// Objects the schema model does not describe but that a table rebuild must recreate,
// read from the live database by Dialect::reflect_native_objects (SQLite: triggers,
// which DROP TABLE removes; PostgreSQL: the views over a column that changes).
struct NativeObjects {
    std::map<std::string, std::vector<std::string>> triggers;  // table -> CREATE TRIGGER statements
    // table -> indexes the schema model cannot describe (on expressions, partial), which
    // reflection leaves out: their names and CREATE INDEX statements
    struct Index {
        std::string name;
        std::string sql;
    };
    std::map<std::string, std::vector<Index>> indexes;
    // Views and materialized views that read tables of the schema, directly or through
    // other views (PostgreSQL, which refuses to change or drop a column a view reads:
    // such a step drops them first and creates them again after it, see
    // dialects/postgres/postgres_dependent_views.hpp). In dependency order: each view
    // comes after the views it reads.
    struct View {
        std::string name;  // unqualified in the current schema, else "schema.name"
        bool materialized = false;
        // The table columns it reads: table -> column names (tables of the current schema).
        std::map<std::string, std::vector<std::string>> columns;
        std::vector<std::string> views;  // the views it reads, by `name`
        std::string drop_sql;            // DROP [MATERIALIZED] VIEW
        // CREATE [MATERIALIZED] VIEW, then what dropping it removed: comments, grants,
        // indexes, triggers and rules on it
        std::vector<std::string> create_sql;
        // A table or column it reads was renamed earlier in the plan: the database follows
        // the rename, create_sql (read before it) does not.
        bool stale = false;
    };
    std::vector<View> views;
    bool empty() const noexcept { return triggers.empty() && indexes.empty() && views.empty(); }
};

// What a dialect knows while rendering one operation.
struct RenderContext {
    // The schema as it is just before the operation runs (the database's catalog, as
    // reflected, plus the effect of the operations before it in the same plan).
    const Metadata& schema;
    // Optional: objects a rebuild must recreate. nullptr when unknown (offline --sql
    // without a connection): a rebuild then recreates only what the model describes.
    const NativeObjects* native = nullptr;

    // The named table as it is before the operation. Throws Error(input) naming the
    // table when the schema has none.
    const Table& table(const std::string& name) const;
};

}  // namespace strata
