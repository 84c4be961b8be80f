// Why members resolve innermost first: a subquery over the same model as its enclosing
// query means its own rows (SQL scoping does the same with an unqualified name), so
// correlation only reaches models the subquery does not have.
#include "orm/detail/query_compiler.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "core/error.hpp"

namespace strata::detail {

namespace {

sql::Expr equal_columns(const std::string& table_a, const std::vector<std::string>& a, const std::string& table_b,
                        const std::vector<std::string>& b) {
    std::vector<sql::Expr> terms;
    for (std::size_t i = 0; i < a.size(); ++i)
        terms.push_back(
            sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col(table_a, a[i]), sql::Expr::col(table_b, b[i])));
    return sql::Expr::all_of(std::move(terms));
}

std::vector<std::string> names_of(const ModelMapper& m, const std::vector<std::size_t>& columns) {
    std::vector<std::string> out;
    for (std::size_t c : columns) out.push_back(m.table.columns[c].name);
    return out;
}

[[noreturn]] void refuse_self_join(const ModelMapper& u) {
    throw Error(ErrorKind::usage, fmt::format("cannot join {} to itself: table aliases are not supported; load related "
                                              "rows through a relationship instead",
                                              u.describe()));
}

// The ON condition along the one foreign key between `u` and a model already present.
sql::Expr foreign_key_condition(const std::vector<const ModelMapper*>& present, const ModelMapper& u) {
    struct Candidate {
        const ModelMapper* from;
        const ForeignKey* fk;
        bool from_holds_key;
    };
    std::vector<Candidate> found;
    for (const ModelMapper* e : present) {
        if (e == &u) refuse_self_join(u);
        for (const ForeignKey& fk : e->resolved->foreign_keys)
            if (fk.ref_table == u.table.name) found.push_back({e, &fk, true});
        for (const ForeignKey& fk : u.resolved->foreign_keys)
            if (fk.ref_table == e->table.name) found.push_back({e, &fk, false});
    }
    if (found.size() != 1)
        throw Error(ErrorKind::usage,
                    fmt::format("cannot join {}: there {} foreign key between it and the query's tables; join along a "
                                "relationship, join(&Model::relationship), or give the condition: "
                                "join<T>(strata::col(&A::x) == strata::col(&T::y))",
                                u.describe(), found.empty() ? "is no" : "is more than one"));
    const Candidate& c = found[0];
    const std::string& child = c.from_holds_key ? c.from->table.name : u.table.name;
    const std::string& parent = c.from_holds_key ? u.table.name : c.from->table.name;
    return equal_columns(child, c.fk->columns, parent, c.fk->ref_columns);
}

}  // namespace

QueryCompiler::QueryCompiler(const QuerySpec& spec, const QueryCompiler* outer) : spec_(spec), outer_(outer) {
    models_.push_back(spec.model);
    for (const JoinSpec& j : spec.joins) models_.push_back(j.model);
}

sql::SelectStatement QueryCompiler::base() const {
    sql::SelectStatement st;
    st.distinct = spec_.distinct;
    st.from.name = spec_.model->table.name;
    std::vector<const ModelMapper*> present{spec_.model};
    for (const JoinSpec& j : spec_.joins) add_join(st, j, present);
    if (!spec_.filters.empty()) st.where = sql::Expr::all_of(compile_all(spec_.filters));
    return st;
}

void QueryCompiler::add_join(sql::SelectStatement& st, const JoinSpec& j,
                             std::vector<const ModelMapper*>& present) const {
    const sql::Join::Kind kind = j.outer ? sql::Join::Kind::left : sql::Join::Kind::inner;
    const ModelMapper& u = *j.model;
    if (!j.along) {
        sql::Join join{kind, {u.table.name, {}}, j.on ? compile(*j.on) : foreign_key_condition(present, u)};
        present.push_back(&u);
        st.joins.push_back(std::move(join));
        return;
    }
    const RelationshipMapping& r = *j.along;
    if (std::find(present.begin(), present.end(), r.owner) == present.end())
        throw Error(ErrorKind::usage, fmt::format("join({}): {} is not in the query; query it or join it first",
                                                  r.describe(), r.owner->describe()));
    if (std::find(present.begin(), present.end(), &u) != present.end()) refuse_self_join(u);
    const std::vector<std::string> owner_columns = names_of(*r.owner, r.owner_columns);
    const std::vector<std::string> target_columns = names_of(u, r.target_columns);
    if (r.kind == RelationshipKind::many_to_many) {
        st.joins.push_back({kind,
                            {r.secondary, {}},
                            equal_columns(r.secondary, r.secondary_owner_columns, r.owner->table.name, owner_columns)});
        st.joins.push_back({kind,
                            {u.table.name, {}},
                            equal_columns(u.table.name, target_columns, r.secondary, r.secondary_target_columns)});
    } else {
        st.joins.push_back({kind,
                            {u.table.name, {}},
                            equal_columns(u.table.name, target_columns, r.owner->table.name, owner_columns)});
    }
    present.push_back(&u);
}

