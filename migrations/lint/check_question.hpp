// A finding's DataCheck as the question the live database answers (a RowCheck), or
// why it cannot be asked. Internal to the preflight (preflight.hpp). Pure.
#pragma once

#include <optional>
#include <string>

#include "dialects/dialect.hpp"
#include "dialects/row_check.hpp"
#include "migrations/lint/finding.hpp"
#include "migrations/revision_file.hpp"

namespace strata::lint {

struct CheckQuestion {
    std::optional<RowCheck> row_check;  // set when the check can be asked
    std::string unanswerable;           // else why not (one clause, for a message)
};

// `check` of the finding on `step`, against `live`, the table as the database holds it
// now (its primary key gives the sample keys). values_fit reads the step's alter_column:
// a shorter string or fewer characters (longer_than), a smaller integer or fewer digits
// from a numeric type (out_of_range, bounds of the type as `dialect` stores it), enum
// labels (violations); any other type change is unanswerable.
CheckQuestion check_question(const DataCheck& check, const Step& step, const Table& live, const Dialect& dialect);

}  // namespace strata::lint
