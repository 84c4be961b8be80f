// Dialect: the pure half of a database backend (design.md §2). It knows how to
// quote, which placeholders to use, how portable types map to native ones and back,
// how to render schema objects as SQL, and what the database can do. It holds no
// connection and performs no I/O, except reflect(), which runs the dialect's catalog
// queries on a connection handed to it. Every method is const and thread-safe.
//
// The base class renders standard SQL; each dialect overrides only what differs.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.hpp"
#include "dialects/capabilities.hpp"
#include "dialects/online_ddl.hpp"
#include "dialects/row_check.hpp"
#include "dialects/migration_lock.hpp"
#include "dialects/sql_step.hpp"
#include "dialects/url.hpp"
#include "migrations/operation.hpp"
#include "orm/schema/metadata.hpp"

namespace strata {

class Connection;
class Error;
namespace sql {
struct Expr;
struct SelectStatement;
struct InsertStatement;
struct UpdateStatement;
struct DeleteStatement;
}  // namespace sql

enum class PlaceholderStyle {
    question,       // ?        (SQLite, MySQL)
    dollar_number,  // $1, $2   (PostgreSQL)
};

// The placeholder for the 1-based parameter `index` in `style`: "?" or "$<index>".
std::string placeholder(PlaceholderStyle style, std::size_t index);

// How a database reads raw SQL text, as far as finding parameters in it goes (the
// translator of dialects/sql_text.hpp). Single-quoted strings with '' escapes, "..."
// (doubled "" inside), `...` (doubled `` inside), -- and /* */ comments are read the
// same way everywhere; only what differs is here. Defaults: standard SQL (SQLite).
struct SqlSyntax {
    PlaceholderStyle placeholders = PlaceholderStyle::question;
    bool backslash_escapes = false;  // \ escapes the next character in '...' and "..." (MySQL's default sql_mode)
    bool escape_strings = false;     // E'...' strings take \ escapes (PostgreSQL)
    bool hash_comments = false;      // # starts a comment to the end of the line (MySQL)
    bool nested_comments = false;    // /* ... */ comments nest (PostgreSQL)
    bool dollar_quotes = false;      // $$...$$ and $tag$...$tag$ strings (PostgreSQL)
};

struct ReflectOptions {
    // Tables whose names start with this prefix are strata's own bookkeeping and are skipped.
    // Empty: nothing is skipped (create_all uses this to see every existing table).
    std::string internal_prefix = "strata_";
    // Also list what the database holds that the schema model does not describe (views,
    // triggers, routines, ...; Metadata::unmodelled()), at the cost of one more catalog
    // query. Objects named with internal_prefix, or on such tables, are left out.
    // false: tables only (create_all and the migration runner need nothing else).
    bool unmodelled = true;
};

class Dialect {
public:
    virtual ~Dialect() = default;

    // "sqlite", "postgresql" or "mysql": the scheme of its URLs.
    virtual std::string_view name() const noexcept = 0;
    virtual const Capabilities& capabilities() const noexcept = 0;

    // ---- quoting and parameters ---------------------------------------------------------
    // Quotes an identifier, doubling embedded quote characters ("a""b", `a``b`).
    virtual std::string quote(std::string_view identifier) const;
    virtual PlaceholderStyle placeholder_style() const noexcept { return PlaceholderStyle::question; }
    // Placeholder for the 1-based parameter `index`.
    std::string placeholder(std::size_t index) const;
    // How raw SQL text is read on this database (placeholders, quoting, comments); used
    // to translate the portable ? and :name parameters of raw SQL (dialects/sql_text.hpp).
    virtual SqlSyntax sql_syntax() const noexcept { return {.placeholders = placeholder_style()}; }
    // A literal for offline SQL scripts (defaults in DDL, --sql output). Strings are
    // quoted with the dialect's escaping rules; never used for values of live statements.
    virtual std::string literal(const Value& value) const;

