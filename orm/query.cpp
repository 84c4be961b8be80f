// Queries and loading: compiling a QuerySpec into a SelectStatement, hydrating rows
// through the identity map, eager and lazy relationship loading, and the in-memory
// back-population of relationship members.
#include "orm/query.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "core/error.hpp"
#include "dialects/statement.hpp"
#include "orm/detail/session_state.hpp"

namespace strata {

namespace detail {

namespace {

// Value::index() of std::int64_t (the order of alternatives is part of Value's API).
constexpr std::size_t kIntegerIndex = 2;
static_assert(std::is_same_v<std::variant_alternative_t<kIntegerIndex, Value>, std::int64_t>);

[[noreturn]] void closed_error() {
    throw Error(ErrorKind::usage, "the session is closed (its Session object was destroyed or moved from)");
}

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

Compiled compile_spec(const SessionCore::State& s, const QuerySpec& spec) {
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

std::vector<sql::Expr> key_condition_chunk(const std::string& table, const std::vector<std::string>& columns,
                                           const std::vector<std::vector<Value>>& keys, std::size_t from,
                                           std::size_t to) {
    std::vector<sql::Expr> out;
    if (columns.size() == 1) {
        std::vector<sql::Expr> in{sql::Expr::col(table, columns[0])};
        for (std::size_t i = from; i < to; ++i) in.push_back(sql::Expr::param(keys[i][0]));
        out.push_back(sql::Expr::nary(sql::Expr::Kind::in, std::move(in)));
        return out;
    }
    std::vector<sql::Expr> any;
    for (std::size_t i = from; i < to; ++i) {
        std::vector<sql::Expr> all;
        for (std::size_t c = 0; c < columns.size(); ++c)
            all.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col(table, columns[c]),
                                             sql::Expr::param(keys[i][c])));
        any.push_back(sql::Expr::all_of(std::move(all)));
    }
    out.push_back(sql::Expr::any_of(std::move(any)));
    return out;
}

bool has_null(const std::vector<Value>& values) {
    return std::any_of(values.begin(), values.end(), [](const Value& v) { return is_null(v); });
}

std::vector<std::string> names_of(const ModelMapper& m, const std::vector<std::size_t>& columns) {
    std::vector<std::string> out;
    for (std::size_t c : columns) out.push_back(m.table.columns[c].name);
    return out;
}

}  // namespace

// ---- State helpers --------------------------------------------------------------------------

sql::SelectStatement SessionCore::State::select_of(const ModelMapper& m) const {
    sql::SelectStatement st;
    st.from.name = m.table.name;
    st.columns.reserve(m.columns.size());
    for (const Column& c : m.table.columns) st.columns.push_back({sql::Expr::col(m.table.name, c.name), {}});
    return st;
}

void SessionCore::State::run_select(const sql::SelectStatement& statement,
                                    const std::function<void(std::vector<Value>&)>& on_row) {
    std::vector<Value> params;
    std::string text = dialect().render(statement, params);
    std::vector<Value> values;
    connection().query(text, params, [&](const RowView& row) {
        std::size_t n = row.size();
        values.clear();
        values.reserve(n);
        for (std::size_t i = 0; i < n; ++i) values.push_back(row.get(i));
        on_row(values);
    });
}

ObjectState* SessionCore::State::hydrate(const ModelMapper& m, ModelState& ms, const RowView& row, std::size_t first) {
    const std::size_t n = m.columns.size();
    const std::vector<std::size_t>& pk = m.primary_key;
    // The row's cells in one call, then the key: a row already in the session costs no
    // conversion at all, and an integer key (the common case) needs no Value either.
    if (row_cells.size() < n) row_cells.resize(n);
    Cell* cells = row_cells.data();
    row.cells(first, n, cells);
    IdentityKey key;
    bool keyed = false;
    if (pk.size() == 1) {
        const Cell& key_cell = cells[pk[0]];
        if (key_cell.kind == Cell::Kind::integer && m.columns[pk[0]].accessor->canonical_index() == kIntegerIndex) {
            key.integer = key_cell.integer;
            keyed = true;
        } else {
            Value v = row.get(first + pk[0]);
            if (v.index() == m.columns[pk[0]].accessor->canonical_index()) {
                key = make_identity_key(&v, 1);
                keyed = true;
            }
        }
    } else {
        std::vector<Value> values;
        bool canonical = true;
        for (std::size_t k : pk) {
            values.push_back(row.get(first + k));
            canonical = canonical && values.back().index() == m.columns[k].accessor->canonical_index();
        }
        if (canonical) {
            key = make_identity_key(values.data(), values.size());
            keyed = true;
        }
    }
    if (keyed)
        if (ObjectState* found = ms.identity.find(key)) return found;
    std::shared_ptr<void> obj = m.create();
    // Members load straight from the driver's cells where the type allows, building
    // their canonical values in the snapshot block (raw storage) as they go; the rest go
    // through a Value.
    Value* snap = ms.snapshots.make();
    for (std::size_t c = 0; c < n; ++c) {
        const ColumnAccessor& a = *m.columns[c].accessor;
        std::size_t constructed = c;  // snap[0, constructed) hold values
        try {
            if (cells[c].kind != Cell::Kind::other && a.load_cell(obj.get(), cells[c], &snap[c])) continue;
            new (&snap[c]) Value(row.get(first + c));
            constructed = c + 1;
            a.load(obj.get(), snap[c]);
        } catch (...) {
            // The block is released whole: give the rest of it values to destroy.
            for (std::size_t rest = constructed; rest < n; ++rest) new (&snap[rest]) Value();
            ms.snapshots.release(snap);
            try {
                throw;
            } catch (const Error& e) {
                rethrow_with_column(e, m, c);
            }
        }
    }
    if (!keyed) {
        key = make_identity_key(snap, pk);
        if (ObjectState* found = ms.identity.find(key)) {
            ms.snapshots.release(snap);
            return found;
        }
    }
    ObjectState& st = create(std::move(obj), m, Status::persistent);
    st.snapshot = snap;
    attach(st, key, ms);
    if (!m.relationships.empty()) bind(st);
    return &st;
}

std::vector<ObjectState*> SessionCore::State::load_objects(const ModelMapper& m, sql::SelectStatement statement) {
    std::vector<Value> params;
    std::string text = dialect().render(statement, params);
    ModelState& ms = model(m);
    std::vector<ObjectState*> out;
    connection().query(text, params, [&](const RowView& row) { out.push_back(hydrate(m, ms, row, 0)); });
    return out;
}

void SessionCore::State::load_eager(const RelationshipMapping& r, const std::vector<ObjectState*>& owners) {
    std::vector<void*> objects;
    objects.reserve(owners.size());
    for (ObjectState* o : owners) objects.push_back(o->object.get());
    core->load_for(r, objects);
}

// ---- relationship loading -------------------------------------------------------------------

void SessionCore::load_for(const RelationshipMapping& r, const std::vector<void*>& owners) {
    State& s = *state_;
    const ModelMapper& owner_model = *r.owner;
    const ModelMapper& target = *r.target;
    std::size_t chunk_limit = s.dialect().capabilities().max_bind_parameters;

    if (r.kind == RelationshipKind::many_to_one) {
        std::vector<RelatedBase*> members;
        std::vector<std::vector<Value>> keys;
        std::unordered_map<IdentityKey, std::vector<RelatedBase*>, IdentityKeyHash> wanting;
        std::vector<IdentityKey> order;
        for (void* o : owners) {
            RelatedBase* rb = r.accessor->related(o);
            if (rb->loaded_) continue;
            std::vector<Value> key = State::values_of(owner_model, o, r.owner_columns);
            if (has_null(key)) {
                rb->target_.reset();
                rb->loaded_ = true;
                continue;
            }
            IdentityKey ik = make_identity_key(key);
            if (r.targets_primary_key) {
                ObjectState* known = s.model(target).identity.find(ik);
                if (known && known->status != Status::deleted) {
                    rb->target_ = known->object;
                    rb->loaded_ = true;
                    continue;
                }
            }
            auto [w, fresh] = wanting.try_emplace(ik);
            if (fresh) {
                order.push_back(ik);
                keys.push_back(std::move(key));
            }
            w->second.push_back(rb);
        }
        if (!keys.empty()) {
            std::vector<std::string> cols = names_of(target, r.target_columns);
            std::size_t per = std::max<std::size_t>(1, std::min<std::size_t>(chunk_limit / cols.size(), 500));
            std::unordered_map<IdentityKey, std::shared_ptr<void>, IdentityKeyHash> found;
            for (std::size_t from = 0; from < keys.size(); from += per) {
                std::size_t to = std::min(keys.size(), from + per);
                sql::SelectStatement st = s.select_of(target);
                st.where = key_condition_chunk(target.table.name, cols, keys, from, to)[0];
                for (ObjectState* t : s.load_objects(target, std::move(st)))
                    found[make_identity_key(t->snapshot, r.target_columns)] = t->object;
            }
            for (const IdentityKey& ik : order) {
                auto f = found.find(ik);
                for (RelatedBase* rb : wanting[ik]) {
                    rb->target_ = f == found.end() ? nullptr : f->second;
                    rb->loaded_ = true;
                }
            }
        }
        return;
    }

    // To-many: group the loaded targets by owner key.
    std::vector<std::vector<Value>> keys;
    std::unordered_map<IdentityKey, std::vector<std::pair<void*, CollectionBase*>>, IdentityKeyHash> wanting;
    for (void* o : owners) {
        CollectionBase* cb = r.accessor->collection(o);
        if (cb->loaded_) continue;
        std::vector<Value> key = State::values_of(owner_model, o, r.owner_columns);
        if (has_null(key)) {
            cb->erased_assign({});
            cb->original_.clear();
            cb->loaded_ = true;
            continue;
        }
        IdentityKey ik = make_identity_key(key);
        auto [w, fresh] = wanting.try_emplace(ik);
        if (fresh) keys.push_back(std::move(key));
        w->second.push_back({o, cb});
    }
    if (keys.empty()) return;
    std::unordered_map<IdentityKey, std::vector<std::shared_ptr<void>>, IdentityKeyHash> groups;
    const std::size_t nkey = r.owner_columns.size();
    std::size_t per = std::max<std::size_t>(1, std::min<std::size_t>(chunk_limit / nkey, 500));
    for (std::size_t from = 0; from < keys.size(); from += per) {
        std::size_t to = std::min(keys.size(), from + per);
        sql::SelectStatement st = s.select_of(target);
        for (std::size_t k : target.primary_key)
            st.order_by.push_back({sql::Expr::col(target.table.name, target.table.columns[k].name), false});
        if (r.kind == RelationshipKind::one_to_many) {
            st.where = key_condition_chunk(target.table.name, names_of(target, r.target_columns), keys, from, to)[0];
            for (ObjectState* t : s.load_objects(target, std::move(st))) {
                IdentityKey ik = make_identity_key(t->snapshot, r.target_columns);
                groups[ik].push_back(t->object);
            }
        } else {
            // Owner key columns of the association table first, then the target's columns.
            std::vector<sql::SelectItem> items;
            for (const std::string& c : r.secondary_owner_columns)
                items.push_back({sql::Expr::col(r.secondary, c), {}});
            items.insert(items.end(), st.columns.begin(), st.columns.end());
            st.columns = std::move(items);
            sql::Join join;
            join.table.name = r.secondary;
            std::vector<sql::Expr> on;
            for (std::size_t i = 0; i < r.target_columns.size(); ++i)
                on.push_back(sql::Expr::compare(
                    sql::CompareOp::eq, sql::Expr::col(r.secondary, r.secondary_target_columns[i]),
                    sql::Expr::col(target.table.name, target.table.columns[r.target_columns[i]].name)));
            join.on = sql::Expr::all_of(std::move(on));
            st.joins.push_back(std::move(join));
            st.where = key_condition_chunk(r.secondary, r.secondary_owner_columns, keys, from, to)[0];
            std::vector<Value> owner_key(nkey);
            std::vector<Value> params;
            std::string text = s.dialect().render(st, params);
            ModelState& target_state = s.model(target);
            s.connection().query(text, params, [&](const RowView& row) {
                for (std::size_t i = 0; i < nkey; ++i) owner_key[i] = row.get(i);
                // Canonical form of the owner key, as the owner's own members give it.
                for (std::size_t i = 0; i < nkey; ++i) {
                    const ColumnAccessor& a = *owner_model.columns[r.owner_columns[i]].accessor;
                    if (!is_null(owner_key[i]) && owner_key[i].index() != a.canonical_index()) {
                        auto scratch = owner_model.create();
                        a.load(scratch.get(), owner_key[i]);
                    }
                }
                ObjectState* t = s.hydrate(target, target_state, row, nkey);
                groups[make_identity_key(owner_key)].push_back(t->object);
            });
        }
    }
    for (auto& [ik, list] : wanting) {
        auto g = groups.find(ik);
        std::vector<std::shared_ptr<void>> items = g == groups.end() ? std::vector<std::shared_ptr<void>>{} : g->second;
        for (auto& [owner, cb] : list) {
            cb->erased_assign(items);
            cb->original_ = items;
            cb->loaded_ = true;
            if (r.kind == RelationshipKind::one_to_many && r.back) {
                for (const auto& item : items) {
                    RelatedBase* rb = r.back->accessor->related(item.get());
                    if (rb->loaded_) continue;
                    if (ObjectState* os = s.find(owner)) rb->target_ = os->object;
                    rb->loaded_ = rb->target_ != nullptr;
                }
            }
        }
    }
}

void SessionCore::load_related(RelatedBase& member) {
    State& s = *state_;
    if (s.closed) closed_error();
    auto owner = member.binding_.owner.lock();
    if (!owner) return;
    autoflush();
    if (member.loaded_) return;
    load_for(*member.binding_.relationship, {owner.get()});
}

void SessionCore::load_collection(CollectionBase& member) {
    State& s = *state_;
    if (s.closed) closed_error();
    auto owner = member.binding_.owner.lock();
    if (!owner) return;
    autoflush();
    if (member.loaded_) return;
    load_for(*member.binding_.relationship, {owner.get()});
}

void SessionCore::related_assigned(RelatedBase& member, const std::shared_ptr<void>& old_target) {
    const RelationshipMapping* r = member.binding_.relationship;
    auto owner = member.binding_.owner.lock();
    if (!r || !owner || !r->back) return;
    if (old_target && old_target != member.target_) {
        CollectionBase* oc = r->back->accessor->collection(old_target.get());
        if (oc && oc->loaded_) oc->erased_remove(owner.get());
    }
    if (member.target_) {
        CollectionBase* nc = r->back->accessor->collection(member.target_.get());
        if (nc && nc->loaded_ && !nc->erased_contains(owner.get())) nc->erased_append(owner);
    }
}

void SessionCore::collection_appended(CollectionBase& member, const std::shared_ptr<void>& item) {
    const RelationshipMapping* r = member.binding_.relationship;
    auto owner = member.binding_.owner.lock();
    if (!r || !owner || !r->back) return;
    if (r->kind == RelationshipKind::one_to_many) {
        RelatedBase* rb = r->back->accessor->related(item.get());
        if (!rb || rb->target_ == owner) return;
        std::shared_ptr<void> old = std::move(rb->target_);
        rb->target_ = owner;
        rb->loaded_ = true;
        rb->modified_ = true;
        if (old) {
            CollectionBase* oc = r->accessor->collection(old.get());
            if (oc->loaded_) oc->erased_remove(item.get());
        }
    } else if (r->kind == RelationshipKind::many_to_many) {
        CollectionBase* bc = r->back->accessor->collection(item.get());
        if (bc && bc->loaded_ && !bc->erased_contains(owner.get())) bc->erased_append(owner);
    }
}

void SessionCore::collection_removed(CollectionBase& member, const std::shared_ptr<void>& item) {
    const RelationshipMapping* r = member.binding_.relationship;
    auto owner = member.binding_.owner.lock();
    if (!r || !owner || !r->back) return;
    if (r->kind == RelationshipKind::one_to_many) {
        RelatedBase* rb = r->back->accessor->related(item.get());
        if (rb && rb->target_ == owner) {
            rb->target_.reset();
            rb->loaded_ = true;
            // The collection's removal decides (orphan delete or NULL key) at flush.
            rb->modified_ = false;
        }
    } else if (r->kind == RelationshipKind::many_to_many) {
        CollectionBase* bc = r->back->accessor->collection(item.get());
        if (bc && bc->loaded_) bc->erased_remove(owner.get());
    }
}

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
    State& s = *state_;
    if (s.closed) closed_error();
    autoflush();
    const ModelMapper& m = *spec.model;
    Compiled c = compile_spec(s, spec);
    sql::SelectStatement st = std::move(c.statement);
    sql::SelectStatement cols = s.select_of(m);
    st.columns = std::move(cols.columns);
    add_order(st, c.compiler, spec);
    st.limit = spec.limit;
    st.offset = spec.offset;
    std::vector<Value> params;
    std::string text = s.dialect().render(st, params);
    ModelState& ms = s.model(m);
    // Each object goes to the sink as soon as its row is hydrated, while it is still in
    // the cache (a second pass over a large result would fetch every object again).
    // With joins an object may come on several rows: only its first counts.
    std::unordered_set<ObjectState*> seen;
    std::vector<ObjectState*> found;  // for eager loading
    const bool joined = !spec.joins.empty(), eager = !spec.eager.empty();
    s.connection().query(text, params, [&](const RowView& row) {
        ObjectState* o = s.hydrate(m, ms, row, 0);
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
        s.load_eager(*r, found);
    }
}

std::int64_t SessionCore::count(const QuerySpec& spec) {
    State& s = *state_;
    if (s.closed) closed_error();
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
    s.run_select(outer, [&](std::vector<Value>& row) { n = value_to_int64(row.at(0), "COUNT"); });
    return n;
}

bool SessionCore::exists(const QuerySpec& spec) {
    State& s = *state_;
    if (s.closed) closed_error();
    autoflush();
    const ModelMapper& m = *spec.model;
    Compiled c = compile_spec(s, spec);
    sql::SelectStatement st = std::move(c.statement);
    st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[m.primary_key.empty() ? 0 : m.primary_key[0]].name), {}});
    st.limit = 1;
    st.offset = spec.offset;
    bool any = false;
    s.run_select(st, [&](std::vector<Value>&) { any = true; });
    return any;
}

