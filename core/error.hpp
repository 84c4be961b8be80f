// strata::Error: the one exception family of the project.
//
// Thrown only for failures that abort the current command or call; expected
// outcomes ("no changes", "nothing to do") are return values. cmd/ is the only
// catch-all and maps ErrorKind to an exit code (see cmd/exit_codes.hpp).
// Every message says what went wrong and, where possible, what to do next.
#pragma once

#include <stdexcept>
#include <string>

namespace strata {

enum class ErrorKind {
    usage,             // API or CLI misuse: bad flag, bad argument              (exit 2)
    input,             // bad input file, URL, model declaration or revision     (exit 2)
    connection,        // server unreachable, refused, socket missing            (exit 3)
    authentication,    // wrong user or password                                 (exit 3)
    missing_database,  // server reachable but the database does not exist       (exit 3)
    syntax,            // the database rejected SQL text                         (exit 3)
    constraint,        // unique / foreign key / not null / check violation      (exit 3)
    database,          // any other error reported by the database               (exit 3)
    not_found,         // Query::one() with no row, get() of a missing object    (exit 3)
    multiple_results,  // Query::one() with more than one row                    (exit 3)
    unsupported,       // the dialect cannot do what was asked                   (exit 2)
    refused,           // a safety gate said no (destructive, edited, two heads) (exit 4)
    lock_timeout,      // migration lock not acquired in time                    (exit 5)
    pool_timeout,      // no pooled connection became free in time               (exit 3)
    interrupted,       // SIGINT / SIGTERM stopped the work                      (exit 3)
    internal,          // a bug in strata                                        (exit 3)
};

// Stable lower-case name of a kind, e.g. "missing_database" (used in JSON output).
const char* to_string(ErrorKind kind) noexcept;

// Optional context carried by an Error. All fields may be empty.
struct ErrorDetails {
    std::string sqlstate;    // five-character SQLSTATE when the driver reports one
    int server_code = 0;     // driver/server numeric code (MySQL errno, SQLite extended code)
    std::string sql;         // the failing statement
    std::string constraint;  // the violated constraint's name when known
    std::string file;        // input file for input errors
    int line = 0;            // 1-based line in `file`, 0 when unknown
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message, ErrorDetails details = {});

    ErrorKind kind() const noexcept { return kind_; }
    const ErrorDetails& details() const noexcept { return details_; }
    const std::string& sqlstate() const noexcept { return details_.sqlstate; }
    int server_code() const noexcept { return details_.server_code; }
    const std::string& sql() const noexcept { return details_.sql; }
    const std::string& constraint() const noexcept { return details_.constraint; }
    const std::string& file() const noexcept { return details_.file; }
    int line() const noexcept { return details_.line; }

private:
    ErrorKind kind_;
    ErrorDetails details_;
};

// True when `e` is a transaction that lost to a concurrent one and changed nothing:
// SQLSTATE 40001 (serialization failure; also MySQL/MariaDB's deadlock 1213, which is
// how a Galera node reports a certification conflict) or 40P01 (PostgreSQL deadlock).
// Running the whole transaction again may succeed.
bool is_transaction_conflict(const Error& e) noexcept;

}  // namespace strata
