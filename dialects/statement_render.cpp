// The standard-SQL renderer of ORM statements (dialects/statement.hpp). Every
// identifier goes through quote(), every value becomes a placeholder.
#include <fmt/format.h>

#include <limits>

#include "core/error.hpp"
#include "dialects/dialect.hpp"
#include "dialects/statement.hpp"

namespace strata {

namespace sql {

Expr Expr::col(std::string table, std::string column) {
    Expr e;
    e.kind = Kind::column;
    e.column = {std::move(table), std::move(column)};
    return e;
}

Expr Expr::param(Value value) {
    Expr e;
    e.kind = Kind::param;
    e.value = std::move(value);
    return e;
}

Expr Expr::star(std::string table) {
    Expr e;
    e.kind = Kind::star;
    e.column.table = std::move(table);
    return e;
}

Expr Expr::compare(CompareOp op, Expr lhs, Expr rhs) {
    Expr e;
    e.kind = Kind::compare;
    e.op = op;
    e.args.reserve(2);
    e.args.push_back(std::move(lhs));
    e.args.push_back(std::move(rhs));
    return e;
}

Expr Expr::all_of(std::vector<Expr> terms) {
    Expr e;
    e.kind = Kind::and_;
    e.args = std::move(terms);
    return e;
}

Expr Expr::any_of(std::vector<Expr> terms) {
    Expr e;
    e.kind = Kind::or_;
    e.args = std::move(terms);
    return e;
}

Expr Expr::negate(Expr term) {
    Expr e;
    e.kind = Kind::not_;
    e.args.push_back(std::move(term));
    return e;
}

Expr Expr::call(std::string function, std::vector<Expr> args, bool distinct) {
    Expr e;
    e.kind = Kind::function;
    e.function = std::move(function);
    e.args = std::move(args);
    e.distinct = distinct;
    return e;
}

Expr Expr::unary(Kind kind, Expr operand) {
    Expr e;
    e.kind = kind;
    e.args.push_back(std::move(operand));
    return e;
}

Expr Expr::nary(Kind kind, std::vector<Expr> args) {
    Expr e;
    e.kind = kind;
    e.args = std::move(args);
    return e;
}

Expr Expr::subquery(SelectStatement select) {
    Expr e;
    e.kind = Kind::subquery;
    e.select = std::make_shared<const SelectStatement>(std::move(select));
    return e;
}

}  // namespace sql

namespace {

const char* compare_sql(sql::CompareOp op) {
    switch (op) {
        case sql::CompareOp::eq: return " = ";
        case sql::CompareOp::ne: return " <> ";
        case sql::CompareOp::lt: return " < ";
        case sql::CompareOp::le: return " <= ";
        case sql::CompareOp::gt: return " > ";
        case sql::CompareOp::ge: return " >= ";
    }
    return " = ";
}

void expect_args(const sql::Expr& e, std::size_t n, const char* what) {
    if (e.args.size() < n)
        throw Error(ErrorKind::internal, fmt::format("malformed {} expression: {} operand(s), expected {}", what,
                                                     e.args.size(), n));
}

void append_table(const Dialect& d, const sql::TableRef& t, std::string& out) {
    out += d.quote(t.name);
    if (!t.alias.empty()) out += " AS " + d.quote(t.alias);
}

// AND / OR of any number of terms (none: the neutral truth value; one: the term alone).
void render_connective(const Dialect& d, const sql::Expr& e, std::string& out, std::vector<Value>& params) {
    const bool all = e.kind == sql::Expr::Kind::and_;
    if (e.args.empty()) {
        out += all ? "1 = 1" : "1 = 0";
        return;
    }
    if (e.args.size() == 1) {
        d.render_expression(e.args[0], out, params);
        return;
    }
    out += '(';
    for (std::size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += all ? " AND " : " OR ";
        d.render_expression(e.args[i], out, params);
    }
    out += ')';
}

// [NOT] IN: args[0] is the operand, then a value list or one subquery.
void render_in(const Dialect& d, const sql::Expr& e, std::string& out, std::vector<Value>& params) {
    const bool in = e.kind == sql::Expr::Kind::in;
    expect_args(e, 1, "IN");
    // An empty list has no SQL spelling; its truth value is known.
    if (e.args.size() == 1) {
        out += in ? "1 = 0" : "1 = 1";
        return;
    }
    d.render_expression(e.args[0], out, params);
    if (e.args.size() == 2 && e.args[1].kind == sql::Expr::Kind::subquery) {
        out += in ? " IN " : " NOT IN ";
        d.render_expression(e.args[1], out, params);
        return;
    }
    out += in ? " IN (" : " NOT IN (";
    for (std::size_t i = 1; i < e.args.size(); ++i) {
        if (i > 1) out += ", ";
        d.render_expression(e.args[i], out, params);
    }
    out += ')';
}

}  // namespace

void Dialect::render_expression(const sql::Expr& e, std::string& out, std::vector<Value>& params) const {
    using K = sql::Expr::Kind;
    switch (e.kind) {
        case K::column:
            if (!e.column.table.empty()) {
                out += quote(e.column.table);
                out += '.';
            }
            out += quote(e.column.column);
            return;
        case K::param:
            params.push_back(e.value);
            out += placeholder(params.size());
            return;
        case K::null:
            out += "NULL";
            return;
        case K::star:
            if (!e.column.table.empty()) out += quote(e.column.table) + ".";
            out += '*';
            return;
        case K::compare:
            expect_args(e, 2, "comparison");
            render_expression(e.args[0], out, params);
            out += compare_sql(e.op);
            render_expression(e.args[1], out, params);
            return;
        case K::and_:
        case K::or_:
            render_connective(*this, e, out, params);
            return;
        case K::not_:
            expect_args(e, 1, "NOT");
            out += "NOT (";
            render_expression(e.args[0], out, params);
            out += ')';
            return;
        case K::is_null:
        case K::is_not_null:
            expect_args(e, 1, "IS NULL");
            render_expression(e.args[0], out, params);
            out += e.kind == K::is_null ? " IS NULL" : " IS NOT NULL";
            return;
        case K::in:
        case K::not_in:
            render_in(*this, e, out, params);
            return;
        case K::between:
            expect_args(e, 3, "BETWEEN");
            render_expression(e.args[0], out, params);
            out += " BETWEEN ";
            render_expression(e.args[1], out, params);
            out += " AND ";
            render_expression(e.args[2], out, params);
            return;
        case K::like:
        case K::not_like:
            expect_args(e, 2, "LIKE");
            render_expression(e.args[0], out, params);
            out += e.kind == K::like ? " LIKE " : " NOT LIKE ";
            render_expression(e.args[1], out, params);
            // SQLite has no default escape character while PostgreSQL and MySQL use
            // backslash: naming it makes patterns mean the same everywhere.
            out += " ESCAPE ";
            out += literal(Value(std::string("\\")));
            return;
        case K::function:
            out += e.function;
            out += '(';
            if (e.distinct) out += "DISTINCT ";
            for (std::size_t i = 0; i < e.args.size(); ++i) {
                if (i) out += ", ";
                render_expression(e.args[i], out, params);
            }
            out += ')';
            return;
        case K::subquery:
            if (!e.select) throw Error(ErrorKind::internal, "malformed subquery expression: no SELECT");
            out += '(';
            out += render(*e.select, params);
            out += ')';
            return;
        case K::exists:
            expect_args(e, 1, "EXISTS");
            out += "EXISTS ";
            render_expression(e.args[0], out, params);
            return;
    }
    throw Error(ErrorKind::internal, "unknown expression kind");
}

std::string Dialect::render(const sql::SelectStatement& s, std::vector<Value>& params) const {
    std::string out = "SELECT ";
    if (s.distinct) out += "DISTINCT ";
    if (s.columns.empty()) out += '*';
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
        if (i) out += ", ";
        render_expression(s.columns[i].expr, out, params);
        if (!s.columns[i].alias.empty()) out += " AS " + quote(s.columns[i].alias);
    }
    out += " FROM ";
    if (s.subquery) {
        out += '(';
        out += render(*s.subquery, params);
        out += ") AS ";
        out += quote(s.from.alias.empty() ? std::string("subquery") : s.from.alias);
    } else {
        append_table(*this, s.from, out);
    }
    for (const sql::Join& j : s.joins) {
        out += j.kind == sql::Join::Kind::inner ? " JOIN " : " LEFT OUTER JOIN ";
        append_table(*this, j.table, out);
        out += " ON ";
        render_expression(j.on, out, params);
    }
    if (s.where) {
        out += " WHERE ";
        render_expression(*s.where, out, params);
    }
    if (!s.group_by.empty()) {
        out += " GROUP BY ";
        for (std::size_t i = 0; i < s.group_by.size(); ++i) {
            if (i) out += ", ";
            render_expression(s.group_by[i], out, params);
        }
    }
    if (s.having) {
        out += " HAVING ";
        render_expression(*s.having, out, params);
    }
    if (!s.order_by.empty()) {
        out += " ORDER BY ";
        for (std::size_t i = 0; i < s.order_by.size(); ++i) {
            if (i) out += ", ";
            render_expression(s.order_by[i].expr, out, params);
            out += s.order_by[i].descending ? " DESC" : " ASC";
        }
    }
    if (s.limit || s.offset) {
        // SQLite and MySQL accept OFFSET only after a LIMIT; the largest signed 64-bit
        // value is a limit every dialect accepts and means "no limit".
        params.emplace_back(s.limit ? *s.limit : std::numeric_limits<std::int64_t>::max());
        out += " LIMIT " + placeholder(params.size());
        if (s.offset) {
            params.emplace_back(*s.offset);
            out += " OFFSET " + placeholder(params.size());
        }
    }
    return out;
}

