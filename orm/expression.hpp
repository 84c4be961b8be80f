// Query expressions over model members, as in SQLAlchemy's User.name == "Alice":
//
//   using strata::col;
//   col(&User::name) == "Alice" || col(&User::name) == "Bob"
//   col(&User::age) >= 18 && !col(&User::email).is_null()
//   col(&User::name).like("A%"), col(&User::id).in({1, 2, 3}), col(&User::age).between(20, 30)
//   col(&Employee::department_id) == col(&Department::id)          // column to column
//   strata::desc(&User::name), strata::count(), strata::max(&User::age)
//   col(&User::id).in(session.query<Post>().select(&Post::user_id))  // subqueries: orm/subquery.hpp
//
// Values are converted with the member's ColumnTraits (so they compare the way the
// column stores them) and are always sent as bound parameters. `== std::nullopt` and
// `== strata::null` become IS NULL (and != becomes IS NOT NULL).
//
// Expressions are immutable values, cheap to copy (a shared tree). They name members,
// not columns: a query resolves each member to its table and column when it runs, so an
// expression can be built before (or without) a session.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "core/value.hpp"
#include "dialects/statement.hpp"
#include "orm/detail/column_traits.hpp"
#include "orm/detail/member_key.hpp"

namespace strata {

class Subquery;
namespace detail {
struct SubquerySpec;
}

class Expression {
public:
    enum class Kind {
        member,  // a mapped member (resolved to table.column by the query)
        column,  // an explicit table.column
        param, null, star, compare, and_, or_, not_, is_null, is_not_null,
        in, not_in, between, like, not_like, function,
        in_subquery, not_in_subquery,  // args[0] [NOT] IN (subquery)
        exists,                        // EXISTS (subquery)
        scalar_subquery,               // (subquery) as a value
    };
    struct Node {
        Kind kind = Kind::null;
        sql::CompareOp op = sql::CompareOp::eq;
        detail::MemberKey member;
        std::string table, column;
        Value value;
        std::string function;
        bool distinct = false;
        std::vector<Expression> args;
        std::shared_ptr<const detail::SubquerySpec> subquery;  // the *subquery kinds and exists
    };

    explicit Expression(Node node) : node_(std::make_shared<const Node>(std::move(node))) {}
    const Node& node() const noexcept { return *node_; }
    Kind kind() const noexcept { return node_->kind; }

    // A bound value.
    static Expression value(Value v);
    // A column named explicitly (for tables without a model, e.g. association tables).
    static Expression column(std::string table, std::string column);
    static Expression compare(sql::CompareOp op, Expression lhs, Expression rhs);
    static Expression function(std::string name, std::vector<Expression> args, bool distinct = false);

    friend Expression operator&&(const Expression& a, const Expression& b);
    friend Expression operator||(const Expression& a, const Expression& b);
    friend Expression operator!(const Expression& e);

