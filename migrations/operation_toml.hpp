// Steps <-> TOML tables, for revision files (migrations/revision_file.hpp).
//
// Internal to strata_migrations (values come from migrations/toml_reader.hpp). Other
// layers use revision_file.hpp.
//
// One step is one TOML table with `op` naming the operation, the keys below, and on
// every op an optional `destructive_ok = true` (the reviewer's consent, Step::destructive_ok)
// and `lint_ok = { rule-id = "reason", ... }` (lint findings accepted, Step::lint_ok; each
// reason a non-empty string). The step's line is kept in Step::line.
// "*" marks a required key.
//
//   create_table      name*, columns* = [ COLUMN, ... ], primary_key = ["id", ...],
//                     primary_key_name, indexes = [ INDEX, ... ], uniques = [ UNIQUE, ... ],
//                     foreign_keys = [ FK, ... ], checks = [ CHECK, ... ], comment,
//                     options = { "mysql.engine" = "InnoDB" }
//                     Columns may say `primary_key = true` instead of the table-level
//                     list (not both).
//   drop_table        name*, and the same keys as create_table describing the dropped
//                     table (needed to reverse it; `name` alone is accepted)
//   rename_table      from*, to*
//   add_column        table*, column* = COLUMN, backfill (value for existing rows)
//   drop_column       table*, column* = COLUMN (the old definition) or "name" alone
//   alter_column      table*, column* = "name", from* = COLUMN, to* = COLUMN
//                     (`name` may be left out of from/to: it defaults to `column`)
//   rename_column     table*, from*, to*
//   create_index      table*, index* = INDEX, concurrently (default false)
//   drop_index        table*, index* = INDEX or "name", concurrently (default false)
//   add_unique        table*, unique* = UNIQUE
//   drop_unique       table*, unique* = UNIQUE or "name"
//   add_foreign_key   table*, foreign_key* = FK, not_valid (default false)
//   drop_foreign_key  table*, foreign_key* = FK or "name"
//   add_check         table*, check* = CHECK, not_valid (default false)
//   drop_check        table*, check* = CHECK or "name"
//   validate_constraint table*, name* (a foreign key or check added with not_valid)
//   alter_primary_key table*, from* = PK, to* = PK (a side with no columns: no primary key)
//   alter_table_comment table*, from*, to* (strings; "" for no comment)
//   alter_table_options table*, from*, to* (tables of strings, the table's dialect
//                     options before and after: { "mysql.engine" = "InnoDB", ... })
//   create_view       name*, definition* (the SELECT), columns = ["a", ...] (names given
//                     with the view), materialized (PostgreSQL; default false)
//   drop_view         name*, and the same keys describing the dropped view (needed to
//                     reverse it; `name` alone is accepted)
//   replace_view      name*, definition*, columns, materialized (the new view);
//                     from_definition*, from_columns, from_materialized (the old one)
//   sql               sql, or per dialect sqlite / postgresql / mysql (at least one);
//                     reverse_sql, reverse_sqlite, reverse_postgresql, reverse_mysql
//   call              function*, reverse_function
//   create_sequence   sequence* = SEQUENCE
//   drop_sequence     sequence* = SEQUENCE or "name"
//   alter_sequence    sequence* = "name", from* = SEQUENCE, to* = SEQUENCE
//   create_domain     domain* = DOMAIN
//   drop_domain       domain* = DOMAIN or "name"
//   alter_domain      domain* = "name", from* = DOMAIN, to* = DOMAIN
//   create_enum_type  enum_type* = ENUM
//   drop_enum_type    enum_type* = ENUM or "name"
//   alter_enum_type   enum_type* = "name", from* = [labels], to* = [labels]
//   (in from/to tables `name` may be left out: it defaults to the named object)
//
//   COLUMN  { name*, type*, length, precision, scale, timezone, unsigned, fixed_length,
//             values, native, type_name, nullable (default true), default | default_sql,
//             autoincrement, comment, options }
//           type: tiny_integer, small_integer, medium_integer, integer, big_integer,
//           boolean, string, text, float, double, numeric, date, time, datetime, blob,
//           json, uuid, enum, other.
//           length: string (characters), text and blob (bytes: MySQL size class);
//           fixed_length: string (CHAR(n)); unsigned: the integer types;
//           precision: numeric (digits) or time/datetime (fractional digits, 0-6);
//           scale: numeric; timezone: datetime;
//           values* : enum; native* : other (the type spelled verbatim);
//           type_name: the enum type (enum) or domain (other) the column is declared with.
//           default: a string, integer, float or boolean literal (kept as canonical
//           text, ServerDefault::literal); default_sql: an SQL expression.
//   INDEX   { name, columns*, unique, method, opclasses, order, where }
//           (a key with parentheses is an expression: "lower(email)"; PostgreSQL and
//           SQLite index expressions, MySQL refuses them). method: the access method
//           ("gin", "gist", "brin", "hash", "spgist"; PostgreSQL; absent = btree).
//           opclasses / order: one entry per key, "" for the default: an operator class
//           (PostgreSQL), and "asc" / "desc" optionally followed by "nulls first" /
//           "nulls last". where: the predicate of a partial index (PostgreSQL, SQLite).
//           What a database cannot build is refused when the step is rendered.
//   UNIQUE  { name, columns* }
//   FK      { name, columns*, ref_table*, ref_columns*, on_delete, on_update }
//           actions: no_action (default), restrict, cascade, set_null, set_default
//           (SQL spelling such as "SET NULL" is accepted too)
//   CHECK   { name*, expression* }
//   PK      { name, columns }
//   SEQUENCE { name*, type (small_integer, integer, big_integer: the default), increment
//             (default 1), start, min_value, max_value, cache (default 1), cycle,
//             owned_by = "table.column" }
//   DOMAIN  { name*, type* and the other type keys of COLUMN, nullable, default |
//             default_sql, checks = [ CHECK, ... ] }
//   ENUM    { name*, values* }
//
// A missing constraint or index `name` is filled from the naming convention
// (orm/schema/table.hpp); `name = ""` is kept empty.
//
// A column given by name only (drop_column's `column = "email"`) has an unknown
// definition: it is read as a Column whose type is kind `other` with an empty
// `native` (see column_definition_known in revision_file.hpp); such a drop cannot
// be reversed.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrations/operation.hpp"
#include "migrations/toml_reader.hpp"

