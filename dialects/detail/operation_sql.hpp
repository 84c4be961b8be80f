// Helpers shared by the standard-SQL operation renderer (dialects/dialect_operations.cpp)
// and the per-dialect overrides (dialects/<x>/<x>_operations.cpp). Internal to
// strata_dialects.
#pragma once

#include <string>
#include <vector>

#include "dialects/dialect.hpp"

namespace strata::detail {

// "ALTER TABLE <quoted table>"
std::string alter_table(const Dialect& dialect, const std::string& table);
// "a", "b" quoted and joined with ", ".
std::string quoted_list(const Dialect& dialect, const std::vector<std::string>& names);
// A statement placed with its step.
SqlStatement statement(std::string sql, bool destructive = false);
// A string literal for comment text; NULL when the comment is empty.
std::string comment_literal(const Dialect& dialect, const std::string& comment);
// The value written into existing rows by AddColumn::backfill, as a SQL literal of the
// column's type (through Dialect::render_default).
std::string backfill_literal(const Dialect& dialect, const std::string& backfill, const ColumnType& type);
// A one-table schema holding `table`, for rendering a follow-up operation against the
// state an earlier statement of the same step produced.
Metadata single_table_schema(const Table& table);

}  // namespace strata::detail
