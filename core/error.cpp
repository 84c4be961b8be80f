#include "core/error.hpp"

namespace strata {

const char* to_string(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::usage: return "usage";
        case ErrorKind::input: return "input";
        case ErrorKind::connection: return "connection";
        case ErrorKind::authentication: return "authentication";
        case ErrorKind::missing_database: return "missing_database";
        case ErrorKind::syntax: return "syntax";
        case ErrorKind::constraint: return "constraint";
        case ErrorKind::database: return "database";
        case ErrorKind::not_found: return "not_found";
        case ErrorKind::multiple_results: return "multiple_results";
        case ErrorKind::unsupported: return "unsupported";
        case ErrorKind::refused: return "refused";
        case ErrorKind::lock_timeout: return "lock_timeout";
        case ErrorKind::pool_timeout: return "pool_timeout";
        case ErrorKind::interrupted: return "interrupted";
        case ErrorKind::internal: return "internal";
    }
    return "internal";
}

// The file:line prefix makes input errors point at the place to fix, as compilers do.
static std::string with_location(const std::string& message, const ErrorDetails& d) {
    if (d.file.empty()) return message;
    if (d.line > 0) return d.file + ":" + std::to_string(d.line) + ": " + message;
    return d.file + ": " + message;
}

Error::Error(ErrorKind kind, const std::string& message, ErrorDetails details)
    : std::runtime_error(with_location(message, details)), kind_(kind), details_(std::move(details)) {}

bool is_transaction_conflict(const Error& e) noexcept {
    return e.sqlstate() == "40001" || e.sqlstate() == "40P01";
}

}  // namespace strata
