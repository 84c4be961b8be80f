// Private to orm/session.cpp and orm/query.cpp: the data of a SessionCore.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "dialects/statement.hpp"
#include "orm/detail/object_index.hpp"
#include "orm/detail/session_core.hpp"
#include "orm/registry.hpp"
#include "orm/session.hpp"

namespace strata::detail {

// A primary key as a hash-map key: a single integer (the common case) without
// allocation, anything else as a tagged byte encoding.
struct IdentityKey {
    std::int64_t integer = 0;
    std::string bytes;
    bool is_integer = true;
    friend bool operator==(const IdentityKey&, const IdentityKey&) = default;
};

struct IdentityKeyHash {
    std::size_t operator()(const IdentityKey& k) const noexcept {
        return k.is_integer ? std::hash<std::int64_t>{}(k.integer) : std::hash<std::string>{}(k.bytes);
    }
};

// `e` again, its message prefixed with the table and column ("users.age: ...").
[[noreturn]] void rethrow_with_column(const Error& e, const ModelMapper& m, std::size_t column);

// `values` holds canonical column values; `columns` says which form the key.
IdentityKey make_identity_key(const Value* values, const std::vector<std::size_t>& columns);
IdentityKey make_identity_key(const std::vector<Value>& key_values);
IdentityKey make_identity_key(const Value* key_values, std::size_t count);

// The identity map of one model: integer keys in a flat table, others by encoding.
class IdentityMap {
public:
    ObjectState* find(const IdentityKey& k) const noexcept {
        if (k.is_integer) return ints_.find(k.integer);
        auto it = others_.find(k.bytes);
        return it == others_.end() ? nullptr : it->second;
    }
    void insert(const IdentityKey& k, ObjectState* s) {
        if (k.is_integer) ints_.insert(k.integer, s);
        else others_[k.bytes] = s;
    }
    // Removes the entry for k when it is `s`.
    void erase(const IdentityKey& k, const ObjectState* s) noexcept {
        if (k.is_integer) {
            ints_.erase(k.integer, s);
            return;
        }
        auto it = others_.find(k.bytes);
        if (it != others_.end() && it->second == s) others_.erase(it);
    }
    void reserve(std::size_t n) { ints_.reserve(n); }
    void clear() noexcept {
        ints_.clear();
        others_.clear();
    }

private:
    FlatIndex<std::int64_t> ints_;
    std::unordered_map<std::string, ObjectState*> others_;
};

enum class Status : std::uint8_t { pending, persistent, deleted };

// 56 bytes per tracked object.
struct ObjectState {
    std::shared_ptr<void> object;
    const ModelMapper* model = nullptr;
    // Column values as the database has them (one per column, from the model's
    // ModelState::snapshots), or nullptr while pending.
    Value* snapshot = nullptr;
    std::uint32_t slot = 0;            // position in ModelState::members
    std::uint32_t inserted_in_flush = 0;
    // The frame (transaction or savepoint) that inserted the object, 0 when it was loaded;
    // rolling back that frame forgets the object again.
    std::uint64_t inserted_frame = 0;
    bool generated_key = false;        // its key came from the database (reset on rollback)
    Status status = Status::pending;
    bool indexed = false;              // in State::index (else listed in State::unindexed)
};

struct ModelState {
    IdentityMap identity;
    SlotPool<Value> snapshots{0};  // width: the model's column count
    std::vector<ObjectState*> members;  // persistent + deleted, in load/insert order; nullptr: gone
    std::size_t dead = 0;
    std::vector<ObjectState*> pending;  // in add() order
    std::vector<ObjectState*> deleted;  // in remove() order
    // SQL per statement shape, rendered once per session.
    std::unordered_map<std::uint64_t, std::string> insert_sql;
    std::unordered_map<std::string, std::string> update_sql;
    std::unordered_map<std::size_t, std::string> delete_sql;
};

// What a flush did, so a rollback can return objects to the database's state. Old
// values live in one shared vector (no allocation per entry). Inserts need no entry:
// ObjectState::inserted_frame tells them apart.
struct JournalEntry {
    enum class Kind : std::uint8_t { updated, deleted };
    Kind kind = Kind::updated;
    bool generated_key = false;        // deleted: ObjectState::generated_key
    std::uint64_t inserted_frame = 0;  // deleted: ObjectState::inserted_frame
    std::uint32_t count = 0;           // updated: changed columns; deleted: snapshot size
    std::size_t offset = 0;            // into Journal::values / Journal::columns
    const ModelMapper* model = nullptr;
    std::shared_ptr<void> object;
};

struct Journal {
    std::vector<JournalEntry> entries;
    std::vector<Value> values;         // updated: old values; deleted: snapshots
    std::vector<std::uint32_t> columns;  // updated: changed columns (parallel to values)
    std::size_t size() const noexcept { return entries.size(); }
    void clear() noexcept {
        entries.clear();
        values.clear();
        columns.clear();
    }
};

struct Frame {
    std::uint64_t id = 0;
    std::string savepoint;       // "" for a transaction the session began itself
    std::size_t journal_mark = 0;
    bool owns_transaction = false;
};

struct SessionCore::State {
    State(Engine e, Registry& r, const SessionOptions& o) : engine(std::move(e)), registry(&r), options(o) {}

