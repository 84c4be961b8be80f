// LeaseLock: the migration lock where the server's own lock cannot be trusted across the
// whole database (docs/clusters.md): on a MariaDB Galera Cluster GET_LOCK is local to one
// node, so two deploys through two nodes would both "hold" it. The lease is a row in
// table strata_lock instead, which replicates like any write:
//
//   strata_lock(lock_name PK, holder, host, pid, acquired_ms, expires_ms)
//
//  - Taking it is an INSERT of the row (autocommit): the primary key lets exactly one
//    process in. On Galera two nodes inserting at once both succeed locally and one
//    loses certification at commit (deadlock error 1213): that is retried, and the retry
//    then sees the other's row.
//  - Times are the server's clock (Dialect::clock_ms_sql), never the hosts', so clock
//    skew between machines cannot expire a live lease.
//  - While held, a thread renews it every ttl/3 on a connection of its own (the
//    migration's connection may be busy for hours in one ALTER TABLE). A process that
//    dies stops renewing; once its lease has expired another process takes it over
//    (an UPDATE that only matches the expired row, so two takers cannot both win) and
//    reports whose lease it took.
//  - A lease that could not be renewed before it expired, or was taken over, is lost:
//    check_held() then throws Error(lock_timeout), and the runner stops before its next
//    statement.
//
// Thread safety: one thread uses the lock (acquire, check_held, release); the renewal
// thread is internal. The lock owns its connection.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "dialects/migration_lock.hpp"

namespace strata {

class Connection;

struct LeaseOptions {
    std::chrono::milliseconds ttl{std::chrono::seconds(30)};  // how long a lease outlives its last renewal
    std::chrono::milliseconds poll{std::chrono::milliseconds(250)};  // wait between attempts
    // Told (one line) when taking the lease lost a transaction conflict and is tried again
    // (a Galera certification conflict with another node's INSERT): never retried silently.
    std::function<void(const std::string&)> note;
};

// Who holds a lease (as read from strata_lock).
struct LeaseHolder {
    std::string host;
    std::int64_t pid = 0;
    std::int64_t expires_in_ms = 0;  // negative: expired that long ago
    std::string describe() const;    // "pid 4242 on host build-7 (lease expires in 12 s)"
};

// The table's name; its rows never show up in check or autogenerate (prefix strata_).
inline constexpr const char* kLeaseTable = "strata_lock";

// Takes the lease `name` on `conn` (which the lock owns from then on: it renews and
// releases through it), waiting up to `timeout` (zero: one try). `on_takeover` is called
// with the previous holder when an expired lease was taken over. Creates strata_lock
// when missing. Throws Error(lock_timeout) naming the holder when it stays held past the
// timeout, the connection's errors otherwise.
std::unique_ptr<MigrationLock> acquire_lease(std::unique_ptr<Connection> conn, const std::string& name,
                                             std::chrono::milliseconds timeout, const LeaseOptions& options,
                                             const std::function<void(const LeaseHolder&)>& on_takeover = {});

}  // namespace strata
