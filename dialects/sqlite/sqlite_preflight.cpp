// SQLite preflight queries (Dialect, "preflight"). Its time limit is not SQL:
// Connection::interrupt_after (a progress handler); its reads need no read-only mode.
#include <fmt/format.h>

#include "dialects/sqlite/sqlite_dialect.hpp"

namespace strata {

std::string SqliteDialect::char_length(const std::string& expression) const {
    return fmt::format("length({})", expression);  // characters for text values
}

}  // namespace strata
