// Subquery: a query used inside another one, as SQLAlchemy's select(...).subquery():
//
//   auto authors = session.query<Post>().select(&Post::user_id);        // SELECT posts.user_id FROM posts
//   session.query<User>().filter(col(&User::id).in(authors)).all();     // ... WHERE users.id IN (SELECT ...)
//   session.query<User>().filter(strata::exists(                         // correlated: posts of this user
//       session.query<Post>().filter(col(&Post::user_id) == col(&User::id)))).all();
//   session.query<User>().filter(!strata::exists(...)).all();            // NOT EXISTS
//   auto mean = session.query<Post>().select(strata::avg(&Post::score)).scalar_subquery();
//   session.query<Post>().filter(col(&Post::score) > mean).all();       // ... > (SELECT AVG(...) ...)
//
// A Subquery is an immutable value holding a copy of the query it came from (filters,
// joins, group_by/having, order, limit, distinct) and its SELECT list; it is compiled
// when the enclosing query runs. A member of a model that is not in the subquery
// resolves to the enclosing query's models (correlation), innermost first. Its bound
// values are parameters of the enclosing statement, numbered in text order.
//
// Dialect note: MySQL and MariaDB refuse LIMIT inside an IN subquery.
#pragma once

#include <cstddef>
#include <memory>

#include "orm/detail/query_spec.hpp"
#include "orm/expression.hpp"

namespace strata {

class Subquery {
public:
    explicit Subquery(std::shared_ptr<const detail::SubquerySpec> spec) : spec_(std::move(spec)) {}

    // The subquery as one value, (SELECT x ...), for comparisons; it must return at most
    // one row (the database refuses more). Error(usage) unless exactly one column is
    // selected.
    Expression scalar_subquery() const;
    std::size_t column_count() const noexcept { return spec_->columns.size(); }
    const std::shared_ptr<const detail::SubquerySpec>& spec() const noexcept { return spec_; }

private:
    std::shared_ptr<const detail::SubquerySpec> spec_;
};

// EXISTS (SELECT * ...); `!exists(...)` is NOT EXISTS. query.hpp adds exists(Query<T>).
Expression exists(const Subquery& subquery);

}  // namespace strata