    // ---- types ------------------------------------------------------------------------
    // Native spelling of a portable type ("VARCHAR(100)", "BIGINT", "TIMESTAMP WITH TIME ZONE").
    virtual std::string render_type(const ColumnType& type) const = 0;
    // Portable type for a native spelling as the catalog reports it; sets `native`.
    // Unknown spellings give TypeKind::other with `native` kept verbatim.
    virtual ColumnType parse_type(std::string_view native) const = 0;

    // ---- schema rendering -------------------------------------------------------------
    // SQL for a server default in DDL: literal quoted per type, expression verbatim.
    virtual std::string render_default(const ServerDefault& def, const ColumnType& type) const;
    // "name TYPE [NOT NULL] [DEFAULT ...] ..." as used in CREATE TABLE and ADD COLUMN.
    virtual std::string render_column(const Table& table, const Column& column) const;
    // CREATE TABLE (with primary key, uniques, checks and, when include_foreign_keys,
    // foreign keys inline), followed by CREATE INDEX and comment statements as needed.
    virtual std::vector<std::string> render_create_table(const Table& table, bool include_foreign_keys = true) const;
    virtual std::vector<std::string> render_drop_table(const Table& table) const;
    // CREATE [UNIQUE] INDEX name ON table [USING method] (keys) [WHERE predicate]. Key
    // entries that are not columns of `table` are expressions (as reflected from an
    // expression index, "lower(code)") and are emitted in parentheses instead of quoted;
    // each key is followed by its operator class, DESC and NULLS order when set. Throws
    // Error(unsupported) for what capabilities() says the database cannot build (a method
    // other than btree, an operator class, a WHERE, a NULLS order it does not have).
    virtual std::string render_create_index(const Table& table, const Index& index) const;
    virtual std::string render_drop_index(const Table& table, const Index& index) const;
    // ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY; throws Error(unsupported) when the
    // dialect cannot (capabilities().alter_constraints == false).
    virtual std::string render_add_foreign_key(const Table& table, const ForeignKey& fk) const;
    // ALTER TABLE ... DROP CONSTRAINT <fk.name>; throws Error(unsupported) when the
    // dialect cannot (capabilities().alter_constraints == false). Used by drop_all to
    // break foreign-key cycles before dropping the tables.
    virtual std::string render_drop_foreign_key(const Table& table, const ForeignKey& fk) const;
    // The constraint clause itself: "CONSTRAINT fk_x FOREIGN KEY (a) REFERENCES t (id) ON DELETE CASCADE".
    virtual std::string render_foreign_key_clause(const ForeignKey& fk) const;

    // ---- views (dialects/dialect_views.cpp, <x>/<x>_views.cpp) ---------------------------
    // CREATE VIEW <name> [(<columns>)] AS <definition>. Throws Error(unsupported) for a
    // materialized view on a database that has none (all but PostgreSQL).
    virtual std::vector<std::string> render_create_view(const View& view) const;
    // DROP VIEW <name> (PostgreSQL: DROP MATERIALIZED VIEW for a materialized one).
    virtual std::string render_drop_view(const View& view) const;
    // The view as this database stores it, as far as that can be known without asking it:
    // the definition trimmed (trimmed_definition). Used by normalize(Metadata).
    virtual View normalize(const View& view) const;
    // The view as this database would give it back after creating it: its definition in
    // the database's own spelling, read back from a throwaway copy of the view created on
    // `conn` (PostgreSQL: a temporary view; MySQL: a view named with the internal prefix,
    // dropped at once). I/O, like reflect(). A definition the database refuses (it reads
    // something that does not exist yet) comes back normalized only, and so does every
    // view on SQLite, which keeps the text as written (the default). Does not throw for
    // the view's own errors; the connection's other errors (a lost connection) propagate.
    virtual View canonical_view(Connection& conn, const View& view) const;

