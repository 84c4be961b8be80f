#include "orm/detail/loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "orm/detail/relationship_sync.hpp"

namespace strata::detail {

namespace {

// Value::index() of std::int64_t (the order of alternatives is part of Value's API).
constexpr std::size_t kIntegerIndex = 2;
static_assert(std::is_same_v<std::variant_alternative_t<kIntegerIndex, Value>, std::int64_t>);

bool has_null(const std::vector<Value>& values) {
    return std::any_of(values.begin(), values.end(), [](const Value& v) { return is_null(v); });
}

// The key of the row's object when it can be read without hydrating (canonical forms).
bool row_key(const ModelMapper& m, const RowView& row, std::size_t first, const Cell* cells, IdentityKey& key) {
    const std::vector<std::size_t>& pk = m.primary_key;
    if (pk.size() == 1) {
        const Cell& key_cell = cells[pk[0]];
        if (key_cell.kind == Cell::Kind::integer && m.columns[pk[0]].accessor->canonical_index() == kIntegerIndex) {
            key.integer = key_cell.integer;
            return true;
        }
        Value v = row.get(first + pk[0]);
        if (v.index() != m.columns[pk[0]].accessor->canonical_index()) return false;
        key = make_identity_key(&v, 1);
        return true;
    }
    std::vector<Value> values;
    for (std::size_t k : pk) {
        values.push_back(row.get(first + k));
        if (values.back().index() != m.columns[k].accessor->canonical_index()) return false;
    }
    key = make_identity_key(values.data(), values.size());
    return true;
}

// Loads the members of a new object from the cells, building its snapshot.
Snapshot hydrate_new(ModelState& ms, const ModelMapper& m, void* obj, const RowView& row, std::size_t first,
                     const Cell* cells) {
    const std::size_t n = m.columns.size();
    // Members load straight from the driver's cells where the type allows, the snapshot
    // taking the same cell; the rest go through a Value.
    Snapshot snap = ms.snapshots.make();
    for (std::size_t c = 0; c < n; ++c) {
        const ColumnAccessor& a = *m.columns[c].accessor;
        try {
            if (cells[c].kind != Cell::Kind::other && a.load_cell(obj, cells[c])) {
                snap.set_cell(c, cells[c], a.canonical_index());
                continue;
            }
            Value v = row.get(first + c);
            a.load(obj, v);
            snap.set(c, v);
        } catch (...) {
            ms.snapshots.release(snap);
            try {
                throw;
            } catch (const Error& e) {
                rethrow_with_column(e, m, c);
            }
        }
    }
    return snap;
}

}  // namespace

sql::Expr key_condition(const std::string& table, const std::vector<std::string>& columns,
                        const std::vector<std::vector<Value>>& keys, std::size_t from, std::size_t to) {
    if (columns.size() == 1) {
        std::vector<sql::Expr> in{sql::Expr::col(table, columns[0])};
        for (std::size_t i = from; i < to; ++i) in.push_back(sql::Expr::param(keys[i][0]));
        return sql::Expr::nary(sql::Expr::Kind::in, std::move(in));
    }
    std::vector<sql::Expr> any;
    for (std::size_t i = from; i < to; ++i) {
        std::vector<sql::Expr> all;
        for (std::size_t c = 0; c < columns.size(); ++c)
            all.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col(table, columns[c]),
                                             sql::Expr::param(keys[i][c])));
        any.push_back(sql::Expr::all_of(std::move(all)));
    }
    return sql::Expr::any_of(std::move(any));
}

std::vector<std::string> column_names(const ModelMapper& m, const std::vector<std::size_t>& columns) {
    std::vector<std::string> out;
    for (std::size_t c : columns) out.push_back(m.table.columns[c].name);
    return out;
}

std::size_t rows_per_statement(const Capabilities& caps, std::size_t per_row) {
    // Beyond a few hundred rows a longer statement only costs parse time.
    std::size_t rows = per_row == 0 ? 1 : caps.max_bind_parameters / per_row;
    return std::clamp<std::size_t>(rows, 1, 500);
}

