// Queries: compiling a QuerySpec into a SelectStatement and running it; rows become
// objects through the Loader (orm/detail/loader.hpp), eager loads too.
#include "orm/query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "dialects/statement.hpp"
#include "orm/detail/loader.hpp"
#include "orm/detail/session_state.hpp"

namespace strata {

namespace detail {

namespace {

// Value::index() of std::int64_t (the order of alternatives is part of Value's API).
constexpr std::size_t kIntegerIndex = 2;
static_assert(std::is_same_v<std::variant_alternative_t<kIntegerIndex, Value>, std::int64_t>);

// Resolves member pointers in expressions to the table.column of one of the query's models.
class Compiler {
public:
    explicit Compiler(std::vector<const ModelMapper*> models) : models_(std::move(models)) {}

    sql::Expr compile(const Expression& e) const {
        const Expression::Node& n = e.node();
        using K = Expression::Kind;
        using SK = sql::Expr::Kind;
        switch (n.kind) {
            case K::member: return resolve(n.member);
            case K::column: return sql::Expr::col(n.table, n.column);
            case K::param: return sql::Expr::param(n.value);
            case K::null: return sql::Expr{};
            case K::star: return sql::Expr::star();
            case K::compare: return sql::Expr::compare(n.op, compile(n.args.at(0)), compile(n.args.at(1)));
            case K::function: return sql::Expr::call(n.function, compile_all(n.args), n.distinct);
            case K::and_: return sql::Expr::all_of(compile_all(n.args));
            case K::or_: return sql::Expr::any_of(compile_all(n.args));
            case K::not_: return sql::Expr::negate(compile(n.args.at(0)));
            case K::is_null: return sql::Expr::unary(SK::is_null, compile(n.args.at(0)));
            case K::is_not_null: return sql::Expr::unary(SK::is_not_null, compile(n.args.at(0)));
            case K::in: return sql::Expr::nary(SK::in, compile_all(n.args));
            case K::not_in: return sql::Expr::nary(SK::not_in, compile_all(n.args));
            case K::between: return sql::Expr::nary(SK::between, compile_all(n.args));
            case K::like: return sql::Expr::nary(SK::like, compile_all(n.args));
            case K::not_like: return sql::Expr::nary(SK::not_like, compile_all(n.args));
        }
        throw Error(ErrorKind::internal, "unknown expression kind");
    }

private:
    std::vector<sql::Expr> compile_all(const std::vector<Expression>& args) const {
        std::vector<sql::Expr> out;
        out.reserve(args.size());
        for (const Expression& a : args) out.push_back(compile(a));
        return out;
    }

    sql::Expr resolve(const MemberKey& key) const {
        for (const ModelMapper* m : models_) {
            int c = m->column_index(key);
            if (c >= 0) return sql::Expr::col(m->table.name, m->table.columns[static_cast<std::size_t>(c)].name);
        }
        std::string names;
        for (const ModelMapper* m : models_) names += (names.empty() ? "" : ", ") + m->type_name;
        throw Error(ErrorKind::usage, fmt::format("a member used in this query is not a mapped column of the "
                                                  "queried or joined models ({}); join its model first",
                                                  names));
    }

    std::vector<const ModelMapper*> models_;
};

// The ON condition along the one foreign key between `u` and a model already present.
sql::Expr join_condition(const std::vector<const ModelMapper*>& present, const ModelMapper& u) {
    struct Candidate {
        const ModelMapper* from;
        const ForeignKey* fk;
        bool from_holds_key;
    };
    std::vector<Candidate> found;
    for (const ModelMapper* e : present) {
        if (e == &u)
            throw Error(ErrorKind::usage, fmt::format("cannot join {} to itself: table aliases are not supported; "
                                                      "load related rows through a relationship instead",
                                                      u.describe()));
        for (const ForeignKey& fk : e->resolved->foreign_keys)
            if (fk.ref_table == u.table.name) found.push_back({e, &fk, true});
        for (const ForeignKey& fk : u.resolved->foreign_keys)
            if (fk.ref_table == e->table.name) found.push_back({e, &fk, false});
    }
    if (found.size() != 1)
        throw Error(ErrorKind::usage,
                    fmt::format("cannot join {}: there {} foreign key{} between it and the query's tables; give the "
                                "condition: join<T>(strata::col(&A::x) == strata::col(&T::y))",
                                u.describe(), found.empty() ? "is no" : "is more than one",
                                found.empty() ? "" : ""));
    const Candidate& c = found[0];
    const std::string& child = c.from_holds_key ? c.from->table.name : u.table.name;
    const std::string& parent = c.from_holds_key ? u.table.name : c.from->table.name;
    std::vector<sql::Expr> terms;
    for (std::size_t i = 0; i < c.fk->columns.size(); ++i)
        terms.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col(child, c.fk->columns[i]),
                                           sql::Expr::col(parent, c.fk->ref_columns[i])));
    return sql::Expr::all_of(std::move(terms));
}

// FROM, joins and WHERE of a query.
struct Compiled {
    sql::SelectStatement statement;
    Compiler compiler;
};

Compiled compile_spec(const SessionState& s, const QuerySpec& spec) {
    const ModelMapper& m = *spec.model;
    std::vector<const ModelMapper*> models{&m};
    for (const JoinSpec& j : spec.joins) models.push_back(j.model);
    Compiler compiler(models);
    sql::SelectStatement st;
    st.from.name = m.table.name;
    std::vector<const ModelMapper*> present{&m};
    for (const JoinSpec& j : spec.joins) {
        sql::Join join;
        join.kind = j.outer ? sql::Join::Kind::left : sql::Join::Kind::inner;
        join.table.name = j.model->table.name;
        join.on = j.on ? compiler.compile(*j.on) : join_condition(present, *j.model);
        present.push_back(j.model);
        st.joins.push_back(std::move(join));
    }
    if (!spec.filters.empty()) {
        std::vector<sql::Expr> terms;
        for (const Expression& f : spec.filters) terms.push_back(compiler.compile(f));
        st.where = sql::Expr::all_of(std::move(terms));
    }
    (void)s;
    return {std::move(st), std::move(compiler)};
}

void add_order(sql::SelectStatement& st, const Compiler& compiler, const QuerySpec& spec) {
    for (const OrderTerm& o : spec.order) st.order_by.push_back({compiler.compile(o.expr), o.descending});
}

}  // namespace