    // ---- normalization ----------------------------------------------------------------
    // The table as this database would store and reflect it: types through
    // parse_type(render_type(t)), defaults in the catalog's normalized spelling, implied
    // indexes added or removed. diff(normalize(a), normalize(b)) has no false positives.
    virtual Table normalize(const Table& table) const;
    // Every table and view (normalize(View) above), then the schema objects through
    // normalize_objects().
    Metadata normalize(const Metadata& metadata) const;
    // The sequences, domains and enum types of `metadata` (its tables already normalized)
    // as this database would store them. Base: objects are kept as they are, except that
    // without capabilities().named_enum_types the enum types are folded into their
    // columns (an enum column keeps its labels, its type_name is cleared) and removed:
    // there the column's own ENUM(...) or CHECK is the documented equivalent.
    virtual void normalize_objects(Metadata& metadata) const;

    // ---- dialect options (narrow questions of the differ) --------------------------------
    // Whether two versions of a column, each with its table (both normalize()d), differ
    // in a dialect option this database stores (MySQL: CHARACTER SET, COLLATE, ON
    // UPDATE); such a column is altered. Default: options are not compared.
    virtual bool column_options_differ(const Table& a_table, const Column& a, const Table& b_table,
                                       const Column& b) const;
    // Whether two versions of a table (both normalize()d) differ in a table option this
    // database stores (MySQL: ENGINE, DEFAULT CHARSET, COLLATE, ROW_FORMAT); the differ
    // then emits op::AlterTableOptions. Default: options are not compared.
    virtual bool table_options_differ(const Table& a, const Table& b) const;
    // `column` with the dialect options it takes from `table` written out as its own
    // (MySQL: the charset and collation in effect; `other` is the other version of the
    // table, as in column_options_differ). The differ pins the columns it alters while
    // the table's options change, so that each operation, and its reverse, means the
    // same whatever order they run in. Default: `column` unchanged.
    virtual Column pin_column_options(const Table& table, const Column& column, const Table& other) const;

    // ---- reflection (the one method that does I/O, through `conn`) ----------------------
    // Reads every user table and view of the connected database/schema into the schema
    // model, using a fixed number of catalog queries regardless of the number of tables,
    // and (options.unmodelled) lists every object it does not model on
    // Metadata::unmodelled(). Views and tables named with options.internal_prefix are skipped.
    virtual Metadata reflect(Connection& conn, const ReflectOptions& options = {}) const = 0;

    // ---- migration operations (dialects/dialect_operations.cpp, <x>/<x>_operations.cpp) --
    // The statements that perform `operation`, given the schema just before it. Pure.
    // Throws Error(input) when the operation does not fit context.schema (a missing
    // table), Error(unsupported) when this database cannot do it (e.g. an execute_sql
    // step with no SQL for this dialect). The base renders no schema-object operation
    // (sequences, domains, enum types): it refuses them with Error(unsupported) saying
    // what to declare instead; a dialect with the capability overrides it.
    virtual std::vector<SqlStatement> render_operation(const Operation& operation,
                                                       const RenderContext& context) const;
    // The referential action this database actually performs for `action`; the differ
    // compares foreign keys through it (MySQL/InnoDB: RESTRICT is NO ACTION).
    virtual FkAction effective_fk_action(FkAction action) const noexcept { return action; }
    // Objects a table rebuild must recreate that the schema model does not describe
    // (see NativeObjects). Default: none.
    virtual NativeObjects reflect_native_objects(Connection& conn) const;
    // Directives for the database's own command-line client at the top of a `--sql`
    // script, so that it stops at the first error (sqlite3: ".bail on"; psql:
    // "\set ON_ERROR_STOP on"). Default: none.
    virtual std::vector<std::string> script_prologue() const { return {}; }
    // Where a throwaway database (`check --fresh`) lives for a database at `server`: the
    // URL of one that exists without being created (SQLite: in memory), or std::nullopt
    // when it must be created on the server (CREATE DATABASE with a quote()d name, dropped
    // afterwards), which is the default.
    virtual std::optional<std::string> scratch_database_url(const Url& server) const {
        (void)server;
        return std::nullopt;
    }
    // Takes the migration lock (dialects/migration_lock.hpp) on `conn`, waiting up to
    // `timeout` (zero: one try). I/O, like reflect(). Implemented in <x>/<x>_lock.cpp.
    // Throws Error(lock_timeout) when another session holds it past the timeout (never
    // returns without the lock), the connection's own errors when asking fails, and
    // (base class) Error(unsupported).
    // `conn` must outlive the returned lock.
    virtual std::unique_ptr<MigrationLock> acquire_migration_lock(Connection& conn,
                                                                  std::chrono::milliseconds timeout) const;
    // An SQL expression for the server's clock in milliseconds since 1970 as an integer
    // (a lease's times, dialects/lease_lock.hpp). Pure. Implemented in <x>/<x>_lock.cpp.
    virtual std::string clock_ms_sql() const = 0;