sql::SelectStatement Loader::select_of(const ModelMapper& m) const {
    sql::SelectStatement st;
    st.from.name = m.table.name;
    st.columns.reserve(m.columns.size());
    for (const Column& c : m.table.columns) st.columns.push_back({sql::Expr::col(m.table.name, c.name), {}});
    return st;
}

void Loader::run_select(const sql::SelectStatement& statement, const std::function<void(std::vector<Value>&)>& on_row) {
    std::vector<Value> params;
    std::string text = s_.dialect().render(statement, params);
    std::vector<Value> values;
    s_.connection().query(text, params, [&](const RowView& row) {
        std::size_t n = row.size();
        values.clear();
        values.reserve(n);
        for (std::size_t i = 0; i < n; ++i) values.push_back(row.get(i));
        on_row(values);
    });
}

ObjectState* Loader::hydrate(const ModelMapper& m, ModelState& ms, const RowView& row, std::size_t first) {
    const std::size_t n = m.columns.size();
    // The row's cells in one call, then the key: a row already in the session costs no
    // conversion at all (unless expired), and an integer key needs no Value either.
    if (s_.row_cells.size() < n) s_.row_cells.resize(n);
    Cell* cells = s_.row_cells.data();
    row.cells(first, n, cells);
    IdentityKey key;
    const bool keyed = row_key(m, row, first, cells, key);
    if (keyed)
        if (ObjectState* found = ms.identity.find(key)) return handed_out(*found, row, first);
    std::shared_ptr<void> obj = m.create();
    Snapshot snap = hydrate_new(ms, m, obj.get(), row, first, cells);
    if (!keyed) {
        key = snap.key(m.primary_key);
        if (ObjectState* found = ms.identity.find(key)) {
            ms.snapshots.release(snap);
            return handed_out(*found, row, first);
        }
    }
    ObjectState& st = s_.objects.create(std::move(obj), m, Status::persistent);
    st.snapshot = snap;
    st.epoch = s_.epoch();
    s_.objects.attach(st, key, ms);
    if (!m.relationships.empty()) RelationshipSync(s_).bind(st);
    return &st;
}

ObjectState* Loader::handed_out(ObjectState& st, const RowView& row, std::size_t first) {
    if (st.status == Status::persistent && st.epoch != s_.epoch()) refresh_from_row(st, row, first, true);
    return &st;
}

void Loader::refresh_from_row(ObjectState& st, const RowView& row, std::size_t first, bool keep_changes) {
    const ModelMapper& m = *st.model;
    void* obj = st.object.get();
    std::shared_ptr<void> scratch;  // canonicalizes values for members the program changed
    for (std::size_t c = 0; c < m.columns.size(); ++c) {
        const ColumnAccessor& a = *m.columns[c].accessor;
        Value v = row.get(first + c);
        try {
            if (!keep_changes || st.snapshot.matches(c, a, obj)) {
                a.load(obj, v);
            } else {
                if (!scratch) scratch = m.create();
                a.load(scratch.get(), v);
            }
        } catch (const Error& e) {
            rethrow_with_column(e, m, c);
        }
        st.snapshot.set(c, v);
    }
    st.epoch = s_.epoch();
}

std::vector<ObjectState*> Loader::load_objects(const ModelMapper& m, sql::SelectStatement statement) {
    std::vector<Value> params;
    std::string text = s_.dialect().render(statement, params);
    ModelState& ms = s_.objects.model(m);
    std::vector<ObjectState*> out;
    s_.connection().query(text, params, [&](const RowView& row) { out.push_back(hydrate(m, ms, row, 0)); });
    return out;
}

sql::SelectStatement Loader::select_by_key(const ModelMapper& m, std::vector<Value> key) const {
    sql::SelectStatement stmt = select_of(m);
    std::vector<sql::Expr> terms;
    for (std::size_t i = 0; i < key.size(); ++i)
        terms.push_back(sql::Expr::compare(sql::CompareOp::eq,
                                           sql::Expr::col(m.table.name, m.table.columns[m.primary_key[i]].name),
                                           sql::Expr::param(std::move(key[i]))));
    stmt.where = sql::Expr::all_of(std::move(terms));
    return stmt;
}

ObjectState* Loader::load_by_key(const ModelMapper& m, std::vector<Value> key) {
    auto found = load_objects(m, select_by_key(m, std::move(key)));
    return found.empty() ? nullptr : found[0];
}

