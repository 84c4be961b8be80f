// The views a PostgreSQL step has to take out of the way. PostgreSQL refuses to change
// the type of a column that a view or materialized view reads ("cannot alter type of a
// column used by a view or rule") and to drop such a column; both are ordinary changes
// for the model. A step that does either therefore drops the views that read the column,
// directly or through other views, before its own statements and creates them again
// after them, in the same transaction: views in reverse dependency order, then the step,
// then views in dependency order, each followed by what dropping it removed (comments,
// grants, a materialized view's indexes, triggers and rules on it). The definitions are
// the server's own (pg_get_viewdef), read from the live catalog before the plan is made
// (NativeObjects::views); a view that no longer fits after the step (it read a dropped
// column) fails the migration with the server's message, and the transaction rolls back.
// Dropping or replacing a view that other views read is wrapped the same way.
// The views' owner is not restored: they belong to the migrating role afterwards.
#pragma once

#include <string>
#include <vector>

#include "dialects/dialect.hpp"
#include "dialects/sql_step.hpp"

namespace strata {
class Connection;
}

namespace strata::postgres {

// Every view and materialized view that reads a table of current_schema(), directly or
// through other views (in any schema), in dependency order, with its drop and create
// statements. Three catalog queries, whatever the number of views. The connection's
// errors propagate.
std::vector<NativeObjects::View> read_dependent_views(Connection& conn);

// `statements` (the SQL of one step) with the views that read `table`.`column` (with
// `column` empty: that read the view named `table`, which the statements drop or
// replace), directly or through other views, dropped before them and created again after
// them. The views are those of `context.native` (the catalog's, with what each reads),
// then those of `context.schema` the catalog did not list (created earlier in the plan,
// or all of them offline), which count as reading every relation their text mentions.
// Unchanged when no view reads the column.
// Throws Error(unsupported) when such a view is stale (NativeObjects::View::stale): its
// definition predates a rename earlier in the same plan.
std::vector<SqlStatement> around_dependent_views(const Dialect& dialect, const RenderContext& context,
                                                 const std::string& table, const std::string& column,
                                                 std::vector<SqlStatement> statements);

}  // namespace strata::postgres
