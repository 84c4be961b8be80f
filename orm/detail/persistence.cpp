#include "orm/detail/persistence.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>
#include <utility>

#include "dialects/statement.hpp"
#include "orm/detail/loader.hpp"
#include "orm/detail/relationship_sync.hpp"

namespace strata::detail {

namespace {

void append_columns(std::string& key, const std::vector<std::size_t>& columns) {
    for (std::size_t c : columns) {
        key += std::to_string(c);
        key += ',';
    }
    key += '|';
}

// The canonical key of a row whose first values are the primary key of `m`.
IdentityKey canonical_key(const ModelMapper& m, std::vector<Value>& row, std::shared_ptr<void>& scratch) {
    for (std::size_t i = 0; i < m.primary_key.size(); ++i) {
        const ColumnAccessor& a = *m.columns[m.primary_key[i]].accessor;
        if (is_null(row[i]) || row[i].index() == a.canonical_index()) continue;
        if (!scratch) scratch = m.create();
        a.load(scratch.get(), row[i]);
    }
    return make_identity_key(row.data(), m.primary_key.size());
}

// A parameter set from a member's cell (MemberType::cell_of), in the canonical form get()
// gives; a string parameter keeps its buffer from the previous statement.
void assign_param(Value& param, const Cell& cell, std::size_t canonical) {
    switch (cell.kind) {
        case Cell::Kind::integer:
            if (canonical == PackedValue::kBool) param = cell.integer != 0;
            else param = cell.integer;
            return;
        case Cell::Kind::real: param = cell.real; return;
        case Cell::Kind::text:
            if (auto* s = std::get_if<std::string>(&param)) s->assign(cell.text);
            else param.emplace<std::string>(cell.text);
            return;
        default: param = Value(); return;
    }
}

// The snapshots of one INSERT statement's rows, made before the statement runs. Each
// becomes an object's snapshot through take(); the destructor gives back those not taken
// (the statement failed).
class ChunkSnapshots {
public:
    explicit ChunkSnapshots(ModelState& ms) noexcept : ms_(ms) {}
    ChunkSnapshots(const ChunkSnapshots&) = delete;
    ChunkSnapshots& operator=(const ChunkSnapshots&) = delete;
    ~ChunkSnapshots() {
        for (Snapshot s : snaps_) ms_.snapshots.release(s);
    }
    void reserve(std::size_t n) { snaps_.reserve(n); }
    // A snapshot with every column null.
    Snapshot add() {
        Snapshot s = ms_.snapshots.make();
        snaps_.push_back(s);
        return s;
    }
    Snapshot take(std::size_t i) noexcept { return std::exchange(snaps_[i], Snapshot()); }

private:
    ModelState& ms_;
    std::vector<Snapshot> snaps_;
};

}  // namespace

struct Persistence::Shape {
    bool generated = false;             // the generated key comes from the database
    std::vector<std::size_t> columns;   // written, ascending
    std::vector<std::size_t> omitted;   // left to their server default, read back
    // Columns the INSERT's RETURNING brings back (the key first), or, without RETURNING,
    // the generated key last_insert_id() gives.
    std::vector<std::size_t> returned;
    bool returning = false;
};

Persistence::Persistence(SessionState& s) : s_(s), dialect_(s.dialect()) {}

const std::vector<std::size_t>& Persistence::defaultable(const ModelMapper& m, ModelState& ms) {
    if (ms.defaultable_known) return ms.defaultable;
    for (std::size_t c = 0; c < m.columns.size(); ++c) {
        bool key = std::find(m.primary_key.begin(), m.primary_key.end(), c) != m.primary_key.end();
        if (m.table.columns[c].server_default && !key) ms.defaultable.push_back(c);
    }
    ms.defaultable_known = true;
    return ms.defaultable;
}

void Persistence::insert(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects) {
    if (objects.empty()) return;
    s_.ensure_transaction();
    const std::vector<std::size_t>& def = defaultable(m, ms);
    auto make_shape = [&](bool generated, std::vector<std::size_t> omitted) {
        Shape shape;
        shape.generated = generated;
        shape.omitted = std::move(omitted);
        for (std::size_t c = 0; c < m.columns.size(); ++c) {
            bool gen = generated && c == *m.generated_key;
            if (!gen && !std::binary_search(shape.omitted.begin(), shape.omitted.end(), c)) shape.columns.push_back(c);
        }
        shape.returning = (generated || !shape.omitted.empty()) && caps().returning;
        if (shape.returning) {
            shape.returned = generated ? std::vector<std::size_t>{*m.generated_key} : m.primary_key;
            shape.returned.insert(shape.returned.end(), shape.omitted.begin(), shape.omitted.end());
        } else if (generated) {
            shape.returned = {*m.generated_key};
        }
        return shape;
    };
    std::vector<std::size_t> omitted, current;
    std::vector<ObjectState*> run;
    // Explicit keys first; then runs of objects that leave the same columns to the server.
    for (bool generated : {false, true}) {
        for (ObjectState* st : objects) {
            const void* obj = st->object.get();
            if ((m.generated_key && m.columns[*m.generated_key].accessor->is_unset(obj)) != generated) continue;
            if (!def.empty()) {
                omitted.clear();
                for (std::size_t c : def)
                    if (m.columns[c].accessor->defers_to_server(obj)) omitted.push_back(c);
                if (omitted != current) {
                    if (!run.empty()) insert_run(m, ms, run, make_shape(generated, current));
                    run.clear();
                    current = omitted;
                }
            }
            run.push_back(st);
        }
        if (!run.empty()) insert_run(m, ms, run, make_shape(generated, current));
        run.clear();
    }
}

void Persistence::insert_run(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects,
                             const Shape& shape) {
    std::size_t max_rows = shape.columns.empty() ? 1 : rows_per_statement(caps(), shape.columns.size());
    if (shape.generated && !shape.returning) max_rows = 1;  // one key per statement from last_insert_id()
    ms.members.reserve(ms.members.size() + objects.size());
    ms.identity.reserve(ms.members.size() + objects.size());
    for (std::size_t start = 0; start < objects.size();) {
        std::size_t rows = std::min(max_rows, objects.size() - start);
        insert_chunk(m, ms, objects, start, rows, shape);
        start += rows;
    }
    if (!shape.omitted.empty() && !shape.returning) select_back(m, objects, shape);
}

void Persistence::insert_chunk(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& objects,
                               std::size_t start, std::size_t rows, const Shape& shape) {
    const std::string& sql = insert_sql(m, ms, shape, rows);
    // Each row's snapshot and parameters are built from the members, the common types
    // through a cell (no Value, and parameter strings reuse the previous statement's).
    const std::size_t width = shape.columns.size();
    ChunkSnapshots snaps(ms);
    snaps.reserve(rows);
    if (insert_params_.size() != rows * width) insert_params_.resize(rows * width);
    for (std::size_t r = 0; r < rows; ++r) {
        const void* obj = objects[start + r]->object.get();
        Snapshot snap = snaps.add();
        for (std::size_t k = 0; k < width; ++k) {
            const std::size_t c = shape.columns[k];
            const ColumnAccessor& a = *m.columns[c].accessor;
            Value& param = insert_params_[r * width + k];
            Cell cell;
            if (a.cell_of(obj, cell)) {
                assign_param(param, cell, a.canonical_index());
                snap.set_cell(c, cell, a.canonical_index());
            } else {
                param = a.get(obj);
                snap.set(c, param);
            }
        }
    }
    const ParamView params(insert_params_);
    doing_ = fmt::format("inserting into {} ({})", m.table.name, m.type_name);
    returned_.clear();
    order_.clear();
    if (shape.returning) {
        read_returning(m, sql, params, objects, start, rows, shape);
    } else {
        conn().execute(sql, params);
        if (shape.generated) returned_.emplace_back(conn().last_insert_id());
    }
    const std::size_t stride = shape.returned.size();
    for (std::size_t r = 0; r < rows; ++r) {
        std::size_t row = order_.empty() ? r : order_[r];
        become_persistent(m, ms, *objects[start + r], snaps.take(r), shape, stride ? &returned_[row * stride] : nullptr);
    }
}

// Runs the INSERT ... RETURNING: returned_ gets the rows (shape.returned.size() values
// each), order_ which of them belongs to objects[start + r] (empty: row r).
void Persistence::read_returning(const ModelMapper& m, const std::string& sql, ParamView params,
                                 const std::vector<ObjectState*>& objects, std::size_t start, std::size_t rows,
                                 const Shape& shape) {
    const std::size_t stride = shape.returned.size();
    returned_.reserve(rows * stride);
    conn().query(sql, params, [&](const RowView& row) {
        Cell key = row.cell(0);  // the common case, an integer key, without a Value
        if (key.kind == Cell::Kind::integer) returned_.emplace_back(key.integer);
        else returned_.push_back(row.get(0));
        for (std::size_t i = 1; i < stride; ++i) returned_.push_back(row.get(i));
    });
    const std::size_t got = stride ? returned_.size() / stride : 0;
    if (got != rows)
        throw Error(ErrorKind::database, fmt::format("INSERT into {} returned {} rows for {}", m.table.name, got, rows),
                    ErrorDetails{.sql = sql});
    auto key_at = [&](std::size_t row) -> const Value& { return returned_[row * stride]; };
    if (shape.generated) {
        // Keys come from a counter that increases through the statement, so in ascending
        // order they match the VALUES rows whatever order RETURNING used. Usually they
        // arrive in order already (SQLite, PostgreSQL): no sort then.
        bool in_order = true, integers = true;
        for (std::size_t i = 0; i < rows; ++i) {
            integers = integers && std::holds_alternative<std::int64_t>(key_at(i));
            if (i && integers) in_order = in_order && std::get<std::int64_t>(key_at(i - 1)) < std::get<std::int64_t>(key_at(i));
        }
        if (!integers || in_order) return;
        order_.resize(rows);
        for (std::size_t i = 0; i < rows; ++i) order_[i] = i;
        std::sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) {
            return std::get<std::int64_t>(key_at(a)) < std::get<std::int64_t>(key_at(b));
        });
        return;
    }
    // Explicit keys: match the rows to the objects by key.
    std::shared_ptr<void> scratch;
    std::unordered_map<IdentityKey, std::size_t, IdentityKeyHash> by_key;
    std::vector<Value> key(m.primary_key.size());
    for (std::size_t i = 0; i < rows; ++i) {
        std::copy_n(&returned_[i * stride], key.size(), key.begin());
        by_key.emplace(canonical_key(m, key, scratch), i);
    }
    order_.resize(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        auto it = by_key.find(make_identity_key(values_of(m, objects[start + r]->object.get(), m.primary_key)));
        if (it == by_key.end())
            throw Error(ErrorKind::database,
                        fmt::format("INSERT into {} returned rows that match no inserted key", m.table.name),
                        ErrorDetails{.sql = sql});
        order_[r] = it->second;
    }
}