void Loader::refresh(ObjectState& st) {
    const ModelMapper& m = *st.model;
    std::vector<Value> key;
    for (std::size_t k : m.primary_key) key.push_back(st.snapshot.value(k));
    std::vector<Value> params;
    std::string text = s_.dialect().render(select_by_key(m, std::move(key)), params);
    bool found = false;
    s_.connection().query(text, params, [&](const RowView& row) {
        found = true;
        refresh_from_row(st, row, 0, false);
    });
    if (!found)
        throw Error(ErrorKind::not_found, fmt::format("{}: refresh(): the row is gone from the database", m.describe()));
    RelationshipSync::unload(m, st.object.get());
}

void Loader::load_relationship(const RelationshipMapping& r, const std::vector<void*>& owners) {
    if (r.kind == RelationshipKind::many_to_one) load_many_to_one(r, owners);
    else load_to_many(r, owners);
}

void Loader::load_many_to_one(const RelationshipMapping& r, const std::vector<void*>& owners) {
    const ModelMapper& target = *r.target;
    const std::uint64_t epoch = s_.link->epoch;
    std::vector<std::vector<Value>> keys;
    std::unordered_map<IdentityKey, std::vector<RelatedState*>, IdentityKeyHash> wanting;
    std::vector<IdentityKey> order;
    auto settle = [epoch](RelatedState& rs, std::shared_ptr<void> target_object) {
        rs.target = std::move(target_object);
        rs.weak_target.reset();
        rs.loaded = true;
        rs.epoch = epoch;
    };
    for (void* o : owners) {
        RelatedState& rs = r.accessor->related(o)->internal();
        if (rs.current()) continue;
        std::vector<Value> key = values_of(*r.owner, o, r.owner_columns);
        if (has_null(key)) {
            settle(rs, nullptr);
            continue;
        }
        IdentityKey ik = make_identity_key(key);
        if (r.targets_primary_key) {
            // Known and not expired: no query. An expired one is read again below.
            ObjectState* known = s_.objects.model(target).identity.find(ik);
            if (known && known->status != Status::deleted && known->epoch == s_.epoch()) {
                settle(rs, known->object);
                continue;
            }
        }
        auto [w, fresh] = wanting.try_emplace(ik);
        if (fresh) {
            order.push_back(ik);
            keys.push_back(std::move(key));
        }
        w->second.push_back(&rs);
    }
    if (keys.empty()) return;
    std::vector<std::string> cols = column_names(target, r.target_columns);
    std::size_t per = rows_per_statement(s_.dialect().capabilities(), cols.size());
    std::unordered_map<IdentityKey, std::shared_ptr<void>, IdentityKeyHash> found;
    for (std::size_t from = 0; from < keys.size(); from += per) {
        sql::SelectStatement st = select_of(target);
        st.where = key_condition(target.table.name, cols, keys, from, std::min(keys.size(), from + per));
        for (ObjectState* t : load_objects(target, std::move(st)))
            if (t->status != Status::deleted) found[t->snapshot.key(r.target_columns)] = t->object;
    }
    for (const IdentityKey& ik : order) {
        auto f = found.find(ik);
        for (RelatedState* rs : wanting[ik]) settle(*rs, f == found.end() ? nullptr : f->second);
    }
}

