// The Error a session throws when its flush or COMMIT lost a transaction conflict
// (strata::is_transaction_conflict, core/error.hpp): one line saying what happened, that
// nothing was committed, and what to do (private to the session and run_transaction).
#pragma once

#include <string_view>

#include "core/error.hpp"

namespace strata::detail {

// The advice that closes every conflict message; run_transaction, which has just followed
// it, leaves it out of its own message.
inline constexpr std::string_view kConflictAdvice =
    "run the whole unit of work again in a new transaction, e.g. with strata::run_transaction "
    "(docs/orm.md, \"Transaction conflicts and retries\")";

// `original` (a conflict) explained: which conflict it is on `dialect` (Dialect::name():
// "postgresql", "mysql", ...), the database's own message, what the session was `doing`
// ("updating users (User)", "committing"; may be empty), and kConflictAdvice. Same
// ErrorKind and ErrorDetails as `original`. Pure; never throws but std::bad_alloc.
Error conflict_error(const Error& original, std::string_view dialect, std::string_view doing);

}  // namespace strata::detail