sql::SelectStatement QueryCompiler::rows(const std::vector<Expression>& columns) const {
    sql::SelectStatement st = base();
    for (const Expression& e : columns) st.columns.push_back({compile(e), {}});
    for (const Expression& g : spec_.group_by) st.group_by.push_back(compile(g));
    if (spec_.having) st.having = compile(*spec_.having);
    add_order(st);
    st.limit = spec_.limit;
    st.offset = spec_.offset;
    return st;
}

void QueryCompiler::add_order(sql::SelectStatement& st) const {
    for (const OrderTerm& o : spec_.order) st.order_by.push_back({compile(o.expr), o.descending});
}

sql::Expr QueryCompiler::compile(const Expression& e) const {
    const Expression::Node& n = e.node();
    using K = Expression::Kind;
    using SK = sql::Expr::Kind;
    switch (n.kind) {
        case K::member:
            return resolve(n.member);
        case K::column:
            return sql::Expr::col(n.table, n.column);
        case K::param:
            return sql::Expr::param(n.value);
        case K::null:
            return sql::Expr{};
        case K::star:
            return sql::Expr::star();
        case K::compare:
            return sql::Expr::compare(n.op, compile(n.args.at(0)), compile(n.args.at(1)));
        case K::function:
            return sql::Expr::call(n.function, compile_all(n.args), n.distinct);
        case K::and_:
            return sql::Expr::all_of(compile_all(n.args));
        case K::or_:
            return sql::Expr::any_of(compile_all(n.args));
        case K::not_:
            return sql::Expr::negate(compile(n.args.at(0)));
        case K::is_null:
            return sql::Expr::unary(SK::is_null, compile(n.args.at(0)));
        case K::is_not_null:
            return sql::Expr::unary(SK::is_not_null, compile(n.args.at(0)));
        case K::in:
            return sql::Expr::nary(SK::in, compile_all(n.args));
        case K::not_in:
            return sql::Expr::nary(SK::not_in, compile_all(n.args));
        case K::between:
            return sql::Expr::nary(SK::between, compile_all(n.args));
        case K::like:
            return sql::Expr::nary(SK::like, compile_all(n.args));
        case K::not_like:
            return sql::Expr::nary(SK::not_like, compile_all(n.args));
        case K::in_subquery:
        case K::not_in_subquery:
            return sql::Expr::nary(n.kind == K::in_subquery ? SK::in : SK::not_in,
                                   {compile(n.args.at(0)), compile_subquery(n)});
        case K::exists:
            return sql::Expr::nary(SK::exists, {compile_subquery(n)});
        case K::scalar_subquery:
            return compile_subquery(n);
    }
    throw Error(ErrorKind::internal, "unknown expression kind");
}

std::vector<sql::Expr> QueryCompiler::compile_all(const std::vector<Expression>& args) const {
    std::vector<sql::Expr> out;
    out.reserve(args.size());
    for (const Expression& a : args) out.push_back(compile(a));
    return out;
}

sql::Expr QueryCompiler::compile_subquery(const Expression::Node& n) const {
    if (!n.subquery) throw Error(ErrorKind::internal, "a subquery expression without its query");
    QueryCompiler inner(n.subquery->query, this);
    sql::SelectStatement st = inner.rows(n.subquery->columns);
    if (st.columns.empty()) st.columns.push_back({sql::Expr::star(), {}});
    return sql::Expr::subquery(std::move(st));
}

bool QueryCompiler::try_resolve(const MemberKey& key, sql::Expr& found) const {
    for (const ModelMapper* m : models_) {
        int c = m->column_index(key);
        if (c >= 0) {
            found = sql::Expr::col(m->table.name, m->table.columns[static_cast<std::size_t>(c)].name);
            return true;
        }
    }
    return outer_ && outer_->try_resolve(key, found);
}

sql::Expr QueryCompiler::resolve(const MemberKey& key) const {
    sql::Expr found;
    if (try_resolve(key, found)) return found;
    std::string names;
    for (const QueryCompiler* q = this; q; q = q->outer_)
        for (const ModelMapper* m : q->models_) names += (names.empty() ? "" : ", ") + m->type_name;
    throw Error(ErrorKind::usage, fmt::format("a member used in this query is not a mapped column of the queried or "
                                              "joined models ({}); join its model first",
                                              names));
}

}  // namespace strata::detail