void Loader::load_to_many(const RelationshipMapping& r, const std::vector<void*>& owners) {
    const ModelMapper& target = *r.target;
    std::vector<std::vector<Value>> keys;
    std::unordered_map<IdentityKey, std::vector<std::pair<void*, CollectionBase*>>, IdentityKeyHash> wanting;
    const std::uint64_t epoch = s_.link->epoch;
    for (void* o : owners) {
        CollectionBase* cb = r.accessor->collection(o);
        if (cb->internal().current()) continue;
        std::vector<Value> key = values_of(*r.owner, o, r.owner_columns);
        if (has_null(key)) {
            cb->erased_assign({});
            cb->internal().original.clear();
            cb->internal().loaded = true;
            cb->internal().epoch = epoch;
            continue;
        }
        IdentityKey ik = make_identity_key(key);
        auto [w, fresh] = wanting.try_emplace(ik);
        if (fresh) keys.push_back(std::move(key));
        w->second.push_back({o, cb});
    }
    if (keys.empty()) return;
    std::unordered_map<IdentityKey, std::vector<std::shared_ptr<void>>, IdentityKeyHash> groups;
    std::size_t per = rows_per_statement(s_.dialect().capabilities(), r.owner_columns.size());
    for (std::size_t from = 0; from < keys.size(); from += per) {
        std::size_t to = std::min(keys.size(), from + per);
        sql::SelectStatement st = select_of(target);
        for (std::size_t k : target.primary_key)
            st.order_by.push_back({sql::Expr::col(target.table.name, target.table.columns[k].name), false});
        if (r.kind == RelationshipKind::one_to_many) {
            st.where = key_condition(target.table.name, column_names(target, r.target_columns), keys, from, to);
            for (ObjectState* t : load_objects(target, std::move(st)))
                if (t->status != Status::deleted)
                    groups[t->snapshot.key(r.target_columns)].push_back(t->object);
        } else {
            st.where = key_condition(r.secondary, r.secondary_owner_columns, keys, from, to);
            load_secondary(r, std::move(st), groups);
        }
    }
    for (auto& [ik, list] : wanting) {
        auto g = groups.find(ik);
        std::vector<std::shared_ptr<void>> items = g == groups.end() ? std::vector<std::shared_ptr<void>>{} : g->second;
        for (auto& [owner, cb] : list) {
            cb->erased_assign(items);
            CollectionState& cs = cb->internal();
            cs.original = items;
            cs.loaded = true;
            cs.epoch = epoch;
            if (r.kind != RelationshipKind::one_to_many || !r.back) continue;
            ObjectState* os = s_.objects.find(owner);
            for (const auto& item : items) {
                RelatedState& rs = r.back->accessor->related(item.get())->internal();
                if (rs.current() || !os) continue;
                rs.target = os->object;
                rs.weak_target.reset();
                rs.loaded = true;
                rs.epoch = epoch;
            }
        }
    }
}

void Loader::load_secondary(const RelationshipMapping& r, sql::SelectStatement st,
                            std::unordered_map<IdentityKey, std::vector<std::shared_ptr<void>>, IdentityKeyHash>& groups) {
    const ModelMapper& target = *r.target;
    const ModelMapper& owner_model = *r.owner;
    // Owner key columns of the association table first, then the target's columns.
    std::vector<sql::SelectItem> items;
    for (const std::string& c : r.secondary_owner_columns) items.push_back({sql::Expr::col(r.secondary, c), {}});
    items.insert(items.end(), st.columns.begin(), st.columns.end());
    st.columns = std::move(items);
    sql::Join join;
    join.table.name = r.secondary;
    std::vector<sql::Expr> on;
    for (std::size_t i = 0; i < r.target_columns.size(); ++i)
        on.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col(r.secondary, r.secondary_target_columns[i]),
                                        sql::Expr::col(target.table.name, target.table.columns[r.target_columns[i]].name)));
    join.on = sql::Expr::all_of(std::move(on));
    st.joins.push_back(std::move(join));
    const std::size_t nkey = r.owner_columns.size();
    std::vector<Value> owner_key(nkey);
    std::vector<Value> params;
    std::string text = s_.dialect().render(st, params);
    ModelState& target_state = s_.objects.model(target);
    std::shared_ptr<void> scratch;
    s_.connection().query(text, params, [&](const RowView& row) {
        for (std::size_t i = 0; i < nkey; ++i) {
            owner_key[i] = row.get(i);
            // Canonical form of the owner key, as the owner's own members give it.
            const ColumnAccessor& a = *owner_model.columns[r.owner_columns[i]].accessor;
            if (is_null(owner_key[i]) || owner_key[i].index() == a.canonical_index()) continue;
            if (!scratch) scratch = owner_model.create();
            a.load(scratch.get(), owner_key[i]);
        }
        ObjectState* t = hydrate(target, target_state, row, nkey);
        if (t->status != Status::deleted) groups[make_identity_key(owner_key)].push_back(t->object);
    });
}

}  // namespace strata::detail
