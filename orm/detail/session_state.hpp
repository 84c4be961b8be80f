// Private to orm/session.cpp and orm/query.cpp: the data of a SessionCore.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "dialects/statement.hpp"
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

// `values` holds canonical column values; `columns` says which form the key.
IdentityKey make_identity_key(const Value* values, const std::vector<std::size_t>& columns);
IdentityKey make_identity_key(const std::vector<Value>& key_values);

enum class Status : std::uint8_t { pending, persistent, deleted };

struct ObjectState {
    std::shared_ptr<void> object;
    const ModelMapper* model = nullptr;
    Status status = Status::pending;
    std::size_t slot = 0;                // position in ModelState::members
    std::uint64_t inserted_in_flush = 0;
    std::vector<Value> snapshot;         // column values as the database has them
    IdentityKey key;
};

struct ModelState {
    std::unordered_map<IdentityKey, ObjectState*, IdentityKeyHash> identity;
    std::vector<ObjectState*> members;  // persistent + deleted, in load/insert order; nullptr: gone
    std::size_t dead = 0;
    std::vector<ObjectState*> pending;  // in add() order
    std::vector<ObjectState*> deleted;  // in remove() order
    // SQL per statement shape, rendered once per session.
    std::unordered_map<std::uint64_t, std::string> insert_sql;
    std::unordered_map<std::string, std::string> update_sql;
    std::unordered_map<std::size_t, std::string> delete_sql;
};

struct JournalEntry {
    enum class Kind : std::uint8_t { inserted, updated, deleted };
    Kind kind = Kind::inserted;
    std::shared_ptr<void> object;
    const ModelMapper* model = nullptr;
    std::vector<std::size_t> columns;  // updated: the changed columns
    std::vector<Value> values;         // inserted: generated key before; updated: old values; deleted: snapshot
    IdentityKey key;                   // deleted
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
    std::unordered_map<const void*, ObjectState> states;
    std::deque<ModelState> models;  // by ModelMapper::index; deque: growth keeps references
    std::vector<JournalEntry> journal;
    std::vector<Frame> frames;
    std::uint64_t next_frame = 1;
    std::uint64_t next_savepoint = 1;
    std::uint64_t flush_count = 0;
    bool flushing = false;

    Connection& connection() {
        if (!conn) conn = &engine.connection();
        return *conn;
    }
    const Dialect& dialect() const noexcept { return engine.dialect(); }
    ModelState& model(const ModelMapper& m) {
        while (models.size() <= m.index) models.emplace_back();
        return models[m.index];
    }
    ObjectState* find(const void* p) noexcept {
        auto it = states.find(p);
        return it == states.end() ? nullptr : &it->second;
    }

    // Opens the session transaction if none is open (savepoint when the connection is
    // already inside a transaction someone else began).
    void ensure_transaction();
    // A row of `m` (canonical values consumed) as the session's object: the one in the
    // identity map for its key, else a new persistent object.
    ObjectState* hydrate(const ModelMapper& m, std::vector<Value>& row);
    // Binds the relationship members of a newly tracked object to this session.
    void bind(ObjectState& s);
    // Adds a persistent object to its model's identity map and member list.
    void attach(ObjectState& s);
    // Forgets an object entirely (identity map, lists, state).
    void forget(ObjectState& s) noexcept;
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
