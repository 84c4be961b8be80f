// SessionState: the data one session's parts share (identity map, unit of work,
// persistence, loading, relationship sync, transactions). Private to the session; each
// part is a small class over a SessionState&. Not thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <unordered_map>
#include <vector>

#include "dialects/cell.hpp"
#include "dialects/connection.hpp"
#include "dialects/engine.hpp"
#include "orm/detail/identity_map.hpp"
#include "orm/detail/journal.hpp"
#include "orm/detail/relationship_base.hpp"
#include "orm/registry.hpp"
#include "orm/session.hpp"

namespace strata::detail {

// `e` again, its message prefixed with the table and column ("users.age: ...").
[[noreturn]] void rethrow_with_column(const Error& e, const ModelMapper& m, std::size_t column);

struct SessionState {
    SessionState(Engine e, Registry& r, const SessionOptions& o);

    Engine engine;
    Registry* registry;
    SessionOptions options;
    // The connection in use: the session's own checkout (`lease`), or the engine's own
    // connection joined inside its transaction (lease empty); nullptr between transactions.
    Connection* conn = nullptr;
    PooledConnection lease;
    // The thread inside a statement-running call now (SessionUse), or none.
    std::atomic<std::thread::id> user{};
    // Shared with the relationship members of tracked objects (lazy loads, expiry).
    std::shared_ptr<SessionLink> link;
    bool closed = false;
    IdentityMap objects;
    Journal journal;
    std::vector<Frame> frames;
    std::uint64_t next_frame = 1;
    std::uint64_t next_savepoint = 1;
    std::uint32_t flush_count = 0;
    bool flushing = false;
    // Objects whose DELETE this session flushed (address -> the object, weakly): a
    // reference to one still held by a collection or many-to-one member never inserts it
    // again; only an explicit add() does.
    std::unordered_map<const void*, std::weak_ptr<void>> deleted;
    // Members of untracked objects assigned a tracked target (SessionCore::note_unreachable).
    std::unordered_map<const RelatedBase*, std::weak_ptr<void>> unreachable;
    // The loader's row buffer (hydration never nests).
    std::vector<Cell> row_cells;

    // Checks a connection out at the first statement (or joins the engine's own
    // connection inside its transaction on this thread: Engine::joinable_connection()).
    Connection& connection() {
        if (!conn) acquire_connection();
        return *conn;
    }
    // Returns the checkout to the pool when no transaction frame is open (after commit,
    // rollback, close); the next statement checks out again. Never throws.
    void release_connection() noexcept;
    const Dialect& dialect() const noexcept { return engine.dialect(); }
    std::uint32_t epoch() const noexcept { return static_cast<std::uint32_t>(link->epoch); }
    // True when `object` is one this session deleted (and it is still that object).
    bool was_deleted(const void* object) const;
    // Opens the session transaction if none is open (a savepoint when the connection is
    // already inside a transaction someone else began).
    void ensure_transaction();
    // Error(usage) when the session was destroyed or moved from.
    void check_open() const;

private:
    void acquire_connection();
};

// Marks a session busy for one call that may run statements; a second thread entering
// meanwhile gets Error(usage) instead of sharing the connection and the identity map.
// Nested calls on the same thread pass through.
class SessionUse {
public:
    explicit SessionUse(SessionState& s);
    ~SessionUse() {
        if (owner_) s_.user.store(std::thread::id{}, std::memory_order_release);
    }
    SessionUse(const SessionUse&) = delete;
    SessionUse& operator=(const SessionUse&) = delete;

private:
    SessionState& s_;
    bool owner_ = false;
};

// Current values of `columns` of an object.
std::vector<Value> values_of(const ModelMapper& m, const void* object, const std::vector<std::size_t>& columns);

}  // namespace strata::detail
