// The lint rules, one function per family, each in its own file named after the family.
// Each looks at one step (StepContext) and adds its findings to the sink; pure, no I/O,
// never throws for a step that does not fit the schema (a table it does not know is
// judged on the operation alone). Internal to the lint engine; docs/lint.md documents
// every rule by id.
#pragma once

#include <string>
#include <vector>

#include "migrations/lint/step_context.hpp"

namespace strata::lint {

// drop-table, drop-column, drop-foreign-key, narrowing-type, enum-value-removed
void destructive_rules(const StepContext& step, FindingSink& sink);
// rename-table, rename-column, type-change-incompatible, drop-not-null, drop-default,
// primary-key-change
void compatibility_rules(const StepContext& step, FindingSink& sink);
// add-not-null-column, set-not-null, add-unique, add-foreign-key, add-check
void data_rules(const StepContext& step, FindingSink& sink);
// type-change-rewrite, add-column-volatile-default, create-index-locks-writes,
// constraint-not-valid, set-not-null-scan
void lock_rules(const StepContext& step, FindingSink& sink);
// alter-algorithm, rebuild-referenced-table
void algorithm_rules(const StepContext& step, FindingSink& sink);
// identifier-too-long, naming-convention
void naming_rules(const StepContext& step, FindingSink& sink);
// foreign-key-without-index, integer-primary-key, timestamp-without-time-zone
void hygiene_rules(const StepContext& step, FindingSink& sink);
// raw-sql, data-fix
void escape_rules(const StepContext& step, FindingSink& sink);

// "a, b" for messages.
std::string column_list(const std::vector<std::string>& columns);

}  // namespace strata::lint
