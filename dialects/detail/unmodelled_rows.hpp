// The one reader of the dialects' "what is not modelled" queries (<x>_unmodelled.cpp):
// each query only has to return its rows in this shape.
#pragma once

#include <string>
#include <string_view>

#include "dialects/dialect.hpp"

namespace strata {
class Connection;
}

namespace strata::detail {

// Runs `sql` on `conn`; each row is (kind as kind_name() spells it, schema, name, table
// or NULL). Adds one UnmodelledObject per row to `out`, with `database` and the default
// reason; rows of an unknown kind, and internal ones (options.internal_prefix), are
// skipped. The connection's errors propagate.
void add_unmodelled_rows(Connection& conn, std::string_view sql, const std::string& database,
                         const ReflectOptions& options, Metadata& out);

}  // namespace strata::detail