void Persistence::become_persistent(const ModelMapper& m, ModelState& ms, ObjectState& st, Snapshot snap,
                                    const Shape& shape, Value* returned) {
    st.snapshot = snap;
    if (returned)
        for (std::size_t i = 0; i < shape.returned.size(); ++i) load_returned(m, st, shape.returned[i], returned[i]);
    st.status = Status::persistent;
    st.inserted_in_flush = s_.flush_count;
    st.inserted_frame = static_cast<std::uint32_t>(s_.frames.back().id);
    st.generated_key = shape.generated;
    st.epoch = s_.epoch();
    s_.objects.attach(st, st.snapshot.key(m.primary_key), ms);
}

void Persistence::load_returned(const ModelMapper& m, ObjectState& st, std::size_t column, Value& v) {
    try {
        m.columns[column].accessor->load(st.object.get(), v);
    } catch (const Error& e) {
        rethrow_with_column(e, m, column);
    }
    st.snapshot.set(column, v);
}

void Persistence::select_back(const ModelMapper& m, const std::vector<ObjectState*>& objects, const Shape& shape) {
    const std::vector<std::size_t>& pk = m.primary_key;
    std::vector<std::vector<Value>> keys;
    keys.reserve(objects.size());
    for (ObjectState* st : objects) keys.push_back(values_of(m, st->object.get(), pk));
    std::vector<std::string> key_names = column_names(m, pk);
    ModelState& ms = s_.objects.model(m);
    std::shared_ptr<void> scratch;
    std::size_t per = rows_per_statement(caps(), pk.size());
    doing_ = fmt::format("reading the server defaults of {} ({})", m.table.name, m.type_name);
    for (std::size_t from = 0; from < keys.size(); from += per) {
        sql::SelectStatement st;
        st.from.name = m.table.name;
        for (std::size_t c : pk) st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[c].name), {}});
        for (std::size_t c : shape.omitted)
            st.columns.push_back({sql::Expr::col(m.table.name, m.table.columns[c].name), {}});
        st.where = key_condition(m.table.name, key_names, keys, from, std::min(keys.size(), from + per));
        std::vector<Value> params;
        std::string text = dialect_.render(st, params);
        std::vector<Value> row_values;
        conn().query(text, params, [&](const RowView& row) {
            row_values.clear();
            for (std::size_t i = 0; i < row.size(); ++i) row_values.push_back(row.get(i));
            ObjectState* os = ms.identity.find(canonical_key(m, row_values, scratch));
            if (!os) return;
            for (std::size_t i = 0; i < shape.omitted.size(); ++i)
                load_returned(m, *os, shape.omitted[i], row_values[pk.size() + i]);
        });
    }
}

