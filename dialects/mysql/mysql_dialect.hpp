// MysqlDialect: the pure half of the MySQL/MariaDB backend (quoting, types, DDL,
// normalization, reflection). No driver header here; mysql.h appears only in this
// folder's .cpp files. Written and tested against MariaDB 10.11 (information_schema
// spellings of MariaDB 10.2.7 and later; the native UUID type needs MariaDB 10.7).
//
// Choices this dialect makes, and why (see also normalize()):
//  - Quoting with backticks (`a``b`); the session keeps the default (non-ANSI) quoting.
//    String literals escape ' as '' and \ as \\ (backslash escapes are on).
//  - Types: tiny_integer TINYINT, small_integer SMALLINT, medium_integer MEDIUMINT,
//    integer INT, big_integer BIGINT (each with UNSIGNED when is_unsigned), boolean
//    TINYINT(1), string(n) VARCHAR(n) (a length is required), char(n) CHAR(n), text by
//    its size (TINYTEXT <= 255 bytes, TEXT <= 65535, MEDIUMTEXT <= 16777215, LONGTEXT
//    when unset: no silent 64 KiB limit), blob likewise (TINYBLOB..LONGBLOB), float
//    FLOAT, double DOUBLE, numeric(p,s) DECIMAL(p,s) (DECIMAL(10,0) without a precision,
//    as the server does), date DATE, time TIME(p), datetime DATETIME(p) (p the
//    fractional digits, 6 unless declared; DATETIME for 0), json JSON, uuid UUID, enum
//    ENUM('a','b').
//    MariaDB has no time-zone-aware timestamp: datetime(tz) also renders DATETIME(6)
//    (values are UTC by convention; the session time_zone is +00:00) and normalize()
//    clears `timezone`. TIMESTAMP (values converted through the session time zone) has
//    no portable kind: it is `other` with its spelling ("timestamp(6)"), rendered
//    verbatim, with defaults read as a datetime's.
//    JSON on MariaDB is LONGTEXT plus an implicit column CHECK (json_valid(`col`));
//    reflection recognizes that pair, gives back json and drops the implicit check.
//    parse_type() reads information_schema COLUMN_TYPE: tinyint(1) and bool -> boolean,
//    every other integer spelling to its own size with `unsigned` kept, the text and
//    blob families with their size class, char(n) -> char, datetime/time with their
//    fractional digits (none = 0), decimal/numeric/dec/fixed -> numeric, float/real/
//    double spellings. UNSIGNED on a non-integer type, ZEROFILL, TIMESTAMP, BINARY,
//    VARBINARY, BIT, YEAR, SET and spatial types have no portable name:
//    TypeKind::other with the lower-cased spelling, rendered back verbatim.
//  - Unique constraints and unique indexes are the same object in MySQL, so one
//    representation is used: every unique index (other than PRIMARY) is reflected as a
//    UniqueConstraint, and normalize() turns a declared Index{unique=true} into a
//    UniqueConstraint of the same name and columns. Only a unique index with a DESC key
//    (MySQL 8, MariaDB 10.8+; STATISTICS.COLLATION 'D') stays an Index on both sides.
//  - Index methods: InnoDB indexes are always B-trees (it accepts USING HASH and
//    builds a B-tree), so no method is reflected and rendering refuses any method other
//    than btree, an operator class, a NULLS order other than MySQL's own (NULLs sort
//    first ascending) and a partial index (WHERE), which MySQL does not have
//    (Capabilities; dialects/detail/index_sql.hpp).
//  - The primary key is always named PRIMARY by the server: it is reflected as
//    naming::primary_key(table) and normalize() names it so; its columns are NOT NULL.
//  - Foreign keys: InnoDB treats RESTRICT and NO ACTION alike and reports an unspecified
//    action as RESTRICT, so both are reflected (and normalized) as FkAction::no_action.
//    SET DEFAULT is rendered as written, but InnoDB does not implement it: MariaDB
//    accepts the clause and enforces RESTRICT (MySQL 8 rejects it), so normalize() maps
//    it to no_action too - deleting a referenced parent row is refused, nothing is lost.
//    The index InnoDB creates for a foreign key that has no usable index (named after the
//    constraint, or after its first column for an unnamed one) is not reported; an
//    index a user declares with exactly that name and those columns is therefore
//    indistinguishable and normalize() drops it too.
//  - Check constraints and default expressions are stored by the server as it re-prints
//    the parsed expression (`a` <> 3 for NOT (a = 3), lcase() for lower(), 1 for TRUE).
//    canonical_expression() parses an expression and prints it the way the server does
//    for the common grammar (literals, columns, function calls, arithmetic, comparison,
//    AND/OR/XOR/NOT, IS, IN, BETWEEN, LIKE, REGEXP, CASE, CAST), applying the server's
//    rewrites (NOT pushed into comparisons and through AND/OR, != -> <>, % -> MOD,
//    && -> and, TRUE -> 1, IN of one value -> =, lower/upper/length/now aliases,
//    minimal parentheses). Both sides of a comparison go through it, so whitespace, case
//    and quoting never cause differences. Limit: other rewrites the server makes (and
//    syntax outside that grammar, which is kept verbatim with whitespace collapsed) may
//    still show up as a changed check.
//  - Defaults: literals are canonical per type (boolean "true"/"false", integers in
//    plain decimal, decimals with exactly `scale` digits as the server prints them,
//    floats rounded to FLOAT's 6 significant digits, date/time in ISO form);
//    current_timestamp()/now() -> expression "CURRENT_TIMESTAMP" (with precision:
//    "CURRENT_TIMESTAMP(6)"); other expressions through canonical_expression().
//  - Indexes, unique constraints and primary keys over TEXT/BLOB/JSON columns need a
//    prefix length MySQL cannot infer: rendering them throws Error(unsupported) that
//    suggests string(n).
//  - Dialect options (mysql_options.hpp): per table "mysql.engine" (default InnoDB),
//    "mysql.charset" (default utf8mb4), "mysql.collation" (default: the charset's),
//    "mysql.row_format"; per column "mysql.charset", "mysql.collation" (kept only where
//    they differ from the table's) and "mysql.on_update". Reflected, rendered in CREATE
//    TABLE, ADD and MODIFY COLUMN, and compared by the differ (column_options_differ,
//    table_options_differ); a table option change is op::AlterTableOptions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialects/dialect.hpp"