std::vector<std::vector<Value>> SessionCore::select_rows(const QuerySpec& spec, const std::vector<Expression>& columns) {
    State& s = *state_;
    if (s.closed) closed_error();
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
    s.run_select(st, [&](std::vector<Value>& row) { out.push_back(std::move(row)); });
    return out;
}

// ---- relationship members -------------------------------------------------------------------

std::shared_ptr<void> RelatedBase::get_erased() const {
    if (!target_ && loaded_) {
        std::shared_ptr<void> p = weak_target_.lock();
        const std::weak_ptr<void> none;
        bool was_set = weak_target_.owner_before(none) || none.owner_before(weak_target_);
        if (!p && was_set)
            throw Error(ErrorKind::usage,
                        "the related object is gone: its session ended and nothing else held it (objects linked "
                        "both ways are not kept alive by each other); keep a reference to the parent while using it");
        return p;
    }
    if (!loaded_ && binding_.relationship) {
        auto core = binding_.session.lock();
        if (!core)
            throw Error(ErrorKind::usage, fmt::format("cannot load {}: the object's session is closed; load it with "
                                                      "Query::eager() or keep the session open while using it",
                                                      binding_.relationship->describe()));
        core->load_related(const_cast<RelatedBase&>(*this));
    }
    return target_;
}

void RelatedBase::assign_erased(std::shared_ptr<void> target) {
    std::shared_ptr<void> old = current();
    target_ = std::move(target);
    weak_target_.reset();
    loaded_ = true;
    modified_ = true;
    if (binding_.relationship)
        if (auto core = binding_.session.lock()) core->related_assigned(*this, old);
}

void CollectionBase::ensure_loaded() const {
    if (loaded_ || !binding_.relationship) return;
    auto core = binding_.session.lock();
    if (!core)
        throw Error(ErrorKind::usage, fmt::format("cannot load {}: the object's session is closed; load it with "
                                                  "Query::eager() or keep the session open while using it",
                                                  binding_.relationship->describe()));
    core->load_collection(const_cast<CollectionBase&>(*this));
}

void CollectionBase::appended(const std::shared_ptr<void>& item) {
    if (binding_.relationship)
        if (auto core = binding_.session.lock()) core->collection_appended(*this, item);
}

void CollectionBase::removed(const std::shared_ptr<void>& item) {
    if (binding_.relationship)
        if (auto core = binding_.session.lock()) core->collection_removed(*this, item);
}

}  // namespace detail

}  // namespace strata
