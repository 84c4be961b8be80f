// MigrationLock: the lock that keeps two strata processes from migrating one database
// at the same time (design.md §5 "Safety"). Taken by Dialect::acquire_migration_lock
// on the connection that runs the migration; the runner takes it before it reads the
// version table and holds it until the run ends.
//
// Two kinds, told apart by per_transaction():
//  - Session locks (PostgreSQL advisory lock, MySQL/MariaDB GET_LOCK): held by the
//    connection from acquire until release() or the connection closes (a killed process
//    loses it with its connection). The runner reads the version table once, after
//    acquiring.
//  - Per-transaction locks (SQLite): the database's own write lock, which every
//    migration transaction takes when it opens (BEGIN IMMEDIATE) and drops when it ends.
//    acquire only sets how long opening a transaction may wait; the runner re-reads the
//    version table inside each transaction and skips what another process applied.
//    (To hold SQLite's lock from outside, e.g. in a test, open a write transaction on
//    another connection: Connection::begin() sends BEGIN IMMEDIATE.)
//
// Not thread-safe; belongs to one connection, which must outlive it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace strata {

class Connection;
class Error;

class MigrationLock {
public:
    // Releases the lock if still held. Never throws.
    virtual ~MigrationLock() = default;
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

    // True for the database's own write lock, taken per migration transaction (see above).
    bool per_transaction() const noexcept { return per_transaction_; }
    // The timeout given to acquire_migration_lock.
    std::chrono::milliseconds timeout() const noexcept { return timeout_; }

    // For per-transaction locks: whether `error`, thrown while opening, running or
    // committing a migration transaction, means that the write lock was not obtained in
    // time (the runner then reports Error(lock_timeout)). Session locks: always false.
    virtual bool is_lock_timeout(const Error& error) const noexcept;

    // Throws Error(lock_timeout) when the lock is known to be lost: a lease that could not
    // be renewed in time or was taken over (dialects/lease_lock.hpp). The runner asks
    // before every statement. Base: returns (a session lock ends only with its connection,
    // and then the next statement fails anyway).
    virtual void check_held() const;
    // One round trip that proves the server really holds the lock for this session, where
    // the server can tell (PostgreSQL: pg_locks); Error(refused) when not (a lock function
    // that is a stub, a pool that hands out server connections per transaction). Called
    // once by prove_lock_exclusive (dialects/engine_checks.hpp). Base: returns.
    virtual void prove_held() const;

    // Releases the lock now (session locks) or restores the connection's own wait
    // setting (per-transaction locks). Idempotent. Never throws: a failure to unlock is
    // swallowed, as closing the connection releases the lock anyway.
    virtual void release() noexcept = 0;

protected:
    MigrationLock(bool per_transaction, std::chrono::milliseconds timeout) noexcept
        : per_transaction_(per_transaction), timeout_(timeout) {}

private:
    bool per_transaction_;
    std::chrono::milliseconds timeout_;
};

// What acquire_migration_lock() needs beyond the connection.
struct LockRequest {
    std::chrono::milliseconds timeout{std::chrono::seconds(30)};
    // Lease locks only (dialects/lease_lock.hpp): how long a lease outlives its last renewal.
    std::chrono::milliseconds lease_ttl{std::chrono::seconds(30)};
    // A new connection to the same database, for a lease (which renews on a connection of
    // its own) and for prove_lock_exclusive(). Required for those.
    std::function<std::unique_ptr<Connection>()> open;
    // Told when an expired lease of a dead process was taken over (one line).
    std::function<void(const std::string&)> note;
};

// The migration lock `conn`'s engine calls for (Connection::engine().lock): the server's
// own session lock or write lock (Dialect::acquire_migration_lock, on `conn`), or a lease
// in table strata_lock on a connection from request.open. Throws as those do.
std::unique_ptr<MigrationLock> acquire_migration_lock(Connection& conn, const LockRequest& request);

}  // namespace strata