std::string Dialect::render(const sql::InsertStatement& s) const {
    std::string out = "INSERT INTO " + quote(s.table);
    if (s.columns.empty()) {
        if (s.rows != 1)
            throw Error(ErrorKind::internal, "an INSERT of default rows renders one row per statement");
        out += " DEFAULT VALUES";
    } else {
        out += " (";
        for (std::size_t i = 0; i < s.columns.size(); ++i) {
            if (i) out += ", ";
            out += quote(s.columns[i]);
        }
        out += ") VALUES ";
        std::size_t n = 0;
        out.reserve(out.size() + s.rows * (s.columns.size() * 4 + 4));
        for (std::size_t r = 0; r < s.rows; ++r) {
            if (r) out += ", ";
            out += '(';
            for (std::size_t c = 0; c < s.columns.size(); ++c) {
                if (c) out += ", ";
                out += placeholder(++n);
            }
            out += ')';
        }
    }
    if (!s.returning.empty()) {
        out += " RETURNING ";
        for (std::size_t i = 0; i < s.returning.size(); ++i) {
            if (i) out += ", ";
            out += quote(s.returning[i]);
        }
    }
    return out;
}

std::string Dialect::render(const sql::UpdateStatement& s, std::vector<Value>& params) const {
    if (s.set.empty()) throw Error(ErrorKind::internal, "an UPDATE needs at least one column to set");
    std::string out = "UPDATE " + quote(s.table) + " SET ";
    for (std::size_t i = 0; i < s.set.size(); ++i) {
        if (i) out += ", ";
        out += quote(s.set[i].column);
        out += " = ";
        render_expression(s.set[i].value, out, params);
    }
    if (s.where) {
        out += " WHERE ";
        render_expression(*s.where, out, params);
    }
    return out;
}

std::string Dialect::render(const sql::DeleteStatement& s, std::vector<Value>& params) const {
    std::string out = "DELETE FROM " + quote(s.table);
    if (s.where) {
        out += " WHERE ";
        render_expression(*s.where, out, params);
    }
    return out;
}

}  // namespace strata
