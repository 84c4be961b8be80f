#include "orm/subquery.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace strata {

namespace {

Expression subquery_node(Expression::Kind kind, const Subquery& subquery, std::vector<Expression> args) {
    Expression::Node n;
    n.kind = kind;
    n.subquery = subquery.spec();
    n.args = std::move(args);
    return Expression(std::move(n));
}

void expect_one_column(const Subquery& subquery, const char* use) {
    if (subquery.column_count() != 1)
        throw Error(ErrorKind::usage,
                    fmt::format("{}: the subquery selects {} columns, and only one can be used here; select the one "
                                "column to compare with: query.select(&Model::member)",
                                use, subquery.column_count()));
}

}  // namespace

Expression Subquery::scalar_subquery() const {
    expect_one_column(*this, "Subquery::scalar_subquery()");
    return subquery_node(Expression::Kind::scalar_subquery, *this, {});
}

Expression exists(const Subquery& subquery) { return subquery_node(Expression::Kind::exists, subquery, {}); }

namespace detail {

Expression make_in_subquery(Expression lhs, const Subquery& subquery, bool negated) {
    expect_one_column(subquery, negated ? "not_in()" : "in()");
    return subquery_node(negated ? Expression::Kind::not_in_subquery : Expression::Kind::in_subquery, subquery,
                         {std::move(lhs)});
}

}  // namespace detail

}  // namespace strata
