// The safer forms of operations for a table that is in use (docs/migrations.md, "Safer
// operations"), applied to a list of operations as `revision --autogenerate
// --concurrent-indexes --not-valid-constraints` writes them. Pure: plain data in, plain
// data out; whether a database has the forms is the dialect's business when it renders
// them (a database without them renders the plain form and the plan says so).
#pragma once

#include <vector>

#include "migrations/operation.hpp"

namespace strata {

struct SaferForms {
    // create_index and drop_index get `concurrently = true`.
    bool concurrent_indexes = false;
    // add_foreign_key and add_check get `not_valid = true`, and a validate_constraint
    // step for each goes after the last operation of the list, so that the checks of
    // the existing rows run after the adds have committed and released their locks.
    bool not_valid_constraints = false;
};

// `operations` with the safer forms of `forms`. Operations on tables created earlier in
// the same list are left as they are: a new table is empty and unseen, so nothing waits
// on it. Never throws.
std::vector<Operation> with_safer_forms(std::vector<Operation> operations, const SaferForms& forms);

}  // namespace strata
