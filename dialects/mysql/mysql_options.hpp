// Internal to the MySQL dialect: the dialect options it models (docs/migrations.md,
// "MySQL/MariaDB character sets, collations and table options"), kept in the
// DialectOptions slot of tables and columns under the keys below:
//   table:  "mysql.engine", "mysql.charset", "mysql.collation", "mysql.row_format"
//   column: "mysql.charset", "mysql.collation", "mysql.on_update"
// Pure functions: canonical spellings, what a table or column has in effect, how two
// versions compare, and the SQL clauses that declare them.
//
// What an unset option means (the rules every function here follows):
//  - table engine: InnoDB; table charset: the collation's charset, else utf8mb4 (what
//    strata writes in CREATE TABLE); table collation: the charset's default collation,
//    which depends on the server, so an unset table collation matches any;
//    row_format: the engine's default (for InnoDB taken as DYNAMIC, the default since
//    MySQL 5.7 and MariaDB 10.2).
//  - column charset and collation: the table's. Canonical form (reflect() and
//    normalize() produce it): a column keeps "mysql.collation" only when it differs
//    from its table's collation and "mysql.charset" only when it differs from its
//    table's charset. A column that names a charset other than its table's and no
//    collation has that charset's default collation, which matches any collation of
//    the charset.
#pragma once

#include <string>
#include <string_view>

#include "orm/schema/table.hpp"

namespace strata::mysql_detail {

inline constexpr const char* kEngineOption = "mysql.engine";
inline constexpr const char* kCharsetOption = "mysql.charset";
inline constexpr const char* kCollationOption = "mysql.collation";
inline constexpr const char* kRowFormatOption = "mysql.row_format";
inline constexpr const char* kOnUpdateOption = "mysql.on_update";

// Lower case, with the utf8 alias spelled utf8mb3 (as MariaDB 10.6+ and MySQL 8 report
// it): "UTF8" -> "utf8mb3", "utf8_bin" -> "utf8mb3_bin".
std::string canonical_charset(std::string_view name);
std::string canonical_collation(std::string_view name);
// The character set a collation belongs to (the part before the first '_'):
// "utf8mb4_bin" -> "utf8mb4", "binary" -> "binary".
std::string charset_of_collation(std::string_view collation);

// Whether a column of this type stores characters and so has a character set and
// collation (string, text, enum, and `other` spellings such as SET or NCHAR).
bool has_charset(const ColumnType& type);

// The canonical form of `table`'s options and of its columns' (see above): aliases
// resolved, ROW_FORMAT upper case (DEFAULT removed), column charsets and collations
// that equal the table's removed, ON UPDATE in canonical spelling. Never throws.
void canonicalize_options(Table& table);

// The canonical text of an ON UPDATE expression: current_timestamp(), now(6),
// CURRENT_TIMESTAMP(3) -> "CURRENT_TIMESTAMP" (the column's own precision is the only
// one possible: MariaDB applies it whatever is written, MySQL refuses another).
// Fractional-seconds digits of a DATETIME/TIME (unset: 6, the portable default) or of a
// native spelling such as "timestamp(3)" (0 without parentheses).
int fractional_digits(const ColumnType& type);
std::string canonical_on_update(std::string_view text);
// " ON UPDATE CURRENT_TIMESTAMP(p)" (p the column's fractional digits; none for 0), or
// the canonical expression as given; "" without the option.
std::string on_update_clause(const Column& column);

// Whether two versions of a table (canonical) differ in ENGINE, charset, collation
// (when both name one) or ROW_FORMAT.
bool table_options_differ(const DialectOptions& a, const DialectOptions& b);
// Whether two versions of a column, each with its table (canonical), differ in
// charset, collation or ON UPDATE. A table whose collation is unset takes the other
// side's when the charsets agree (unset matches any).
bool column_options_differ(const Table& a_table, const Column& a, const Table& b_table, const Column& b);

// `column` with the charset and collation it has in effect in `table` written out as
// its own options (`other` as in column_options_differ; the collation only when known),
// so that a MODIFY carrying it means the same whatever the table's defaults are when
// it runs. Returned unchanged when the two tables have the same defaults or the column
// has no characters.
Column pinned_column(const Table& table, const Column& column, const Table& other);

// " CHARACTER SET cs COLLATE coll", " CHARACTER SET cs" or "" for a column of `table`.
// A column with no charset or collation of its own, or only its table's charset,
// follows the table and gets no clause. Throws Error(input) for an option on a type
// without characters, a name that is not a plain identifier, or a collation of
// another charset than the one named.
std::string column_charset_clause(const Table& table, const Column& column);
// "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4[ COLLATE=x][ ROW_FORMAT=Y]" for CREATE TABLE.
// Throws Error(input) like column_charset_clause().
std::string table_options_clause(const std::string& table, const DialectOptions& options);
// The clauses of ALTER TABLE that turn table options `from` into `to`, e.g.
// "ENGINE=Aria, DEFAULT CHARSET=latin1 COLLATE=latin1_bin, ROW_FORMAT=DEFAULT"; ""
// when nothing MySQL stores changes. Throws Error(input) like table_options_clause().
std::string alter_table_options_clause(const std::string& table, const DialectOptions& from, const DialectOptions& to);

}  // namespace strata::mysql_detail
