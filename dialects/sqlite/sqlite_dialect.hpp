// SqliteDialect: the pure half of the SQLite backend (quoting, types, DDL, normalization,
// reflection). No driver header here; sqlite3.h appears only in this folder's .cpp files.
//
// Choices this dialect makes, and why (see also normalize()):
//  - Types. SQLite keeps the declared type text verbatim, so every portable type renders
//    to a spelling parse_type() maps back exactly: TINYINT, SMALLINT, MEDIUMINT, INTEGER,
//    BIGINT (with " UNSIGNED" for unsigned ones, which render_column enforces with an
//    unnamed column CHECK (col >= 0) that reflection folds back into the type), BOOLEAN,
//    VARCHAR(n), CHAR(n), TEXT, FLOAT, DOUBLE, NUMERIC(p, s), DATE, TIME, DATETIME,
//    TIMESTAMP WITH TIME ZONE, BLOB, JSON, UUID. Text/blob sizes and fractional
//    seconds have no meaning here and are not rendered. Storage follows SQLite's affinity rules:
//    NUMERIC/DECIMAL, BOOLEAN, DATE/TIME, JSON and UUID have NUMERIC affinity, so a JSON
//    text that is a bare number ("123") is stored as a number.
//    Hand-written spellings are read too (INT, INT4, TINYINT, CHARACTER VARYING(n),
//    CLOB, DOUBLE PRECISION, DECIMAL(p,s), BOOL, TIMESTAMP, ...). REAL maps to double
//    (SQLite's REAL is 8 bytes); FLOAT to float.
//  - Enums render as `VARCHAR(n) CHECK ("col" IN ('a', 'b'))`, n the longest value,
//    the CHECK an unnamed column constraint. Reflection recognizes exactly that shape
//    (an unnamed column CHECK `col IN ('..', ...)` on a text column) and gives back the
//    enum type, so enums round-trip without a table-level check.
//  - Autoincrement. A single-column integer primary key with autoincrement renders as
//    `"id" INTEGER NOT NULL CONSTRAINT "pk_t" PRIMARY KEY AUTOINCREMENT` (a rowid alias;
//    AUTOINCREMENT also keeps ids of deleted rows from being reused). The declared type
//    must be exactly INTEGER, so small_integer and big_integer autoincrement keys render
//    as INTEGER and normalize() maps their type to integer (SQLite's rowid is 64-bit
//    whatever the declared type says). Reflection reports autoincrement only where the
//    CREATE TABLE text has the AUTOINCREMENT keyword; a plain `INTEGER PRIMARY KEY` still
//    assigns keys (rowid alias) but is reflected with autoincrement = false. Autoincrement
//    anywhere else (composite key, non-key column) cannot be expressed: it is not rendered
//    and normalize() clears it.
//  - Constraint names live only in the CREATE TABLE text; reflection parses them from
//    there (sqlite_create_table.hpp). Unnamed ones get the naming convention's name,
//    exactly as apply_naming_convention() would give them.
//  - No comments (normalize() clears them); FK actions default to NO ACTION.
//  - Indexes: expression keys, DESC and partial indexes (WHERE) are modelled; SQLite has
//    no index methods, operator classes or NULLS order (NULLs sort first ascending), so
//    rendering refuses them (Capabilities). Expressions and predicates compare in
//    sqlite_canonical_expression()'s spelling.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/dialect.hpp"

namespace strata {

class SqliteDialect : public Dialect {
public:
    // Dialect options reflection sets and rendering writes back. Columns: the generation
    // expression of GENERATED ALWAYS AS (expr), and "true" when it is STORED. Tables:
    // "true" for WITHOUT ROWID and for STRICT.
    static constexpr std::string_view kGeneratedOption = "sqlite.generated";
    static constexpr std::string_view kGeneratedStoredOption = "sqlite.generated_stored";
    static constexpr std::string_view kWithoutRowidOption = "sqlite.without_rowid";
    static constexpr std::string_view kStrictOption = "sqlite.strict";

    std::string_view name() const noexcept override { return "sqlite"; }
    // From the linked library version: drop_column and returning need 3.35, rename_column 3.25.
    const Capabilities& capabilities() const noexcept override;
    // Online DDL by server version: sqlite_online_ddl.cpp.
    ServerVersion assumed_server_version() const override;
    OnlineDdl online_ddl(const ServerVersion& version) const override;
    DdlCost ddl_cost(const DdlChange& change, const ServerVersion& version) const override;

    std::string render_type(const ColumnType& type) const override;
    ColumnType parse_type(std::string_view native) const override;

