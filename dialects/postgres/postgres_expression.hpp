// Canonical text of SQL expressions as PostgreSQL stores them, so that a declared
// default or check constraint and the server's deparsed version of it (pg_get_expr,
// pg_get_constraintdef) compare equal. Pure functions, no I/O; used by
// PostgresDialect::normalize and PostgresDialect::reflect alike, which is what makes
// declare -> create -> reflect -> diff come out empty.
//
// What canonicalization does (both sides go through it):
// - parses the expression with PostgreSQL's operator precedence and prints it back
//   with only the parentheses that precedence requires: "(y + z * 2) > 3" and
//   "y + z * 2 > 3" print the same; AND / OR chains are flattened;
// - drops type casts the server adds on its own ('x'::character varying -> 'x',
//   c::text -> c, 0::numeric -> 0, '-1'::integer -> -1), keeping casts to interval,
//   which change meaning;
// - undoes the server's rewrites: x = ANY (ARRAY[a, b]) -> x IN (a, b), x <> ALL (...)
//   -> x NOT IN (...), ~~ / ~~* / !~~ -> LIKE / ILIKE / NOT LIKE, != -> <>,
//   x BETWEEN a AND b -> x >= a AND x <= b, now() -> CURRENT_TIMESTAMP;
// - keeps a string read through text and cast to a date or time type an expression
//   evaluated at run time: 'now'::text::date -> CURRENT_DATE, 'now'::text::timestamp ->
//   CURRENT_TIMESTAMP, 'tomorrow'::text::date as written (never the literal 'now');
// - spells keywords upper case, unquoted identifiers and function names lower case,
//   and quotes identifiers only where needed.
//
// Known limits: because casts are dropped, two expressions that differ only in an
// explicit cast (a::numeric / 2 versus a / 2) compare equal; jsonb literals are kept
// as written although the server reformats them; text the parser does not understand
// (subqueries, LIKE ... ESCAPE, operators written as OPERATOR(...)) falls back to
// whitespace and case normalization only, which is still deterministic but may not
// match the server's spelling.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "orm/schema/table.hpp"

namespace strata::postgres {

// Canonical text of a boolean or scalar SQL expression (see above). Never throws.
std::string canonical_expression(std::string_view sql);

// A check constraint as pg_get_constraintdef() returns it ("CHECK ((x > 0)) NOT VALID")
// or as declared ("x > 0"): the canonical expression without the CHECK wrapper.
std::string canonical_check(std::string_view sql);

// What a column default expression means.
struct ParsedDefault {
    std::optional<ServerDefault> server_default;  // empty for NULL
    // nextval('x'::regclass): the sequence as the regclass text names it ("x", "s.x",
    // "\"Mixed\""); the default is then the expression "nextval('x')". Reflection turns
    // it into an autoincrement column when x is that column's own serial sequence.
    std::string sequence;
};

// Classifies a default expression as pg_get_expr() returns it ("'x'::character varying",
// "'-5'::integer", "now()", "nextval('t_id_seq'::regclass)", "NULL::text"): literals
// become ServerDefault::literal with canonical_literal() text for `type`,
// timestamp spellings (now(), CURRENT_TIMESTAMP(3), LOCALTIMESTAMP, transaction_timestamp(),
// 'now'::text::timestamp) become the expression "CURRENT_TIMESTAMP", 'now'::text::date and
// 'today'::text::date "CURRENT_DATE" (never the literal 'now', which would freeze the
// date of the copy), anything else the canonical expression.
ParsedDefault parse_default(std::string_view expression, const ColumnType& type);

// Canonical text of a literal default value for a column of `type`: booleans
// "true"/"false", integers in decimal, floats in shortest round-trip form ("NaN",
// "Infinity", "-Infinity"), numerics with exactly `scale` decimals (or without
// trailing zeros when unscaled), dates/times/timestamps in ISO form, uuids lower
// case; other text unchanged. Text that does not parse as the type is returned as is.
std::string canonical_literal(std::string_view text, const ColumnType& type);

}  // namespace strata::postgres
