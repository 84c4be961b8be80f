#include "dialects/migration_lock.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "dialects/dialect.hpp"

namespace strata {

bool MigrationLock::is_lock_timeout(const Error&) const noexcept { return false; }

std::unique_ptr<MigrationLock> Dialect::acquire_migration_lock(Connection&, std::chrono::milliseconds) const {
    throw Error(ErrorKind::unsupported,
                fmt::format("the {} dialect has no migration lock, so strata cannot migrate such a database safely",
                            name()));
}

}  // namespace strata