    Engine engine;
    Registry* registry;
    SessionOptions options;
    Connection* conn = nullptr;
    SessionCore* core = nullptr;
    bool closed = false;
    // Object address -> state, built lazily: bulk inserts and loads only list their states
    // in `unindexed`, and the index catches up the first time an address is looked up.
    FlatIndex<const void*> index;
    std::vector<ObjectState*> unindexed;
    SlotPool<ObjectState> pool{1, 1024};
    std::deque<ModelState> models;  // by ModelMapper::index; deque: growth keeps references
    Journal journal;
    std::vector<Frame> frames;
    std::uint64_t next_frame = 1;
    std::uint64_t next_savepoint = 1;
    std::uint64_t flush_count = 0;
    bool flushing = false;
    // hydrate()'s row buffer (hydrate never runs inside another hydrate).
    std::vector<Cell> row_cells;

    Connection& connection() {
        if (!conn) conn = &engine.connection();
        return *conn;
    }
    const Dialect& dialect() const noexcept { return engine.dialect(); }
    ModelState& model(const ModelMapper& m) {
        while (models.size() <= m.index) models.emplace_back();
        ModelState& ms = models[m.index];
        if (ms.snapshots.width() != m.columns.size()) ms.snapshots.set_width(m.columns.size());
        return ms;
    }
    // A snapshot block for an object of `m`, its values moved from `values`.
    Value* new_snapshot(const ModelMapper& m, Value* values) {
        Value* snap = model(m).snapshots.make();
        for (std::size_t i = 0, n = m.columns.size(); i < n; ++i) new (&snap[i]) Value(std::move(values[i]));
        return snap;
    }
    // A released state stays a valid, empty ObjectState (object == nullptr): lists may
    // still point at it and must be able to tell it is gone.
    void release_state(ObjectState* st) {
        *st = ObjectState{};
        pool.recycle(st);
    }
    ObjectState* find(const void* p) {
        if (!unindexed.empty()) catch_up_index();
        return index.find(p);
    }
    void catch_up_index() {
        index.reserve(index.size() + unindexed.size());
        // Entries may be stale (a state released, or released and reused): skip those.
        for (ObjectState* st : unindexed) {
            if (!st->object || st->indexed) continue;
            index.insert(st->object.get(), st);
            st->indexed = true;
        }
        unindexed.clear();
    }
    // Room for n more objects of `m` (bulk adds).
    void reserve(const ModelMapper& m, std::size_t n) {
        unindexed.reserve(unindexed.size() + n);
        ModelState& ms = model(m);
        ms.pending.reserve(ms.pending.size() + n);
    }
    // A new state for `object` (not tracked yet).
    ObjectState& create(std::shared_ptr<void> object, const ModelMapper& m, Status status) {
        ObjectState* st = new (pool.make()) ObjectState{};
        st->object = std::move(object);
        st->model = &m;
        st->status = status;
        st->indexed = false;
        unindexed.push_back(st);
        return *st;
    }

    // Opens the session transaction if none is open (savepoint when the connection is
    // already inside a transaction someone else began).
    void ensure_transaction();
    // Columns first .. first + m.columns.size() of `row` as the session's object: the one
    // in the identity map for its key, else a new persistent object.
    ObjectState* hydrate(const ModelMapper& m, ModelState& ms, const RowView& row, std::size_t first);
    // Binds the relationship members of a newly tracked object to this session.
    void bind(ObjectState& s);
    // Adds a persistent object to its model's identity map (under `key`, its snapshot's
    // primary key) and member list.
    void attach(ObjectState& s, const IdentityKey& key);
    void attach(ObjectState& s, const IdentityKey& key, ModelState& ms);  // ms: the model's state
    void attach(ObjectState& s);
    // Before an object leaves the session: the references between it and its related
    // objects that would form a strong cycle become weak (see orm/relationship.hpp).
    void weaken(ObjectState& s) noexcept;
    // Forgets an object entirely (identity map, lists, state). With `keep`, its snapshot
    // is moved there first.
    void forget(ObjectState& s, std::vector<Value>* keep = nullptr) noexcept;
    // Runs a SELECT, calling on_row with the row's values.
    void run_select(const sql::SelectStatement& statement, const std::function<void(std::vector<Value>&)>& on_row);
    // SELECT of all columns of `m` (qualified by its table) with extra leading columns.
    sql::SelectStatement select_of(const ModelMapper& m) const;
    // Loads the objects matching `where` (optionally through joins), hydrated, in order.
    std::vector<ObjectState*> load_objects(const ModelMapper& m, sql::SelectStatement statement);
    // Eager loading of relationship `r` for `owners` (one query, or a few for huge sets).
    void load_eager(const RelationshipMapping& r, const std::vector<ObjectState*>& owners);
    // Current values of `columns` of an object.
    static std::vector<Value> values_of(const ModelMapper& m, const void* object, const std::vector<std::size_t>& columns);
};

}  // namespace strata::detail
