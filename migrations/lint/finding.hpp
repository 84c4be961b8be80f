// A lint finding: one risk a step of a plan carries on one database, as plain data.
// Produced by the rules (migrations/lint/rule_families.hpp) through a FindingSink,
// collected by lint_revisions() (linter.hpp), printed by `strata lint`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace strata::lint {

// Ordered: info < warning < error (compared by --fail-on).
enum class Severity { info = 0, warning = 1, error = 2 };

const char* severity_name(Severity severity) noexcept;  // "info", "warning", "error"
// "info" / "warning" / "error"; std::nullopt for anything else.
std::optional<Severity> parse_severity(std::string_view text) noexcept;

// What a later preflight must read from the live database to tell whether a
// data-dependent step will fail: attached by the rule that knows it, ignored by the
// offline linter. Plain data naming the table and columns; no SQL.
struct DataCheck {
    enum class Kind {
        nulls,        // rows where `columns` are NULL (SET NOT NULL)
        duplicates,   // groups of equal `columns` (a unique index or constraint)
        orphans,      // rows whose `columns` match no `ref_columns` of `ref_table` (a foreign key)
        violations,   // rows failing `expression` (a check)
        values_fit,   // values of `columns[0]` that the new type cannot hold (a narrowing change)
        rows_present, // any row at all (a NOT NULL column added without a default)
    };
    Kind kind = Kind::rows_present;
    std::string table;
    std::vector<std::string> columns;
    std::string ref_table;
    std::vector<std::string> ref_columns;
    std::string expression;  // the check's expression (violations), the new type (values_fit)
    friend bool operator==(const DataCheck&, const DataCheck&) = default;
};

const char* data_check_name(DataCheck::Kind kind) noexcept;  // "nulls", "duplicates", ...

// What `lint --preflight` found when it ran a finding's DataCheck on the live database
// (migrations/lint/preflight.hpp).
struct PreflightOutcome {
    enum class Status {
        passed,      // no offending row (or the table is created empty by the plan)
        failed,      // offending rows: `count` of them, `samples` shown
        skipped,     // the live data is not the data at this step (`note` says why)
        incomplete,  // the check did not finish: timed out or failed (`note`)
    };
    Status status = Status::passed;
    std::optional<long long> count;    // offending rows (duplicates: duplicated groups)
    std::vector<std::string> samples;  // a few primary keys (or values) of them
    std::string note;
    friend bool operator==(const PreflightOutcome&, const PreflightOutcome&) = default;
};

const char* preflight_status_name(PreflightOutcome::Status status) noexcept;  // "passed", ...

struct Finding {
    std::string rule;  // the rule id ("drop-column"), rule_catalogue.hpp
    Severity severity = Severity::warning;
    std::string revision;  // "" for a plan that is not a revision (lint --diff)
    int step = 0;          // 1-based step number in the revision's upgrade
    std::string file;      // the revision file ("" when none)
    int line = 0;          // the step's line in it (0 when unknown)
    std::string table;     // the table (or view, type) concerned; "" for none
    std::string column;    // the column concerned; "" for none
    std::string message;   // one line: what is risky, naming table and column
    std::string fix;       // one line: the safer way
    // Set when the step carries lint_ok for this rule: the finding is shown with the
    // reason and never counts for --fail-on.
    std::optional<std::string> accepted;
    std::optional<DataCheck> data_check;
    // Set by the preflight only: the outcome of data_check, and for a lock or rewrite
    // finding the catalogue's row estimate of its table (std::nullopt when unknown).
    std::optional<PreflightOutcome> preflight;
    std::optional<long long> row_estimate;

    // "file:line", or "" when the file is unknown ("file" alone without a line).
    std::string location() const;
    friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace strata::lint
