// Query<T>: a SELECT of model T built step by step, as SQLAlchemy's session.query(User).
//
//   session.query<User>()
//       .filter(strata::col(&User::name) == "Alice" || strata::col(&User::name) == "Bob")
//       .order_by(strata::desc(&User::name), &User::id)
//       .limit(10).offset(20)
//       .all();
//   session.query<Employee>().join<Department>().filter(strata::col(&Department::name) == "IT").all();
//   session.query<Department>().eager(&Department::employees).all();   // +1 query in total
//   session.query<Post>().join(&Post::tags).filter(strata::col(&Tag::name) == "c++").all();
//   session.query<User>().eager(&User::posts, &Post::comments).all();  // +1 query per level
//   session.query<User>().filter(strata::col(&User::age) < 18).update({strata::set(&User::active, false)});
//   session.query<User>().group_by(&User::name)
//       .rows<std::string, std::int64_t>(strata::col(&User::name), strata::count());
//
// Builder calls return *this and may be chained on the temporary; a Query is a cheap
// value that can be copied and run several times. Running it autoflushes the session
// (SessionOptions::autoflush) and then executes one statement (plus one per eager
// relationship). SQL is rendered by the dialect; every value is a bound parameter.
//
// Rows become objects through the session's identity map: a row whose primary key is
// already in the session yields the object already there (its unflushed changes kept).
// With joins, each object appears once, in the order of its first row.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "orm/assignment.hpp"
#include "orm/detail/row_tuple.hpp"
#include "orm/detail/session_core.hpp"
#include "orm/expression.hpp"
#include "orm/relationship.hpp"
#include "orm/subquery.hpp"

namespace strata {

template <class T>
class Query {
public:
    Query(std::shared_ptr<detail::SessionCore> core, const detail::ModelMapper& model) : core_(std::move(core)) {
        spec_.model = &model;
    }

    // ---- building ---------------------------------------------------------------------------
    // Adds a condition; several filters are AND-ed.
    Query& filter(Expression condition) {
        spec_.filters.push_back(std::move(condition));
        return *this;
    }
    // filter(col(member) == value).
    template <class C, class M, class V>
    Query& filter_by(M C::*member, const V& value) {
        return filter(col(member) == value);
    }
    // Order terms: strata::asc(...) / strata::desc(...), a member pointer (ascending) or
    // an expression (ascending). Later calls append.
    template <class... Terms>
    Query& order_by(const Terms&... terms) {
        (spec_.order.push_back(to_order(terms)), ...);
        return *this;
    }
    Query& limit(std::int64_t n) {
        if (n < 0) throw Error(ErrorKind::usage, "Query::limit(): the limit must not be negative");
        spec_.limit = n;
        return *this;
    }
    Query& offset(std::int64_t n) {
        if (n < 0) throw Error(ErrorKind::usage, "Query::offset(): the offset must not be negative");
        spec_.offset = n;
        return *this;
    }
    // SELECT DISTINCT: for rows(), scalar() and subqueries, each distinct row once. (Objects
    // come once each anyway.) PostgreSQL wants every ORDER BY term among the selected ones.
    Query& distinct() {
        spec_.distinct = true;
        return *this;
    }
    // Inner join with model U along the one foreign key between U's table and a table
    // already in the query (Error(usage) when there is none or more than one).
    template <class U>
    Query& join() {
        spec_.joins.push_back({.model = &core_->mapper(detail::type_tag<U>(), typeid(U).name())});
        return *this;
    }
    // Inner join with model U on an explicit condition.
    template <class U>
    Query& join(Expression on) {
        spec_.joins.push_back({.model = &core_->mapper(detail::type_tag<U>(), typeid(U).name()), .on = std::move(on)});
        return *this;
    }
    template <class U>
    Query& outer_join() {
        spec_.joins.push_back({.model = &core_->mapper(detail::type_tag<U>(), typeid(U).name()), .outer = true});
        return *this;
    }
    template <class U>
    Query& outer_join(Expression on) {
        spec_.joins.push_back(
            {.model = &core_->mapper(detail::type_tag<U>(), typeid(U).name()), .on = std::move(on), .outer = true});
        return *this;
    }
    // Join along a declared relationship of T or of a model joined before: its foreign
    // key (so of two foreign keys to one table, the relationship's own), or for a
    // many-to-many one, through its association table. Error(usage) when the member is
    // not a declared relationship or its owner is not in the query yet.
    template <class C, class R>
        requires detail::IsRelationship<R>
    Query& join(R C::*relationship) {
        return join_along<C, typename detail::RelationshipTarget<R>::type>(detail::member_key(relationship), false);
    }
    template <class C, class R>
        requires detail::IsRelationship<R>
    Query& outer_join(R C::*relationship) {
        return join_along<C, typename detail::RelationshipTarget<R>::type>(detail::member_key(relationship), true);
    }
    // Loads relationship `member` of every result with one extra query (for the whole
    // result, not per row). With a path, eager(&User::posts, &Post::comments), each
    // level's relationship is loaded for all objects of the level before: one query per
    // level. Error(usage) when a member is not a declared relationship of the model of
    // its level.
    template <class C, class R, class... More>
    Query& eager(R C::*member, More... path) {
        spec_.eager.push_back({detail::member_key(member), detail::member_key(path)...});
        return *this;
    }
    // For rows(): GROUP BY and HAVING.
    template <class... Exprs>
    Query& group_by(const Exprs&... exprs) {
        (spec_.group_by.push_back(to_expression(exprs)), ...);
        return *this;
    }
    Query& having(Expression condition) {
        spec_.having = std::move(condition);
        return *this;
    }