    // ---- online schema changes (dialects/online_ddl.hpp; base in dialects/online_ddl.cpp,
    // each backend in <x>/<x>_online_ddl.cpp). Pure, never throw.
    // The version assumed when none is known (linting offline): the oldest release whose
    // behaviour the backend documents as its baseline.
    virtual ServerVersion assumed_server_version() const;
    // How servers of `version` change tables online. Base: nothing online.
    virtual OnlineDdl online_ddl(const ServerVersion& version) const;
    // What `change` costs on a server of `version`. Base: a copy under an exclusive lock
    // for everything but catalog-only renames and drops.
    virtual DdlCost ddl_cost(const DdlChange& change, const ServerVersion& version) const;

    // ---- preflight (docs/lint.md "Preflight"; base in dialects/dialect_preflight.cpp,
    // each backend in <x>/<x>_preflight.cpp). Pure, never throw.
    // Standard SQL for a check: a COUNT and a sample SELECT (LIMIT `limit`).
    virtual RowCheckSql render_row_check(const RowCheck& check, int limit) const;
    // The length in characters of `expression` (base: CHAR_LENGTH).
    virtual std::string char_length(const std::string& expression) const;
    // Statements that open a read-only transaction for the checks, limiting each
    // statement in it to `timeout` where the database does that per transaction
    // (PostgreSQL: SET LOCAL statement_timeout). Ended with ROLLBACK. Base: {"BEGIN"}.
    virtual std::vector<std::string> read_only_begin(std::chrono::milliseconds timeout) const;
    // `select` limited to `timeout` where the database does that per statement (MySQL's
    // MAX_EXECUTION_TIME hint, MariaDB's SET STATEMENT max_statement_time). Base: as is.
    virtual std::string time_limited(const std::string& select, std::chrono::milliseconds timeout,
                                     const ServerVersion& version) const;
    // True when `error` is a statement stopped by that limit (or, SQLite, by
    // Connection::interrupt_after).
    virtual bool is_statement_timeout(const Error& error) const noexcept;
    // One row, one integer column (NULL when unknown): the catalogue's estimate of the
    // rows of `table`, without reading it. SQLite, which keeps none, counts.
    virtual std::string row_estimate_sql(const std::string& table) const;

    // ---- ORM statements (dialects/statement.hpp; base in dialects/statement_render.cpp) --
    // SQL for a statement. Bound values are appended to `params` in placeholder order;
    // identifiers are quoted. Pure; the ORM renders each statement shape once and reuses
    // the text.
    virtual std::string render(const sql::SelectStatement& statement, std::vector<Value>& params) const;
    // Placeholders only: the caller binds rows * columns values, row by row.
    virtual std::string render(const sql::InsertStatement& statement) const;
    virtual std::string render(const sql::UpdateStatement& statement, std::vector<Value>& params) const;
    virtual std::string render(const sql::DeleteStatement& statement, std::vector<Value>& params) const;
    // Appends one expression to `out`, its bound values to `params`.
    virtual void render_expression(const sql::Expr& expr, std::string& out, std::vector<Value>& params) const;
};

// The built-in dialects (static instances).
const Dialect& sqlite_dialect();
const Dialect& postgresql_dialect();
const Dialect& mysql_dialect();
// By URL scheme or name ("sqlite", "postgresql", "postgres", "mysql", "mariadb");
// "+driver" suffixes ignored. Throws Error(input) for an unknown name.
const Dialect& dialect_named(std::string_view name);

}  // namespace strata