    // Literals: booleans as 1/0, numbers unquoted when they are valid numbers, others
    // quoted. Expressions: CURRENT_TIMESTAMP / CURRENT_DATE / CURRENT_TIME verbatim,
    // anything else wrapped in parentheses as SQLite requires.
    std::string render_default(const ServerDefault& def, const ColumnType& type) const override;
    // Adds the inline PRIMARY KEY AUTOINCREMENT and the enum CHECK described above; NOT NULL
    // for primary key columns; GENERATED ALWAYS AS (expr) VIRTUAL|STORED for a column
    // with kGeneratedOption (no DEFAULT then).
    std::string render_column(const Table& table, const Column& column) const override;
    // The standard CREATE TABLE except that an autoincrement key is declared on its column;
    // unnamed constraints are rendered without a CONSTRAINT clause; the table options
    // kStrictOption and kWithoutRowidOption become STRICT / WITHOUT ROWID.
    std::vector<std::string> render_create_table(const Table& table, bool include_foreign_keys = true) const override;

    // The table as reflect() returns it after creating it with render_create_table():
    // types through parse_type(render_type()), enum kept, autoincrement key typed integer,
    // primary key columns NOT NULL, defaults through parse_default(render_default()),
    // check expressions trimmed of enclosing parentheses, comments cleared, unnamed
    // constraints named by the convention.
    Table normalize(const Table& table) const override;
    using Dialect::normalize;

    // Four catalog queries whatever the number of tables (pragma_table_list,
    // pragma_table_xinfo, pragma_index_list + pragma_index_info, pragma_foreign_key_list,
    // each joined across all tables), plus a parse of each CREATE TABLE text.
    // Skips sqlite_* tables, virtual and shadow tables, and options.internal_prefix.
    // Expression keys and WHERE predicates of indexes are read from their CREATE INDEX
    // text (sqlite_create_index.hpp), DESC from pragma_index_xinfo. Indexes with a key
    // on the rowid have no portable form and are left out. With options.unmodelled,
    // those indexes are listed as unmodelled, a fifth query reads the views
    // (reflect_views), and a sixth lists the rest (reflect_unmodelled).
    Metadata reflect(Connection& conn, const ReflectOptions& options = {}) const override;
    // Adds to `out` the views of the main schema, their SELECT and column list taken out
    // of the CREATE VIEW text SQLite keeps as written (sqlite_views.cpp); internal_prefix
    // names skipped.
    void reflect_views(Connection& conn, const ReflectOptions& options, Metadata& out) const;
    // Adds to `out` the triggers and virtual tables of the main schema, in one
    // query (sqlite_unmodelled.cpp). Skips sqlite_* and internal_prefix names.
    void reflect_unmodelled(Connection& conn, const ReflectOptions& options, Metadata& out) const;

    // Migration operations (sqlite_operations.cpp): native ADD / RENAME / DROP COLUMN
    // where SQLite allows them, the documented table rebuild for everything else;
    // triggers from sqlite_schema; ".bail on" for the sqlite3 client.
    std::vector<SqlStatement> render_operation(const Operation& operation, const RenderContext& context) const override;
    NativeObjects reflect_native_objects(Connection& conn) const override;
    std::vector<std::string> script_prologue() const override;
    // "sqlite://:memory:": a scratch database needs no file.
    std::optional<std::string> scratch_database_url(const Url&) const override { return "sqlite://:memory:"; }
    // SQLite's write lock, per transaction: sets busy_timeout to `timeout` (sqlite_lock.cpp).
    std::unique_ptr<MigrationLock> acquire_migration_lock(Connection& conn, std::chrono::milliseconds timeout) const override;
    std::string clock_ms_sql() const override;
    // Preflight (sqlite_preflight.cpp): length() counts characters; the row estimate is
    // a COUNT (SQLite keeps none) and the time limit Connection::interrupt_after.
    std::string char_length(const std::string& expression) const override;

    // ---- helpers shared by rendering, normalization and reflection ---------------------
    // A default as SQLite keeps it (pragma dflt_value: "'x'", "0", "CURRENT_TIMESTAMP",
    // "(datetime('now'))") in normalized form; std::nullopt for NULL or empty text.
    std::optional<ServerDefault> parse_default(std::string_view stored, const ColumnType& type) const;
    // Canonical text of a literal for the column type: booleans "true"/"false",
    // integers in plain decimal; other text unchanged.
    static std::string canonical_literal(std::string_view text, const ColumnType& type);
    // True when `column` is the table's single-column primary key, of an integer kind,
    // with autoincrement: rendered as INTEGER PRIMARY KEY AUTOINCREMENT.
    static bool is_autoincrement_key(const Table& table, const Column& column);
};

}  // namespace strata
