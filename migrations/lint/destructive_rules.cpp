// Destructive steps: data that is gone once they ran. A table created earlier in the
// same revision holds no rows yet, so dropping from it loses nothing.
#include <fmt/format.h>

#include <algorithm>

#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

namespace {

std::vector<std::string> removed_labels(const std::vector<std::string>& from, const std::vector<std::string>& to) {
    std::vector<std::string> out;
    for (const std::string& label : from)
        if (std::find(to.begin(), to.end(), label) == to.end()) out.push_back(label);
    return out;
}

void alter_column(const StepContext& step, const op::AlterColumn& o, FindingSink& sink) {
    if (o.from.type == o.to.type || step.is_new(o.table)) return;
    const std::string& column = o.to.name;
    if (o.from.type.kind == TypeKind::enum_ && o.to.type.kind == TypeKind::enum_) {
        auto removed = removed_labels(o.from.type.enum_values, o.to.type.enum_values);
        if (removed.empty()) return;
        sink.add({"enum-value-removed", o.table, column,
                  fmt::format("{}.{} loses enum value(s) {}: rows holding them fail or lose the value", o.table,
                              column, column_list(removed)),
                  "first update the rows to a value that stays (a data fix or an sql step), then remove the labels",
                  DataCheck{DataCheck::Kind::values_fit, o.table, {column}, {}, {}, o.to.type.describe()}});
        return;
    }
    if (!is_narrowing(o.from.type, o.to.type)) return;
    sink.add({"narrowing-type", o.table, column,
              fmt::format("{}.{} changes from {} to {}, which may not hold every existing value", o.table, column,
                          o.from.type.describe(), o.to.type.describe()),
              "check that every value fits first, or add a new column, copy what fits, and switch over",
              DataCheck{DataCheck::Kind::values_fit, o.table, {column}, {}, {}, o.to.type.describe()}});
}

}  // namespace

void destructive_rules(const StepContext& step, FindingSink& sink) {
    const Operation& op = step.operation;
    if (auto* o = std::get_if<op::DropTable>(&op)) {
        if (step.is_new(o->table.name)) return;
        sink.add({"drop-table", o->table.name, "",
                  fmt::format("drops table {} and every row in it", o->table.name),
                  "stop using the table in a deploy before, keep a backup, then accept with lint_ok"});
    } else if (auto* o = std::get_if<op::DropColumn>(&op)) {
        if (step.is_new(o->table)) return;
        sink.add({"drop-column", o->table, o->column.name,
                  fmt::format("drops column {}.{} and its values", o->table, o->column.name),
                  "deploy code that no longer reads or writes the column first, then drop it in a later revision"});
    } else if (auto* o = std::get_if<op::DropForeignKey>(&op)) {
        if (step.is_new(o->table)) return;
        sink.add({"drop-foreign-key", o->table, column_list(o->foreign_key.columns),
                  fmt::format("drops foreign key {} of {} ({}): nothing guards those references any more",
                              o->foreign_key.name, o->table, column_list(o->foreign_key.columns)),
                  "make sure the application keeps the references valid, or add the replacement key first"});
    } else if (auto* o = std::get_if<op::AlterColumn>(&op)) {
        alter_column(step, *o, sink);
    } else if (auto* o = std::get_if<op::AlterEnumType>(&op)) {
        auto removed = removed_labels(o->from.values, o->to.values);
        if (removed.empty()) return;
        sink.add({"enum-value-removed", o->to.name, "",
                  fmt::format("enum type {} loses value(s) {}: columns of the type holding them fail the change",
                              o->to.name, column_list(removed)),
                  "first update the rows to a value that stays, then remove the labels"});
    }
}

}  // namespace strata::lint
