#include "orm/detail/transaction_conflict.hpp"

#include <fmt/format.h>

#include <string>

namespace strata::detail {

namespace {

// What kind of conflict it was, as far as the SQLSTATE and the dialect tell.
std::string_view which_conflict(const Error& e, std::string_view dialect) {
    if (e.sqlstate() == "40P01") return "a deadlock: each waited for a lock the other held";
    if (dialect == "postgresql")
        return "a serialization failure: a concurrent transaction changed rows this one read or wrote";
    if (dialect == "mysql")
        return "a deadlock or, on a MariaDB Galera Cluster, a certification conflict with a write committed "
               "through another node";
    return "a deadlock or a serialization failure";
}

}  // namespace

Error conflict_error(const Error& original, std::string_view dialect, std::string_view doing) {
    std::string said = original.what();
    if (!doing.empty()) said += fmt::format(" (while {})", doing);
    return Error(original.kind(),
                 fmt::format("transaction conflict: the transaction lost to a concurrent one ({}), so the database "
                             "rolled it back and nothing was committed; the session was rolled back too: {}; {}",
                             which_conflict(original, dialect), said, kConflictAdvice),
                 original.details());
}

}  // namespace strata::detail
