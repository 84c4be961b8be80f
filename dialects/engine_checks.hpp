// Checks the runner makes before it trusts an engine with a migration (docs/clusters.md,
// "Verify before trusting"): the engine is one strata has a profile for and is writable,
// its migration lock excludes a second connection, and DDL inside a transaction really
// rolls back where the profile says it does. Each failure is Error(refused) (exit 4)
// with a message naming the engine and what to do; nothing has been written by then.
#pragma once

#include <string_view>

#include "dialects/migration_lock.hpp"

namespace strata {

class Connection;

// Refuses `action` ("upgrade", "seed", ...) on an engine without a profile (CockroachDB,
// TiDB, ...) unless `engine_unchecked`, and always on a read-only server (a PostgreSQL hot
// standby, a MySQL replica with read_only). Asks conn.engine() (one probe per connection).
void require_writable_engine(Connection& conn, std::string_view action, bool engine_unchecked);

// Proves that `held`, taken by acquire_migration_lock(conn, request), excludes others: the
// server shows it held by this session (MigrationLock::prove_held), and a second
// connection (request.open) must fail to take the same lock at once. Refuses
// when it does not (a lock function that is a stub, a proxy that routes the second
// session elsewhere). Write locks (SQLite) need no proof.
void prove_lock_exclusive(Connection& conn, const MigrationLock& held, const LockRequest& request);

// Where conn.engine().capabilities.transactional_ddl: creates a probe table inside a
// transaction, rolls back, and proves the table is gone. Refuses (after dropping the
// probe) when it is not. SQLite needs no proof (the library, not a server, does the work).
// `conn` must not be inside a transaction.
void prove_transactional_ddl(Connection& conn);

}  // namespace strata
