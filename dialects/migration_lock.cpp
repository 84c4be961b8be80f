#include "dialects/migration_lock.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/connection.hpp"
#include "dialects/detail/lock_name.hpp"
#include "dialects/dialect.hpp"
#include "dialects/lease_lock.hpp"

namespace strata {

bool MigrationLock::is_lock_timeout(const Error&) const noexcept { return false; }

void MigrationLock::check_held() const {}

void MigrationLock::prove_held() const {}

std::unique_ptr<MigrationLock> Dialect::acquire_migration_lock(Connection&, std::chrono::milliseconds) const {
    throw Error(ErrorKind::unsupported,
                fmt::format("the {} dialect has no migration lock, so strata cannot migrate such a database safely",
                            name()));
}

std::unique_ptr<MigrationLock> acquire_migration_lock(Connection& conn, const LockRequest& request) {
    if (conn.engine().lock != LockKind::lease)
        return conn.dialect().acquire_migration_lock(conn, request.timeout);
    auto on_takeover = [&](const LeaseHolder& previous) {
        if (request.note)
            request.note(fmt::format("took over the expired migration lease of {}: that process stopped without "
                                     "releasing it; check `strata current` for a partly applied revision",
                                     previous.describe()));
    };
    if (!request.open) throw Error(ErrorKind::internal, "acquire_migration_lock: a lease needs LockRequest::open");
    return acquire_lease(request.open(), std::string(detail::migration_lock_name), request.timeout,
                         {.ttl = request.lease_ttl, .note = request.note}, on_takeover);
}

}  // namespace strata