    // ---- running ----------------------------------------------------------------------------
    std::vector<std::shared_ptr<T>> all() const {
        std::vector<std::shared_ptr<T>> out;
        core_->fetch_each(spec_, &out, [](void* ctx, const std::shared_ptr<void>& p) {
            static_cast<std::vector<std::shared_ptr<T>>*>(ctx)->push_back(std::static_pointer_cast<T>(p));
        });
        return out;
    }
    // The first result (LIMIT 1), or nullptr.
    std::shared_ptr<T> first() const {
        detail::QuerySpec s = spec_;
        s.limit = 1;
        auto raw = core_->fetch(s);
        return raw.empty() ? nullptr : std::static_pointer_cast<T>(raw.front());
    }
    // Exactly one result: Error(not_found) for none, Error(multiple_results) for more.
    std::shared_ptr<T> one() const {
        auto p = one_or_none();
        if (!p) throw Error(ErrorKind::not_found, fmt_none());
        return p;
    }
    // One result or nullptr: Error(multiple_results) for more than one.
    std::shared_ptr<T> one_or_none() const {
        detail::QuerySpec s = spec_;
        if (!s.limit || *s.limit > 2) s.limit = 2;
        auto raw = core_->fetch(s);
        if (raw.size() > 1)
            throw Error(ErrorKind::multiple_results,
                        "Query::one(): the query returned more than one row; add a filter that selects one row, "
                        "or use first()");
        return raw.empty() ? nullptr : std::static_pointer_cast<T>(raw.front());
    }
    // Number of objects all() would return.
    std::int64_t count() const { return core_->count(spec_); }
    bool exists() const { return core_->exists(spec_); }
    // One value: the first column of the first row of SELECT expr ... (std::nullopt for
    // no row or NULL), converted to R like a member of type R.
    template <class R>
    std::optional<R> scalar(const Expression& expr) const {
        auto rows = core_->select_rows(spec_, {expr});
        if (rows.empty() || rows[0].empty() || is_null(rows[0][0])) return std::nullopt;
        R out{};
        ColumnTraits<R>::from_value(rows[0][0], out);
        return out;
    }
    // Rows of arbitrary expressions (columns, aggregates), with group_by()/having().
    std::vector<std::vector<Value>> rows(std::vector<Expression> columns) const {
        return core_->select_rows(spec_, columns);
    }
    // Typed rows: one element type per expression (or member), converted as a member of
    // that type: rows<std::string, std::int64_t>(col(&User::name), strata::count()).
    // A NULL needs a std::optional element; otherwise, like a value that does not
    // convert, it is Error(database) naming the element's position.
    template <class... R, class... Exprs>
        requires(sizeof...(R) > 0)
    std::vector<std::tuple<R...>> rows(const Exprs&... columns) const {
        static_assert(sizeof...(R) == sizeof...(Exprs), "strata: rows<R...>(exprs...): one type per expression");
        return detail::row_tuples<R...>(core_->select_rows(spec_, {to_expression(columns)...}));
    }

    // ---- subqueries (orm/subquery.hpp) -------------------------------------------------------
    // This query as a subquery selecting `columns` (expressions or members; none: `*`),
    // for in(), exists() or scalar_subquery(). Runs nothing by itself.
    template <class... Exprs>
    Subquery select(const Exprs&... columns) const {
        return Subquery(std::make_shared<const detail::SubquerySpec>(
            detail::SubquerySpec{spec_, std::vector<Expression>{to_expression(columns)...}}));
    }

    // ---- bulk writes (orm/detail/bulk_writer.hpp) ----------------------------------------------
    // UPDATE of every row the query matches, without loading objects; autoflushes first.
    // Loaded objects among those rows take the new values (no UPDATE follows at the next
    // flush). Returns the number of rows matched. Error(usage) for a member that is not a
    // column of T or is part of its key, and for grouped queries.
    std::int64_t update(const std::vector<Assignment>& set) const { return core_->bulk_update(spec_, set); }
    // DELETE of every row the query matches (`delete` is a keyword); autoflushes first.
    // Loaded objects among them leave the session and every loaded collection, and are
    // never inserted again. No relationship cascades: the database's ON DELETE applies.
    // Returns the number of rows deleted.
    std::int64_t delete_all() const { return core_->bulk_delete(spec_); }

    const detail::QuerySpec& spec() const noexcept { return spec_; }

private:
    template <class C, class U>
    Query& join_along(const detail::MemberKey& key, bool outer) {
        const detail::ModelMapper& owner = core_->mapper(detail::type_tag<C>(), typeid(C).name());
        const detail::RelationshipMapping* r = owner.relationship(key);
        if (!r)
            throw Error(ErrorKind::usage, "Query::join(): the member is not a declared relationship of " +
                                              owner.describe() + "; declare it with .relationship()");
        spec_.joins.push_back(
            {.model = &core_->mapper(detail::type_tag<U>(), typeid(U).name()), .along = r, .outer = outer});
        return *this;
    }
    static OrderTerm to_order(const OrderTerm& t) { return t; }
    static OrderTerm to_order(const Expression& e) { return asc(e); }
    template <class C, class M>
    static OrderTerm to_order(M C::*member) {
        return asc(member);
    }
    static Expression to_expression(const Expression& e) { return e; }
    template <class C, class M>
    static Expression to_expression(M C::*member) {
        return col(member);
    }
    std::string fmt_none() const {
        return "Query::one(): the query returned no row; use one_or_none() or first() when none is a valid outcome";
    }

    std::shared_ptr<detail::SessionCore> core_;
    detail::QuerySpec spec_;
};

// EXISTS (SELECT * FROM the query ...): exists(session.query<Post>().filter(
// col(&Post::user_id) == col(&User::id))) inside a query of User is correlated.
template <class T>
Expression exists(const Query<T>& query) {
    return exists(query.select());
}

}  // namespace strata
