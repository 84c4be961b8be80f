#include "migrations/lint/step_context.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "migrations/lint/rule_catalogue.hpp"
#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

std::vector<std::string> StepContext::referencing(const std::string& name) const {
    std::vector<std::string> out;
    for (const Table& t : before.tables()) {
        if (t.name == name) continue;
        for (const ForeignKey& fk : t.foreign_keys) {
            if (fk.ref_table == name) {
                out.push_back(t.name);
                break;
            }
        }
    }
    return out;
}

void FindingSink::add(Entry entry) {
    const RuleInfo* rule = find_rule(entry.rule);
    if (!rule) throw Error(ErrorKind::internal, fmt::format("lint rule '{}' is not in the catalogue", entry.rule));
    Finding f;
    f.rule = std::string(rule->id);
    f.severity = entry.severity.value_or(rule->severity);
    f.table = std::move(entry.table);
    f.column = std::move(entry.column);
    f.message = std::move(entry.message);
    f.fix = std::move(entry.fix);
    f.data_check = std::move(entry.data_check);
    findings_.push_back(std::move(f));
}

std::string column_list(const std::vector<std::string>& columns) { return fmt::format("{}", fmt::join(columns, ", ")); }

}  // namespace strata::lint