const std::string& Persistence::insert_sql(const ModelMapper& m, ModelState& ms, const Shape& shape, std::size_t rows) {
    std::string key = std::to_string(rows) + '|';
    append_columns(key, shape.columns);
    if (shape.returning) append_columns(key, shape.returned);
    auto it = ms.sql.insert.find(key);
    if (it != ms.sql.insert.end()) return it->second;
    sql::InsertStatement st;
    st.table = m.table.name;
    st.columns = column_names(m, shape.columns);
    st.rows = rows;
    if (shape.returning) st.returning = column_names(m, shape.returned);
    return ms.sql.insert.emplace(std::move(key), dialect_.render(st)).first->second;
}

const std::string& Persistence::update_sql(const ModelMapper& m, ModelState& ms, const std::vector<std::size_t>& changed) {
    std::string key;
    append_columns(key, changed);
    auto it = ms.sql.update.find(key);
    if (it != ms.sql.update.end()) return it->second;
    sql::UpdateStatement u;
    u.table = m.table.name;
    for (std::size_t c : changed) u.set.push_back({m.table.columns[c].name, sql::Expr::param(Value())});
    std::vector<sql::Expr> where;
    for (std::size_t k : m.primary_key)
        where.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col("", m.table.columns[k].name),
                                           sql::Expr::param(Value())));
    u.where = sql::Expr::all_of(std::move(where));
    std::vector<Value> ignored;
    return ms.sql.update.emplace(std::move(key), dialect_.render(u, ignored)).first->second;
}

