#include "cmd/exit_codes.hpp"

namespace strata::cli {

int exit_code_for(ErrorKind kind) noexcept {
    // A switch without default: a new ErrorKind is a compiler warning here until it is mapped.
    switch (kind) {
        case ErrorKind::usage:
        case ErrorKind::input:
        case ErrorKind::unsupported:
            return exit_input;
        case ErrorKind::refused:
            return exit_refused;
        case ErrorKind::lock_timeout:
            return exit_lock_timeout;
        case ErrorKind::connection:
        case ErrorKind::pool_timeout:
        case ErrorKind::authentication:
        case ErrorKind::missing_database:
        case ErrorKind::syntax:
        case ErrorKind::constraint:
        case ErrorKind::database:
        case ErrorKind::not_found:
        case ErrorKind::multiple_results:
        case ErrorKind::interrupted:
        case ErrorKind::internal:
            return exit_database;
    }
    return exit_database;
}

}  // namespace strata::cli
