// The escape hatches: strata cannot see what raw SQL or a C++ data fix does, so it says
// so instead of staying silent.
#include <fmt/format.h>

#include "migrations/lint/rule_families.hpp"

namespace strata::lint {

void escape_rules(const StepContext& step, FindingSink& sink) {
    if (std::holds_alternative<op::ExecuteSql>(step.operation)) {
        sink.add({"raw-sql", "", "", "raw SQL is not analysed: its locks, rewrites and data risks are not checked",
                  "prefer a schema operation where one exists; review the SQL by hand"});
    } else if (auto* o = std::get_if<op::Call>(&step.operation)) {
        sink.add({"data-fix", "", "",
                  fmt::format("data fix {} is not analysed: it runs with the revision's locks", o->function),
                  "keep data fixes batched and idempotent; review by hand"});
    }
}

}  // namespace strata::lint