void Persistence::update_dirty(const ModelMapper& m, ModelState& ms) {
    const std::size_t ncols = m.columns.size();
    std::vector<std::size_t> changed, last_changed;
    const std::string* last_sql = nullptr;  // objects changed alike share one statement
    bool described = false;
    for (std::size_t i = 0; i < ms.members.size(); ++i) {
        ObjectState* st = ms.members[i];
        if (!st || st->status != Status::persistent || st->inserted_in_flush == s_.flush_count) continue;
        const void* obj = st->object.get();
        changed.clear();
        for (std::size_t c = 0; c < ncols; ++c)
            if (!st->snapshot.matches(c, *m.columns[c].accessor, obj)) changed.push_back(c);
        if (changed.empty()) continue;
        for (std::size_t c : changed)
            if (std::find(m.primary_key.begin(), m.primary_key.end(), c) != m.primary_key.end())
                throw Error(ErrorKind::usage,
                            fmt::format("{}: the primary key column \"{}\" of a loaded object was changed; changing "
                                        "keys is not supported: delete the object and add a new one",
                                        m.describe(), m.table.columns[c].name));
        if (!last_sql || changed != last_changed) {
            last_sql = &update_sql(m, ms, changed);
            last_changed = changed;
        }
        s_.ensure_transaction();
        if (!described) {
            doing_ = fmt::format("updating {} ({})", m.table.name, m.type_name);
            described = true;
        }
        update_one(m, *st, changed, *last_sql);
    }
}