namespace strata {

class MysqlDialect : public Dialect {
public:
    std::string_view name() const noexcept override { return "mysql"; }
    // DDL is not transactional (it commits implicitly); ALTER of columns, constraints
    // and comments is native; CHECK is enforced (MariaDB); FKs keep a backing index.
    const Capabilities& capabilities() const noexcept override;
    // Online DDL by server version: mysql_online_ddl.cpp.
    ServerVersion assumed_server_version() const override;
    OnlineDdl online_ddl(const ServerVersion& version) const override;
    DdlCost ddl_cost(const DdlChange& change, const ServerVersion& version) const override;

    // Backticks, embedded backticks doubled.
    std::string quote(std::string_view identifier) const override;
    // ? placeholders; backslash escapes in '...' and "..." (the default sql_mode, without
    // NO_BACKSLASH_ESCAPES); # comments.
    SqlSyntax sql_syntax() const noexcept override { return {.backslash_escapes = true, .hash_comments = true}; }
    // MySQL escaping: ' as '', \ as \\, NUL as \0; booleans 1/0; blobs X'..'.
    std::string literal(const Value& value) const override;

    // See the type table above. Throws Error(input) for a string without a length, a
    // numeric with scale > precision, an enum without values or an `other` type with an
    // empty native spelling.
    std::string render_type(const ColumnType& type) const override;
    ColumnType parse_type(std::string_view native) const override;

