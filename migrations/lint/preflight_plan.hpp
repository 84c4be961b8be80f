// What a plan has done to its tables before a given step, as far as the preflight must
// know to read the live data honestly: tables it created (empty), renamed, columns it
// added or renamed (no live values under that name), and the first raw SQL or data fix
// (which may change any row). Internal to the preflight (preflight.hpp). Pure.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <utility>

#include "migrations/lint/finding.hpp"
#include "migrations/revision_file.hpp"

namespace strata::lint {

class PreflightPlan {
public:
    // Records `step`, which ran at `where` ("revision r2 step 3").
    void advance(const Step& step, const std::string& where);

    // The table was created by an earlier step of the plan (so it starts empty).
    bool created(const std::string& table) const { return created_.count(table) > 0; }
    // Why the live rows are not the rows `check` would meet at this step; std::nullopt
    // when they are (up to raw SQL and data fixes, see writer()).
    std::optional<std::string> unreadable(const DataCheck& check) const;
    // "revision r2 step 1 (raw SQL)": the first step so far that may change rows in ways
    // strata cannot see; "" when none.
    const std::string& writer() const noexcept { return writer_; }

private:
    std::set<std::string> created_;
    std::set<std::string> renamed_tables_;                       // new names
    std::set<std::pair<std::string, std::string>> new_columns_;  // added or renamed to
    std::string writer_;
};

}  // namespace strata::lint