void Persistence::update_one(const ModelMapper& m, ObjectState& st, const std::vector<std::size_t>& changed,
                             const std::string& sql) {
    params_.clear();
    for (std::size_t c : changed) params_.push_back(m.columns[c].accessor->get(st.object.get()));
    for (std::size_t k : m.primary_key) params_.push_back(st.snapshot.value(k));
    conn().execute(sql, params_);
    record_update(st, changed, params_);
}

void Persistence::record_update(ObjectState& st, const std::vector<std::size_t>& columns, std::vector<Value>& values) {
    Journal& jn = s_.journal;
    JournalEntry j;
    j.kind = JournalEntry::Kind::updated;
    j.state = &st;
    j.serial = st.serial;
    j.model = st.model;
    j.offset = jn.values.size();
    j.count = static_cast<std::uint32_t>(columns.size());
    for (std::size_t k = 0; k < columns.size(); ++k) {
        jn.columns.push_back(static_cast<std::uint32_t>(columns[k]));
        jn.values.push_back(st.snapshot.value(columns[k]));
        st.snapshot.set(columns[k], values[k]);
    }
    jn.entries.push_back(std::move(j));
}

void Persistence::delete_objects(const ModelMapper& m, ModelState& ms, std::unordered_set<const void*>& deleted) {
    if (ms.deleted.empty()) return;
    std::vector<ObjectState*> victims = ms.deleted;
    s_.ensure_transaction();
    doing_ = fmt::format("deleting from {} ({})", m.table.name, m.type_name);
    for (const std::vector<ObjectState*>& wave : delete_waves(m, victims)) delete_rows(m, ms, wave);
    for (ObjectState* st : victims) {
        deleted.insert(st->object.get());
        record_deleted(m, *st);
    }
    ms.deleted.clear();
}

// Rows of a table that refers to itself go in waves, children first: MySQL checks foreign
// keys row by row even inside one statement. Other tables: one wave.
std::vector<std::vector<ObjectState*>> Persistence::delete_waves(const ModelMapper& m, std::vector<ObjectState*> remaining) {
    std::vector<const ForeignKey*> self_fks;
    if (m.resolved)
        for (const ForeignKey& fk : m.resolved->foreign_keys)
            if (fk.ref_table == m.table.name) self_fks.push_back(&fk);
    if (self_fks.empty()) return {std::move(remaining)};
    auto encode = [&](const ObjectState* v, const std::vector<std::string>& columns, bool& null) {
        std::string key;
        for (const auto& c : columns) {
            const auto i = static_cast<std::size_t>(m.column_index(c));
            null = null || v->snapshot.is_null(i);
            v->snapshot.encode(i, key);
        }
        return key;
    };
    std::vector<std::vector<ObjectState*>> waves;
    while (!remaining.empty()) {
        std::unordered_set<std::string> referenced;
        for (const ForeignKey* fk : self_fks)
            for (ObjectState* v : remaining) {
                bool null = false;
                std::string key = encode(v, fk->columns, null);
                if (!null) referenced.insert(std::move(key));
            }
        std::vector<ObjectState*> leaves, rest;
        for (ObjectState* v : remaining) {
            bool is_parent = false;
            for (const ForeignKey* fk : self_fks) {
                bool null = false;
                std::string key = encode(v, fk->ref_columns, null);
                // A row pointing at itself does not hold up its own deletion.
                if (referenced.count(key) && encode(v, fk->columns, null) != key) is_parent = true;
            }
            (is_parent ? rest : leaves).push_back(v);
        }
        if (leaves.empty()) {  // a cycle: let the database decide
            waves.push_back(std::move(rest));
            break;
        }
        waves.push_back(std::move(leaves));
        remaining = std::move(rest);
    }
    return waves;
}

