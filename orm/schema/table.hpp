// Plain value types of the one schema model (design.md §2): models declared in C++
// and a reflected live database both produce these, and the differ compares them.
// No I/O here. operator== compares what the database stores: hints such as
// renamed_from and dialect-native spellings of types are not part of equality.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "orm/schema/column_type.hpp"

namespace strata {

// Dialect-only options ("mysql.engine" = "InnoDB", "mysql.charset" = "utf8mb4").
// Keys are "<dialect>.<option>"; a dialect reads only its own prefix and ignores
// the rest. Not compared by the differ unless a dialect asks for it.
struct DialectOptions {
    std::map<std::string, std::string> values;
    friend bool operator==(const DialectOptions&, const DialectOptions&) = default;
};

// A server-side DEFAULT. Literals hold the value as canonical text (strings without
// quotes, integers in decimal, booleans "true"/"false", numbers without trailing zeros
// beyond the scale); expressions hold normalized SQL ("CURRENT_TIMESTAMP").
struct ServerDefault {
    enum class Kind { literal, expression };
    Kind kind = Kind::literal;
    std::string text;

    static ServerDefault literal(std::string value) { return {Kind::literal, std::move(value)}; }
    static ServerDefault expression(std::string sql) { return {Kind::expression, std::move(sql)}; }
    friend bool operator==(const ServerDefault&, const ServerDefault&) = default;
    std::string describe() const;  // "'abc'" or "CURRENT_TIMESTAMP"
};

struct Column {
    std::string name;
    ColumnType type;
    bool nullable = true;
    std::optional<ServerDefault> server_default;
    bool autoincrement = false;  // autoincrement / identity / serial
    std::string comment;
    std::string renamed_from;    // differ hint only; not compared
    DialectOptions options;

    friend bool operator==(const Column& a, const Column& b);
    std::string describe() const;  // "email string(255) NULL DEFAULT 'x'"
};

enum class FkAction { no_action, restrict, cascade, set_null, set_default };
const char* to_sql(FkAction action) noexcept;  // "NO ACTION", "RESTRICT", "CASCADE", ...
std::optional<FkAction> fk_action_from_string(const std::string& text) noexcept;  // accepts SQL spelling or snake_case

struct PrimaryKey {
    std::string name;  // pk_<table>; dialects that cannot name it reflect the convention name
    std::vector<std::string> columns;
    friend bool operator==(const PrimaryKey&, const PrimaryKey&) = default;
};

// Where an index key puts NULLs. `database_default` is what the database does without
// a NULLS clause for the key's direction: PostgreSQL sorts NULLs as the largest value
// (ASC: last, DESC: first), SQLite and MySQL as the smallest. Each dialect's
// normalize() turns an explicit order that equals its default into database_default.
enum class NullsOrder { database_default, first, last };

// The ordering and operator class of one index key (PostgreSQL reports all of these;
// SQLite and MySQL/MariaDB keep DESC only).
struct IndexKeyOptions {
    std::string opclass;      // operator class ("jsonb_path_ops"); "" = the default for the key's type
    bool descending = false;  // DESC
    NullsOrder nulls = NullsOrder::database_default;

    bool is_default() const noexcept { return opclass.empty() && !descending && nulls == NullsOrder::database_default; }
    friend bool operator==(const IndexKeyOptions&, const IndexKeyOptions&) = default;
};

// An index. `columns` holds the keys in order: a column name, or an SQL expression
// ("lower(email)") for a key that names no column of the table (rendered in
// parentheses). Every field is compared; `method` "" and "btree" are the same (any
// case), and key_options compare as if padded with defaults.
struct Index {
    std::string name;
    std::vector<std::string> columns;  // keys, order matters
    bool unique = false;
    // Access method: "gin", "gist", "brin", "hash", "spgist" (PostgreSQL); "" = the
    // database's default, a B-tree. SQLite and MySQL/MariaDB refuse any other at render time.
    std::string method;
    // Empty, or parallel to `columns` (entries beyond its end are defaults).
    std::vector<IndexKeyOptions> key_options;
    // Partial index predicate (SQL, normalized by the dialect when reflected); "" = every row.
    std::string where;

    // The options of key `i` (defaults when key_options is shorter).
    const IndexKeyOptions& key(std::size_t i) const noexcept;
    // The options of key `i`, key_options grown to reach it.
    IndexKeyOptions& key(std::size_t i);
    // True when the index has none of the above beyond name, keys and unique.
    bool is_plain() const noexcept;
    friend bool operator==(const Index& a, const Index& b);
    // "UNIQUE INDEX ix_users_email USING gin (payload jsonb_path_ops, at DESC NULLS LAST) WHERE x IS NULL"
    std::string describe() const;
    // Key `i` with its options: "payload jsonb_path_ops", "at DESC NULLS LAST".
    std::string describe_key(std::size_t i) const;
};

// True when `method` names the default access method ("" or "btree", any case).
bool is_default_index_method(const std::string& method) noexcept;

struct UniqueConstraint {
    std::string name;
    std::vector<std::string> columns;
    friend bool operator==(const UniqueConstraint&, const UniqueConstraint&) = default;
    std::string describe() const;
};

struct ForeignKey {
    std::string name;
    std::vector<std::string> columns;
    std::string ref_table;
    std::vector<std::string> ref_columns;
    FkAction on_delete = FkAction::no_action;
    FkAction on_update = FkAction::no_action;
    friend bool operator==(const ForeignKey&, const ForeignKey&) = default;
    std::string describe() const;
};

struct CheckConstraint {
    std::string name;
    std::string expression;  // SQL boolean expression, normalized by the dialect when reflected
    friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
    std::string describe() const;
};

struct Table {
    std::string name;
    std::vector<Column> columns;  // in declaration order
    PrimaryKey primary_key;       // columns empty when the table has none
    std::vector<Index> indexes;
    std::vector<UniqueConstraint> uniques;
    std::vector<ForeignKey> foreign_keys;
    std::vector<CheckConstraint> checks;
    std::string comment;
    std::string renamed_from;  // differ hint only; not compared
    DialectOptions options;

    const Column* find_column(const std::string& column) const noexcept;
    Column* find_column(const std::string& column) noexcept;
    bool is_primary_key(const std::string& column) const noexcept;

    friend bool operator==(const Table& a, const Table& b);
    std::string describe() const;  // multi-line, one element per line
};

// Default naming convention (stable, so later diffs match by name):
// pk_<table>, ix_<table>_<col1>_<col2>, uq_<table>_<cols>, fk_<table>_<cols>_<ref_table>,
// ck_<table>_<label>. Names longer than 63 bytes (PostgreSQL's limit; MySQL's is 64)
// are shortened deterministically with a hash suffix.
namespace naming {
std::string primary_key(const std::string& table);
std::string index(const std::string& table, const std::vector<std::string>& columns);
std::string unique(const std::string& table, const std::vector<std::string>& columns);
std::string foreign_key(const std::string& table, const std::vector<std::string>& columns, const std::string& ref_table);
std::string check(const std::string& table, const std::string& label);
std::string shorten(const std::string& name, std::size_t max_length = 63);
// Names every unnamed check of `owner` (a table or a domain) ck_<owner>_<words>.
void name_checks(const std::string& owner, std::vector<CheckConstraint>& checks);
}  // namespace naming

// Fills every empty constraint/index name of `table` from the convention.
void apply_naming_convention(Table& table);

}  // namespace strata