namespace strata::detail {

// 1-based line of a parsed value.
int line_of(const TomlValue& value) noexcept;

// "a string", "an integer", ... for error messages.
const char* toml_type_name(const TomlValue& value) noexcept;

// Reads one TOML table key by key, with errors that name the file, the line and
// the table (`what`: "add_column on 'users'", "column 'email'"). Readers call
// allow_only() first, so a misspelt key is reported as such rather than as the
// missing key it was meant to be. Holds references: the value and file must
// outlive the reader.
class TomlTable {
public:
    // Throws Error(input) when `value` is not a table.
    TomlTable(const TomlValue& value, const std::string& file, std::string what);

    const std::string& file() const noexcept { return file_; }
    int line() const noexcept { return line_of(value_); }
    const std::string& what() const noexcept { return what_; }
    void set_what(std::string what) { what_ = std::move(what); }

    bool has(std::string_view key) const;
    // The value of `key`; nullptr when absent.
    const TomlValue* find(std::string_view key) const;
    // The value of `key`; throws "missing key" at the table's line when absent.
    const TomlValue& required(std::string_view key) const;

    std::string string(std::string_view key) const;  // required string
    std::optional<std::string> optional_string(std::string_view key) const;
    bool boolean(std::string_view key, bool fallback) const;
    // An integer in [minimum, INT_MAX]; std::nullopt when absent.
    std::optional<int> optional_int(std::string_view key, int minimum) const;
    // An array of strings; empty when absent. `required` also rejects an empty array.
    std::vector<std::string> string_list(std::string_view key, bool required) const;
    // A table of string values (dialect options); empty when absent.
    std::map<std::string, std::string> string_map(std::string_view key) const;

    [[noreturn]] void fail(const std::string& message) const;
    [[noreturn]] void fail_at(const TomlValue& at, const std::string& message) const;
    [[noreturn]] void wrong_type(std::string_view key, const TomlValue& at, const char* expected) const;

    // Throws for the first key (in sorted order) not in `valid_keys` (a ", "
    // separated list), naming it and listing the valid ones.
    void allow_only(std::string_view valid_keys) const;

private:
    const TomlValue& value_;
    const std::string& file_;
    std::string what_;
};

// A literal (string, integer, float, boolean) as canonical text: strings as they
// are, integers in decimal, booleans "true"/"false", floats in shortest form.
// Throws through `table` for any other type.
std::string literal_text(const TomlTable& table, std::string_view key, const TomlValue& value);

// Canonical text of a TOML date-time or date value ("2026-11-26T05:00:00Z");
// std::nullopt for any other type.
std::optional<std::string> datetime_text(const TomlValue& value);

// Shared by the readers and writers of steps (operation_toml.cpp, object_toml.cpp).
struct ColumnRules {
    bool allow_primary_key = false;             // create_table / drop_table columns
    const std::string* default_name = nullptr;  // alter_column from/to, a domain
    std::string_view keys;                      // the keys allowed; empty: COLUMN's
    const char* what = "column";                // for messages: "column 'email'"
};
Column read_column(const TomlValue& value, const std::string& file, const ColumnRules& rules,
                   bool* primary_key = nullptr);
CheckConstraint read_check(const TomlValue& value, const std::string& file);
std::string non_empty_string(TomlTable& t, std::string_view key);
std::optional<std::string> optional_non_empty(TomlTable& t, std::string_view key);
// "k = v, ..." of a COLUMN (no braces), and the inline table.
std::string column_fields(const Column& column, bool with_name);
std::string column_inline(const Column& column, bool with_name);
std::string check_inline(const CheckConstraint& check);
std::string string_array(const std::vector<std::string>& items);
void append_line(std::string& out, std::string_view key, const std::string& value);

// The schema-object steps (object_toml.cpp): the keys an object op accepts ("" for any
// other op), one such step read from its table, and its keys written.
std::string_view object_op_keys(std::string_view op);
Operation object_step(TomlTable& t, const std::string& op);
void append_object_step(std::string& out, const op::CreateSequence& o);
void append_object_step(std::string& out, const op::DropSequence& o);
void append_object_step(std::string& out, const op::AlterSequence& o);
void append_object_step(std::string& out, const op::CreateDomain& o);
void append_object_step(std::string& out, const op::DropDomain& o);
void append_object_step(std::string& out, const op::AlterDomain& o);
void append_object_step(std::string& out, const op::CreateEnumType& o);
void append_object_step(std::string& out, const op::DropEnumType& o);
void append_object_step(std::string& out, const op::AlterEnumType& o);

// One step from its table. Throws Error(input) naming file and line.
Step step_from_toml(const TomlValue& value, const std::string& file);

// Appends "[[<section>]]\n" and the step's keys, one per line.
void append_step(std::string& out, const Step& step, std::string_view section);

// A TOML basic string: "..." with escapes.
std::string toml_quote(std::string_view text);
// A TOML key: bare when it is letters, digits, '_' and '-', quoted otherwise.
std::string toml_key(std::string_view key);

}  // namespace strata::detail
