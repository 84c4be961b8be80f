// Exit codes of the `strata` command line (design.md §5), and the one place that maps
// strata::Error kinds to them. Documented in README.md ("Exit codes"); tests in
// tests/cli/ reach each of them.
#pragma once

#include "core/error.hpp"

namespace strata::cli {

enum ExitCode : int {
    exit_ok = 0,            // success; no difference found
    exit_difference = 1,    // a difference or pending work was found (diff, check)
    exit_input = 2,         // usage or input error: bad flag, bad URL, bad revision file
    exit_database = 3,      // database error: unreachable server, failed statement; also bugs
    exit_refused = 4,       // a safety gate said no: destructive, edited revision, two heads
    exit_lock_timeout = 5,  // the migration lock was not acquired in time
};

// usage / input / unsupported -> 2; refused -> 4; lock_timeout -> 5; every other kind
// (connection, authentication, missing_database, syntax, constraint, database,
// not_found, multiple_results, interrupted, internal) -> 3.
int exit_code_for(ErrorKind kind) noexcept;

}  // namespace strata::cli
