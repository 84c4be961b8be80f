#include "orm/expression.hpp"

namespace strata {

Expression Expression::value(Value v) {
    Node n;
    n.kind = Kind::param;
    n.value = std::move(v);
    return Expression(std::move(n));
}

Expression Expression::column(std::string table, std::string column) {
    Node n;
    n.kind = Kind::column;
    n.table = std::move(table);
    n.column = std::move(column);
    return Expression(std::move(n));
}

Expression Expression::compare(sql::CompareOp op, Expression lhs, Expression rhs) {
    return detail::make_compare(op, std::move(lhs), std::move(rhs));
}

Expression Expression::function(std::string name, std::vector<Expression> args, bool distinct) {
    Node n;
    n.kind = Kind::function;
    n.function = std::move(name);
    n.args = std::move(args);
    n.distinct = distinct;
    return Expression(std::move(n));
}

namespace {

// a && (b && c) is stored flat, so long filter chains render without nesting.
Expression combine(Expression::Kind kind, const Expression& a, const Expression& b) {
    Expression::Node n;
    n.kind = kind;
    for (const Expression* e : {&a, &b}) {
        if (e->kind() == kind) n.args.insert(n.args.end(), e->node().args.begin(), e->node().args.end());
        else n.args.push_back(*e);
    }
    return Expression(std::move(n));
}

}  // namespace

Expression operator&&(const Expression& a, const Expression& b) { return combine(Expression::Kind::and_, a, b); }
Expression operator||(const Expression& a, const Expression& b) { return combine(Expression::Kind::or_, a, b); }

Expression operator!(const Expression& e) {
    Expression::Node n;
    n.kind = Expression::Kind::not_;
    n.args.push_back(e);
    return Expression(std::move(n));
}

Expression count() {
    Expression::Node star;
    star.kind = Expression::Kind::star;
    return Expression::function("COUNT", {Expression(std::move(star))});
}

namespace detail {

Expression make_member(const MemberKey& key) {
    Expression::Node n;
    n.kind = Expression::Kind::member;
    n.member = key;
    return Expression(std::move(n));
}

Expression make_compare(sql::CompareOp op, Expression lhs, Expression rhs) {
    Expression::Node n;
    n.kind = Expression::Kind::compare;
    n.op = op;
    n.args.push_back(std::move(lhs));
    n.args.push_back(std::move(rhs));
    return Expression(std::move(n));
}

Expression make_value_compare(sql::CompareOp op, Expression lhs, Value rhs) {
    if (is_null(rhs) && (op == sql::CompareOp::eq || op == sql::CompareOp::ne))
        return make_nary(op == sql::CompareOp::eq ? Expression::Kind::is_null : Expression::Kind::is_not_null,
                         {std::move(lhs)});
    return make_compare(op, std::move(lhs), Expression::value(std::move(rhs)));
}

Expression make_nary(Expression::Kind kind, std::vector<Expression> args) {
    Expression::Node n;
    n.kind = kind;
    n.args = std::move(args);
    return Expression(std::move(n));
}

}  // namespace detail

}  // namespace strata