// ---- queries --------------------------------------------------------------------------------

std::vector<std::shared_ptr<void>> SessionCore::fetch(const QuerySpec& spec) {
    std::vector<std::shared_ptr<void>> out;
    fetch_each(spec, &out, [](void* ctx, const std::shared_ptr<void>& p) {
        static_cast<std::vector<std::shared_ptr<void>>*>(ctx)->push_back(p);
    });
    return out;
}

void SessionCore::fetch_each(const QuerySpec& spec, void* context,
                             void (*sink)(void* context, const std::shared_ptr<void>&)) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    autoflush();
    const ModelMapper& m = *spec.model;
    Compiled c = compile_spec(s, spec);
    sql::SelectStatement st = std::move(c.statement);
    Loader loader(s);
    sql::SelectStatement cols = loader.select_of(m);
    st.columns = std::move(cols.columns);
    add_order(st, c.compiler, spec);
    st.limit = spec.limit;
    st.offset = spec.offset;
    std::vector<Value> params;
    std::string text = s.dialect().render(st, params);
    ModelState& ms = s.objects.model(m);
    // Each object goes to the sink as soon as its row is hydrated, while it is still in
    // the cache (a second pass over a large result would fetch every object again).
    // With joins an object may come on several rows: only its first counts.
    std::unordered_set<ObjectState*> seen;
    std::vector<ObjectState*> found;  // for eager loading
    const bool joined = !spec.joins.empty(), eager = !spec.eager.empty();
    s.connection().query(text, params, [&](const RowView& row) {
        ObjectState* o = loader.hydrate(m, ms, row, 0);
        if (joined && !seen.insert(o).second) return;
        if (eager) found.push_back(o);
        sink(context, o->object);
    });
    for (const MemberKey& key : spec.eager) {
        const RelationshipMapping* r = m.relationship(key);
        if (!r)
            throw Error(ErrorKind::usage, fmt::format("Query::eager(): the member is not a declared relationship of "
                                                      "{}; declare it with .relationship()",
                                                      m.describe()));
        std::vector<void*> owners;
        owners.reserve(found.size());
        for (ObjectState* o : found) owners.push_back(o->object.get());
        loader.load_relationship(*r, owners);
    }
}

std::int64_t SessionCore::count(const QuerySpec& spec) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    autoflush();
    const ModelMapper& m = *spec.model;
    Compiled c = compile_spec(s, spec);
    sql::SelectStatement st = std::move(c.statement);
    sql::SelectStatement outer;
    if (spec.joins.empty() && !spec.limit && !spec.offset) {
        st.columns.push_back({sql::Expr::call("COUNT", {sql::Expr::star()}), {}});
        outer = std::move(st);
    } else {
        // Objects, not join rows, are counted: the distinct keys of the main model.
        st.distinct = !spec.joins.empty();
        for (std::size_t k : m.primary_key) st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[k].name), {}});
        add_order(st, c.compiler, spec);
        if (st.distinct) st.order_by.clear();
        st.limit = spec.limit;
        st.offset = spec.offset;
        outer.columns.push_back({sql::Expr::call("COUNT", {sql::Expr::star()}), {}});
        outer.from.alias = "strata_count";
        outer.subquery = std::make_shared<sql::SelectStatement>(std::move(st));
    }
    std::int64_t n = 0;
    Loader(s).run_select(outer, [&](std::vector<Value>& row) { n = value_to_int64(row.at(0), "COUNT"); });
    return n;
}

bool SessionCore::exists(const QuerySpec& spec) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    autoflush();
    const ModelMapper& m = *spec.model;
    Compiled c = compile_spec(s, spec);
    sql::SelectStatement st = std::move(c.statement);
    st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[m.primary_key.empty() ? 0 : m.primary_key[0]].name), {}});
    st.limit = 1;
    st.offset = spec.offset;
    bool any = false;
    Loader(s).run_select(st, [&](std::vector<Value>&) { any = true; });
    return any;
}

std::vector<std::vector<Value>> SessionCore::select_rows(const QuerySpec& spec, const std::vector<Expression>& columns) {
    SessionUse use(*state_);
    SessionState& s = *state_;
    s.check_open();
    if (columns.empty()) throw Error(ErrorKind::usage, "Query::rows(): give at least one column or expression");
    autoflush();
    Compiled c = compile_spec(s, spec);
    sql::SelectStatement st = std::move(c.statement);
    for (const Expression& e : columns) st.columns.push_back({c.compiler.compile(e), {}});
    for (const Expression& g : spec.group_by) st.group_by.push_back(c.compiler.compile(g));
    if (spec.having) st.having = c.compiler.compile(*spec.having);
    add_order(st, c.compiler, spec);
    st.limit = spec.limit;
    st.offset = spec.offset;
    std::vector<std::vector<Value>> out;
    Loader(s).run_select(st, [&](std::vector<Value>& row) { out.push_back(std::move(row)); });
    return out;
}

}  // namespace detail

}  // namespace strata