    // Literals as SQL literals of the column type (booleans 1/0, numbers bare after
    // checking they are numbers, else quoted); expressions: CURRENT_TIMESTAMP forms and
    // NULL verbatim, anything else in parentheses (MariaDB's DEFAULT (expr) form).
    std::string render_default(const ServerDefault& def, const ColumnType& type) const override;
    // "`name` TYPE [CHARACTER SET cs [COLLATE coll]] [NOT NULL] [DEFAULT ..] [ON UPDATE ..]
    // [AUTO_INCREMENT] [COMMENT '..']"; primary key columns are NOT NULL. A generated
    // column (option "mysql.generated"): "`name` TYPE AS (expr) VIRTUAL|STORED [COMMENT '..']".
    // Throws Error(input) for a charset or collation option that cannot apply (see
    // mysql_options.hpp).
    std::string render_column(const Table& table, const Column& column) const override;
    // One CREATE TABLE with the primary key, unique constraints, indexes (inline
    // INDEX/UNIQUE INDEX clauses), checks and, when asked, foreign keys, then
    // ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 [COLLATE=..] [ROW_FORMAT=..] [COMMENT='..'].
    // Throws Error(unsupported) for a key over a TEXT/BLOB/JSON column.
    std::vector<std::string> render_create_table(const Table& table, bool include_foreign_keys = true) const override;
    std::vector<std::string> render_drop_table(const Table& table) const override;
    // CREATE [UNIQUE] INDEX .. ON ..; DROP INDEX `name` ON `table`.
    std::string render_create_index(const Table& table, const Index& index) const override;
    std::string render_drop_index(const Table& table, const Index& index) const override;
    // ALTER TABLE `t` DROP FOREIGN KEY `name`.
    std::string render_drop_foreign_key(const Table& table, const ForeignKey& fk) const override;

    // The table as reflect() returns it after render_create_table(): types through
    // parse_type(render_type()) (so datetime loses `timezone`), primary key named
    // naming::primary_key(table) with NOT NULL columns, unique indexes as unique
    // constraints, implicit FK indexes removed, RESTRICT and SET DEFAULT as NO ACTION,
    // CURRENT_TIMESTAMP(n) on a column of fractional precision n as CURRENT_TIMESTAMP
    // (the server widens CURRENT_TIMESTAMP to the column's precision), defaults and check
    // expressions canonical (an expression default that is a plain literal becomes a
    // literal; NULL becomes no default), dialect options in canonical form
    // (mysql_detail::canonicalize_options: aliases such as utf8 -> utf8mb3 resolved,
    // column charsets and collations equal to the table's removed).
    Table normalize(const Table& table) const override;
    using Dialect::normalize;
    // Charset, collation (in effect, with the table's as default) and ON UPDATE.
    bool column_options_differ(const Table& a_table, const Column& a, const Table& b_table,
                               const Column& b) const override;
    // ENGINE, charset, collation (when both sides name one) and ROW_FORMAT.
    bool table_options_differ(const Table& a, const Table& b) const override;
    // The charset and collation in effect made explicit (mysql_detail::pinned_column).
    Column pin_column_options(const Table& table, const Column& column, const Table& other) const override;