    // Comparisons of an arbitrary expression (an aggregate, a function) with a value or
    // another expression.
    template <class V>
    Expression op(sql::CompareOp o, const V& v) const;

private:
    std::shared_ptr<const Node> node_;
};

namespace detail {

template <class V>
concept ExpressionLike = std::derived_from<std::remove_cvref_t<V>, Expression>;

template <class V>
constexpr bool is_null_literal =
    std::is_same_v<std::remove_cvref_t<V>, std::nullopt_t> || std::is_same_v<std::remove_cvref_t<V>, Null>;

// A value given without a member type to convert through.
template <class V>
Value loose_value(const V& v) {
    using D = std::remove_cvref_t<V>;
    if constexpr (std::is_same_v<D, Value>) return v;
    else if constexpr (is_null_literal<D>) return Value();
    else if constexpr (std::is_same_v<D, bool>) return v;
    else if constexpr (std::is_integral_v<D>) return static_cast<std::int64_t>(v);
    else if constexpr (std::is_floating_point_v<D>) return static_cast<double>(v);
    else if constexpr (std::is_convertible_v<const D&, std::string>) return std::string(v);
    else if constexpr (Mappable<D>) return ColumnTraits<D>::to_value(v);
    else static_assert(Mappable<D>, "strata: this value type cannot be used in an expression");
}

template <class M>
struct BaseType {
    using type = M;
};
template <class T>
struct BaseType<std::optional<T>> {
    using type = T;
};

// `v` converted as the member type M stores it.
template <class M, class V>
Value member_value(const V& v) {
    using B = typename BaseType<M>::type;
    using D = std::remove_cvref_t<V>;
    if constexpr (is_null_literal<D>) return Value();
    else if constexpr (std::is_same_v<D, Value>) return v;
    else if constexpr (std::is_same_v<D, std::optional<B>>) return v ? ColumnTraits<B>::to_value(*v) : Value();
    // Numbers keep their own type: age > 17.5 must not become age > 17.
    else if constexpr (std::is_arithmetic_v<D> && !std::is_same_v<D, bool> && std::is_arithmetic_v<B> &&
                       !std::is_same_v<B, bool>)
        return loose_value(v);
    else if constexpr (std::is_constructible_v<B, const D&>) return ColumnTraits<B>::to_value(B(v));
    else static_assert(std::is_constructible_v<B, const D&>,
                       "strata: the value cannot be converted to the member's type in this comparison");
}

Expression make_member(const MemberKey& key);
Expression make_compare(sql::CompareOp op, Expression lhs, Expression rhs);
Expression make_value_compare(sql::CompareOp op, Expression lhs, Value rhs);  // NULL -> IS [NOT] NULL
Expression make_nary(Expression::Kind kind, std::vector<Expression> args);
// lhs [NOT] IN (subquery); Error(usage) unless the subquery selects exactly one column.
Expression make_in_subquery(Expression lhs, const Subquery& subquery, bool negated);

}  // namespace detail

// A mapped member used in an expression: col(&User::name).
template <class C, class M>
class ColumnExpression : public Expression {
public:
    explicit ColumnExpression(M C::*member) : Expression(detail::make_member(detail::member_key(member))) {}

