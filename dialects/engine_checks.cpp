#include "dialects/engine_checks.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/engine_profile.hpp"

namespace strata {

void require_writable_engine(Connection& conn, std::string_view action, bool engine_unchecked) {
    const EngineProfile& p = conn.engine();
    if (p.standby)
        throw Error(ErrorKind::refused,
                    fmt::format("{} is read-only: `{}` writes, so it must run against the primary. Point the URL "
                                "at the primary; `strata current` and `strata check` work on a standby",
                                p.describe(), action));
    if (!p.supported && !engine_unchecked) throw Error(ErrorKind::refused, p.refusal);
}

void prove_lock_exclusive(Connection& conn, const MigrationLock& held, const LockRequest& request) {
    if (held.per_transaction()) return;
    held.prove_held();
    if (!request.open) throw Error(ErrorKind::internal, "prove_lock_exclusive needs LockRequest::open");
    std::unique_ptr<Connection> other = request.open();
    std::unique_ptr<MigrationLock> second;
    try {
        if (conn.engine().lock == LockKind::lease) {
            LockRequest once = request;
            once.timeout = std::chrono::milliseconds(0);
            once.open = [&other] { return std::move(other); };
            second = acquire_migration_lock(conn, once);
        } else {
            second = other->dialect().acquire_migration_lock(*other, std::chrono::milliseconds(0));
        }
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::lock_timeout) return;  // excluded, as it must be
        throw;
    }
    second->release();
    throw Error(ErrorKind::refused,
                fmt::format("the migration lock does not work on {}: a second connection took it while this one "
                            "held it, so two deploys could migrate at once. strata will not migrate this database; "
                            "see docs/clusters.md (--engine-unchecked skips this check at your own risk)",
                            conn.engine().describe()));
}

void prove_transactional_ddl(Connection& conn) {
    const EngineProfile& p = conn.engine();
    if (!p.capabilities.transactional_ddl || p.lock == LockKind::write_lock) return;
    const Dialect& d = conn.dialect();
    const std::string table = d.quote(fmt::format("strata_ddl_probe_{}", static_cast<long>(getpid())));
    conn.begin();
    try {
        conn.execute_unprepared(fmt::format("CREATE TABLE {} (x INTEGER)", table));
    } catch (...) {
        conn.rollback();
        throw;
    }
    conn.rollback();
    try {
        conn.query(fmt::format("SELECT COUNT(*) FROM {}", table));
    } catch (const Error&) {
        return;  // gone with the rollback, as it must be
    }
    try {
        conn.execute_unprepared(fmt::format("DROP TABLE {}", table));
    } catch (const Error&) {
        // Named in the message below; the user can drop it.
    }
    throw Error(ErrorKind::refused,
                fmt::format("{} does not roll back DDL with its transaction (a table created inside a transaction "
                            "survived the ROLLBACK: {}), so a failed revision would leave a half-applied schema. "
                            "strata will not migrate this database; see docs/clusters.md (--engine-unchecked skips "
                            "this check at your own risk)",
                            p.describe(), table));
}

}  // namespace strata
