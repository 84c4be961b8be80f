// ConnectionPool: the connections of one Engine, handed out one checkout at a time
// (SQLAlchemy's QueuePool; docs/orm.md "Engines, pools and threads").
//
//   strata::PooledConnection c = engine.connect();   // checked out
//   c->execute("UPDATE ...");
//   // returned to the pool when c goes out of scope
//
// Up to pool_size connections are kept open between checkouts; up to max_overflow more
// are opened under load and closed when returned. A checkout with every connection in
// use waits up to `timeout_seconds`, then throws Error(pool_timeout). Idle connections
// are reused most recently returned first, so a quiet program keeps few of them warm.
//
// Returning a connection rolls back a transaction left open on it ("reset on return").
// A connection that is broken (the server closed it: a restart, an idle timeout,
// pg_terminate_backend, KILL) or whose reset fails is closed instead of pooled, so the
// next checkout opens a fresh one; `pre_ping` also tests idle connections with a round
// trip at checkout, and `recycle_seconds` replaces connections older than that.
//
// SQLite `:memory:` databases live inside one connection, so their pool holds exactly
// that connection and every checkout shares it (SQLAlchemy's StaticPool). Checkouts from
// one thread share it at once; another thread's checkout waits until the first thread
// has returned all of its checkouts (or times out), so two threads never use it together.
//
// Thread safety: checkout, return and status() may be called from any thread. A
// PooledConnection, like the Connection it holds, is used by one thread at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "dialects/connection.hpp"

namespace strata {

struct PoolOptions {
    std::size_t pool_size = 5;      // connections kept open while idle
    std::size_t max_overflow = 10;  // more connections opened under load, closed on return
    double timeout_seconds = 30;    // how long a checkout waits for a free connection
    // Test an idle connection with a round trip before handing it out; a failure closes
    // it and opens a new one. Costs one round trip per checkout.
    bool pre_ping = false;
    // Close and reopen connections older than this many seconds at checkout (servers
    // that drop idle connections, e.g. MySQL's wait_timeout); negative: never.
    double recycle_seconds = -1;
};

// A snapshot of a pool's counters.
struct PoolStatus {
    std::size_t checked_out = 0;  // connections handed out now
    std::size_t idle = 0;         // open connections waiting in the pool
    std::uint64_t created = 0;    // connections opened since the engine was made
    std::uint64_t discarded = 0;  // connections closed as broken, failed reset or recycled
    std::uint64_t timeouts = 0;   // checkouts that gave up waiting
};

class ConnectionPool;

// One checked-out connection; returns it to its pool when destroyed or release()d.
// Movable, not copyable. The pool outlives every PooledConnection (it is shared).
class PooledConnection {
public:
    PooledConnection() = default;
    ~PooledConnection() { release(); }
    PooledConnection(PooledConnection&& other) noexcept;
    PooledConnection& operator=(PooledConnection&& other) noexcept;
    PooledConnection(const PooledConnection&) = delete;
    PooledConnection& operator=(const PooledConnection&) = delete;

    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_; }
    Connection* get() const noexcept { return conn_; }
    explicit operator bool() const noexcept { return conn_ != nullptr; }

    // Returns the connection to the pool now (idempotent; never throws).
    void release() noexcept;
    // Returns it to be closed rather than reused (it is known to be unusable).
    void invalidate() noexcept;

private:
    friend class ConnectionPool;
    PooledConnection(std::shared_ptr<ConnectionPool> pool, Connection* conn) noexcept
        : pool_(std::move(pool)), conn_(conn) {}
    std::shared_ptr<ConnectionPool> pool_;
    Connection* conn_ = nullptr;
};

class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
public:
    // Opens one new connection; may throw (the checkout then throws the same Error).
    using Opener = std::function<std::unique_ptr<Connection>()>;

    // `shared_single`: the :memory: mode described above (pool_size and overflow unused).
    ConnectionPool(Opener open, PoolOptions options, bool shared_single);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // Waits for, reuses or opens a connection. Throws Error(pool_timeout) after
    // options().timeout_seconds, or the opener's Error (connection, authentication...).
    PooledConnection checkout();
    PoolStatus status() const;
    const PoolOptions& options() const noexcept { return options_; }
    // Closes the idle connections (checked-out ones close when returned later if the
    // pool is over its size). Never throws.
    void dispose() noexcept;
    // Counters of every connection this pool opened (statements sent, prepares).
    ConnectionStats stats() const noexcept;
    // shared_single mode only: the one connection, opened if needed, without a checkout
    // (for Engine::connection(); the caller keeps to one thread).
    Connection& shared_connection();

private:
    friend class PooledConnection;
    struct Entry {
        std::unique_ptr<Connection> conn;
        std::chrono::steady_clock::time_point opened;
    };
    using Lock = std::unique_lock<std::mutex>;

    PooledConnection checkout_shared();
    Entry take_idle_or_slot(Lock& lock);
    Entry open_entry();
    void give_back(Connection* conn, bool broken) noexcept;
    void give_back_shared(Connection* conn) noexcept;
    // True when `e` may be handed out (recycle age, pre-ping); false: close it.
    bool usable(Entry& e) noexcept;
    [[noreturn]] void timed_out(Lock& lock);

    Opener open_;
    const PoolOptions options_;
    const bool shared_single_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::vector<Entry> idle_;                // most recently returned last
    std::vector<Entry> out_;                 // checked out (unordered)
    std::size_t opening_ = 0;                // slots reserved by checkouts opening a connection
    std::shared_ptr<SharedStats> totals_;  // also held by every connection it opened
    // shared_single mode: the one connection, the thread using it and its checkouts.
    Entry single_;
    std::thread::id owner_{};
    std::size_t holders_ = 0;
    PoolStatus counters_;
};

}  // namespace strata