    // Six whole-schema information_schema queries filtered by TABLE_SCHEMA = DATABASE()
    // (TABLES, COLUMNS, STATISTICS, KEY_COLUMN_USAGE, REFERENTIAL_CONSTRAINTS,
    // CHECK_CONSTRAINTS), grouped client-side; tables sorted by name (byte order).
    // Views come from a seventh query (reflect_views); options.internal_prefix tables are skipped. Indexes on a column prefix
    // or an expression and FULLTEXT/SPATIAL indexes have no portable form and are left
    // out (with options.unmodelled, listed as unmodelled, like partitioned tables, while
    // reflect_unmodelled lists the rest in an eighth query). ON UPDATE
    // comes as column option "mysql.on_update", a generation expression as
    // "mysql.generated" (with "mysql.generated_stored" = "true" for STORED); render_column
    // writes both back. Table options: engine, charset and collation always, ROW_FORMAT
    // when CREATE_OPTIONS names it; column charset and collation where they differ from
    // the table's (not for JSON, whose utf8mb4_bin comes with the type).
    Metadata reflect(Connection& conn, const ReflectOptions& options = {}) const override;
    // Adds to `out` the views of DATABASE() from information_schema.VIEWS, their text
    // without the database qualifiers the server adds (mysql_views.cpp); internal_prefix
    // names skipped. ALGORITHM, DEFINER, SQL SECURITY and CHECK OPTION are not kept.
    void reflect_views(Connection& conn, const ReflectOptions& options, Metadata& out) const;
    // The server's text of a declared view, from a copy created under a throwaway name
    // (strata_view_probe_<n>) and dropped at once; outside a transaction only (DDL would
    // commit it).
    View canonical_view(Connection& conn, const View& view) const override;
    // Adds to `out` the sequences and system-versioned tables (MariaDB),
    // triggers, procedures, functions and events of DATABASE(), in one query
    // (mysql_unmodelled.cpp). Skips internal_prefix names. reflect() itself lists
    // partitioned tables and the indexes it leaves out.
    void reflect_unmodelled(Connection& conn, const ReflectOptions& options, Metadata& out) const;
    // "MariaDB" or "MySQL", from the server's version string.
    static std::string server_name(Connection& conn);

    // Migration operations (mysql_operations.cpp): MODIFY COLUMN with the full
    // definition (charset and collation included), foreign keys dropped around the
    // index that serves them, ALTER TABLE .. ENGINE=.., DEFAULT CHARSET=.. COLLATE=..,
    // ROW_FORMAT=.. for table options, CREATE OR REPLACE VIEW; RESTRICT is NO ACTION for
    // the differ.
    std::vector<SqlStatement> render_operation(const Operation& operation, const RenderContext& context) const override;
    FkAction effective_fk_action(FkAction action) const noexcept override;
    // GET_LOCK('strata_migrate:<database>') with its result checked (mysql_lock.cpp).
    std::unique_ptr<MigrationLock> acquire_migration_lock(Connection& conn, std::chrono::milliseconds timeout) const override;
    std::string clock_ms_sql() const override;
    // Preflight (mysql_preflight.cpp): START TRANSACTION READ ONLY, a per-statement time
    // limit (MariaDB / MySQL spelling), information_schema.TABLES.TABLE_ROWS.
    std::vector<std::string> read_only_begin(std::chrono::milliseconds timeout) const override;
    std::string time_limited(const std::string& select, std::chrono::milliseconds timeout,
                             const ServerVersion& version) const override;
    bool is_statement_timeout(const Error& error) const noexcept override;
    std::string row_estimate_sql(const std::string& table) const override;

    // ORM statements: the standard rendering, except that a row of defaults is
    // INSERT INTO `t` () VALUES () (MySQL has no DEFAULT VALUES).
    using Dialect::render;
    std::string render(const sql::InsertStatement& statement) const override;

    // ---- helpers shared by rendering, normalization and reflection ---------------------
    // Canonical text of a literal default for the column type (see above). Text that is
    // not a valid literal of the type is returned unchanged.
    static std::string canonical_literal(std::string_view text, const ColumnType& type);
    // Canonical spelling of a check or default expression (see above); never throws.
    static std::string canonical_expression(std::string_view sql);
    // A declared or reflected default in canonical form; std::nullopt for NULL.
    static std::optional<ServerDefault> canonical_default(const ServerDefault& def, const ColumnType& type);
    // information_schema.COLUMNS.COLUMN_DEFAULT (MariaDB: an SQL expression; strings
    // quoted, 'NULL' for a NULL default) as a canonical ServerDefault.
    static std::optional<ServerDefault> parse_column_default(std::string_view text, const ColumnType& type);
    // True for types that need a prefix length to be indexed (text, blob, json).
    static bool needs_prefix_to_index(const ColumnType& type);
};

}  // namespace strata
