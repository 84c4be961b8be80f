// A step as the table changes a database performs for it (dialects/online_ddl.hpp), so
// the rules can ask the dialect what each one costs. Internal to the lint engine.
#pragma once

#include <string>
#include <vector>

#include "dialects/online_ddl.hpp"
#include "migrations/operation.hpp"

namespace strata::lint {

struct TableChange {
    std::string table;
    std::string column;  // "" when the change is not about one column
    DdlChange change;    // points into the operation: valid while it lives
};

// The table changes of `operation`: empty for steps that create or drop whole objects
// (nothing existing is altered), raw SQL and data fixes. An alter_column gives one change
// per aspect that differs (type, nullability, default).
std::vector<TableChange> table_changes(const Operation& operation);

// "add column", "change type", ... for messages.
const char* change_name(DdlChange::Kind kind) noexcept;

}  // namespace strata::lint
