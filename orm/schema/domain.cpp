#include "orm/schema/domain.hpp"

namespace strata {

ColumnType Domain::column_type() const {
    ColumnType t = types::native(name);
    t.type_name = name;
    return t;
}

std::string Domain::describe() const {
    std::string out = "domain " + name + " " + type.describe();
    if (!nullable) out += " NOT NULL";
    if (server_default) out += " DEFAULT " + server_default->describe();
    for (const CheckConstraint& c : checks) out += " CHECK " + c.name + ": " + c.expression;
    return out;
}

void apply_naming_convention(Domain& domain) { naming::name_checks(domain.name, domain.checks); }

}  // namespace strata
