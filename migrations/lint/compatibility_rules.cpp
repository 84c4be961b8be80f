// Steps that break the application version still running while the migration runs (and
// until the new version is fully deployed): old code keeps using old names and types.
#include <fmt/format.h>

#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

// Families a client library reads values as: a change between them changes the type
// old code receives (a string where it reads an integer).
int type_family(TypeKind kind) {
    if (is_integer_kind(kind)) return 1;
    switch (kind) {
        case TypeKind::float_:
        case TypeKind::double_:
        case TypeKind::numeric:
            return 2;
        case TypeKind::string:
        case TypeKind::text:
        case TypeKind::enum_:
            return 3;
        case TypeKind::date:
        case TypeKind::datetime:
            return 4;
        default:
            return 10 + static_cast<int>(kind);  // every other kind on its own
    }
}

void alter_column(const StepContext& step, const op::AlterColumn& o, FindingSink& sink) {
    if (step.is_new(o.table)) return;
    const std::string& column = o.to.name;
    if (type_family(o.from.type.kind) != type_family(o.to.type.kind))
        sink.add({"type-change-incompatible", o.table, column,
                  fmt::format("{}.{} changes from {} to {}: the running code reads and binds the old type", o.table,
                              column, o.from.type.describe(), o.to.type.describe()),
                  "add a new column of the new type, write both from the code, backfill, switch reads, drop the old"});
    if (!o.from.nullable && o.to.nullable)
        sink.add({"drop-not-null", o.table, column,
                  fmt::format("{}.{} becomes nullable: code that assumes a value will meet NULLs", o.table, column),
                  "deploy code that handles NULL in the column before the rows can hold one"});
    if (o.from.server_default && !o.to.server_default)
        sink.add({"drop-default", o.table, column,
                  fmt::format("{}.{} loses its default {}: inserts that leave the column out get NULL{}", o.table,
                              column, o.from.server_default->describe(), o.to.nullable ? "" : " and fail"),
                  "deploy code that always sets the column first, then drop the default"});
}

}  // namespace

void compatibility_rules(const StepContext& step, FindingSink& sink) {
    const Operation& op = step.operation;
    if (auto* o = std::get_if<op::RenameTable>(&op)) {
        if (step.is_new(o->from)) return;
        sink.add({"rename-table", o->from, "",
                  fmt::format("renames table {} to {}: the running code still uses {}", o->from, o->to, o->from),
                  "expand/contract: create the new table (or a view named after it), move the code, then drop the "
                  "old name in a later revision"});
    } else if (auto* o = std::get_if<op::RenameColumn>(&op)) {
        if (step.is_new(o->table)) return;
        sink.add({"rename-column", o->table, o->from,
                  fmt::format("renames column {}.{} to {}: the running code still uses {}", o->table, o->from, o->to,
                              o->from),
                  "expand/contract: add the new column, write both and backfill, move reads, then drop the old one"});
    } else if (auto* o = std::get_if<op::AlterColumn>(&op)) {
        alter_column(step, *o, sink);
    } else if (auto* o = std::get_if<op::AlterPrimaryKey>(&op)) {
        if (step.is_new(o->table) || o->from.columns.empty() || o->from.columns == o->to.columns) return;
        sink.add({"primary-key-change", o->table, column_list(o->to.columns),
                  fmt::format("the primary key of {} changes from ({}) to ({}): identity, joins and caches change "
                              "under the running code",
                              o->table, column_list(o->from.columns), column_list(o->to.columns)),
                  "add a unique constraint on the new key first, move the code to it, then switch the primary key"});
    }
}

}  // namespace strata::lint