void Persistence::delete_rows(const ModelMapper& m, ModelState& ms, const std::vector<ObjectState*>& victims) {
    if (m.primary_key.size() != 1) {
        for (ObjectState* st : victims) {
            sql::DeleteStatement d;
            d.table = m.table.name;
            std::vector<sql::Expr> terms;
            for (std::size_t k : m.primary_key)
                terms.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col("", m.table.columns[k].name),
                                                   sql::Expr::param(st->snapshot.value(k))));
            d.where = sql::Expr::all_of(std::move(terms));
            params_.clear();
            std::string text = dialect_.render(d, params_);
            conn().execute(text, params_);
        }
        return;
    }
    const std::size_t k = m.primary_key[0];
    const std::size_t max_rows = rows_per_statement(caps(), 1);
    for (std::size_t start = 0; start < victims.size();) {
        std::size_t rows = std::min(max_rows, victims.size() - start);
        auto it = ms.sql.remove.find(rows);
        if (it == ms.sql.remove.end()) {
            sql::DeleteStatement d;
            d.table = m.table.name;
            std::vector<sql::Expr> in{sql::Expr::col("", m.table.columns[k].name)};
            for (std::size_t r = 0; r < rows; ++r) in.push_back(sql::Expr::param(Value()));
            d.where = sql::Expr::nary(sql::Expr::Kind::in, std::move(in));
            std::vector<Value> ignored;
            it = ms.sql.remove.emplace(rows, dialect_.render(d, ignored)).first;
        }
        params_.clear();
        for (std::size_t r = 0; r < rows; ++r) params_.push_back(victims[start + r]->snapshot.value(k));
        conn().execute(it->second, params_);
        start += rows;
    }
}

void Persistence::record_deleted(const ModelMapper& m, ObjectState& st) {
    s_.deleted[st.object.get()] = st.object;
    Journal& jn = s_.journal;
    JournalEntry j;
    j.kind = JournalEntry::Kind::deleted;
    j.object = st.object;
    j.model = &m;
    j.inserted_frame = st.inserted_frame;
    j.generated_key = st.generated_key;
    j.offset = jn.values.size();
    std::vector<Value> snapshot;
    if (!m.relationships.empty()) RelationshipSync(s_).weaken(st);
    s_.objects.forget(st, &snapshot);
    j.count = static_cast<std::uint32_t>(snapshot.size());
    for (Value& v : snapshot) {
        jn.values.push_back(std::move(v));
        jn.columns.push_back(0);
    }
    jn.entries.push_back(std::move(j));
}

void Persistence::write_associations(const std::vector<AssociationRow>& deletes, const std::vector<AssociationRow>& inserts) {
    if (inserts.empty() && deletes.empty()) return;
    s_.ensure_transaction();
    for (const AssociationRow& w : deletes) {
        doing_ = fmt::format("deleting from association table {} ({})", w.relationship->secondary,
                             w.relationship->describe());
        sql::DeleteStatement d;
        d.table = w.relationship->secondary;
        std::vector<sql::Expr> terms;
        for (std::size_t i = 0; i < w.columns.size(); ++i)
            terms.push_back(sql::Expr::compare(sql::CompareOp::eq, sql::Expr::col("", w.columns[i]),
                                               sql::Expr::param(w.values[i])));
        d.where = sql::Expr::all_of(std::move(terms));
        params_.clear();
        std::string text = dialect_.render(d, params_);
        conn().execute(text, params_);
    }
    for (const AssociationRow& w : inserts) {
        doing_ = fmt::format("inserting into association table {} ({})", w.relationship->secondary,
                             w.relationship->describe());
        sql::InsertStatement ins;
        ins.table = w.relationship->secondary;
        ins.columns = w.columns;
        conn().execute(dialect_.render(ins), w.values);
    }
}

}  // namespace strata::detail
