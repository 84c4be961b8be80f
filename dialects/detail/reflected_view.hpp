// What every dialect's view reflection (<x>/<x>_views.cpp) does the same way. Internal to
// strata_dialects.
#pragma once

#include <string>

#include "core/value.hpp"
#include "dialects/dialect.hpp"

namespace strata::detail {

// The text of a catalog cell: a string as it is, a binary string (MySQL's
// information_schema may return those) as its bytes, "" for anything else.
std::string catalog_text(const Value& value);

// Adds `view` to `out`, unless its name starts with options.internal_prefix. A view whose
// definition could not be read (MySQL shows none without the SHOW VIEW privilege) is
// noted as an unmodelled view of `schema` on `database` instead of being compared.
void add_reflected_view(Metadata& out, View view, const ReflectOptions& options, const std::string& schema,
                        const std::string& database);

}  // namespace strata::detail
