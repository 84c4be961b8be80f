// Plain-data SQL statements for the ORM: SELECT, INSERT, UPDATE and DELETE with
// column references, bound-parameter expressions, joins, ordering and limits.
//
// No SQL text and no I/O here: a Dialect renders these (Dialect::render, in
// dialects/statement_render.cpp), quoting every identifier and turning every
// Expr::param into a placeholder whose value goes to the bound parameters. Values are
// never spliced into SQL text.
//
// Parameter order contract: render() appends bound values in the order their
// placeholders appear in the SQL text (required by `?` placeholders, kept for `$n` too),
// so a caller that renders a statement shape once may bind new values for the same
// shape by building them in that same order.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/value.hpp"

namespace strata::sql {

// A column, optionally qualified by a table name or alias ("" = unqualified).
struct ColumnRef {
    std::string table;
    std::string column;
    friend bool operator==(const ColumnRef&, const ColumnRef&) = default;
};

enum class CompareOp { eq, ne, lt, le, gt, ge };

struct SelectStatement;

// One node of an expression tree. `args` holds the operands in order:
//   column     column
//   param      value (rendered as a placeholder; value bound)
//   null       the NULL keyword (for SELECT lists; comparisons use is_null)
//   star       `*`, or `t.*` when column.table is set
//   compare    args[0] <op> args[1]
//   and_, or_  args joined, parenthesized; and_ of nothing is true, or_ of nothing false
//   not_       NOT (args[0])
//   is_null, is_not_null     args[0] IS [NOT] NULL
//   in, not_in args[0] [NOT] IN (args[1..]); an empty list is false for IN, true for NOT IN;
//              with args[1] a subquery and no further operand: args[0] [NOT] IN (SELECT ...)
//   between    args[0] BETWEEN args[1] AND args[2]
//   like, not_like           args[0] [NOT] LIKE args[1], with backslash as the escape
//              character on every dialect (so "\%" matches a literal %)
//   function   function(args...), e.g. COUNT(*), COUNT(DISTINCT a), MAX(a); `function`
//              is emitted verbatim and must be a plain SQL function name
//   subquery   (SELECT ...) of `select`: a scalar subquery, or the list of IN
//   exists     EXISTS (SELECT ...) of args[0], a subquery
// A subquery's bound values take their places among the enclosing statement's, so
// numbered placeholders ($1, $2) run on across both.
struct Expr {
    enum class Kind {
        column, param, null, star, compare, and_, or_, not_, is_null, is_not_null,
        in, not_in, between, like, not_like, function, subquery, exists,
    };
    Kind kind = Kind::null;
    CompareOp op = CompareOp::eq;  // compare
    ColumnRef column;              // column, star
    Value value;                   // param
    std::string function;          // function
    bool distinct = false;         // function: FUNC(DISTINCT ...)
    std::shared_ptr<const SelectStatement> select;  // subquery
    std::vector<Expr> args;

    static Expr col(std::string table, std::string column);
    static Expr param(Value value);
    static Expr star(std::string table = {});
    static Expr compare(CompareOp op, Expr lhs, Expr rhs);
    static Expr all_of(std::vector<Expr> terms);  // and_
    static Expr any_of(std::vector<Expr> terms);  // or_
    static Expr negate(Expr term);                // not_
    static Expr call(std::string function, std::vector<Expr> args, bool distinct = false);
    static Expr unary(Kind kind, Expr operand);    // is_null, is_not_null
    static Expr nary(Kind kind, std::vector<Expr> args);  // in, not_in, between, like, not_like, exists
    static Expr subquery(SelectStatement select);

    friend bool operator==(const Expr&, const Expr&) = default;
};

struct TableRef {
    std::string name;
    std::string alias;  // "" = none
    friend bool operator==(const TableRef&, const TableRef&) = default;
};

struct Join {
    enum class Kind { inner, left };
    Kind kind = Kind::inner;
    TableRef table;
    Expr on;
    friend bool operator==(const Join&, const Join&) = default;
};

struct SelectItem {
    Expr expr;
    std::string alias;  // "" = none
    friend bool operator==(const SelectItem&, const SelectItem&) = default;
};

struct OrderItem {
    Expr expr;
    bool descending = false;
    friend bool operator==(const OrderItem&, const OrderItem&) = default;
};

// SELECT [DISTINCT] columns FROM from [joins] [WHERE] [GROUP BY] [HAVING] [ORDER BY]
// [LIMIT] [OFFSET]. With `subquery` set, FROM is `(subquery) AS from.alias` instead of
// the table `from.name`. Limit and offset are bound parameters; an offset without a
// limit is rendered with the largest limit every dialect accepts.
struct SelectStatement {
    bool distinct = false;
    std::vector<SelectItem> columns;  // empty: *
    TableRef from;
    std::shared_ptr<const SelectStatement> subquery;
    std::vector<Join> joins;
    std::optional<Expr> where;
    std::vector<Expr> group_by;
    std::optional<Expr> having;
    std::vector<OrderItem> order_by;
    std::optional<std::int64_t> limit;
    std::optional<std::int64_t> offset;
};

// INSERT INTO table (columns) VALUES (?, ...), ... [RETURNING returning].
// Placeholders only: the caller binds `rows * columns.size()` values, row by row.
// No columns means "insert a row of defaults" (`rows` must then be 1).
struct InsertStatement {
    std::string table;
    std::vector<std::string> columns;
    std::size_t rows = 1;
    std::vector<std::string> returning;  // needs Capabilities::returning
};

struct Assignment {
    std::string column;
    Expr value;
};

// UPDATE table SET column = value, ... [WHERE where].
struct UpdateStatement {
    std::string table;
    std::vector<Assignment> set;
    std::optional<Expr> where;
};

// DELETE FROM table [WHERE where].
struct DeleteStatement {
    std::string table;
    std::optional<Expr> where;
};

}  // namespace strata::sql
