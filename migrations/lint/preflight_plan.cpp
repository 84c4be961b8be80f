#include "migrations/lint/preflight_plan.hpp"

#include <fmt/format.h>

namespace strata::lint {

void PreflightPlan::advance(const Step& step, const std::string& where) {
    const Operation& op = step.operation;
    if (const auto* o = std::get_if<op::CreateTable>(&op)) {
        created_.insert(o->table.name);
    } else if (const auto* o = std::get_if<op::RenameTable>(&op)) {
        if (created_.erase(o->from) > 0) created_.insert(o->to);
        else renamed_tables_.insert(o->to);
    } else if (const auto* o = std::get_if<op::DropTable>(&op)) {
        created_.erase(o->table.name);
    } else if (const auto* o = std::get_if<op::AddColumn>(&op)) {
        new_columns_.insert({o->table, o->column.name});
    } else if (const auto* o = std::get_if<op::RenameColumn>(&op)) {
        new_columns_.insert({o->table, o->to});
    } else if (writer_.empty() && std::holds_alternative<op::ExecuteSql>(op)) {
        writer_ = where + " (raw SQL)";
    } else if (writer_.empty() && std::holds_alternative<op::Call>(op)) {
        writer_ = where + " (a data fix)";
    }
}

std::optional<std::string> PreflightPlan::unreadable(const DataCheck& check) const {
    if (renamed_tables_.count(check.table))
        return fmt::format("{} gets its name earlier in the plan: the live table under that name is not it",
                           check.table);
    if (!check.ref_table.empty() && (created_.count(check.ref_table) || renamed_tables_.count(check.ref_table)))
        return fmt::format("{} is created or renamed earlier in the plan", check.ref_table);
    for (const std::string& c : check.columns)
        if (new_columns_.count({check.table, c}))
            return fmt::format("column {}.{} is added or renamed earlier in the plan: it has no live values yet",
                               check.table, c);
    for (const std::string& c : check.ref_columns)
        if (new_columns_.count({check.ref_table, c}))
            return fmt::format("column {}.{} is added or renamed earlier in the plan", check.ref_table, c);
    return std::nullopt;
}

}  // namespace strata::lint
