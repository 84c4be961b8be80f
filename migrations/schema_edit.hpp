// The in-memory effect of an operation on a schema: what the database's catalog
// looks like after the operation ran. Pure, no I/O. The planner tracks the schema
// through a migration with it (each operation is rendered against the state before
// it), and tests use it to check that a diff's operations turn one schema into the
// other.
#pragma once

#include <vector>

#include "migrations/operation.hpp"
#include "orm/schema/metadata.hpp"

namespace strata {

// Call it qualified, strata::apply(schema, op): Operation is a std::variant, so an
// unqualified call also finds std::apply by argument-dependent lookup.
//
// Applies `operation` to `schema`, as the databases do:
//  - rename_table also renames foreign-key references to the table in other tables;
//  - rename_column also renames the column in the table's primary key, indexes (their
//    expression keys and predicates too), constraints and check expressions, and in
//    foreign keys that reference it;
//  - drop_column also removes the indexes (also those whose expression keys or
//    predicate mention it), unique constraints, foreign keys and checks that involve the
//    column, and the primary key when the column is part of it;
//  - a sequence owned by a column follows a rename of its table or column, and goes
//    away with a dropped table or column (as PostgreSQL's OWNED BY does);
//  - alter_enum_type gives the new labels to the enum columns of that type;
//  - execute_sql and call change nothing the model can know about.
// Throws Error(input) naming the operation when it does not fit the schema: a table or
// column that does not exist, or one that already exists, or a missing index or
// constraint to drop. `schema` is left unchanged when it throws.
void apply(Metadata& schema, const Operation& operation);
// Applies each operation in order; on a throw, the operations before it stay applied.
void apply(Metadata& schema, const std::vector<Operation>& operations);

// `expression` with every unquoted or double/back-quoted occurrence of the identifier
// `from` replaced by `to` (as a whole word, outside string literals). Used for check
// expressions and index expressions and predicates when a column is renamed.
std::string rename_identifier(const std::string& expression, const std::string& from, const std::string& to);
// Whether `sql` names the identifier `name` (a whole word, or quoted, outside string
// literals: what rename_identifier would rename).
bool mentions_identifier(const std::string& sql, const std::string& name);

// `views` in the order they can be created: each after the views its definition
// mentions (mentions_identifier), ties by name (dependency_order). Pointers into `views`.
std::vector<const View*> sorted_views(const std::vector<View>& views);

}  // namespace strata