    Expression is_null() const { return detail::make_nary(Kind::is_null, {*this}); }
    Expression is_not_null() const { return detail::make_nary(Kind::is_not_null, {*this}); }
    // SQL LIKE with % and _ wildcards; backslash escapes them on every dialect. Case
    // sensitivity follows the database (PostgreSQL: sensitive; SQLite ASCII and MySQL
    // with the default collation: insensitive).
    Expression like(std::string pattern) const {
        return detail::make_nary(Kind::like, {*this, Expression::value(std::move(pattern))});
    }
    Expression not_like(std::string pattern) const {
        return detail::make_nary(Kind::not_like, {*this, Expression::value(std::move(pattern))});
    }
    template <class V>
    Expression in(const std::vector<V>& values) const {
        std::vector<Expression> args{*this};
        args.reserve(values.size() + 1);
        for (const auto& v : values) args.push_back(Expression::value(detail::member_value<M>(v)));
        return detail::make_nary(Kind::in, std::move(args));
    }
    template <class V>
    Expression in(std::initializer_list<V> values) const {
        return in(std::vector<V>(values));
    }
    // IN (SELECT one column ...): Error(usage) when the subquery selects another number
    // of columns.
    Expression in(const Subquery& subquery) const { return detail::make_in_subquery(*this, subquery, false); }
    Expression not_in(const Subquery& subquery) const { return detail::make_in_subquery(*this, subquery, true); }
    template <class V>
    Expression not_in(const std::vector<V>& values) const {
        std::vector<Expression> args{*this};
        for (const auto& v : values) args.push_back(Expression::value(detail::member_value<M>(v)));
        return detail::make_nary(Kind::not_in, std::move(args));
    }
    template <class V>
    Expression not_in(std::initializer_list<V> values) const {
        return not_in(std::vector<V>(values));
    }
    template <class A, class B>
    Expression between(const A& low, const B& high) const {
        return detail::make_nary(Kind::between, {*this, Expression::value(detail::member_value<M>(low)),
                                                 Expression::value(detail::member_value<M>(high))});
    }
};

template <class C, class M>
ColumnExpression<C, M> col(M C::*member) {
    return ColumnExpression<C, M>(member);
}

// Column op value, converted through the member's type; any other expression (an
// aggregate such as strata::count() > 2) op value; expression op expression.
#define STRATA_DETAIL_COMPARE(OP, CODE)                                                              \
    template <class C, class M, class V>                                                             \
        requires(!detail::ExpressionLike<V>)                                                         \
    Expression operator OP(const ColumnExpression<C, M>& c, const V& v) {                            \
        return detail::make_value_compare(CODE, c, detail::member_value<M>(v));                      \
    }                                                                                                \
    template <class C, class M, class V>                                                             \
        requires(!detail::ExpressionLike<V>)                                                         \
    Expression operator OP(const V& v, const ColumnExpression<C, M>& c) {                            \
        return detail::make_value_compare(detail_flip(CODE), c, detail::member_value<M>(v));         \
    }                                                                                                \
    template <class V>                                                                               \
        requires(!detail::ExpressionLike<V>)                                                         \
    Expression operator OP(const Expression& e, const V& v) {                                        \
        return detail::make_value_compare(CODE, e, detail::loose_value(v));                          \
    }                                                                                                \
    inline Expression operator OP(const Expression& a, const Expression& b) {                        \
        return detail::make_compare(CODE, a, b);                                                     \
    }

constexpr sql::CompareOp detail_flip(sql::CompareOp op) {
    switch (op) {
        case sql::CompareOp::lt: return sql::CompareOp::gt;
        case sql::CompareOp::le: return sql::CompareOp::ge;
        case sql::CompareOp::gt: return sql::CompareOp::lt;
        case sql::CompareOp::ge: return sql::CompareOp::le;
        default: return op;
    }
}

STRATA_DETAIL_COMPARE(==, sql::CompareOp::eq)
STRATA_DETAIL_COMPARE(!=, sql::CompareOp::ne)
STRATA_DETAIL_COMPARE(<, sql::CompareOp::lt)
STRATA_DETAIL_COMPARE(<=, sql::CompareOp::le)
STRATA_DETAIL_COMPARE(>, sql::CompareOp::gt)
STRATA_DETAIL_COMPARE(>=, sql::CompareOp::ge)
#undef STRATA_DETAIL_COMPARE

template <class V>
Expression Expression::op(sql::CompareOp o, const V& v) const {
    if constexpr (detail::ExpressionLike<V>) return detail::make_compare(o, *this, v);
    else return detail::make_value_compare(o, *this, detail::loose_value(v));
}

// ---- ordering -------------------------------------------------------------------------------

struct OrderTerm {
    Expression expr;
    bool descending = false;
};
inline OrderTerm asc(Expression e) { return {std::move(e), false}; }
inline OrderTerm desc(Expression e) { return {std::move(e), true}; }
template <class C, class M>
OrderTerm asc(M C::*member) {
    return {col(member), false};
}
template <class C, class M>
OrderTerm desc(M C::*member) {
    return {col(member), true};
}

// ---- aggregates -----------------------------------------------------------------------------

// COUNT(*)
Expression count();
template <class C, class M>
Expression count(M C::*member) {
    return Expression::function("COUNT", {col(member)});
}
template <class C, class M>
Expression count_distinct(M C::*member) {
    return Expression::function("COUNT", {col(member)}, true);
}
template <class C, class M>
Expression sum(M C::*member) {
    return Expression::function("SUM", {col(member)});
}
template <class C, class M>
Expression avg(M C::*member) {
    return Expression::function("AVG", {col(member)});
}
template <class C, class M>
Expression min(M C::*member) {
    return Expression::function("MIN", {col(member)});
}
template <class C, class M>
Expression max(M C::*member) {
    return Expression::function("MAX", {col(member)});
}

}  // namespace strata
